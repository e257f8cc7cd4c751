"""Handing out a proof: the one sequence every app uses to turn a log entry into an offline proof bundle.

A registration certificate, a fixed piece of evidence and any later statement a holder must be able to show a
court all need the same four steps after their entry is committed: a fresh signed checkpoint, the entry's
inclusion proof against it, an RFC 3161 token over the entry's bytes, and the bundle that carries them with the
openings of the statement's commitments. Run it outside the transaction that appended the entry: signing and
time-stamping are slow, and the appender's lock must not wait for them.
"""

from __future__ import annotations

from typing import Any

from artrights.proofs.bundle import build_bundle
from artrights.proofs.statements import Openings, leaf_data
from artrights.timestamps import keys as tsa_keys
from artrights.timestamps import services as timestamps

from . import selectors, services


def issue_bundle(*, index: int, openings: Openings) -> dict[str, Any]:
    """The proof bundle of log entry ``index`` against a fresh checkpoint, time-stamped by the platform's TSA."""
    statement = selectors.statement_at(index)
    checkpoint = services.publish_checkpoint()
    return build_bundle(
        statement,
        openings,
        index=index,
        tlog_proof=services.tlog_proof(index=index, checkpoint=checkpoint),
        timestamp_response=timestamps.stamp(leaf_data(statement)),
        tsa_chain=tsa_keys.tsa_chain(),
    )
