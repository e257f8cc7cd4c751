"""The C2PA manifest store of an image, read box by box and held to the shape its signer writes (no Django).

A C2PA manifest store is a JUMBF box tree (ISO/IEC 19566-5) carried in the image: a ``caBX`` chunk in PNG, APP11
segments in JPEG, a ``C2PA`` chunk in WebP, an application extension in GIF, tag 52545 in TIFF. The claim
signature covers the claim; the claim covers each assertion box; the image bytes outside the store are covered
by the hard binding. What nothing covers is the store's own scaffolding: the carrier's framing (chunk CRC, the
box headers JPEG repeats in every segment, padding) and the description boxes of the store, the manifest, the
assertion store, the claim and the signature, which a reader finds by their type UUID and never compares with
their labels. So a relying party could be shown a store whose labels were changed after signing, and the C2PA
library would still call it valid.

:func:`manifest_store` takes the store out of the carrier (checking its framing) and :func:`parse_store` reads it
and refuses anything that is not exactly the shape a C2PA signer writes: every box length exact, every
description box holding a UUID, toggles and label and nothing else, each C2PA box type with its one label, each
manifest with one assertion store, one claim and one signature. Both raise :class:`ManifestStoreError`.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass

from artrights.core.errors import BilingualError

# The ISO/IEC 19566-5 suffix of every C2PA type UUID: the first four bytes are the type's four letters.
_UUID_SUFFIX = bytes.fromhex("00110010800000aa00389b71")


def _uuid(fourcc: bytes) -> bytes:
    return fourcc + _UUID_SUFFIX


STORE = _uuid(b"c2pa")
MANIFEST = _uuid(b"c2ma")
UPDATE_MANIFEST = _uuid(b"c2um")
ASSERTIONS = _uuid(b"c2as")
CLAIM = _uuid(b"c2cl")
SIGNATURE = _uuid(b"c2cs")
CREDENTIALS = _uuid(b"c2vc")
DATABOXES = _uuid(b"c2db")
# The labels C2PA gives the boxes of these types (a claim is "c2pa.claim" before C2PA 2.0).
_LABELS: dict[bytes, tuple[str, ...]] = {
    STORE: ("c2pa",),
    ASSERTIONS: ("c2pa.assertions",),
    CLAIM: ("c2pa.claim.v2", "c2pa.claim"),
    SIGNATURE: ("c2pa.signature",),
    CREDENTIALS: ("c2pa.credentials",),
    DATABOXES: ("c2pa.databoxes",),
}
# A manifest is labelled with its URN: urn:c2pa:<uuid>[:<generator>[:<version_reason>]] or, before 2.0, urn:uuid.
_MANIFEST_LABEL = re.compile(
    r"urn:(?:c2pa|uuid):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?::[^:/\x00]*){0,2}"
)
# Description-box toggles: requestable (1), label (2), ID (4), signature (8), private box (16).
_REQUESTABLE_WITH_LABEL = 0x03
_KNOWN_TOGGLES = 0x1F
_MAX_DEPTH = 8  # store > manifest > assertion store > assertion (> an assertion's own boxes)


class ManifestStoreError(BilingualError, ValueError):
    """The image's C2PA manifest store is not framed or shaped as a C2PA signer writes it."""


def _bad(en: str) -> ManifestStoreError:
    return ManifestStoreError(
        "manifest_store", f"内容凭证（C2PA）清单存储的结构被改动：{en}", f"the C2PA manifest store was altered: {en}"
    )


@dataclass(frozen=True)
class Box:
    """One JUMBF box: its type, where it lies in the store and, for a superbox, its description and children."""

    type: bytes
    start: int
    end: int
    header: int
    uuid: bytes = b""
    toggles: int = 0
    label: str = ""
    children: tuple[Box, ...] = ()

    @property
    def payload(self) -> tuple[int, int]:
        """Where the box's contents lie in the store (after its header)."""
        return self.start + self.header, self.end

    def child(self, uuid: bytes) -> Box:
        return next(c for c in self.children if c.uuid == uuid)


@dataclass(frozen=True)
class ManifestStore:
    data: bytes
    root: Box

    @property
    def manifests(self) -> tuple[Box, ...]:
        return self.root.children

    @property
    def active(self) -> Box:
        """The active manifest: the last one in the store (C2PA 2.x, 11.1)."""
        return self.root.children[-1]

    def content(self, superbox: Box) -> bytes:
        """The contents of the one content box of ``superbox`` (the claim's or the signature's CBOR)."""
        (box,) = superbox.children
        start, end = box.payload
        return self.data[start:end]


# --------------------------------------------------------------------------------------------
# Carriers
# --------------------------------------------------------------------------------------------


def manifest_store(image: bytes, mime: str) -> bytes:
    """The JUMBF manifest store carried by ``image`` (of media type ``mime``), its framing checked."""
    readers = {
        "image/png": _from_png,
        "image/jpeg": _from_jpeg,
        "image/webp": _from_webp,
        "image/gif": _from_gif,
        "image/tiff": _from_tiff,
    }
    if mime not in readers:
        raise _bad(f"no reader for {mime}")
    try:
        return readers[mime](image)
    except (struct.error, IndexError) as exc:
        raise _bad(f"the {mime} framing is truncated ({exc})") from None


def _from_png(data: bytes) -> bytes:
    found: list[bytes] = []
    pos = 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise _bad("a PNG chunk runs past the end of the file")
        if kind == b"caBX":
            # The chunk lies outside the hard binding, CRC included: a CRC that does not match is a changed byte.
            (crc,) = struct.unpack_from(">I", data, end - 4)
            if zlib.crc32(data[pos + 4 : end - 4]) != crc:
                raise _bad("the caBX chunk's CRC does not match its contents")
            found.append(data[pos + 8 : end - 4])
        pos = end
        if kind == b"IEND":
            break
    return _one(found, "caBX chunk")


def _from_jpeg(data: bytes) -> bytes:
    """APP11 segments: 'JP', a box instance number, a sequence number, then the box; every segment after the
    first repeats the box's header (LBox, TBox), which must be the first segment's."""
    segments: dict[int, list[tuple[int, bytes]]] = {}
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA or marker == 0xD9:  # start of scan: no more metadata segments
            break
        (length,) = struct.unpack_from(">H", data, pos + 2)
        body = data[pos + 4 : pos + 2 + length]
        if len(body) != length - 2:
            raise _bad("a JPEG segment runs past the end of the file")
        if marker == 0xEB and body[:2] == b"JP":
            instance, sequence = struct.unpack_from(">HI", body, 2)
            segments.setdefault(instance, []).append((sequence, body[8:]))
        pos += 2 + length
    stores = []
    for parts in segments.values():
        if [seq for seq, _ in parts] != list(range(1, len(parts) + 1)):
            raise _bad("the APP11 segments are out of sequence")
        first = parts[0][1]
        header = first[:8]
        for _, part in parts[1:]:
            if part[:8] != header:
                raise _bad("an APP11 segment repeats a different box header")
        joined = first + b"".join(part[8:] for _, part in parts[1:])
        if joined[4:8] == b"jumb" and joined[16:32] == STORE:
            stores.append(joined)
    return _one(stores, "C2PA APP11 box")


def _from_webp(data: bytes) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise _bad("not a RIFF WebP file")
    found = []
    pos = 12
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        (size,) = struct.unpack_from("<I", data, pos + 4)
        end = pos + 8 + size
        if end > len(data):
            raise _bad("a WebP chunk runs past the end of the file")
        if kind == b"C2PA":
            if size % 2 and data[end : end + 1] != b"\x00":
                raise _bad("the C2PA chunk's padding byte is not zero")
            found.append(data[pos + 8 : end])
        pos = end + (size % 2)
    return _one(found, "C2PA chunk")


def _from_gif(data: bytes) -> bytes:
    """An application extension 'C2PA_GIF' (authentication code 01 00 00) whose data sub-blocks hold the store."""
    marker = b"\x21\xff\x0bC2PA_GIF\x01\x00\x00"
    found = []
    pos = data.find(marker)
    while pos >= 0:
        pos += len(marker)
        parts = []
        while data[pos] != 0:
            size = data[pos]
            parts.append(data[pos + 1 : pos + 1 + size])
            if len(parts[-1]) != size:
                raise _bad("a GIF sub-block runs past the end of the file")
            pos += 1 + size
        found.append(b"".join(parts))
        pos = data.find(marker, pos)
    return _one(found, "C2PA_GIF extension")


def _from_tiff(data: bytes) -> bytes:
    order = {b"II": "<", b"MM": ">"}.get(data[:2])
    if order is None or struct.unpack_from(order + "H", data, 2)[0] != 42:
        raise _bad("not a classic TIFF file")
    (offset,) = struct.unpack_from(order + "I", data, 4)
    (count,) = struct.unpack_from(order + "H", data, offset)
    found = []
    for i in range(count):
        tag, kind, length, value = struct.unpack_from(order + "HHII", data, offset + 2 + 12 * i)
        if tag == 52545:  # the C2PA manifest store, type UNDEFINED
            if kind != 7 or value + length > len(data):
                raise _bad("the C2PA TIFF tag does not point into the file")
            found.append(data[value : value + length])
    return _one(found, "C2PA TIFF tag")


def _one(found: list[bytes], what: str) -> bytes:
    if len(found) != 1:
        raise _bad(f"the image carries {len(found)} × {what}, not exactly one")
    return found[0]


# --------------------------------------------------------------------------------------------
# Boxes
# --------------------------------------------------------------------------------------------


def parse_store(data: bytes) -> ManifestStore:
    """Read the manifest store ``data`` and check that it is shaped exactly as a C2PA signer writes it."""
    boxes = _boxes(data, 0, len(data), 0)
    if len(boxes) != 1 or boxes[0].uuid != STORE:
        raise _bad("the store is not one C2PA superbox")
    root = boxes[0]
    _check_labelled(root, STORE)
    if not root.children:
        raise _bad("the store holds no manifest")
    for manifest in root.children:
        _check_manifest(manifest)
    return ManifestStore(data, root)


def _check_labelled(box: Box, uuid: bytes) -> None:
    if box.uuid != uuid or box.toggles != _REQUESTABLE_WITH_LABEL or box.label not in _LABELS[uuid]:
        raise _bad(f"a {uuid[:4].decode()} box is labelled {box.label!r} (toggles {box.toggles:#x})")


def _check_manifest(manifest: Box) -> None:
    if manifest.uuid not in (MANIFEST, UPDATE_MANIFEST) or manifest.toggles != _REQUESTABLE_WITH_LABEL:
        raise _bad("the store holds something other than manifests")
    if not _MANIFEST_LABEL.fullmatch(manifest.label):
        raise _bad(f"a manifest is labelled {manifest.label!r}, not with its URN")
    kinds = [child.uuid for child in manifest.children]
    for required in (ASSERTIONS, CLAIM, SIGNATURE):
        if kinds.count(required) != 1:
            raise _bad(f"a manifest holds {kinds.count(required)} {required[:4].decode()} boxes, not one")
    if not kinds.index(ASSERTIONS) < kinds.index(CLAIM) < kinds.index(SIGNATURE):
        raise _bad("a manifest's assertion store, claim and signature are out of order")
    for child in manifest.children:
        if child.uuid not in _LABELS or child.uuid == STORE or kinds.count(child.uuid) != 1:
            raise _bad(f"a manifest holds an unexpected {child.type.decode('latin-1')} box {child.label!r}")
        _check_labelled(child, child.uuid)
    for uuid in (CLAIM, SIGNATURE):
        box = manifest.child(uuid)
        if len(box.children) != 1 or box.children[0].type != b"cbor" or box.children[0].uuid:
            raise _bad(f"the {box.label} box does not hold exactly one CBOR box")
    labels = [assertion.label for assertion in manifest.child(ASSERTIONS).children]
    if not all(labels) or len(set(labels)) != len(labels):
        raise _bad("the assertion store holds an unlabelled or repeated assertion")


def _boxes(data: bytes, pos: int, end: int, depth: int) -> list[Box]:
    if depth > _MAX_DEPTH:
        raise _bad("boxes nest too deeply")
    boxes = []
    while pos < end:
        if pos + 8 > end:
            raise _bad("a box header runs past its parent")
        length, kind = struct.unpack_from(">I4s", data, pos)
        # 0 ("to the end") and 1 (64-bit length follows) are never written for a store of an image's size.
        if length < 8 or pos + length > end:
            raise _bad(f"a {kind.decode('latin-1')!r} box has length {length}")
        if kind == b"jumb":
            boxes.append(_superbox(data, pos, pos + length, depth))
        else:
            if kind == b"bfdb":
                _check_file_description(data[pos + 8 : pos + length])
            boxes.append(Box(kind, pos, pos + length, 8))
        pos += length
    return boxes


def _check_file_description(content: bytes) -> None:
    """An embedded file's description (ISO/IEC 19566-5 bfdb): toggles, the media type and, when toggle 1 says so,
    a file name, each NUL-terminated, and nothing else. The C2PA library does not hash it with the thumbnail."""
    if not content or content[0] & ~0x03:
        raise _bad("an embedded file's description has unknown toggles")
    fields = content[1:].split(b"\x00")
    expected = 2 if content[0] & 0x01 else 1
    if (
        len(fields) != expected + 1
        or fields[-1]
        or not all(f and f.isascii() and f.decode().isprintable() for f in fields[:-1])
    ):
        raise _bad("an embedded file's description does not hold exactly what its toggles announce")
    if b"/" not in fields[0]:
        raise _bad("an embedded file's media type is not a media type")


def _superbox(data: bytes, start: int, end: int, depth: int) -> Box:
    inner = _boxes(data, start + 8, end, depth + 1)
    if not inner or inner[0].type != b"jumd":
        raise _bad("a superbox does not start with its description box")
    desc_start, desc_end = inner[0].payload
    description = data[desc_start:desc_end]
    if len(description) < 17:
        raise _bad("a description box is too short")
    uuid, toggles = description[:16], description[16]
    if toggles & ~_KNOWN_TOGGLES or not toggles & 0x02:
        raise _bad(f"a description box has toggles {toggles:#x}")
    rest = description[17:]
    nul = rest.find(b"\x00")
    if nul < 0:
        raise _bad("a description box's label is not terminated")
    try:
        label = rest[:nul].decode("utf-8")
    except UnicodeDecodeError:
        raise _bad("a description box's label is not UTF-8") from None
    if "/" in label or not label.isprintable():
        raise _bad(f"a description box's label {label!r} is not a C2PA label")
    rest = rest[nul + 1 :]
    rest = rest[4:] if toggles & 0x04 else rest  # ID
    rest = rest[32:] if toggles & 0x08 else rest  # signature
    if toggles & 0x10:  # one private box (C2PA: the c2sh salt of an assertion)
        (private_length,) = struct.unpack(">I", rest[:4]) if len(rest) >= 4 else (0,)
        if private_length < 8 or private_length != len(rest):
            raise _bad("a description box's private box does not fill it")
        rest = b""
    if rest:
        raise _bad(f"a description box ({label!r}) holds {len(rest)} bytes beyond its fields")
    children = tuple(inner[1:])
    if any(child.type == b"jumd" for child in children):
        raise _bad("a superbox holds a second description box")
    return Box(b"jumb", start, end, 8, uuid, toggles, label, children)
