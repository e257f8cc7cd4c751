"""C2SP signed-note, tlog-checkpoint and tlog-cosignature (Ed25519, cosignature/v1).

Key text formats are those of golang.org/x/mod/sumdb/note, which C2SP codifies:

* signer key:   ``PRIVATE+KEY+<name>+<hash8hex>+base64(type || private key)``
* verifier key: ``<name>+<hash8hex>+base64(type || public key)``
* key hash:     ``SHA-256(name || "\\n" || type || public key)[:4]`` (big-endian uint32)

Signature types supported: ``0x01`` Ed25519 over the note text, and ``0x04``
timestamped Ed25519 cosignatures (c2sp.org/tlog-cosignature, ``cosignature/v1``).
Cryptography is delegated to ``cryptography``; this module only does framing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .merkle import HASH_SIZE, MAX_UINT64

ALG_ED25519 = 0x01
ALG_COSIGNATURE_V1 = 0x04

SIG_PREFIX = "\u2014 "  # em dash, space
# Go's note.Open stops at 100 signatures; C2SP requires accepting at least 16.
MAX_SIGNATURES = 100
_MAX_TIMESTAMP = (1 << 63) - 1


class NoteError(ValueError):
    """Base class for signed-note and checkpoint errors."""


class MalformedNoteError(NoteError):
    pass


class InvalidKeyError(NoteError):
    pass


class InvalidSignatureError(NoteError):
    """A signature from a known key did not verify; the whole note is rejected."""

    def __init__(self, name: str, key_hash: int) -> None:
        super().__init__(f"invalid signature for key {name}+{key_hash:08x}")
        self.name = name
        self.key_hash = key_hash


class UnverifiedNoteError(NoteError):
    """No signature from a known key: the note must not be trusted."""

    def __init__(self, unverified: Sequence[Signature]) -> None:
        keys = ", ".join(f"{s.name}+{s.key_hash:08x}" for s in unverified) or "none"
        super().__init__(f"note has no verifiable signatures from known keys (signatures by unknown keys: {keys})")
        self.unverified = list(unverified)


class MalformedCheckpointError(NoteError):
    pass


# --- keys ----------------------------------------------------------------------------


def key_hash(name: str, key: bytes) -> int:
    """Key ID: first four bytes of SHA-256(name || LF || type byte || public key), as uint32.

    ``key`` is the type byte followed by the public key, as in a vkey.
    """
    return int.from_bytes(hashlib.sha256(name.encode() + b"\n" + key).digest()[:4], "big")


def is_valid_key_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name) and _no_controls(name)


def _no_controls(text: str) -> bool:
    return not any(ord(ch) < 0x20 and ch != "\n" for ch in text)


def b64decode_strict(text: str) -> bytes:
    # validate=True refuses characters outside the alphabet instead of skipping them,
    # so a single encoded value has a single textual form.
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"invalid base64: {text!r}") from exc


class Signer(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def key_hash(self) -> int: ...

    def sign(self, msg: bytes) -> bytes: ...


class Verifier(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def key_hash(self) -> int: ...

    def verify(self, msg: bytes, sig: bytes) -> bool: ...


@dataclass(frozen=True)
class Ed25519Verifier:
    """Verifier for type 0x01: an Ed25519 signature over the note text."""

    name: str
    public_key: Ed25519PublicKey
    key_hash: int = field(init=False)

    alg = ALG_ED25519

    def __post_init__(self) -> None:
        if not is_valid_key_name(self.name):
            raise InvalidKeyError(f"invalid key name {self.name!r}")
        object.__setattr__(self, "key_hash", key_hash(self.name, bytes([self.alg]) + self.raw_public_key))

    @property
    def raw_public_key(self) -> bytes:
        return self.public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)

    def verify(self, msg: bytes, sig: bytes) -> bool:
        try:
            self.public_key.verify(sig, msg)
        except InvalidSignature:
            return False
        return True

    def vkey(self) -> str:
        data = base64.b64encode(bytes([self.alg]) + self.raw_public_key).decode()
        return f"{self.name}+{self.key_hash:08x}+{data}"


@dataclass(frozen=True)
class CosignatureV1Verifier(Ed25519Verifier):
    """Verifier for type 0x04: timestamped Ed25519 cosignatures (``cosignature/v1``)."""

    alg = ALG_COSIGNATURE_V1

    def verify(self, msg: bytes, sig: bytes) -> bool:
        if len(sig) != 8 + 64:
            return False
        (timestamp,) = struct.unpack(">Q", sig[:8])
        if timestamp > _MAX_TIMESTAMP:
            return False
        return super().verify(cosignature_message(msg, timestamp), sig[8:])


def cosignature_message(checkpoint_text: bytes, timestamp: int) -> bytes:
    return b"cosignature/v1\ntime %d\n" % timestamp + checkpoint_text


def cosignature_timestamp(sig: bytes) -> int:
    """The POSIX timestamp carried in a cosignature/v1 signature (without key ID)."""
    if len(sig) != 8 + 64:
        raise MalformedNoteError(f"cosignature has length {len(sig)}, want 72")
    return int(struct.unpack(">Q", sig[:8])[0])


@dataclass(frozen=True)
class Ed25519Signer:
    name: str
    private_key: Ed25519PrivateKey
    key_hash: int = field(init=False)

    alg = ALG_ED25519

    def __post_init__(self) -> None:
        if not is_valid_key_name(self.name):
            raise InvalidKeyError(f"invalid key name {self.name!r}")
        object.__setattr__(self, "key_hash", self.verifier().key_hash)

    def verifier(self) -> Ed25519Verifier:
        return Ed25519Verifier(self.name, self.private_key.public_key())

    def sign(self, msg: bytes) -> bytes:
        return self.private_key.sign(msg)

    def skey(self) -> str:
        seed = self.private_key.private_bytes_raw()
        data = base64.b64encode(bytes([self.alg]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_hash:08x}+{data}"


@dataclass(frozen=True)
class CosignatureV1Signer(Ed25519Signer):
    """Witness-style cosigner; ``clock`` is injectable so tests are reproducible."""

    clock: Callable[[], int] = field(default=lambda: int(time.time()), compare=False)

    alg = ALG_COSIGNATURE_V1

    def verifier(self) -> CosignatureV1Verifier:
        return CosignatureV1Verifier(self.name, self.private_key.public_key())

    def sign(self, msg: bytes) -> bytes:
        timestamp = self.clock()
        if not 0 <= timestamp <= _MAX_TIMESTAMP:
            raise ValueError(f"timestamp {timestamp} out of range")
        return struct.pack(">Q", timestamp) + self.private_key.sign(cosignature_message(msg, timestamp))


_SIGNER_TYPES: dict[int, type[Ed25519Signer]] = {
    ALG_ED25519: Ed25519Signer,
    ALG_COSIGNATURE_V1: CosignatureV1Signer,
}
_VERIFIER_TYPES: dict[int, type[Ed25519Verifier]] = {
    ALG_ED25519: Ed25519Verifier,
    ALG_COSIGNATURE_V1: CosignatureV1Verifier,
}


def _split_key(text: str, parts: int) -> list[str]:
    # The base64 key data may itself contain '+', so only split off the leading fields.
    fields = text.split("+", parts - 1)
    if len(fields) != parts:
        raise InvalidKeyError("malformed key: wrong number of '+'-separated fields")
    return fields


def _parse_hash_field(value: str) -> int:
    if not re.fullmatch(r"[0-9a-f]{8}", value):
        raise InvalidKeyError(f"malformed key hash {value!r}: want 8 lowercase hex digits")
    return int(value, 16)


def new_verifier(vkey: str) -> Ed25519Verifier:
    """Parse a verifier key (``name+hash+base64``) and check its hash."""
    name, hash_field, data_field = _split_key(vkey, 3)
    want_hash = _parse_hash_field(hash_field)
    try:
        data = b64decode_strict(data_field)
    except ValueError as exc:
        raise InvalidKeyError(f"malformed verifier key data: {exc}") from None
    if not is_valid_key_name(name) or len(data) != 33:
        raise InvalidKeyError("malformed verifier key")
    cls = _VERIFIER_TYPES.get(data[0])
    if cls is None:
        raise InvalidKeyError(f"unsupported verifier key type 0x{data[0]:02x}")
    verifier = cls(name, Ed25519PublicKey.from_public_bytes(data[1:]))
    if verifier.key_hash != want_hash:
        raise InvalidKeyError(f"verifier key hash {hash_field} does not match the key (want {verifier.key_hash:08x})")
    return verifier


def new_signer(skey: str, *, clock: Callable[[], int] | None = None) -> Ed25519Signer:
    """Parse a signer key (``PRIVATE+KEY+name+hash+base64``) and check its hash."""
    private, key, name, hash_field, data_field = _split_key(skey, 5)
    if private != "PRIVATE" or key != "KEY":
        raise InvalidKeyError("malformed signer key: missing PRIVATE+KEY prefix")
    want_hash = _parse_hash_field(hash_field)
    try:
        data = b64decode_strict(data_field)
    except ValueError as exc:
        raise InvalidKeyError(f"malformed signer key data: {exc}") from None
    if not is_valid_key_name(name) or len(data) != 33:
        raise InvalidKeyError("malformed signer key")
    cls = _SIGNER_TYPES.get(data[0])
    if cls is None:
        raise InvalidKeyError(f"unsupported signer key type 0x{data[0]:02x}")
    private_key = Ed25519PrivateKey.from_private_bytes(data[1:])
    signer: Ed25519Signer
    if cls is CosignatureV1Signer and clock is not None:
        signer = CosignatureV1Signer(name, private_key, clock)
    else:
        signer = cls(name, private_key)
    if signer.key_hash != want_hash:
        raise InvalidKeyError(f"signer key hash {hash_field} does not match the key (want {signer.key_hash:08x})")
    return signer


def generate_key(name: str, alg: int = ALG_ED25519) -> tuple[str, str]:
    """A fresh ``(signer key, verifier key)`` pair in note text format."""
    cls = _SIGNER_TYPES.get(alg)
    if cls is None:
        raise InvalidKeyError(f"unsupported key type 0x{alg:02x}")
    signer = cls(name, Ed25519PrivateKey.generate())
    return signer.skey(), signer.verifier().vkey()


def verifier_from_public_key(name: str, public_key: PublicKeyTypes | bytes) -> Ed25519Verifier:
    """Ed25519 note verifier from a raw or parsed public key (e.g. a Sigstore trusted root).

    Its full, untruncated SHA-256 key hash is what Sigstore publishes as a Rekor v2 log ID.
    """
    if isinstance(public_key, bytes):
        public_key = Ed25519PublicKey.from_public_bytes(public_key)
    if not isinstance(public_key, Ed25519PublicKey):
        raise InvalidKeyError(f"only Ed25519 note keys are supported, got {type(public_key).__name__}")
    return Ed25519Verifier(name, public_key)


# --- notes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    name: str
    key_hash: int
    signature: bytes  # without the 4-byte key ID

    def line(self) -> str:
        data = base64.b64encode(self.key_hash.to_bytes(4, "big") + self.signature).decode()
        return f"{SIG_PREFIX}{self.name} {data}\n"


@dataclass(frozen=True)
class Note:
    text: str
    sigs: list[Signature]  # verified, from known keys
    unverified_sigs: list[Signature]  # from unknown keys: carried along, never trusted


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise MalformedNoteError("note text must end in a newline")
    if not _no_controls(text):
        raise MalformedNoteError("note text contains ASCII control characters other than newline")


def sign_note(text: str, signers: Iterable[Signer], extra_sigs: Iterable[Signature] = ()) -> str:
    """Signed note: text, blank line, one signature line per signer (then ``extra_sigs``)."""
    _check_text(text)
    msg = text.encode()
    lines = [Signature(s.name, s.key_hash, s.sign(msg)).line() for s in signers]
    lines.extend(sig.line() for sig in extra_sigs)
    if not lines:
        raise ValueError("a signed note needs at least one signature")
    if len(lines) > MAX_SIGNATURES:
        raise ValueError(f"more than {MAX_SIGNATURES} signatures")
    return text + "\n" + "".join(lines)


def cosign_note(signed_note: str | bytes, verifiers: Iterable[Verifier], signer: Signer) -> str:
    """Verify a signed note, then append ``signer``'s signature to it."""
    note = open_note(signed_note, verifiers)
    return sign_note(
        note.text,
        [],
        note.sigs + note.unverified_sigs + [Signature(signer.name, signer.key_hash, signer.sign(note.text.encode()))],
    )


def open_note(msg: str | bytes, verifiers: Iterable[Verifier]) -> Note:
    """Parse a signed note and verify it against known keys.

    Signatures whose (name, key hash) match no known key are kept in
    ``unverified_sigs`` and otherwise ignored. A known key's bad signature rejects
    the note, and so does having no verified signature at all.
    """
    if isinstance(msg, bytes):
        try:
            msg = msg.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedNoteError("note is not valid UTF-8") from None
    if not _no_controls(msg):
        raise MalformedNoteError("note contains ASCII control characters other than newline")
    known: dict[tuple[str, int], Verifier] = {}
    for v in verifiers:
        if (v.name, v.key_hash) in known:
            raise ValueError(f"ambiguous verifiers: two keys named {v.name}+{v.key_hash:08x}")
        known[(v.name, v.key_hash)] = v
    text, sig_lines = _split_note(msg)

    text_bytes = text.encode()
    verified: list[Signature] = []
    unverified: list[Signature] = []
    seen: set[tuple[str, int]] = set()
    seen_unverified: set[str] = set()
    for line in sig_lines:
        sig = _parse_signature_line(line)
        verifier = known.get((sig.name, sig.key_hash))
        if verifier is None:
            if line not in seen_unverified:
                seen_unverified.add(line)
                unverified.append(sig)
            continue
        if (sig.name, sig.key_hash) in seen:
            raise MalformedNoteError(f"duplicate signature from key {sig.name}+{sig.key_hash:08x}")
        seen.add((sig.name, sig.key_hash))
        if not verifier.verify(text_bytes, sig.signature):
            raise InvalidSignatureError(sig.name, sig.key_hash)
        verified.append(sig)
    if not verified:
        raise UnverifiedNoteError(unverified)
    return Note(text, verified, unverified)


def _split_note(msg: str) -> tuple[str, list[str]]:
    """The note text (ending in its newline) and the signature lines after the blank line."""
    split = msg.rfind("\n\n")
    if split < 0:
        raise MalformedNoteError("note has no blank line before its signatures")
    text, sig_block = msg[: split + 1], msg[split + 2 :]
    if not sig_block or not sig_block.endswith("\n"):
        raise MalformedNoteError("note signature block is empty or does not end in a newline")
    sig_lines = sig_block[:-1].split("\n")
    if len(sig_lines) > MAX_SIGNATURES:
        raise MalformedNoteError(f"note has more than {MAX_SIGNATURES} signatures")
    return text, sig_lines


def _parse_signature_line(line: str) -> Signature:
    """One ``— name base64(key hash || signature)`` line, checked for form only."""
    if not line.startswith(SIG_PREFIX):
        raise MalformedNoteError(f"malformed signature line {line!r}")
    name, sep, b64 = line[len(SIG_PREFIX) :].partition(" ")
    if not sep or not b64 or " " in b64 or not is_valid_key_name(name):
        raise MalformedNoteError(f"malformed signature line {line!r}")
    try:
        raw = b64decode_strict(b64)
    except ValueError:
        raise MalformedNoteError(f"malformed signature base64 in {line!r}") from None
    if len(raw) < 5:
        raise MalformedNoteError(f"signature too short in {line!r}")
    return Signature(name, int.from_bytes(raw[:4], "big"), raw[4:])


# --- checkpoints ---------------------------------------------------------------------

_DECIMAL = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin or "\n" in self.origin or not _no_controls(self.origin):
            raise MalformedCheckpointError("checkpoint origin must be a non-empty single line")
        if not 0 <= self.size <= MAX_UINT64:
            raise MalformedCheckpointError(f"checkpoint size {self.size} is not a uint64")
        if len(self.root_hash) != HASH_SIZE:
            raise MalformedCheckpointError(f"checkpoint root hash has length {len(self.root_hash)}")
        for ext in self.extensions:
            if not ext or "\n" in ext or not _no_controls(ext):
                raise MalformedCheckpointError("checkpoint extension lines must be non-empty single lines")

    def to_text(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root_hash).decode(), *self.extensions]
        return "\n".join(lines) + "\n"


def parse_checkpoint(text: str) -> Checkpoint:
    """Strictly parse checkpoint note text (not a signed note: use :func:`open_checkpoint`)."""
    if not text.endswith("\n"):
        raise MalformedCheckpointError("checkpoint text must end in a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise MalformedCheckpointError(f"checkpoint has {len(lines)} lines, want at least 3")
    origin, size_line, root_line, *extensions = lines
    if not _DECIMAL.fullmatch(size_line):
        raise MalformedCheckpointError(f"checkpoint size {size_line!r} is not a decimal without leading zeros")
    try:
        root = b64decode_strict(root_line)
    except ValueError:
        raise MalformedCheckpointError(f"checkpoint root hash {root_line!r} is not base64") from None
    if base64.b64encode(root).decode() != root_line:
        raise MalformedCheckpointError("checkpoint root hash is not canonical base64")
    return Checkpoint(origin, int(size_line), root, tuple(extensions))


@dataclass(frozen=True)
class SignedCheckpoint:
    checkpoint: Checkpoint
    note: Note


def open_checkpoint(
    signed: str | bytes, verifiers: Iterable[Verifier], *, origin: str | None = None
) -> SignedCheckpoint:
    """Verify a signed checkpoint and parse it; optionally require a specific origin."""
    note = open_note(signed, verifiers)
    checkpoint = parse_checkpoint(note.text)
    if origin is not None and checkpoint.origin != origin:
        raise MalformedCheckpointError(f"checkpoint origin {checkpoint.origin!r} is not {origin!r}")
    return SignedCheckpoint(checkpoint, note)


def sign_checkpoint(checkpoint: Checkpoint, signers: Iterable[Signer]) -> str:
    return sign_note(checkpoint.to_text(), signers)
