"""JSON API of the public log under /api/log/: checkpoint, entries, proofs, witness cosignatures. No login.

Hashes are standard base64, as in checkpoints and tlog-proofs, so clients can use one decoder for everything.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from . import keys, selectors, services
from .models import Checkpoint, _bytes

router = Router(tags=["log"])


def _b64(value: bytes | memoryview | None) -> str:
    return base64.b64encode(_bytes(value)).decode()


class CheckpointOut(Schema):
    id: int
    origin: str
    size: int
    root_hash: str
    note: str
    created_at: dt.datetime
    cosignatures: int
    timestamp_token: str | None = None

    @staticmethod
    def of(checkpoint: Checkpoint) -> CheckpointOut:
        token = checkpoint.timestamp_token
        return CheckpointOut(
            id=checkpoint.id,
            origin=keys.log_origin(),
            size=checkpoint.size,
            root_hash=_b64(checkpoint.root_hash),
            note=checkpoint.signed_note(),
            created_at=checkpoint.created_at,
            cosignatures=checkpoint.cosignatures.count(),
            timestamp_token=_b64(token) if token else None,
        )


class KeyOut(Schema):
    origin: str
    vkey: str


class EntryOut(Schema):
    index: int
    kind: str
    statement: dict[str, Any]
    leaf_hash: str
    data: str
    created_at: dt.datetime


class InclusionOut(Schema):
    index: int
    size: int
    leaf_hash: str
    hashes: list[str]


class ConsistencyOut(Schema):
    old_size: int
    new_size: int
    hashes: list[str]


class TlogProofOut(Schema):
    index: int
    checkpoint_size: int
    proof: str


class CosignatureIn(Schema):
    note: str


class CosignatureOut(Schema):
    checkpoint: CheckpointOut
    accepted: list[str]


def _latest() -> Checkpoint:
    checkpoint = selectors.latest_checkpoint()
    if checkpoint is None:
        raise HttpError(404, _("账本尚未发布检查点。"))
    return checkpoint


@router.get("/checkpoint", response=CheckpointOut, auth=None, summary="Latest signed checkpoint")
def latest_checkpoint(request: HttpRequest) -> CheckpointOut:
    return CheckpointOut.of(_latest())


@router.get("/key", response=KeyOut, auth=None, summary="The log's origin and verifier key")
def verifier_key(request: HttpRequest) -> KeyOut:
    return KeyOut(origin=keys.log_origin(), vkey=keys.log_verifier_key())


@router.get("/entries/{index}", response=EntryOut, auth=None, summary="One log entry")
def entry(request: HttpRequest, index: int) -> EntryOut:
    found = selectors.get_entry(index)
    if found is None:
        raise HttpError(404, _("没有序号为 %(index)s 的记录。") % {"index": index})
    data = _bytes(found.data)
    return EntryOut(
        index=found.index,
        kind=found.kind,
        statement=json.loads(data),
        leaf_hash=_b64(found.leaf_hash),
        data=_b64(data),
        created_at=found.created_at,
    )


@router.get("/entries/{index}/proof", response=TlogProofOut, auth=None, summary="C2SP tlog-proof of an entry")
def entry_proof(request: HttpRequest, index: int) -> TlogProofOut:
    checkpoint = _latest()
    return TlogProofOut(index=index, checkpoint_size=checkpoint.size, proof=services.tlog_proof(index=index))


@router.get("/proofs/inclusion", response=InclusionOut, auth=None, summary="RFC 9162 inclusion proof")
def inclusion_proof(request: HttpRequest, index: int, size: int | None = None) -> InclusionOut:
    """`size` defaults to the latest checkpoint's size."""
    tree_size = size if size is not None else _latest().size
    hashes = services.inclusion(index=index, size=tree_size)
    found = selectors.get_entry(index)
    leaf = _b64(found.leaf_hash) if found is not None else ""
    return InclusionOut(index=index, size=tree_size, leaf_hash=leaf, hashes=[_b64(h) for h in hashes])


@router.get("/proofs/consistency", response=ConsistencyOut, auth=None, summary="RFC 9162 consistency proof")
def consistency_proof(request: HttpRequest, old_size: int, new_size: int | None = None) -> ConsistencyOut:
    """`new_size` defaults to the latest checkpoint's size."""
    size2 = new_size if new_size is not None else _latest().size
    hashes = services.consistency(old_size=old_size, new_size=size2)
    return ConsistencyOut(old_size=old_size, new_size=size2, hashes=[_b64(h) for h in hashes])


@router.post("/cosignatures", response={201: CosignatureOut}, auth=None, summary="Submit a witness cosignature")
def add_cosignature(request: HttpRequest, payload: CosignatureIn) -> Status[CosignatureOut]:
    """`note`: the cosigned checkpoint (its body, a blank line, then signature lines incl. the witness's)."""
    checkpoint = services.checkpoint_for_note(note_text=payload.note)
    if checkpoint is None:
        raise HttpError(404, _("没有与之对应的检查点。"))
    stored = services.add_cosignature(checkpoint=checkpoint, cosigned_note_text=payload.note)
    accepted = [c.witness.name for c in stored]
    return Status(201, CosignatureOut(checkpoint=CheckpointOut.of(checkpoint), accepted=accepted))
