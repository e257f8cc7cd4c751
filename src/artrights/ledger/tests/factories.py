"""Test data for the log: statements appended in bulk and published under a checkpoint."""

from __future__ import annotations

from typing import Any

from artrights.ledger import services
from artrights.ledger.models import Checkpoint


def statement(n: int) -> dict[str, Any]:
    """A small statement whose bytes differ by ``n``."""
    return {"type": "test", "n": n}


def append_statements(count: int, *, start: int = 0, batch: int = 200) -> None:
    """Append ``statement(start)`` … ``statement(start + count - 1)`` in batches."""
    for first in range(start, start + count, batch):
        last = min(first + batch, start + count)
        services.append_many(items=[("test", statement(n)) for n in range(first, last)])


def published_log(count: int) -> Checkpoint:
    """A log of ``count`` test statements with a signed checkpoint over all of them."""
    append_statements(count)
    return services.publish_checkpoint()
