"""The one state-machine pattern every app uses. Pure Python, no Django.

A workflow is a table of named transitions (source states → target state), declared once next to the status
enum. `Workflow.apply()` checks the move and sets the new status; the caller (a service function) saves the
object, writes the audit entry and does the side effects in one transaction. Keeping the table as data lets
pages list the actions a user may take and lets tests walk every path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from artrights.core.errors import BilingualError


class TransitionNotAllowed(BilingualError):
    """Raised when an action is not allowed from the object's current state."""

    def __init__(self, action: str, state: str, allowed: Iterable[str]) -> None:
        self.action = action
        self.state = state
        self.allowed = sorted(allowed)
        super().__init__(
            "transition_not_allowed",
            f"当前状态“{state}”下不能执行“{action}”。可执行的操作：{'、'.join(self.allowed) or '无'}。",
            f"'{action}' is not allowed in state '{state}'. Allowed: {', '.join(self.allowed) or 'none'}.",
        )


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str

    @classmethod
    def of(cls, name: str, sources: str | Iterable[str], target: str) -> Transition:
        return cls(name, frozenset([sources] if isinstance(sources, str) else sources), target)


class Workflow:
    """A set of transitions over the string values of a status field (`field`, default `status`)."""

    def __init__(self, transitions: Iterable[Transition], *, field: str = "status") -> None:
        self.field = field
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            if t.name in self.transitions:
                raise ValueError(f"duplicate transition {t.name!r}")
            self.transitions[t.name] = t

    def allowed(self, state: str) -> list[str]:
        return [name for name, t in self.transitions.items() if state in t.sources]

    def can(self, obj: Any, action: str) -> bool:
        t = self.transitions.get(action)
        return t is not None and getattr(obj, self.field) in t.sources

    def target(self, state: str, action: str) -> str:
        t = self.transitions.get(action)
        if t is None or state not in t.sources:
            raise TransitionNotAllowed(action, state, self.allowed(state))
        return t.target

    def apply(self, obj: Any, action: str) -> tuple[str, str]:
        """Move `obj` by `action`; returns (old state, new state). Raises TransitionNotAllowed."""
        old = getattr(obj, self.field)
        new = self.target(old, action)
        setattr(obj, self.field, new)
        return old, new

    def states(self) -> set[str]:
        found: set[str] = set()
        for t in self.transitions.values():
            found |= t.sources
            found.add(t.target)
        return found
