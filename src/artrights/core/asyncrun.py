"""Run a coroutine to completion from synchronous code, even where an event loop is already running.

pyHanko's signing and validation are coroutines; their sync wrappers call `asyncio.run`, which fails inside a
running loop (an async view, a worker with its own loop, a test session with Playwright's loop). Framework-free:
the offline verifier uses it too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
