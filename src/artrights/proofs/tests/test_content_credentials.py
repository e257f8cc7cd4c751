"""ISCC image codes and C2PA manifests carrying the proof bundle (no database)."""

from __future__ import annotations

import io
import os
import struct
import zlib
from typing import Any

import iscc_core
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from artrights.proofs import content_credentials as cc
from artrights.proofs.tests.proofkit import Kit, sample_image


@pytest.fixture(scope="module")
def kit() -> Kit:
    return Kit.new()


@pytest.fixture(scope="module")
def original() -> bytes:
    return sample_image(7)


@pytest.fixture(scope="module")
def registered(kit: Kit, original: bytes) -> dict[str, Any]:
    statement, openings = kit.statement(image=original, iscc=cc.iscc_image_code(original))
    return kit.register(statement, openings)


@pytest.fixture(scope="module")
def signed(kit: Kit, original: bytes, registered: dict[str, Any]) -> bytes:
    return cc.sign_image(original, bundle=registered, signer=kit.signing)


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        chunks.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return chunks


def png_from_chunks(chunks: list[tuple[bytes, bytes]]) -> bytes:
    out = bytearray(b"\x89PNG\r\n\x1a\n")
    for kind, body in chunks:
        out += struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return bytes(out)


# --- ISCC ------------------------------------------------------------------------------------


def test_the_iscc_code_is_a_64_bit_content_code_image(original: bytes) -> None:
    code = cc.iscc_image_code(original)
    assert code.startswith("ISCC:EE")
    maintype, subtype, _version, length, _digest = iscc_core.iscc_decode(code)
    assert (maintype, subtype) == (iscc_core.MT.CONTENT, iscc_core.ST_CC.IMAGE)
    assert iscc_core.decode_length(maintype, length) == 64


def gradient() -> Image.Image:
    # A diagonal gradient that reaches every edge: no border to trim.
    img = Image.new("L", (64, 64))
    img.putdata([(3 * x + 2 * y) % 256 for y in range(64) for x in range(64)])
    return img


def test_the_iscc_code_hashes_the_32_by_32_grayscale_thumbnail() -> None:
    img = gradient()
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    pixels = list(img.resize((32, 32), resample=Image.Resampling.BICUBIC).tobytes())
    assert cc.iscc_image_code(buf.getvalue()) == iscc_core.gen_image_code_v0(pixels)["iscc"]


PIXELS = st.binary(min_size=1024, max_size=1024).map(list)
FLAT = st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 1023)).map(
    lambda t: [t[0]] * t[2] + [t[1]] * (1024 - t[2])  # two flat areas: DCT values near their median
)


@settings(max_examples=200, deadline=None, database=None, derandomize=os.environ.get("CI") == "true")
@given(pixels=PIXELS | FLAT)
def test_the_iscc_code_is_the_iscc_libraries_bit_for_bit(pixels: list[int]) -> None:
    assert cc.iscc_code_of_pixels(pixels) == iscc_core.gen_image_code_v0(pixels, bits=64)["iscc"]


@pytest.mark.parametrize("seed", range(1, 41))
def test_the_iscc_code_of_a_picture_is_the_iscc_libraries(seed: int) -> None:
    fmt = ("PNG", "JPEG", "GIF", "WEBP")[seed % 4]
    pixels = cc._normalise(cc._open(sample_image(seed, size=(120 + seed * 7, 90 + seed * 5), fmt=fmt)))
    assert cc.iscc_code_of_pixels(pixels) == iscc_core.gen_image_code_v0(pixels, bits=64)["iscc"]


def test_the_iscc_code_survives_jpeg_recompression(original: bytes) -> None:
    buf = io.BytesIO()
    Image.open(io.BytesIO(original)).convert("RGB").save(buf, format="JPEG", quality=85)
    assert cc.iscc_distance(cc.iscc_image_code(original), cc.iscc_image_code(buf.getvalue())) <= 6


def test_different_pictures_have_distant_iscc_codes(original: bytes) -> None:
    assert cc.iscc_distance(cc.iscc_image_code(original), cc.iscc_image_code(sample_image(31))) > 10


def test_a_uniform_frame_around_the_picture_is_trimmed_before_hashing() -> None:
    picture = gradient().convert("RGB")
    framed = Image.new("RGB", (picture.width + 80, picture.height + 80), (255, 255, 255))
    framed.paste(picture, (40, 40))
    plain, with_frame = io.BytesIO(), io.BytesIO()
    picture.save(plain, format="PNG")
    framed.save(with_frame, format="PNG")
    assert cc.iscc_image_code(plain.getvalue()) == cc.iscc_image_code(with_frame.getvalue())


def test_an_unreadable_file_is_refused_in_chinese_and_english() -> None:
    with pytest.raises(cc.ContentCredentialsError, match=r"无法读取图像.* / cannot read the image"):
        cc.iscc_image_code(b"not an image")


# --- C2PA ------------------------------------------------------------------------------------


def test_a_signed_image_carries_the_bundle_and_the_iscc_soft_binding(
    kit: Kit, signed: bytes, registered: dict[str, Any], original: bytes
) -> None:
    state, bundle, iscc = cc.read_image(signed, trust_roots=[kit.signing.root])[:3]
    assert state == "Trusted"
    assert bundle == registered
    assert iscc == cc.iscc_image_code(original)


def test_the_manifest_records_the_actions_and_the_iscc_algorithm(kit: Kit, signed: bytes) -> None:
    import json

    import c2pa

    with c2pa.Reader("image/png", io.BytesIO(signed)) as reader:
        manifest = reader.get_active_manifest()
    assert manifest is not None
    labels = {a["label"]: a["data"] for a in manifest["assertions"]}
    actions = next(v for k, v in labels.items() if k.startswith("c2pa.actions"))
    assert [a["action"] for a in actions["actions"]] == ["c2pa.opened", "c2pa.published"]
    assert labels[cc.SOFT_BINDING_LABEL]["alg"] == "io.iscc.v0"
    assert manifest["signature_info"]["alg"].lower() == "es256"
    assert json.dumps(labels[cc.REGISTRATION_LABEL], ensure_ascii=False).count("粤作登字") >= 1


def test_signing_keeps_the_pixels(original: bytes, signed: bytes) -> None:
    assert Image.open(io.BytesIO(signed)).tobytes() == Image.open(io.BytesIO(original)).convert("RGB").tobytes()


def test_a_jpeg_can_be_signed_and_read(kit: Kit, registered: dict[str, Any]) -> None:
    jpeg = sample_image(7, fmt="JPEG")
    signed_jpeg = cc.sign_image(jpeg, bundle=registered, signer=kit.signing)
    assert cc.read_image(signed_jpeg, trust_roots=[kit.signing.root]).state == "Trusted"


def test_an_image_without_a_manifest_reads_as_none(original: bytes) -> None:
    assert cc.read_image(original) == cc.ImageCredentials("None", None, None, ("no C2PA manifest",))


def test_an_image_whose_pixels_were_replaced_is_invalid(kit: Kit, signed: bytes) -> None:
    # Swap the pixel data (IDAT) for another picture of the same size, with correct CRCs, so the
    # file still decodes: only the manifest's hard binding can notice.
    other = dict(png_chunks(sample_image(8)))
    spliced = png_from_chunks([(k, other[b"IDAT"] if k == b"IDAT" else v) for k, v in png_chunks(signed)])
    assert Image.open(io.BytesIO(spliced)).load() is not None
    creds = cc.read_image(spliced, trust_roots=[kit.signing.root])
    assert creds.state == "Invalid"
    assert any("dataHash.mismatch" in f for f in creds.failures)


def test_a_signer_outside_the_trusted_roots_is_only_valid(signed: bytes) -> None:
    stranger = Kit.new().signing.root
    creds = cc.read_image(signed, trust_roots=[stranger])
    assert creds.state == "Valid"
    assert any("untrusted" in f for f in creds.failures)


def test_a_time_stamped_signature_carries_the_tsa_time_and_an_unstamped_one_none(
    kit: Kit, signed: bytes, registered: dict[str, Any], original: bytes
) -> None:
    import datetime as dt

    requests: list[bytes] = []

    def tsa(request: bytes) -> bytes:
        requests.append(request)
        return kit.tsa.issue(request)

    stamped = cc.sign_image(original, bundle=registered, signer=kit.signing, timestamper=tsa)
    creds = cc.read_image(stamped, trust_roots=[kit.signing.root])
    assert creds.state == "Trusted" and creds.failures == () and len(requests) == 1
    assert creds.signed_at is not None
    signed_at = dt.datetime.fromisoformat(creds.signed_at)
    assert abs(dt.datetime.now(dt.UTC) - signed_at) < dt.timedelta(minutes=5)
    assert cc.read_image(signed, trust_roots=[kit.signing.root]).signed_at is None


def test_a_failing_time_stamp_authority_fails_the_signing_with_a_clear_error(
    kit: Kit, registered: dict[str, Any], original: bytes
) -> None:
    def broken(request: bytes) -> bytes:
        raise ConnectionError("TSA down")

    with pytest.raises(cc.ContentCredentialsError, match="C2PA 签名失败"):
        cc.sign_image(original, bundle=registered, signer=kit.signing, timestamper=broken)


def test_c2pa_signing_needs_a_p256_key(registered: dict[str, Any], original: bytes) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    from artrights.core.pki import SigningIdentity

    identity = Kit.new().signing
    p384 = SigningIdentity(ec.generate_private_key(ec.SECP384R1()), identity.chain)
    with pytest.raises(cc.ContentCredentialsError, match="P-256"):
        cc.sign_image(original, bundle=registered, signer=p384)


def test_an_image_above_the_pixel_budget_is_refused_before_decoding() -> None:
    # 11000 × 11000 = 121 megapixels: under Pillow's own bomb limit, over the 80 MP budget; refused from the header.
    import warnings

    buf = io.BytesIO()
    Image.new("1", (11000, 11000)).save(buf, format="PNG")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with pytest.raises(cc.ContentCredentialsError, match=r"图片像素过多.*the limit is 80000000"):
            cc.iscc_image_code(buf.getvalue())
