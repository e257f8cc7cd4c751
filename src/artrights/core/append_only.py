"""Database triggers that keep tables append-only whatever code, or person with SQL, touches them.

Both databases refuse UPDATE and DELETE of a row. `core.models.AppendOnlyModel` refuses both in Python too;
the triggers are for everything that bypasses the ORM (raw SQL, a database console).

Emptying the whole database is the one exception, and only through ``artrights flush`` (which Django's test
runner uses between transactional tests): PostgreSQL's flush is TRUNCATE, which row triggers do not see; SQLite's
is DELETE, so its delete trigger asks the connection-local function :data:`SQLITE_EMPTYING_FUNCTION` first. The
function is registered on every connection Django opens and answers 1 only inside :func:`emptying` (our ``flush``
command); any other SQLite client lacks the function, so its DELETE fails too ("no such function").

Someone with the database owner's rights can still drop a trigger. That is why the log and the audit trail are
also verified (``artrights log verify``): the triggers stop mistakes and casual edits, the hashes catch the rest.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from django.db import migrations

SQLITE_EMPTYING_FUNCTION = "artrights_emptying"

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION artrights_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only';
END;
$$ LANGUAGE plpgsql;
"""

_emptying: ContextVar[bool] = ContextVar("artrights_emptying", default=False)


@contextlib.contextmanager
def emptying() -> Iterator[None]:
    """Let SQLite's delete triggers pass while the whole database is emptied (``artrights flush`` only)."""
    token = _emptying.set(True)
    try:
        yield
    finally:
        _emptying.reset(token)


def _is_emptying() -> int:
    return 1 if _emptying.get() else 0


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: give each SQLite connection the function the delete triggers ask."""
    if connection.vendor == "sqlite":
        # Not deterministic: SQLite must ask on every row, never fold the answer into a prepared statement.
        connection.connection.create_function(SQLITE_EMPTYING_FUNCTION, 0, _is_emptying)


def trigger_names(vendor: str, table: str) -> list[str]:
    """The append-only triggers a table has (tests that play an attacker drop them by these names)."""
    if vendor == "sqlite":
        return [f"{table}_append_only", f"{table}_append_only_delete"]
    return [f"{table}_append_only"]


def drop_triggers(schema_editor: Any, tables: Sequence[str]) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        for name in trigger_names(vendor, table):
            if vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            elif vendor == "sqlite":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")


def create_triggers(schema_editor: Any, tables: Sequence[str]) -> None:
    """Refuse UPDATE and DELETE on ``tables`` (replacing any trigger of the same name)."""
    vendor = schema_editor.connection.vendor
    drop_triggers(schema_editor, tables)
    if vendor == "postgresql":
        schema_editor.execute(_PG_FUNCTION)
    for table in tables:
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION artrights_append_only();"
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} "
                f"WHEN NOT {SQLITE_EMPTYING_FUNCTION}() "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )


def append_only_triggers(*tables: str) -> migrations.RunPython:
    """A migration operation that makes ``tables`` append-only (idempotent: it replaces older triggers)."""

    def forward(apps: Any, schema_editor: Any) -> None:
        create_triggers(schema_editor, tables)

    def reverse(apps: Any, schema_editor: Any) -> None:
        drop_triggers(schema_editor, tables)

    return migrations.RunPython(forward, reverse)


def lift_append_only_triggers(*tables: str) -> migrations.RunPython:
    """A migration operation that drops the triggers so a data migration may fill new columns of old rows.

    Put :func:`append_only_triggers` for the same tables at the end of the same migration.
    """

    def forward(apps: Any, schema_editor: Any) -> None:
        drop_triggers(schema_editor, tables)

    def reverse(apps: Any, schema_editor: Any) -> None:
        create_triggers(schema_editor, tables)

    return migrations.RunPython(forward, reverse)
