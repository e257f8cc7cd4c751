"""Every tampered copy of a certificate is refused, and the verdict names the check that caught it.

The certificate PDF, its proof bundle and the signed image are issued here (real log, TSA, PAdES and C2PA
signer), then ``tampering`` changes every region it finds by parsing them. Each variant must fail a named
check; the few that change no byte anyone relies on are listed in ``tampering.TOLERATED_BUNDLE`` with the
reason, and must keep verifying.

Sampling, to keep the run short on two cores: every bundle and image variant runs; of the PDF's, the header,
signature dictionary, gap, padding, trailer and end-of-file variants all run, while the per-object, CMS and
cross-reference variants are spread samples (``PDF_SAMPLE``). ``ARTRIGHTS_TAMPER_FULL=1`` runs them all.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import cbor2
import pytest

from artrights import verify
from artrights.core.pki import generate_signing_identity
from artrights.proofs import content_credentials as cc
from artrights.proofs.bundle import dump_bundle
from artrights.proofs.tests.proofkit import Kit, sample_image
from artrights.proofs.trust import Trust
from artrights.proofs.verification import BUNDLE_CHECKS, OPENINGS_CHECK
from artrights.registry.tests import tampering
from artrights.registry.tests.test_verify_offline import render, sign

NAMED_CHECKS = {"pdf_signature", "c2pa", "c2pa_timestamp", "document", *BUNDLE_CHECKS, OPENINGS_CHECK}
PDF_SAMPLE = {"CMS": 40, "object": 48, "xref": 16}
FULL = os.environ.get("ARTRIGHTS_TAMPER_FULL") == "1"


@pytest.fixture(scope="module")
def kit() -> Kit:
    return Kit.new()


def _issue(kit: Kit, seed: int, number: str) -> tuple[bytes, dict[str, Any]]:
    original = sample_image(seed)
    statement, openings = kit.statement(number=number, image=original, iscc=cc.iscc_image_code(original))
    bundle = kit.register(statement, openings)
    return original, bundle


@pytest.fixture(scope="module")
def issued(kit: Kit) -> tuple[bytes, dict[str, Any]]:
    return _issue(kit, 21, "粤作登字-2026-F-00000021")


@pytest.fixture(scope="module")
def bundle(issued: tuple[bytes, dict[str, Any]]) -> dict[str, Any]:
    return issued[1]


@pytest.fixture(scope="module")
def pdf(kit: Kit, bundle: dict[str, Any]) -> bytes:
    return sign(kit, render(kit, bundle))


@pytest.fixture(scope="module")
def image(kit: Kit, issued: tuple[bytes, dict[str, Any]]) -> bytes:
    original, bundle = issued
    return cc.sign_image(original, bundle=bundle, signer=kit.signing, timestamper=kit.timestamper)


@pytest.fixture(scope="module")
def other_image(kit: Kit) -> bytes:
    original, bundle = _issue(kit, 22, "粤作登字-2026-F-00000022")
    return cc.sign_image(original, bundle=bundle, signer=kit.signing, timestamper=kit.timestamper)


@pytest.fixture(scope="module")
def pdf_set(pdf: bytes) -> list[tuple[str, bytes]]:
    return list(tampering.pdf_variants(pdf))


@pytest.fixture(scope="module")
def bundle_set(bundle: dict[str, Any]) -> list[tuple[str, bytes]]:
    return list(tampering.bundle_variants(bundle))


@pytest.fixture(scope="module")
def image_set(image: bytes, other_image: bytes) -> list[tuple[str, bytes]]:
    return list(tampering.image_variants(image, other_image))


def _sampled(variants: list[tuple[str, bytes]], caps: dict[str, int]) -> list[tuple[str, bytes]]:
    """All variants, except that a category (the name's first word) with a cap keeps an even spread of that many."""
    if FULL:
        return variants
    by_category: dict[str, list[tuple[str, bytes]]] = {}
    for variant in variants:
        by_category.setdefault(variant[0].split(" ")[0], []).append(variant)
    kept: list[tuple[str, bytes]] = []
    for category, members in by_category.items():
        cap = caps.get(category, len(members))
        step = max(1, len(members) / cap)
        kept.extend(members[int(i * step)] for i in range(min(cap, len(members))))
    return kept


def _accepted_or_unnamed(variants: list[tuple[str, bytes]], trust: Trust) -> tuple[list[str], Counter[str]]:
    """The names of variants that verified (or failed without a named check), and how often each check failed."""
    wrong, checks = [], Counter[str]()
    for name, data in variants:
        verdict = verify.verify_bytes(data, trust)
        checks[str(verdict.failed_check)] += 1
        if verdict.ok or verdict.failed_check not in NAMED_CHECKS or not verdict.message_zh or not verdict.message_en:
            wrong.append(f"{name}: {verdict.summary()[:160]}")
    return wrong, checks


# --- the sets --------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")
def test_every_tampered_region_of_a_certificate_pdf_is_refused_with_a_named_check(kit: Kit, pdf: bytes, pdf_set):
    assert verify.verify_bytes(pdf, kit.trust).ok
    variants = pdf_set
    regions = {name.split(":")[0].split(" ")[0] for name, _ in variants}
    assert {"header", "object", "signature", "gap", "CMS", "zero", "xref", "trailer", "startxref"} <= regions

    wrong, checks = _accepted_or_unnamed(_sampled(variants, PDF_SAMPLE), kit.trust)

    assert wrong == [], "\n".join(wrong)
    assert checks["pdf_signature"] > 0.95 * sum(checks.values())


def test_every_changed_field_of_a_proof_bundle_is_refused_with_a_named_check(kit: Kit, bundle_set) -> None:
    variants = bundle_set
    tolerated = [(name, data) for name, data in variants if name in tampering.TOLERATED_BUNDLE]

    wrong, checks = _accepted_or_unnamed([v for v in variants if v not in tolerated], kit.trust)

    assert wrong == [], "\n".join(wrong)
    assert {"statement", "inclusion_proof", "checkpoint_signature", "timestamp"} <= set(checks)
    # What is tolerated changes no value anyone relies on, and is tolerated for that reason only.
    assert [name for name, _ in tolerated] == list(tampering.TOLERATED_BUNDLE)
    assert all(verify.verify_bytes(data, kit.trust).ok for _, data in tolerated)


def test_every_changed_box_of_a_signed_images_manifest_is_refused_with_a_named_check(
    kit: Kit, image: bytes, image_set
) -> None:
    assert verify.verify_bytes(image, kit.trust).passed[:2] == ["c2pa", "c2pa_timestamp"]
    variants = image_set
    names = {name for name, _ in variants}
    for label in ("c2pa", "c2pa.assertions", "c2pa.claim.v2", "c2pa.signature"):
        assert any(name.endswith(f"/{label}/jumd: label first character") for name in names), label

    wrong, checks = _accepted_or_unnamed(variants, kit.trust)

    assert wrong == [], "\n".join(wrong)
    assert checks["c2pa_timestamp"] > 0 and checks["c2pa"] > 0


def test_every_changed_app11_segment_of_a_signed_jpeg_is_refused_with_a_named_check(kit: Kit) -> None:
    jpeg = sample_image(23, fmt="JPEG")
    statement, openings = kit.statement(number="粤作登字-2026-F-00000024", image=jpeg, iscc=cc.iscc_image_code(jpeg))
    signed = cc.sign_image(
        jpeg, bundle=kit.register(statement, openings), signer=kit.signing, timestamper=kit.timestamper
    )
    assert verify.verify_bytes(signed, kit.trust).ok
    variants = list(tampering.jpeg_framing_variants(signed))
    assert sum("repeats" not in name and "segment 1" in name for name, _ in variants) > 0  # the store spans segments

    wrong, _checks = _accepted_or_unnamed(variants, kit.trust)

    assert wrong == [], "\n".join(wrong)


def test_the_tamper_set_is_large_and_follows_the_file(pdf_set, bundle_set, image_set, image, other_image):
    counts = {"pdf": len(pdf_set), "bundle": len(bundle_set), "image": len(image_set)}
    assert counts["pdf"] > 400 and counts["bundle"] > 200 and counts["image"] > 250, counts

    # Another image lays its boxes out at other offsets (another URN, bundle and token): the same boxes are found.
    def boxes(png: bytes, other: bytes) -> set[str]:
        names = (name for name, _ in tampering.image_variants(png, other) if name.startswith("box"))
        return {re.sub(r"urn:c2pa:[0-9a-f-]+", "urn", name.rsplit(": ", 1)[0]) for name in names}

    assert boxes(image, other_image) == boxes(other_image, image)
    assert len(boxes(image, other_image)) > 30


# --- the cases a tester found accepted -------------------------------------------------------


def _signature_box(image: bytes) -> tuple[int, bytes]:
    """Where the claim signature's CBOR starts in the PNG, and the CBOR."""
    start = image.index(b"jumdc2cs")
    cbor_at = image.index(b"cbor", start) + 4
    length = int.from_bytes(image[cbor_at - 8 : cbor_at - 4], "big") - 8
    return cbor_at, image[cbor_at : cbor_at + length]


def _token_of(image: bytes) -> bytes:
    return bytes(cbor2.loads(_signature_box(image)[1]).value[1]["sigTst2"]["tstTokens"][0]["val"])


def _variant(variants: list[tuple[str, bytes]], name: str) -> bytes:
    return next(data for variant, data in variants if variant == name)


def test_an_image_whose_timestamp_token_was_corrupted_fails_the_c2pa_timestamp_check(kit: Kit, image: bytes) -> None:
    token_at = image.index(_token_of(image))
    for pos in (token_at + 10, token_at + len(_token_of(image)) - 3):
        damaged = tampering.fix_png_crcs(image[:pos] + bytes([image[pos] ^ 1]) + image[pos + 1 :])
        verdict = verify.verify_bytes(damaged, kit.trust)
        assert verdict.failed_check == "c2pa_timestamp", verdict.summary()
        assert "时间戳" in verdict.message_zh and "timestamp" in verdict.message_en.lower()


def test_an_image_whose_token_was_swapped_for_another_images_fails_the_c2pa_timestamp_check(
    kit: Kit, image_set, other_image: bytes
) -> None:
    swapped = _variant(image_set, "token swapped for another image's")
    assert _token_of(swapped) == _token_of(other_image)

    verdict = verify.verify_bytes(swapped, kit.trust)

    assert verdict.failed_check == "c2pa_timestamp" and verdict.passed == ["c2pa"]


def test_an_image_whose_signature_carries_no_timestamp_fails_the_c2pa_timestamp_check(
    kit: Kit, issued: tuple[bytes, dict[str, Any]]
) -> None:
    original, bundle = issued
    unstamped = cc.sign_image(original, bundle=bundle, signer=kit.signing)
    verdict = verify.verify_bytes(unstamped, kit.trust)
    assert verdict.failed_check == "c2pa_timestamp" and "no RFC 3161 timestamp" in verdict.message_en


@pytest.mark.parametrize("offset", [0, 100, -1])
def test_a_changed_byte_in_the_image_signatures_padding_fails_the_c2pa_check(kit: Kit, image: bytes, offset: int):
    at, cose = _signature_box(image)
    pad = bytes(cbor2.loads(cose).value[1]["pad"])
    pos = at + cose.rindex(pad) + (offset if offset >= 0 else len(pad) + offset)
    damaged = tampering.fix_png_crcs(image[:pos] + b"\x01" + image[pos + 1 :])

    verdict = verify.verify_bytes(damaged, kit.trust)

    assert verdict.failed_check == "c2pa" and "pad" in verdict.message_en


@pytest.mark.parametrize(
    ("label", "changed"),
    [
        (b"c2pa", b"c2pb"),
        (b"c2pa.assertions", b"c2pa.assertionz"),
        (b"c2pa.claim.v2", b"c2pa.claim.v3"),
        (b"c2pa.signature", b"c2pa.signaturf"),
    ],
)
def test_a_changed_label_of_an_outer_manifest_box_fails_the_c2pa_check(kit: Kit, image: bytes, label, changed):
    pos = image.index(b"\x03" + label + b"\x00") + 1
    relabelled = tampering.fix_png_crcs(image[:pos] + changed + image[pos + len(changed) :])

    verdict = verify.verify_bytes(relabelled, kit.trust)

    assert verdict.failed_check == "c2pa" and "manifest store was altered" in verdict.message_en


def test_a_bundle_whose_token_carries_a_damaged_tsa_certificate_fails_the_timestamp_check(kit: Kit, bundle_set):
    variants = [v for v in bundle_set if "embedded TSA certificate" in v[0]]
    assert variants
    for name, data in variants:
        verdict = verify.verify_bytes(data, kit.trust)
        assert verdict.failed_check == "timestamp", (name, verdict.summary())


def test_a_bundle_whose_tsa_chain_lost_a_certificate_fails_the_timestamp_check(kit: Kit, bundle: dict[str, Any]):
    shortened = copy.deepcopy(bundle)
    shortened["timestamp"]["tsa_chain"] = shortened["timestamp"]["tsa_chain"][1:]
    verdict = verify.verify_bytes(dump_bundle(shortened), kit.trust)
    assert verdict.failed_check == "timestamp" and "chain" in verdict.message_en


def test_a_signer_issued_under_a_tsa_root_is_not_a_trusted_c2pa_signer(kit: Kit, issued) -> None:
    # The C2PA library is given the TSA roots as anchors too (to trust the image's timestamp); a certificate
    # issued under one of them must still not pass for the platform's signer.
    original, bundle = issued
    stranger = generate_signing_identity()
    trust = Trust(
        origin=kit.trust.origin,
        log_keys=kit.trust.log_keys,
        tsa_roots=(*kit.trust.tsa_roots, stranger.root),
        signing_roots=kit.trust.signing_roots,
    )
    forged = cc.sign_image(original, bundle=bundle, signer=stranger, timestamper=kit.timestamper)

    verdict = verify.verify_bytes(forged, trust)

    assert verdict.failed_check == "c2pa" and not verdict.ok


def test_the_gap_of_a_signed_pdf_must_be_plain_hex(kit: Kit, pdf_set) -> None:
    variants = pdf_set
    for name in ("gap: last two hex digits as spaces", "gap: one hex letter in the other case"):
        verdict = verify.verify_bytes(_variant(variants, name), kit.trust)
        assert verdict.failed_check == "pdf_signature" and "plain hex" in verdict.message_en, name


def test_a_bundle_with_a_repeated_key_is_refused(kit: Kit, bundle: dict[str, Any]) -> None:
    text = dump_bundle(bundle)
    repeated = b'{"format": "artrights-proof/v1", ' + text.lstrip()[1:]
    verdict = verify.verify_bytes(repeated, kit.trust)
    assert verdict.failed_check == "statement" and "repeats the key 'format'" in verdict.message_en


# --- what a person sees ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def trust_file(tmp_path_factory: pytest.TempPathFactory, kit: Kit) -> Path:
    path = tmp_path_factory.mktemp("trust") / "trust.json"
    path.write_text(json.dumps(kit.trust.to_json()), encoding="utf-8")
    return path


def _run(path: Path, trust_file: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "artrights.cli", "verify", str(path), "--trust", str(trust_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_the_command_names_c2pa_timestamp_for_an_image_with_a_swapped_token(
    tmp_path: Path, trust_file: Path, image_set
) -> None:
    path = tmp_path / "work.c2pa.png"
    path.write_bytes(_variant(image_set, "token swapped for another image's"))

    result = _run(path, trust_file)

    assert result.returncode == 1
    assert result.stdout.startswith("无效 INVALID [c2pa_timestamp]: 内容凭证签名的时间戳")
    assert "timeStamp.mismatch" in result.stdout


@pytest.mark.parametrize("depth", [40, 100_000])
def test_the_command_refuses_deeply_nested_json_in_both_languages_without_a_traceback(
    tmp_path: Path, trust_file: Path, depth: int
) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"a":' * depth + "1" + "}" * depth, encoding="utf-8")

    result = _run(path, trust_file)

    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("无效 INVALID [statement]: 证明包无法读取：JSON 嵌套超过 32 层")
    assert "nests deeper than 32 levels" in result.stdout
    assert "Traceback" not in result.stderr


def test_an_oversized_json_file_is_refused_before_it_is_parsed(kit: Kit) -> None:
    huge = b'{"a": "' + b"x" * (1024 * 1024 + 1) + b'"}'
    verdict = verify.verify_bytes(huge, kit.trust)
    assert verdict.failed_check == "statement" and "larger than 1024 KB" in verdict.message_en


def test_a_bundle_nested_deeply_inside_an_image_manifest_is_refused(kit: Kit, issued) -> None:
    original, bundle = issued
    deep: dict[str, Any] = {}
    node = deep
    for _ in range(60):
        node["a"] = {}
        node = node["a"]
    nested = {**bundle, "timestamp": {**bundle["timestamp"], "deep": deep}}
    image = cc.sign_image(original, bundle=nested, signer=kit.signing, timestamper=kit.timestamper)
    verdict = verify.verify_bytes(image, kit.trust)
    assert verdict.failed_check == "statement" and "deeper than 32" in verdict.message_en
