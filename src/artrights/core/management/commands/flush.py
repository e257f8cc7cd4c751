"""`artrights flush`: Django's flush, which also empties the append-only tables on SQLite.

Emptying the whole database is not rewriting history: PostgreSQL's flush (TRUNCATE) already passes the row
triggers, and Django's test runner flushes between transactional tests. SQLite's flush deletes rows, so it runs
inside `append_only.emptying()`, the one thing its delete triggers let through.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush

from artrights.core import append_only


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        with append_only.emptying():
            super().handle(**options)
