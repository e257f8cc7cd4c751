"""C2SP tlog-proof (``c2sp.org/tlog-proof@v1``): offline-verifiable inclusion proofs.

A proof bundles the entry index, its RFC 6962 inclusion path and a signed
checkpoint, so a holder can show a registration to anyone who trusts the log's
key (and, optionally, a quorum of witnesses) without contacting the log.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .merkle import HASH_SIZE, HashReader, ProofError, inclusion_proof, leaf_hash, verify_inclusion
from .note import (
    Checkpoint,
    Note,
    Verifier,
    b64decode_strict,
    open_checkpoint,
    parse_checkpoint,
)

HEADER = "c2sp.org/tlog-proof@v1"
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


class TlogProofError(ValueError):
    pass


@dataclass(frozen=True)
class TlogProof:
    index: int
    hashes: tuple[bytes, ...]
    signed_checkpoint: str  # verbatim signed note
    extra: bytes | None = None

    def to_text(self) -> str:
        lines = [HEADER]
        if self.extra is not None:
            lines.append("extra " + base64.b64encode(self.extra).decode())
        lines.append(f"index {self.index}")
        lines.extend(base64.b64encode(h).decode() for h in self.hashes)
        return "\n".join(lines) + "\n\n" + self.signed_checkpoint


def make_tlog_proof(index: int, signed_checkpoint: str, reader: HashReader, *, extra: bytes | None = None) -> TlogProof:
    """Build a proof for entry ``index`` against a checkpoint the log itself signed.

    The checkpoint's signatures are not re-verified (it is the log's own output),
    but its text is parsed so the proof is generated for exactly its tree size.
    """
    split = signed_checkpoint.rfind("\n\n")
    if split < 0:
        raise TlogProofError("signed checkpoint has no signature block")
    checkpoint = parse_checkpoint(signed_checkpoint[: split + 1])
    hashes = inclusion_proof(index, checkpoint.size, reader)
    return TlogProof(index, tuple(hashes), signed_checkpoint, extra)


def parse_tlog_proof(text: str | bytes) -> TlogProof:
    """Parse the text format without verifying anything."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise TlogProofError("proof is not valid UTF-8") from None
    head, sep, signed_checkpoint = text.partition("\n\n")
    if not sep:
        raise TlogProofError("proof has no blank line before the checkpoint")
    lines = head.split("\n")
    if lines[0] != HEADER:
        raise TlogProofError(f"proof does not start with {HEADER!r}")
    pos = 1
    extra: bytes | None = None
    if pos < len(lines) and lines[pos].startswith("extra "):
        try:
            extra = b64decode_strict(lines[pos][len("extra ") :])
        except ValueError:
            raise TlogProofError("proof extra data is not base64") from None
        pos += 1
    if pos >= len(lines) or not lines[pos].startswith("index "):
        raise TlogProofError("proof has no index line")
    index_text = lines[pos][len("index ") :]
    if not _DECIMAL.fullmatch(index_text):
        raise TlogProofError(f"proof index {index_text!r} is not a decimal without leading zeros")
    index = int(index_text)
    hashes: list[bytes] = []
    for line in lines[pos + 1 :]:
        try:
            h = b64decode_strict(line)
        except ValueError:
            raise TlogProofError(f"proof hash line {line!r} is not base64") from None
        if len(h) != HASH_SIZE:
            raise TlogProofError(f"proof hash line {line!r} is {len(h)} bytes, want {HASH_SIZE}")
        hashes.append(h)
    return TlogProof(index, tuple(hashes), signed_checkpoint, extra)


@dataclass(frozen=True)
class VerifiedTlogProof:
    index: int
    checkpoint: Checkpoint
    note: Note
    extra: bytes | None  # unauthenticated, as the spec warns


def verify_tlog_proof(
    text: str | bytes,
    *,
    origin: str,
    log_verifiers: Sequence[Verifier],
    data: bytes | None = None,
    leaf: bytes | None = None,
    cosigners: Iterable[Verifier] = (),
    min_cosignatures: int = 0,
) -> VerifiedTlogProof:
    """Parse and verify a tlog-proof for ``data`` (or a precomputed ``leaf`` hash).

    The checkpoint must carry a valid signature from one of ``log_verifiers``,
    name ``origin``, and at least ``min_cosignatures`` valid signatures from
    ``cosigners``; the inclusion proof must lead to its root.
    """
    if (data is None) == (leaf is None):
        raise TypeError("pass exactly one of data= or leaf=")
    proof = parse_tlog_proof(text)
    log_keys = {(v.name, v.key_hash) for v in log_verifiers}
    cosigner_list = list(cosigners)
    signed = open_checkpoint(proof.signed_checkpoint, [*log_verifiers, *cosigner_list], origin=origin)
    sig_keys = {(s.name, s.key_hash) for s in signed.note.sigs}
    if not sig_keys & log_keys:
        raise TlogProofError("checkpoint is not signed by the log (only by cosigners)")
    cosigned = len(sig_keys & {(v.name, v.key_hash) for v in cosigner_list})
    if cosigned < min_cosignatures:
        raise TlogProofError(f"checkpoint has {cosigned} cosignatures, policy requires {min_cosignatures}")
    target = leaf if leaf is not None else leaf_hash(data if data is not None else b"")
    try:
        verify_inclusion(proof.index, signed.checkpoint.size, target, proof.hashes, signed.checkpoint.root_hash)
    except ProofError as exc:
        raise TlogProofError(f"inclusion proof does not verify: {exc}") from exc
    return VerifiedTlogProof(proof.index, signed.checkpoint, signed.note, proof.extra)
