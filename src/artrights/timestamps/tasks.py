"""Background work for time-stamping; thin wrappers around services."""

from __future__ import annotations

from artrights.core.background import db_task


@db_task(retries=3, retry_delay=60)
def stamp_externally_task(digest_hex: str) -> int:
    """Ask every configured external TSA for a token over a digest the built-in TSA stamped."""
    from .services import stamp_external

    return len(stamp_external(bytes.fromhex(digest_hex)))
