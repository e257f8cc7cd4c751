"""Database-backed hash storage for the log: the ``HashReader`` the pure Merkle code reads proofs through.

Raw SQL on purpose: a proof in a ten-million-entry log needs about two dozen hashes, and one indexed query for
all of them (instead of ORM objects) is what keeps a proof well under 5 ms on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections

from artrights.proofs.merkle import HashNotFoundError, NodeID, StoredHash

from .models import LogHash

# SQLite allows 32,766 bound variables per statement (older builds 999); stay well below either.
_MAX_IDS_PER_QUERY = 400


def _table() -> str:
    return LogHash._meta.db_table


class DatabaseHashReader:
    """:class:`~artrights.proofs.merkle.HashReader` over the ``LogHash`` table."""

    def __init__(self, using: str = "default") -> None:
        self.using = using

    def read_hashes(self, ids: Sequence[NodeID]) -> list[bytes]:
        found: dict[NodeID, bytes] = {}
        wanted = list(dict.fromkeys(ids))
        with connections[self.using].cursor() as cursor:
            for start in range(0, len(wanted), _MAX_IDS_PER_QUERY):
                chunk = wanted[start : start + _MAX_IDS_PER_QUERY]
                # OR of (level, idx) equalities: both SQLite and PostgreSQL answer it from the primary-key
                # index, one probe per node.
                where = " OR ".join(["(level = %s AND idx = %s)"] * len(chunk))
                params = [v for node in chunk for v in node]
                cursor.execute(f"SELECT level, idx, hash FROM {_table()} WHERE {where}", params)
                for level, index, value in cursor.fetchall():
                    found[(level, index)] = bytes(value)
        try:
            return [found[node] for node in ids]
        except KeyError as exc:
            level, index = exc.args[0]
            raise HashNotFoundError(f"no stored hash at level {level}, index {index}") from None

    def read_range(self, level: int, start: int, count: int) -> list[bytes]:
        """``count`` consecutive hashes of ``level`` from ``start`` (a tile); fewer if some are missing."""
        with connections[self.using].cursor() as cursor:
            cursor.execute(
                f"SELECT hash FROM {_table()} WHERE level = %s AND idx >= %s AND idx < %s ORDER BY idx",
                [level, start, start + count],
            )
            return [bytes(row[0]) for row in cursor.fetchall()]


def write_hashes(hashes: Iterable[StoredHash], using: str = "default") -> int:
    """Insert newly completed subtree hashes; the primary key refuses a second hash at the same address."""
    rows = [(h.level, h.index, h.hash) for h in hashes]
    if rows:
        with connections[using].cursor() as cursor:
            cursor.executemany(f"INSERT INTO {_table()} (level, idx, hash) VALUES (%s, %s, %s)", rows)
    return len(rows)
