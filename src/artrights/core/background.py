"""Typed front for huey's Django task decorators (huey ships no type hints).

`db_task` and `db_periodic_task` hand their arguments to `huey.contrib.djhuey` unchanged and return what it
returns; they only tell the type checker what the decorated function becomes. `Task` names the part of huey's
`TaskWrapper` this project uses; widen it here when a caller needs more (`schedule`, `revoke`, ...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import ParamSpec, Protocol, TypeVar

from huey.contrib import djhuey

P = ParamSpec("P")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


class Result(Protocol[R_co]):
    """huey's handle on an enqueued task (settings keep huey's results on, so enqueueing always returns one)."""

    def get(self, blocking: bool = False, timeout: float | None = None) -> R_co | None:
        """The task's return value, or None while it has not run (`blocking=True` waits up to `timeout`)."""
        ...


class Task(Protocol[P, R_co]):
    """A function decorated by huey: calling it enqueues a run (immediately run in tests), `call_local` runs it."""

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Result[R_co]: ...

    def call_local(self, *args: P.args, **kwargs: P.kwargs) -> R_co: ...


def db_task(*, retries: int = 0, retry_delay: int = 0) -> Callable[[Callable[P, R]], Task[P, R]]:
    """huey's `db_task`: a task that closes stale database connections around each run."""
    decorator: Callable[[Callable[P, R]], Task[P, R]] = djhuey.db_task(retries=retries, retry_delay=retry_delay)
    return decorator


def db_periodic_task(
    validate_datetime: Callable[[dt.datetime], bool], *, retries: int = 0, retry_delay: int = 0
) -> Callable[[Callable[[], R]], Task[[], R]]:
    """huey's `db_periodic_task`: a `db_task` the consumer runs whenever `validate_datetime` (a crontab) says so."""
    decorator: Callable[[Callable[[], R]], Task[[], R]] = djhuey.db_periodic_task(
        validate_datetime, retries=retries, retry_delay=retry_delay
    )
    return decorator


def lock(name: str) -> AbstractContextManager[None]:
    """huey's task lock, used as ``with``: while one task holds ``name``, another entering it raises
    ``TaskLockedException`` and is not run (huey logs it). Create it when the tasks module is imported, so the
    consumer knows the name and clears a lock left by a worker that was killed (``flush_locks`` in settings)."""
    held: AbstractContextManager[None] = djhuey.HUEY.lock_task(name)
    return held
