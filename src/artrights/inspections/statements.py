"""The statements inspections appends to the public log: plan numbers, hashes and counts, never a name.

Shapes (``type``, ``registry``, ``number`` = ``<plan number>#<attempt>``, ``registered_at`` as in every statement)::

    inspection-commit@v1   plan: the draw plan (proofs.draw.DrawPlan.to_json), items: [codes], attempt,
                           pool_hash, pool_size, commitment, reason (a second draw's), refers_to: {"log_index"}
                           of the attempt it replaces when there is one
    inspection-draw@v1     refers_to: {"log_index": <its commitment>}, secret (revealed), public_value,
                           public_source, seed, result_hash, drawn, assignments_hash
    inspection-recusal@v1  refers_to: {"log_index": <the draw>}, target, inspector, replacement,
                           reason_sha256, assignments_hash (after the recusal)
    inspection-result@v1   refers_to: {"log_index": <the draw>}, target, outcome, check_date, content_sha256
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.utils import timezone

from artrights.ledger import services as ledger
from artrights.ledger.keys import log_origin
from artrights.proofs.canonical import canonical
from artrights.proofs.statements import StatementType, check_statement, iso_time


def sha256_of(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def base(kind: StatementType, number: str, at: dt.datetime | None = None) -> dict[str, Any]:
    return {
        "type": kind.value,
        "registry": log_origin(),
        "number": number,
        "registered_at": iso_time(at or timezone.now()),
    }


def append(statement: dict[str, Any]) -> int:
    """Append ``statement`` in the caller's transaction; its log index."""
    check_statement(statement)
    return ledger.append(kind=statement["type"], statement=statement).index
