"""Tampered copies of a certificate PDF, a proof bundle and a signed image, found by parsing each file.

Nothing here works from fixed offsets: each generator reads the file it is given (the PDF's objects, signature
dictionary, CMS and cross-reference sections; the bundle's JSON fields; the image's chunks, JUMBF boxes, claim
and COSE signature) and changes every region it finds, so the set follows the file wherever the bytes lie.
The parsers are deliberately small and separate from the verifier's own, so a blind spot in one is not
copied into the other.

Each generator yields ``(name, data)`` pairs; the name says what was changed and where. A variant identical
to the original is never yielded. Where a region is large (a CMS holds hundreds of DER values, the token
and thumbnails thousands of bytes) a fixed, evenly spread sample of its positions is taken; the sampling is
deterministic, so a run can be repeated.
"""

from __future__ import annotations

import base64
import copy
import json
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import cbor2

Variant = tuple[str, bytes]


def _flip(data: bytes, pos: int, mask: int = 0x01) -> bytes:
    return data[:pos] + bytes([data[pos] ^ mask]) + data[pos + 1 :]


def _put(data: bytes, pos: int, new: bytes) -> bytes:
    return data[:pos] + new + data[pos + len(new) :]


def _spread(start: int, end: int, count: int) -> list[int]:
    """``count`` positions spread evenly over ``[start, end)``: first, last and between."""
    if end <= start:
        return []
    if end - start <= count:
        return list(range(start, end))
    step = (end - 1 - start) / (count - 1)
    return sorted({start + round(i * step) for i in range(count)})


def _other_digit(char: int) -> bytes:
    return b"1" if char == ord("0") else b"0"


def _unique(original: bytes, variants: Iterator[Variant]) -> Iterator[Variant]:
    seen: set[bytes] = {original}
    for name, data in variants:
        if data not in seen:
            seen.add(data)
            yield name, data


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------

_OBJECT = re.compile(rb"(\d+) (\d+) obj\b")


def pdf_variants(pdf: bytes) -> Iterator[Variant]:
    """Every region of a signed PDF: header, each object (number, first, middle and last byte), the signature
    dictionary (each name and each ByteRange number), the CMS (sampled DER headers and contents), the zero
    padding, the gap's delimiters and encoding, each cross-reference section and trailer, and the file's end."""
    return _unique(pdf, _pdf_variants(pdf))


def _pdf_variants(pdf: bytes) -> Iterator[Variant]:
    header_end = pdf.index(b"\n")
    for pos in range(header_end):
        yield f"header byte {pos}", _flip(pdf, pos)
    second_end = pdf.index(b"\n", header_end + 1)
    if pdf[header_end + 1 : header_end + 2] == b"%":
        yield "binary comment line", _flip(pdf, header_end + 2, 0x80)
        yield "binary comment line end", _flip(pdf, second_end - 1, 0x80)
    for match in _OBJECT.finditer(pdf):
        number = match.group(1).decode()
        body_start = match.end()
        body_end = pdf.index(b"endobj", body_start)
        yield (
            f"object {number}: number",
            _put(pdf, match.start(1) + len(number) - 1, b"9" if number[-1] != "9" else b"8"),
        )
        yield f"object {number}: generation", _put(pdf, match.start(2), b"1")
        for label, pos in (("first", body_start + 1), ("middle", (body_start + body_end) // 2), ("last", body_end - 2)):
            yield f"object {number}: {label} byte of the body", _flip(pdf, pos)
        yield f"object {number}: endobj", _flip(pdf, body_end + 1)
    yield from _signature_dictionary_variants(pdf)
    yield from _cms_variants(pdf)
    yield from _xref_variants(pdf)
    eof = pdf.rindex(b"%%EOF")
    yield "%%EOF marker", _flip(pdf, eof + 2)
    yield "appended newline", pdf + b"\n"
    yield "appended comment", pdf + b"%comment\n"
    yield "appended object", pdf + b"99 0 obj\n<< /Type /Annot >>\nendobj\n"
    yield "truncated by one byte", pdf[:-1]
    yield "truncated after startxref", pdf[: pdf.rindex(b"startxref")]


def _byte_range(pdf: bytes) -> tuple[re.Match[bytes], list[int]]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert match is not None, "no signature dictionary"
    return match, [int(g) for g in match.groups()]


def _signature_dictionary_variants(pdf: bytes) -> Iterator[Variant]:
    match, (_, length1, start2, _) = _byte_range(pdf)
    sig_start = pdf.rindex(b" obj", 0, match.start())
    sig_end = pdf.index(b"endobj", match.end())
    for group in range(1, 5):
        pos = match.start(group) + len(match.group(group)) - 1
        yield f"signature dictionary: ByteRange number {group}", _put(pdf, pos, _other_digit(pdf[pos]))
    # Every name and every value outside /Contents: a name's second character, and the byte after it.
    for name in re.finditer(rb"/([A-Za-z]+)", pdf[sig_start:sig_end]):
        pos = sig_start + name.start(1)
        if length1 <= pos < start2:
            continue
        yield f"signature dictionary: name /{name.group(1).decode()}", _flip(pdf, pos + 1, 0x20)
        after = sig_start + name.end()
        if not length1 <= after + 1 < start2:
            yield f"signature dictionary: value after /{name.group(1).decode()}", _flip(pdf, after + 1)
    # The gap: its delimiters, and its encoding (white space and the other case decode to the same bytes).
    yield "gap: opening <", _flip(pdf, length1)
    yield "gap: closing >", _flip(pdf, start2 - 1)
    yield "gap: last two hex digits as spaces", _put(pdf, start2 - 3, b"  ")
    letter = next(i for i in range(length1 + 1, start2 - 1) if pdf[i : i + 1].isalpha())
    yield "gap: one hex letter in the other case", _put(pdf, letter, pdf[letter : letter + 1].swapcase())


def _tlv(der: bytes, pos: int) -> tuple[int, int]:
    """``(content start, content end)`` of the DER value whose tag is at ``pos``."""
    length = der[pos + 1]
    head = 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(der[pos + 2 : pos + 2 + count], "big")
        head += count
    return pos + head, pos + head + length


def _wraps_der(der: bytes, start: int, end: int) -> bool:
    """True when ``[start, end)`` is a run of whole DER values (an OCTET STRING wrapping a TSTInfo, say)."""
    pos = start
    try:
        while pos < end:
            if der[pos] == 0:
                return False
            pos = _tlv(der, pos)[1]
    except IndexError:
        return False
    return pos == end and end > start


def _der_nodes(der: bytes, start: int, end: int, depth: int = 0) -> Iterator[tuple[int, int, int, int]]:
    """``(depth, tag position, content start, content end)`` of each DER value, constructed ones descended
    (and OCTET STRINGs that wrap DER, like a token's TSTInfo)."""
    pos = start
    while pos < end:
        content, stop = _tlv(der, pos)
        yield depth, pos, content, stop
        if der[pos] & 0x20 or (der[pos] == 0x04 and _wraps_der(der, content, stop)):
            yield from _der_nodes(der, content, stop, depth + 1)
        pos = stop


def _cms_variants(pdf: bytes) -> Iterator[Variant]:
    _, (_, length1, start2, _) = _byte_range(pdf)
    hex_start = length1 + 1
    der = bytes.fromhex(pdf[hex_start : start2 - 1].decode())
    cms_end = _tlv(der, 0)[1]
    nodes = list(_der_nodes(der, 0, cms_end))

    def at(offset: int, new_byte: int) -> bytes:
        return _put(pdf, hex_start + 2 * offset, f"{new_byte:02X}".encode())

    # Every value down to depth 3 (the SignedData's fields and the SignerInfo's), then an even sample of the rest.
    shallow = [n for n in nodes if n[0] <= 3]
    deep = [n for n in nodes if n[0] > 3]
    picked = shallow + [deep[i] for i in _spread(0, len(deep), 60)]
    for depth, tag_pos, content, end in picked:
        where = f"CMS value at {tag_pos} (depth {depth})"
        yield f"{where}: tag", at(tag_pos, der[tag_pos] ^ 0x01)
        yield f"{where}: length", at(tag_pos + 1, der[tag_pos + 1] ^ 0x01)
        if end > content:
            yield f"{where}: first content byte", at(content, der[content] ^ 0x01)
            yield f"{where}: last content byte", at(end - 1, der[end - 1] ^ 0x80)
    for pos in _spread(cms_end, len(der), 4):
        yield f"zero padding byte {pos - cms_end}", at(pos, 0x01)


def _xref_variants(pdf: bytes) -> Iterator[Variant]:
    for section in re.finditer(rb"\bxref\r?\n", pdf):
        trailer = pdf.index(b"trailer", section.end())
        for entry in re.finditer(rb"(\d{10}) (\d{5}) ([nf])", pdf[section.end() : trailer]):
            pos = section.end() + entry.start()
            yield (
                f"xref at {section.start()}: entry offset {entry.group(1).decode()}",
                _put(pdf, pos + 9, _other_digit(pdf[pos + 9])),
            )
            yield (
                f"xref at {section.start()}: entry kind",
                _put(pdf, pos + 17, b"f" if entry.group(3) == b"n" else b"n"),
            )
        for sub in re.finditer(rb"^(\d+) (\d+)\r?$", pdf[section.end() : trailer], re.M):
            pos = section.end() + sub.end(2) - 1
            yield f"xref at {section.start()}: subsection count", _put(pdf, pos, _other_digit(pdf[pos]))
        end = pdf.index(b"startxref", trailer)
        for key in re.finditer(rb"/(\w+)", pdf[trailer:end]):
            pos = trailer + key.start(1)
            yield f"trailer at {trailer}: /{key.group(1).decode()}", _flip(pdf, pos + 1, 0x20)
        number = re.match(rb"startxref\s+(\d+)", pdf[end:])
        assert number is not None
        pos = end + number.end(1) - 1
        yield f"startxref at {end}", _put(pdf, pos, _other_digit(pdf[pos]))


# --------------------------------------------------------------------------------------------
# Proof bundle (JSON)
# --------------------------------------------------------------------------------------------

# Reformatting changes no value: JSON white space and key order mean nothing, and the statement is hashed in its
# RFC 8785 canonical form, not as written. These variants must keep verifying.
TOLERATED_BUNDLE = {
    "reformatted: compact": "JSON white space carries no meaning; the statement is hashed in canonical form",
    "reformatted: keys in reverse order": "JSON key order carries no meaning; the statement is hashed canonically",
}


def bundle_variants(bundle: dict[str, Any]) -> Iterator[Variant]:
    """Every field of the bundle changed, removed and given another type (and every key renamed), the proof
    text and the token changed inside, plus a repeated key and two harmless reformattings."""
    original = _dump(bundle)
    return _unique(original, _bundle_variants(bundle))


def _dump(value: Any, **kwargs: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, **kwargs).encode()


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*path, key)
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield (*path, i)
            yield from _paths(child, (*path, i))


def _edit(bundle: dict[str, Any], path: tuple[Any, ...], change: Callable[[Any, Any], None]) -> bytes:
    copied = copy.deepcopy(bundle)
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    change(parent, path[-1])
    return _dump(copied)


def _changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        if not value:
            return "x"
        middle = len(value) // 2
        return value[:middle] + ("A" if value[middle] != "A" else "B") + value[middle + 1 :]
    if isinstance(value, list):
        return value[:-1] if value else ["x"]
    if isinstance(value, dict):
        return {**value, "extra": 1}
    return "x"


def _retyped(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return 0


def _bundle_variants(bundle: dict[str, Any]) -> Iterator[Variant]:
    for path in _paths(bundle):
        name = "/".join(map(str, path))

        def assign(new: Any) -> Callable[[Any, Any], None]:
            def change(parent: Any, key: Any) -> None:
                parent[key] = new

            return change

        value = bundle
        for step in path:
            value = value[step]
        yield f"{name}: changed", _edit(bundle, path, assign(_changed(value)))
        yield f"{name}: other type", _edit(bundle, path, assign(_retyped(value)))
        yield f"{name}: null", _edit(bundle, path, assign(None))
        yield f"{name}: removed", _edit(bundle, path, lambda parent, key: parent.pop(key))
        if isinstance(path[-1], str):

            def rename(parent: Any, key: Any) -> None:
                parent[key + "_"] = parent.pop(key)

            yield f"{name}: key renamed", _edit(bundle, path, rename)
        else:
            yield f"{name}: repeated", _edit(bundle, path, lambda parent, key: parent.insert(key, parent[key]))
    yield "top level: extra field", _dump({**bundle, "note": "x"})
    yield from _proof_text_variants(bundle)
    yield from _token_variants(bundle)
    # A repeated key: parsers differ on which value wins, so a bundle must not have one.
    text = _dump(bundle)
    yield "repeated key: format", b'{"format": "artrights-proof/v1", ' + text[1:]
    yield "reformatted: compact", _dump(bundle, separators=(",", ":"))
    yield "reformatted: keys in reverse order", _dump(dict(reversed(list(bundle.items()))))


def _proof_text_variants(bundle: dict[str, Any]) -> Iterator[Variant]:
    """Each line of the tlog-proof text (header, index, hashes, checkpoint, signatures) changed or dropped."""
    text = bundle["log"]["tlog_proof"]
    lines = text.split("\n")
    for i, line in enumerate(lines):
        for label, new_line in (("changed", _changed(line) if line else "x"), ("dropped", None)):
            edited = lines[:i] + ([new_line] if new_line is not None else []) + lines[i + 1 :]
            copied = copy.deepcopy(bundle)
            copied["log"]["tlog_proof"] = "\n".join(edited)
            yield f"log/tlog_proof line {i} {label}", _dump(copied)


def _token_variants(bundle: dict[str, Any]) -> Iterator[Variant]:
    """The RFC 3161 response changed byte by byte (sampled), including the TSA certificate it embeds."""
    token = base64.b64decode(bundle["timestamp"]["token"])
    for pos in _spread(0, len(token), 48):
        copied = copy.deepcopy(bundle)
        copied["timestamp"]["token"] = base64.b64encode(_flip(token, pos)).decode()
        yield f"timestamp/token byte {pos}", _dump(copied)
    chain = bundle["timestamp"]["tsa_chain"]
    for i, pem in enumerate(chain):
        der = base64.b64decode("".join(pem.strip().splitlines()[1:-1]))
        for pos in _spread(0, len(der), 6):
            damaged = base64.encodebytes(_flip(der, pos)).decode()
            copied = copy.deepcopy(bundle)
            copied["timestamp"]["tsa_chain"][i] = f"-----BEGIN CERTIFICATE-----\n{damaged}-----END CERTIFICATE-----\n"
            yield f"timestamp/tsa_chain/{i} certificate byte {pos}", _dump(copied)
    # The TSA certificate the token carries, damaged where it still parses: only the supplied copy vouches.
    embedded = _embedded_certificate(token)
    if embedded is not None:
        start, end = embedded
        for pos in _spread(start + 64, end - 80, 6):
            copied = copy.deepcopy(bundle)
            copied["timestamp"]["token"] = base64.b64encode(_flip(token, pos)).decode()
            yield f"timestamp/token embedded TSA certificate byte {pos}", _dump(copied)


def _embedded_certificate(token: bytes) -> tuple[int, int] | None:
    """Where the first certificate of the token's SignedData.certificates ([0] IMPLICIT) lies."""
    for depth, pos, content, end in _der_nodes(token, 0, len(token)):
        if token[pos] == 0xA0 and depth >= 3 and token[content] == 0x30:
            inner = next(_der_nodes(token, content, end))
            return inner[1], inner[3]
    return None


# --------------------------------------------------------------------------------------------
# Signed image (PNG with a C2PA manifest store)
# --------------------------------------------------------------------------------------------


def _png_chunks(png: bytes) -> list[tuple[bytes, int, int]]:
    """``(type, start, end)`` of each chunk (start at its length field, end after its CRC)."""
    chunks, pos = [], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        chunks.append((png[pos + 4 : pos + 8], pos, pos + 12 + length))
        pos += 12 + length
    return chunks


def fix_png_crcs(png: bytes) -> bytes:
    """Recompute every chunk's CRC, as a tamperer would to keep the file well-formed."""
    out = bytearray(png)
    for _kind, start, end in _png_chunks(png):
        out[end - 4 : end] = struct.pack(">I", zlib.crc32(bytes(out[start + 4 : end - 4])))
    return bytes(out)


def _store_span(png: bytes) -> tuple[int, int]:
    (_kind, start, end) = next(c for c in _png_chunks(png) if c[0] == b"caBX")
    return start + 8, end - 4


def _jumbf(store: bytes, pos: int, end: int, path: str) -> Iterator[tuple[str, int, int, bytes]]:
    """``(path, start, end, type)`` of every JUMBF box below ``[pos, end)`` (offsets in the store)."""
    while pos < end:
        length, kind = struct.unpack(">I4s", store[pos : pos + 8])
        label = ""
        if kind == b"jumb":
            desc = pos + 8
            toggles = store[desc + 8 + 16]
            if toggles & 0x02:
                label_start = desc + 8 + 17
                label = store[label_start : store.index(b"\x00", label_start)].decode()
        here = f"{path}/{label or kind.decode()}"
        yield here, pos, pos + length, kind
        if kind == b"jumb":
            yield from _jumbf(store, pos + 8, pos + length, here)
        pos += length


def image_variants(png: bytes, other_png: bytes) -> Iterator[Variant]:
    """Every box of the manifest store (length, type, description UUID, toggles, label, private box, contents),
    each field of the claim, each field of the COSE claim signature (protected header, certificate, signature
    value, token, padding, unknown fields, encoding), the token swapped for ``other_png``'s, and the PNG framing.
    The caBX chunk's CRC is recomputed after each change (a tamperer would), except where the CRC is the change."""
    return _unique(png, _image_variants(png, other_png))


def _image_variants(png: bytes, other_png: bytes) -> Iterator[Variant]:
    store_start, store_end = _store_span(png)
    store = png[store_start:store_end]

    def in_store(offset: int, new: bytes) -> bytes:
        return fix_png_crcs(_put(png, store_start + offset, new))

    def flip_store(offset: int, mask: int = 0x01) -> bytes:
        return in_store(offset, bytes([store[offset] ^ mask]))

    for path, start, end, kind in _jumbf(store, 0, len(store), ""):
        yield f"box {path}: length", in_store(start + 3, bytes([store[start + 3] ^ 0x01]))
        yield f"box {path}: type", flip_store(start + 4 + 1, 0x20)
        if kind == b"jumd":
            yield f"box {path}: UUID", flip_store(start + 8)
            yield f"box {path}: UUID suffix", flip_store(start + 8 + 15)
            yield f"box {path}: toggles", flip_store(start + 8 + 16, 0x04)
            label_start = start + 8 + 17
            label_end = store.index(b"\x00", label_start)
            yield f"box {path}: label first character", flip_store(label_start, 0x01)
            yield f"box {path}: label last character", flip_store(label_end - 1, 0x01)
            yield f"box {path}: label terminator", in_store(label_end, b"x")
            if label_end + 1 < end:
                yield f"box {path}: private box", flip_store(label_end + 1 + 8 + 2)
                yield f"box {path}: private box last byte", flip_store(end - 1)
        elif kind != b"jumb":
            for pos in _spread(start + 8, end, 3):
                yield f"box {path}: content byte {pos - start - 8}", flip_store(pos)
    yield from _claim_variants(png, store_start, store)
    yield from _signature_variants(png, other_png, store_start, store)
    yield from _png_framing_variants(png)


def _content_of(store: bytes, label: str) -> tuple[int, int]:
    """Where the contents of the one content box of the superbox labelled ``label`` lie."""
    for path, start, end, kind in _jumbf(store, 0, len(store), ""):
        if path.endswith(f"/{label}/cbor") and kind == b"cbor":
            return start + 8, end
    raise AssertionError(f"no {label} box")


def token_of(png: bytes) -> bytes:
    """The RFC 3161 token in the claim signature of a signed PNG."""
    store = png[slice(*_store_span(png))]
    start, end = _content_of(store, "c2pa.signature")
    return bytes(cbor2.loads(store[start:end]).value[1]["sigTst2"]["tstTokens"][0]["val"])


def with_token_of(png: bytes, other_png: bytes) -> bytes:
    """``png`` with the RFC 3161 token of ``other_png``'s signature in place of its own (padding resized)."""
    return next(data for name, data in image_variants(png, other_png) if name == "token swapped for another image's")


def _claim_variants(png: bytes, store_start: int, store: bytes) -> Iterator[Variant]:
    """Each field of the claim: a byte of its key and the first byte of its value, in place."""
    start, end = _content_of(store, "c2pa.claim.v2")
    claim = store[start:end]
    for key in cbor2.loads(claim):
        encoded = cbor2.dumps(key)
        pos = claim.index(encoded)
        yield f"claim field {key}: key", fix_png_crcs(_flip(png, store_start + start + pos + len(encoded) - 1))
        yield f"claim field {key}: value", fix_png_crcs(_flip(png, store_start + start + pos + len(encoded)))


def _signature_variants(png: bytes, other_png: bytes, store_start: int, store: bytes) -> Iterator[Variant]:
    start, end = _content_of(store, "c2pa.signature")
    cose = store[start:end]
    sign1 = cbor2.loads(cose)
    protected, unprotected, _payload, signature = sign1.value
    token = unprotected["sigTst2"]["tstTokens"][0]["val"]

    def at(offset: int, mask: int = 0x01) -> bytes:
        return fix_png_crcs(_flip(png, store_start + start + offset, mask))

    def rebuilt(new_unprotected: dict[str, Any], name: str, *, signature_value: bytes = signature) -> Variant:
        """The signature re-encoded with ``new_unprotected``, the padding resized to keep its length."""
        fields = dict(new_unprotected)
        pad = fields.pop("pad", b"")

        def encoded(size: int) -> bytes:
            return bytes(
                cbor2.dumps(cbor2.CBORTag(18, [protected, {**fields, "pad": bytes(size)}, None, signature_value]))
            )

        estimate = len(pad) + len(cose) - len(encoded(len(pad)))
        for size in range(max(0, estimate - 4), estimate + 5):
            candidate = encoded(size)
            if len(candidate) == len(cose):
                return name, fix_png_crcs(_put(png, store_start + start, candidate))
        raise AssertionError(f"cannot keep the signature's length for {name}")

    protected_pos = cose.index(protected)
    for pos in _spread(protected_pos, protected_pos + len(protected), 12):
        yield f"signature protected header byte {pos - protected_pos}", at(pos)
    signature_pos = cose.rindex(signature)
    yield "signature value first byte", at(signature_pos)
    yield "signature value last byte", at(signature_pos + len(signature) - 1)
    token_pos = cose.index(token)
    for pos in _spread(token_pos, token_pos + len(token), 40):
        yield f"signature token byte {pos - token_pos}", at(pos)
    pad_pos = cose.rindex(unprotected["pad"])
    for pos in _spread(pad_pos, pad_pos + len(unprotected["pad"]), 5):
        yield f"signature padding byte {pos - pad_pos}", at(pos)
    yield "signature padding length header", at(pad_pos - 1)
    for key in ("sigTst2", "pad", "tstTokens", "val"):
        pos = cose.index(cbor2.dumps(key))
        yield f"signature field name {key}", at(pos + 2, 0x20)
    # Whole-field rewrites, keeping the signature box's size (the padding absorbs the difference).
    yield rebuilt(
        {**unprotected, "sigTst2": {"tstTokens": [{"val": token_of(other_png)}]}}, "token swapped for another image's"
    )
    yield rebuilt({k: v for k, v in unprotected.items() if k != "sigTst2"}, "token removed")
    yield rebuilt({**unprotected, "sigTst2": {"tstTokens": [{"val": token}, {"val": token}]}}, "token given twice")
    yield rebuilt({**unprotected, "note": "x"}, "unknown unprotected field")
    yield rebuilt({**unprotected, "pad2": b"\x00\x00"}, "second padding field")
    yield rebuilt({**unprotected, "sigTst": unprotected["sigTst2"]}, "token also as a v1 sigTst")
    yield rebuilt({"pad": b"", **unprotected}, "fields reordered")
    # The same value in a longer encoding: the signature's length in two bytes, the padding one byte shorter.
    pad = unprotected["pad"]
    longer = cose.replace(cbor2.dumps(pad), cbor2.dumps(pad[:-1]), 1).replace(
        cbor2.dumps(signature), b"\x59" + len(signature).to_bytes(2, "big") + signature, 1
    )
    assert len(longer) == len(cose)
    yield "signature value in a longer CBOR encoding", fix_png_crcs(_put(png, store_start + start, longer))


def _png_framing_variants(png: bytes) -> Iterator[Variant]:
    chunks = _png_chunks(png)
    yield "PNG signature", _flip(png, 1)
    for kind, start, end in chunks:
        name = kind.decode()
        yield f"chunk {name}: length", fix_png_crcs(_flip(png, start + 3))
        yield f"chunk {name}: type", fix_png_crcs(_flip(png, start + 5, 0x20))
        if end - start > 12:
            yield f"chunk {name}: first data byte", fix_png_crcs(_flip(png, start + 8))
            yield f"chunk {name}: last data byte", fix_png_crcs(_flip(png, end - 5))
        yield f"chunk {name}: CRC left stale", _flip(png, end - 1)
    store_chunk = next(c for c in chunks if c[0] == b"caBX")
    yield "caBX chunk repeated", png[: store_chunk[2]] + png[store_chunk[1] : store_chunk[2]] + png[store_chunk[2] :]
    yield "bytes after IEND", png + b"\x00"
    yield "truncated", png[:-1]


# --------------------------------------------------------------------------------------------
# Signed image (JPEG): the APP11 framing that carries the store across segments
# --------------------------------------------------------------------------------------------


def jpeg_framing_variants(jpeg: bytes) -> Iterator[Variant]:
    """Each APP11 segment's length, common identifier, box instance and sequence number, and the box header every
    segment after the first repeats; two segments swapped."""
    return _unique(jpeg, _jpeg_framing_variants(jpeg))


def _jpeg_framing_variants(jpeg: bytes) -> Iterator[Variant]:
    segments = []
    pos = 2
    while jpeg[pos] == 0xFF and jpeg[pos + 1] not in (0xDA, 0xD9):
        (length,) = struct.unpack(">H", jpeg[pos + 2 : pos + 4])
        if jpeg[pos + 1] == 0xEB and jpeg[pos + 4 : pos + 6] == b"JP":
            segments.append((pos, pos + 2 + length))
        pos += 2 + length
    for i, (start, end) in enumerate(segments):
        yield f"APP11 segment {i}: length", _flip(jpeg, start + 3)
        yield f"APP11 segment {i}: common identifier", _flip(jpeg, start + 5)
        yield f"APP11 segment {i}: box instance", _flip(jpeg, start + 7)
        yield f"APP11 segment {i}: sequence number", _flip(jpeg, start + 11)
        yield f"APP11 segment {i}: box length", _flip(jpeg, start + 15)
        yield f"APP11 segment {i}: box type", _flip(jpeg, start + 17, 0x20)
        yield f"APP11 segment {i}: last byte", _flip(jpeg, end - 1)
    if len(segments) > 1:
        (a_start, a_end), (b_start, b_end) = segments[0], segments[1]
        yield "APP11 segments swapped", jpeg[:a_start] + jpeg[b_start:b_end] + jpeg[a_start:a_end] + jpeg[b_end:]
