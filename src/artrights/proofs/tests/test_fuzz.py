"""Property-based fuzzing of every parser a verifier runs on bytes it was handed (hypothesis).

Whatever the bytes, each parser either succeeds or raises the error type it declares (the verifier as a whole
always answers with a verdict): a relying party must never see a traceback, and a hostile file must not be
able to pick which code path handles it by raising something unexpected. Inputs are random and, more usefully,
valid artefacts with random damage, so the fuzzing reaches past the first length check.

Bounded for CI: ``max_examples`` per property (``ARTRIGHTS_FUZZ_EXAMPLES`` scales them, e.g. 10 for a soak of
ten times as many), a per-example deadline, no example database on disk, and on CI a fixed seed so a failure
repeats.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import json
import os
import zlib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from artrights import verify
from artrights.core import images
from artrights.proofs import content_credentials as cc
from artrights.proofs import jumbf, note, rfc3161, statements, tiles, tlog
from artrights.proofs.bundle import BundleFormatError, dump_bundle, load_bundle, load_openings_file
from artrights.proofs.tests.proofkit import Kit, sample_image
from artrights.proofs.verification import Verdict, verify_bundle

SCALE = float(os.environ.get("ARTRIGHTS_FUZZ_EXAMPLES", "1"))
# Pillow warns about the damaged EXIF blocks the fuzzing makes; the warning is the point, not a failure.
pytestmark = pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")


def fuzz(examples: int, seconds: float = 2.0) -> settings:
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=dt.timedelta(seconds=seconds),
        database=None,
        derandomize=os.environ.get("CI") == "true",
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module")
def kit() -> Kit:
    return Kit.new()


@pytest.fixture(scope="module")
def issued(kit: Kit) -> tuple[bytes, dict[str, Any]]:
    original = sample_image(31)
    statement, openings = kit.statement(image=original, iscc=cc.iscc_image_code(original))
    return original, kit.register(statement, openings)


@pytest.fixture(scope="module")
def bundle(issued: tuple[bytes, dict[str, Any]]) -> dict[str, Any]:
    return issued[1]


@pytest.fixture(scope="module")
def signed_image(kit: Kit, issued: tuple[bytes, dict[str, Any]]) -> bytes:
    original, bundle = issued
    return cc.sign_image(original, bundle=bundle, signer=kit.signing, timestamper=kit.timestamper)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=24,
)


def _fix_png_crcs(png: bytes) -> bytes:
    """Every chunk's CRC recomputed, as a tamperer keeps a damaged PNG well-formed."""
    out, pos = bytearray(png), 8
    while pos + 12 <= len(out):
        length = int.from_bytes(out[pos : pos + 4], "big")
        end = pos + 12 + length
        if end > len(out):
            break
        out[end - 4 : end] = zlib.crc32(bytes(out[pos + 4 : end - 4])).to_bytes(4, "big")
        pos = end
    return bytes(out)


def _damaged(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        out[position % len(out)] = value
    return bytes(out)


EDITS = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=4)


# --- bundles ---------------------------------------------------------------------------------


@fuzz(300)
@given(data=st.binary(max_size=300) | JSON.map(lambda v: json.dumps(v).encode()))
def test_loading_any_bytes_as_a_bundle_succeeds_or_raises_a_bundle_format_error(data: bytes) -> None:
    try:
        assert isinstance(load_bundle(data), dict)
    except BundleFormatError as exc:
        assert exc.message_zh and exc.message_en


@fuzz(40)
@given(depth=st.integers(min_value=32, max_value=5000), kind=st.sampled_from(["[", '{"a":']))
def test_nesting_of_any_depth_is_refused_in_both_languages_past_the_limit(depth: int, kind: str) -> None:
    closing = "]" if kind == "[" else "}"
    data = ("{" + '"a":' + kind * depth + "1" + closing * depth + "}").encode()
    with pytest.raises(BundleFormatError) as caught:
        load_bundle(data)
    assert caught.value.code == "too_deep"


@fuzz(150)
@given(path=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=5), value=JSON)
def test_a_bundle_with_any_field_replaced_gets_a_verdict(kit: Kit, bundle: dict[str, Any], path, value) -> None:
    mutated = copy.deepcopy(bundle)
    node: Any = mutated
    for step in path[:-1]:
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        if not children or not isinstance(children[step % len(children)][1], dict | list):
            break
        node = children[step % len(children)][1]
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    if keys:
        node[keys[path[-1] % len(keys)]] = value

    verdict = verify_bundle(mutated, trust=kit.trust)

    assert isinstance(verdict, Verdict)
    assert verdict.ok == (mutated == bundle) or verdict.failed_check is not None


@fuzz(100)
@given(value=JSON)
def test_an_openings_file_of_any_shape_is_read_or_refused_with_a_value_error(value: Any) -> None:
    try:
        load_openings_file(json.dumps(value).encode())
    except ValueError:
        pass


# --- RFC 3161 --------------------------------------------------------------------------------


@fuzz(200)
@given(blob=st.binary(max_size=400))
def test_any_bytes_as_a_timestamp_raise_only_timestamp_errors(kit: Kit, blob: bytes) -> None:
    with pytest.raises(rfc3161.TimestampError):
        rfc3161.verify(blob, data=b"x", trusted_roots=kit.trust.tsa_roots)


@pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")
@fuzz(200)
@given(edits=EDITS)
def test_a_damaged_token_verifies_or_raises_a_timestamp_error(kit: Kit, bundle: dict[str, Any], edits) -> None:
    token = _damaged(base64.b64decode(bundle["timestamp"]["token"]), edits)
    try:
        rfc3161.verify(token, data=statements.leaf_data(bundle["statement"]), trusted_roots=kit.trust.tsa_roots)
    except rfc3161.TimestampError as exc:
        assert exc.check in rfc3161.CHECKS


@fuzz(150)
@given(blob=st.binary(max_size=200))
def test_any_bytes_as_a_timestamp_request_raise_only_request_errors(blob: bytes) -> None:
    try:
        rfc3161.parse_request(blob)
    except rfc3161.RequestError:
        pass


# --- signed notes, checkpoints, tlog-proofs, tiles -------------------------------------------


@fuzz(200)
@given(text=st.text(max_size=300) | st.binary(max_size=300))
def test_any_note_text_opens_or_raises_a_note_error(kit: Kit, text: str | bytes) -> None:
    try:
        note.open_note(text, kit.trust.log_verifiers)
    except note.NoteError:
        pass
    if isinstance(text, str):
        try:
            note.parse_checkpoint(text)
        except note.NoteError:
            pass


@fuzz(200)
@given(edits=EDITS)
def test_a_damaged_signed_checkpoint_opens_or_raises_a_note_error(kit: Kit, bundle: dict[str, Any], edits) -> None:
    signed = tlog.parse_tlog_proof(bundle["log"]["tlog_proof"]).signed_checkpoint.encode()
    try:
        note.open_checkpoint(_damaged(signed, edits), kit.trust.log_verifiers, origin=kit.trust.origin)
    except note.NoteError:
        pass


@fuzz(150)
@given(key=st.text(max_size=120) | st.from_regex(r"[a-z./]{1,20}\+[0-9a-f]{8}\+[A-Za-z0-9+/=]{0,60}", fullmatch=True))
def test_any_verifier_key_text_is_read_or_raises_a_note_error(key: str) -> None:
    try:
        note.new_verifier(key)
    except note.NoteError:
        pass


@fuzz(200)
@given(text=st.text(max_size=300) | st.binary(max_size=300))
def test_any_tlog_proof_text_parses_or_raises_a_tlog_proof_error(text: str | bytes) -> None:
    try:
        tlog.parse_tlog_proof(text)
    except tlog.TlogProofError:
        pass


@fuzz(200)
@given(edits=EDITS)
def test_a_damaged_tlog_proof_parses_or_raises_a_tlog_proof_error(bundle: dict[str, Any], edits) -> None:
    try:
        tlog.parse_tlog_proof(_damaged(bundle["log"]["tlog_proof"].encode(), edits))
    except tlog.TlogProofError:
        pass


@fuzz(300)
@given(path=st.text(alphabet="0123456789x/.pentrisl", max_size=40) | st.text(max_size=40))
def test_any_tile_path_parses_or_raises_a_tile_error(path: str) -> None:
    try:
        tile = tiles.parse_tile_path(path)
    except tiles.TileError:
        return
    assert tiles.parse_tile_path(tile.path()) == tile


@fuzz(200)
@given(data=st.binary(max_size=300), width=st.none() | st.integers(min_value=0, max_value=256))
def test_any_entry_bundle_decodes_or_raises_a_tile_error(data: bytes, width: int | None) -> None:
    try:
        tiles.decode_entry_bundle(data, width)
    except tiles.TileError:
        pass


# --- images and their content credentials ----------------------------------------------------

IMAGE_HEADERS = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBP", b"II*\x00", b"MM\x00*"]


@fuzz(200)
@given(head=st.sampled_from([b"", *IMAGE_HEADERS]), tail=st.binary(max_size=200))
def test_any_image_header_is_read_or_refused_with_an_image_rejection(head: bytes, tail: bytes) -> None:
    try:
        images.open_image(head + tail)
    except images.ImageRejected as exc:
        assert exc.message_zh and exc.message_en
    try:
        cc.image_mime(head + tail)
    except cc.ContentCredentialsError:
        pass


@fuzz(150)
@given(edits=EDITS)
def test_a_damaged_png_header_is_read_or_refused_with_an_image_rejection(edits) -> None:
    png = sample_image(3)
    head = _damaged(png[:64], edits) + png[64:]
    try:
        images.open_image(head)
    except images.ImageRejected:
        pass


@fuzz(200)
@given(data=st.binary(max_size=400), mime=st.sampled_from(["image/png", "image/jpeg", "image/webp", "image/gif"]))
def test_any_bytes_as_a_manifest_store_raise_only_manifest_store_errors(data: bytes, mime: str) -> None:
    try:
        jumbf.parse_store(data)
    except jumbf.ManifestStoreError:
        pass
    try:
        jumbf.manifest_store(data, mime)
    except jumbf.ManifestStoreError:
        pass


@fuzz(150)
@given(edits=EDITS)
def test_a_damaged_manifest_store_parses_or_raises_a_manifest_store_error(signed_image: bytes, edits) -> None:
    store = jumbf.manifest_store(signed_image, "image/png")
    try:
        jumbf.parse_store(_damaged(store, edits))
    except jumbf.ManifestStoreError:
        pass


@fuzz(40, seconds=5)
@given(edits=EDITS, where=st.sampled_from(["anywhere", "signature", "claim"]))
def test_a_damaged_signed_image_gets_a_verdict(kit: Kit, signed_image: bytes, edits, where: str) -> None:
    offset = 0
    if where != "anywhere":
        marker = b"jumdc2cs" if where == "signature" else b"jumdc2cl"
        offset = signed_image.index(marker)
    span = len(signed_image) - offset
    damaged = _fix_png_crcs(_damaged(signed_image, [(offset + p % span, v) for p, v in edits]))
    try:
        cc.claim_signature(damaged)
    except cc.ContentCredentialsError:
        pass

    verdict = verify.verify_bytes(damaged, kit.trust)

    assert isinstance(verdict, Verdict)
    assert verdict.ok == (damaged == signed_image) or verdict.failed_check is not None


# --- the verifier as a whole -----------------------------------------------------------------


@fuzz(150, seconds=5)
@given(head=st.sampled_from([b"", b"%PDF-1.7\n", b"{", *IMAGE_HEADERS]), tail=st.binary(max_size=300))
def test_the_verifier_answers_any_file_with_a_verdict(kit: Kit, head: bytes, tail: bytes) -> None:
    verdict = verify.verify_bytes(head + tail, kit.trust)
    assert not verdict.ok and verdict.failed_check and verdict.message_zh and verdict.message_en


@fuzz(60)
@given(value=JSON)
def test_the_verifier_answers_any_json_with_a_verdict(kit: Kit, value: Any) -> None:
    verdict = verify.verify_bytes(json.dumps({"format": "artrights-proof/v2", "x": value}).encode(), kit.trust)
    assert not verdict.ok and verdict.failed_check == "statement"


@fuzz(60)
@given(edits=EDITS)
def test_a_damaged_bundle_file_gets_a_verdict(kit: Kit, bundle: dict[str, Any], edits) -> None:
    data = dump_bundle(bundle)
    verdict = verify.verify_bytes(_damaged(data, edits), kit.trust)
    assert isinstance(verdict, Verdict)
