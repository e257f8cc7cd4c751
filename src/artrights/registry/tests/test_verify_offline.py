"""The offline verifier end to end: certificate PDFs, JSON bundles and signed images (no Django)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from artrights import verify
from artrights.proofs import content_credentials as cc
from artrights.proofs import verification
from artrights.proofs.bundle import Timestamper, dump_bundle, openings_file
from artrights.proofs.tests.proofkit import Kit, sample_image
from artrights.proofs.trust import Trust
from artrights.registry.certificate_pdf import CertificateData, render_certificate, sign_pdf

NUMBER = "粤作登字-2026-F-00000001"


@pytest.fixture(scope="module")
def kit() -> Kit:
    return Kit.new()


@pytest.fixture(scope="module")
def original() -> bytes:
    return sample_image(11)


@pytest.fixture(scope="module")
def issued(kit: Kit, original: bytes) -> tuple[dict[str, Any], Any]:
    statement, openings = kit.statement(number=NUMBER, image=original, iscc=cc.iscc_image_code(original))
    return kit.register(statement, openings), openings


@pytest.fixture(scope="module")
def registered(issued: tuple[dict[str, Any], Any]) -> dict[str, Any]:
    return issued[0]


def render(kit: Kit, bundle: dict[str, Any]) -> bytes:
    return render_certificate(
        CertificateData(
            number=bundle["statement"]["number"],
            title="大芬村的清晨",
            work_type="美术",
            authors=["李明"],
            owners=["深圳市大芬油画艺术有限公司"],
            applicant="深圳市大芬油画艺术有限公司",
            issuer="广东省版权保护联合会",
            registered_on=dt.date(2026, 11, 26),
            verify_url=f"https://registry.artrights.test/verify/{bundle['statement']['number']}",
            log_origin=kit.log.origin,
            log_index=bundle["log"]["index"],
            bundle_json=dump_bundle(bundle),
        )
    )


@pytest.fixture(scope="module")
def unsigned(kit: Kit, registered: dict[str, Any]) -> bytes:
    return render(kit, registered)


def sign(kit: Kit, unsigned: bytes, signer: Any = None, timestamper: Timestamper | None = None) -> bytes:
    signer = signer or kit.signing
    return sign_pdf(unsigned, signer.key, signer.chain, timestamper or kit.timestamper)


@pytest.fixture(scope="module")
def pdf(kit: Kit, unsigned: bytes) -> bytes:
    return sign(kit, unsigned)


@pytest.fixture(scope="module")
def signed_image(kit: Kit, original: bytes, registered: dict[str, Any]) -> bytes:
    # As the platform signs it: time-stamped by its TSA.
    return cc.sign_image(original, bundle=registered, signer=kit.signing, timestamper=kit.timestamper)


@pytest.fixture(scope="module")
def files(
    tmp_path_factory: pytest.TempPathFactory,
    kit: Kit,
    pdf: bytes,
    issued: tuple[dict[str, Any], Any],
    registered: dict[str, Any],
    signed_image: bytes,
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("verify")
    paths = {
        "pdf": folder / "certificate.pdf",
        "json": folder / "certificate.json",
        "image": folder / "work.png",
        "trust": folder / "trust.json",
        "openings": folder / "owner-openings.json",
    }
    paths["openings"].write_bytes(dump_bundle(openings_file(registered["statement"], issued[1])))
    paths["pdf"].write_bytes(pdf)
    paths["json"].write_bytes(dump_bundle(registered))
    paths["image"].write_bytes(signed_image)
    paths["trust"].write_text(json.dumps(kit.trust.to_json()), encoding="utf-8")
    return paths


def flipped(data: bytes, pos: int) -> bytes:
    out = bytearray(data)
    out[pos] ^= 0x01
    return bytes(out)


# --- valid inputs ----------------------------------------------------------------------------


def test_a_signed_certificate_verifies_offline(kit: Kit, files: dict[str, Path]) -> None:
    verdict = verify.verify_path(files["pdf"], kit.trust)
    assert verdict.ok, verdict.summary()
    assert verdict.passed == ["pdf_signature", *verification.BUNDLE_CHECKS[1:]]
    assert verdict.number == NUMBER and verdict.warnings == []


def test_a_certificate_and_its_original_file_verify_together(kit: Kit, pdf: bytes, original: bytes) -> None:
    verdict = verify.verify_bytes(pdf, kit.trust, file_bytes=original)
    assert verdict.ok and verdict.passed[:2] == ["pdf_signature", "file_hash"]


def test_a_json_bundle_verifies_offline(kit: Kit, files: dict[str, Path], original: bytes) -> None:
    verdict = verify.verify_path(files["json"], kit.trust, file_bytes=original)
    assert verdict.ok and verdict.passed == list(verification.BUNDLE_CHECKS)


def test_a_signed_image_verifies_offline(kit: Kit, files: dict[str, Path]) -> None:
    verdict = verify.verify_path(files["image"], kit.trust)
    assert verdict.ok, verdict.summary()
    assert verdict.passed == ["c2pa", "c2pa_timestamp", *verification.BUNDLE_CHECKS]


def test_without_signing_roots_the_certificate_verifies_with_a_warning(kit: Kit, pdf: bytes) -> None:
    trust = Trust(origin=kit.trust.origin, log_keys=kit.trust.log_keys, tsa_roots=kit.trust.tsa_roots)
    verdict = verify.verify_bytes(pdf, trust)
    assert verdict.ok
    assert verdict.warnings == [verify._UNTRUSTED_SIGNER]
    assert "签名证书未核对信任根" in verdict.summary()


# --- damaged or foreign inputs ---------------------------------------------------------------


@pytest.mark.parametrize("where", [0.0, 0.02, 0.25, 0.5, 0.75, 0.9, 0.995])
def test_one_changed_byte_anywhere_in_the_certificate_fails_the_pdf_signature(
    kit: Kit, pdf: bytes, where: float
) -> None:
    verdict = verify.verify_bytes(flipped(pdf, int(len(pdf) * where)), kit.trust)
    assert (verdict.ok, verdict.failed_check) == (False, "pdf_signature"), verdict.summary()


def test_a_changed_byte_in_the_signature_padding_fails_the_pdf_signature(kit: Kit, pdf: bytes) -> None:
    # /Contents lies outside the signed byte range; its zero padding after the CMS is checked apart.
    start = pdf.index(b"/Contents <") + len(b"/Contents <")
    end = pdf.index(b">", start)
    assert pdf[end - 40 : end] == b"0" * 40
    verdict = verify.verify_bytes(flipped(pdf, end - 20), kit.trust)
    assert verdict.failed_check == "pdf_signature"
    assert "padding" in verdict.message_en


def test_changed_bytes_inside_the_signature_container_fail_the_pdf_signature(kit: Kit, pdf: bytes) -> None:
    # The CMS sits outside the signed byte range, so each of its parts must be bound some other way:
    # certificates by the signature and chain, versions and digestAlgorithms by explicit checks,
    # tags and lengths by strict DER. Sample a change every 23 hex digits across the whole CMS.
    start = pdf.index(b"/Contents <") + len(b"/Contents <")
    end = start + len(pdf[start : pdf.index(b">", start)].rstrip(b"0"))
    survivors = [
        pos
        for pos in range(start, end, 23)
        if verify.verify_bytes(flipped(pdf, pos), kit.trust).failed_check != "pdf_signature"
    ]
    assert survivors == []


@pytest.mark.parametrize(
    ("field", "pattern", "offset"),
    [
        # SignedData version 1, then digestAlgorithms {sha256}: pyHanko reads neither.
        ("signature version", "020101310f300d06096086480165030402010500", 5),
        ("signature digestAlgorithms", "020101310f300d06096086480165030402010500", 30),
        # The same two fields of the signature timestamp token (version 3).
        ("token version", "020103310f300d06096086480165030402010500", 5),
        ("token digestAlgorithms", "020103310f300d06096086480165030402010500", 30),
        # The outermost length, enlarged to swallow the zero padding (308208.. -> 308218..).
        ("outer length", "3082", 5),
    ],
)
def test_unread_fields_of_the_signature_container_are_still_bound(
    kit: Kit, pdf: bytes, field: str, pattern: str, offset: int
) -> None:
    start = pdf.index(b"/Contents <") + len(b"/Contents <")
    at = pdf.lower().index(pattern.encode(), start) + offset
    verdict = verify.verify_bytes(flipped(pdf, at), kit.trust)
    assert verdict.failed_check == "pdf_signature", field


def test_the_signature_carries_only_the_signing_certificate(pdf: bytes) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    [signature] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signature.signed_data["certificates"]) == 1


def test_strict_der_rejects_long_form_short_lengths_and_overruns() -> None:
    assert verify._is_strict_der(bytes.fromhex("3003020101"))
    assert not verify._is_strict_der(bytes.fromhex("308103020101"))  # length 3 in long form
    assert not verify._is_strict_der(bytes.fromhex("3004020101"))  # runs past the data
    assert not verify._is_strict_der(bytes.fromhex("300402010105"))  # a child runs past its parent
    assert not verify._is_strict_der(bytes.fromhex("3003050100"))  # NULL with contents
    assert not verify._is_strict_der(bytes.fromhex("30050201010000"))  # zero padding inside


def test_a_changed_byte_in_the_attached_bundle_fails_the_pdf_signature(kit: Kit, pdf: bytes) -> None:
    start = pdf.index(b"/EmbeddedFile")
    stream = pdf.index(b"stream", start) + len(b"stream\n") + 10
    verdict = verify.verify_bytes(flipped(pdf, stream), kit.trust)
    assert verdict.failed_check == "pdf_signature"


def test_an_update_appended_after_signing_fails_the_pdf_signature(kit: Kit, pdf: bytes) -> None:
    from pyhanko.pdf_utils.generic import pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root["/Lang"] = pdf_string("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    verdict = verify.verify_bytes(out.getvalue(), kit.trust)
    assert verdict.failed_check == "pdf_signature"
    assert "whole file" in verdict.message_en


def test_a_certificate_signed_by_a_stranger_fails_the_pdf_signature(kit: Kit, unsigned: bytes) -> None:
    verdict = verify.verify_bytes(sign(kit, unsigned, signer=Kit.new().signing), kit.trust)
    assert verdict.failed_check == "pdf_signature"
    assert "trusted root" in verdict.message_en


def test_an_unsigned_certificate_fails_the_pdf_signature(kit: Kit, unsigned: bytes) -> None:
    verdict = verify.verify_bytes(unsigned, kit.trust)
    assert verdict.failed_check == "pdf_signature"
    assert "has 0" in verdict.message_en


def test_a_certificate_for_another_file_fails_the_file_hash(kit: Kit, pdf: bytes) -> None:
    verdict = verify.verify_bytes(pdf, kit.trust, file_bytes=sample_image(12))
    assert verdict.failed_check == "file_hash"


def test_a_json_bundle_with_a_changed_field_fails(kit: Kit, registered: dict[str, Any]) -> None:
    changed = copy.deepcopy(registered)
    changed["statement"]["registered_at"] = "2020-01-01T00:00:00Z"
    verdict = verify.verify_bytes(dump_bundle(changed), kit.trust)
    assert verdict.failed_check == "inclusion_proof"


def test_a_json_bundle_under_another_logs_trust_fails(registered: dict[str, Any]) -> None:
    other = Kit.new(origin="elsewhere.example/log")
    verdict = verify.verify_bytes(dump_bundle(registered), other.trust)
    assert verdict.failed_check == "inclusion_proof"


def test_an_image_with_replaced_pixels_fails_c2pa(kit: Kit, signed_image: bytes) -> None:
    from artrights.proofs.tests.test_content_credentials import png_chunks, png_from_chunks

    other = dict(png_chunks(sample_image(13)))
    spliced = png_from_chunks([(k, other[b"IDAT"] if k == b"IDAT" else v) for k, v in png_chunks(signed_image)])
    verdict = verify.verify_bytes(spliced, kit.trust)
    assert verdict.failed_check == "c2pa"


def test_an_image_with_one_changed_byte_fails_c2pa(kit: Kit, signed_image: bytes) -> None:
    verdict = verify.verify_bytes(flipped(signed_image, len(signed_image) - 100), kit.trust)
    assert verdict.failed_check == "c2pa"


def test_an_image_without_content_credentials_fails_c2pa(kit: Kit, original: bytes) -> None:
    verdict = verify.verify_bytes(original, kit.trust)
    assert verdict.failed_check == "c2pa"
    assert "没有内容凭证" in verdict.message_zh


def test_an_image_signed_by_a_stranger_fails_c2pa(kit: Kit, original: bytes, registered: dict[str, Any]) -> None:
    forged = cc.sign_image(original, bundle=registered, signer=Kit.new().signing, timestamper=kit.timestamper)
    assert verify.verify_bytes(forged, kit.trust).failed_check == "c2pa"


def test_a_valid_bundle_on_another_picture_fails_the_file_hash(kit: Kit, registered: dict[str, Any]) -> None:
    # The manifest is genuine and the bundle verifies, but it was put on a different picture.
    other = cc.sign_image(sample_image(14), bundle=registered, signer=kit.signing, timestamper=kit.timestamper)
    verdict = verify.verify_bytes(other, kit.trust)
    assert verdict.passed == ["c2pa", "c2pa_timestamp"]
    assert verdict.failed_check == "file_hash"
    assert "ISCC" in verdict.message_zh


# --- command line ----------------------------------------------------------------------------


def test_the_command_prints_a_one_line_valid_verdict_in_chinese_then_english(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify.main([str(files["pdf"]), "--trust", str(files["trust"])]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"有效 VALID: {NUMBER}") and "\n" not in out
    assert "is entry" in out


def test_the_command_names_the_failing_check_and_exits_1(
    files: dict[str, Path], tmp_path: Path, pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(flipped(pdf, len(pdf) // 2))
    assert verify.main([str(bad), "--trust", str(files["trust"])]) == 1
    out = capsys.readouterr().out
    assert out.startswith("无效 INVALID [pdf_signature]:")


def test_the_command_checks_the_original_file(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.png"
    other.write_bytes(sample_image(15))
    assert verify.main([str(files["json"]), "--trust", str(files["trust"]), "--file", str(other)]) == 1
    assert "[file_hash]" in capsys.readouterr().out


def test_the_command_reads_the_trust_file_from_artrights_trust(
    files: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARTRIGHTS_TRUST", str(files["trust"]))
    assert verify.main([str(files["image"]), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is True and report["passed"][0] == "c2pa" and report["number"] == NUMBER


def test_the_command_exits_2_without_a_trust_file(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ARTRIGHTS_TRUST", raising=False)
    monkeypatch.chdir(tmp_path)
    assert verify.main([str(files["pdf"])]) == 2
    assert "trust file not found" in capsys.readouterr().err


def test_the_verifier_runs_without_importing_django(files: dict[str, Path]) -> None:
    # A fresh interpreter that verifies a PDF, a bundle and an image, then lists what it imported.
    script = (
        "import sys\n"
        "from artrights.verify import main\n"
        "codes = [main([p, '--trust', sys.argv[1]]) for p in sys.argv[2:]]\n"
        "django = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print('DJANGO', django)\n"
        "sys.exit(max(codes))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script, str(files["trust"]), str(files["pdf"]), str(files["json"]), str(files["image"])],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "DJANGO []" in result.stdout
    assert result.stdout.count("有效 VALID") == 3


def test_a_certificate_verifies_without_loading_the_signing_side_and_the_same_process_can_still_sign(
    files: dict[str, Path], unsigned: bytes, tmp_path: Path
) -> None:
    # A fresh interpreter: verifying a certificate loads neither pyHanko's signers nor aiohttp (the cold
    # start a court clerk waits for), and a certificate signed afterwards in that process verifies too.
    (tmp_path / "unsigned.pdf").write_bytes(unsigned)
    script = (
        "import sys\n"
        "from artrights.verify import main, verify_path\n"
        "from artrights.proofs.trust import Trust\n"
        "trust = Trust.load(sys.argv[1])\n"
        "first = main([sys.argv[2], '--trust', sys.argv[1]])\n"
        "print('LOADED', sorted(m for m in ('aiohttp', 'pyhanko.sign.signers', 'pyhanko.sign.timestamps') "
        "if m in sys.modules))\n"
        "from pyhanko.sign import PdfSigner, signers\n"
        "import pyhanko.sign\n"
        "print('WHOLE', pyhanko.sign.PdfSigner is signers.PdfSigner, 'sign_pdf' in pyhanko.sign.__all__)\n"
        "from artrights.proofs.tests.proofkit import Kit\n"
        "from artrights.registry.certificate_pdf import sign_pdf\n"
        "kit = Kit.new()\n"
        "signed = sign_pdf(open(sys.argv[3], 'rb').read(), kit.signing.key, kit.signing.chain, kit.timestamper)\n"
        "from artrights import verify\n"
        "reader, warnings = verify._check_pdf_signature(signed, kit.trust)\n"
        "print('SIGNED AFTER', len(reader.embedded_signatures), warnings)\n"
        "sys.exit(first)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", script, str(files["trust"]), str(files["pdf"]), str(tmp_path / "unsigned.pdf")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "有效 VALID" in result.stdout
    assert "LOADED []" in result.stdout
    assert "WHOLE True True" in result.stdout
    assert "SIGNED AFTER 1 []" in result.stdout


def test_a_certificate_stays_valid_after_its_signing_certificate_expires(kit: Kit, unsigned: bytes) -> None:
    # Signed 400 days ago with a certificate that expired 30 days ago: judged at the signature
    # timestamp, as a court would judge it years after issue.
    from artrights.core.pki import generate_signing_identity
    from artrights.proofs.rfc3161 import CounterSerials, TimeStampAuthority

    now = dt.datetime.now(dt.UTC)
    signed_at = now - dt.timedelta(days=400)
    old_signer = generate_signing_identity(now=now - dt.timedelta(days=500), validity=dt.timedelta(days=470))
    old_tsa = TimeStampAuthority.generate(
        policy_oid="1.3.6.1.4.1.57264.99.1", serial_source=CounterSerials(), now=now - dt.timedelta(days=600)
    )
    pdf = sign(kit, unsigned, signer=old_signer, timestamper=lambda req: old_tsa.issue(req, signed_at))
    trust = Trust(
        origin=kit.trust.origin,
        log_keys=kit.trust.log_keys,
        tsa_roots=(*kit.trust.tsa_roots, old_tsa.root_certificate),
        signing_roots=(old_signer.root,),
    )
    assert old_signer.certificate.not_valid_after_utc < now
    verdict = verify.verify_bytes(pdf, trust)
    assert verdict.ok, verdict.summary()


def test_the_command_prints_no_traceback_for_a_damaged_certificate(
    files: dict[str, Path], pdf: bytes, tmp_path: Path
) -> None:
    # Damage inside the CMS makes pyHanko log a traceback; the command shows only the verdict.
    start = pdf.index(b"/Contents <") + len(b"/Contents <") + 600
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(pdf[:start] + b"00000000" + pdf[start + 8 :])
    result = subprocess.run(
        [sys.executable, "-m", "artrights.verify", str(bad), "--trust", str(files["trust"])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout.startswith("无效 INVALID [pdf_signature]")
    assert "Traceback" not in result.stderr, result.stderr


ISSUED_BEFORE = Path(__file__).parent / "fixtures" / "issued-2026-11-29"


@pytest.mark.parametrize(
    ("name", "first_checks"),
    [
        ("certificate.pdf", ["pdf_signature"]),
        ("certificate.json", ["file_hash"]),
        ("work.c2pa.png", ["c2pa", "c2pa_timestamp", "file_hash"]),
    ],
)
def test_a_certificate_issued_by_an_earlier_version_still_verifies_offline(name: str, first_checks: list[str]) -> None:
    # Made by the platform as it was before the code was reshaped; people hold such files for years.
    args = [str(ISSUED_BEFORE / name), "--trust", str(ISSUED_BEFORE / "trust.json"), "--json"]
    if name == "certificate.json":
        args += ["--file", str(ISSUED_BEFORE / "original.png")]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-m", "artrights.cli", "verify", *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["valid"] and verdict["number"] == "粤数备字-2026-00000001"
    assert verdict["passed"][: len(first_checks)] == first_checks
    assert verdict["passed"][-4:] == ["statement", "inclusion_proof", "checkpoint_signature", "timestamp"]


def test_a_certificate_issued_by_an_earlier_version_is_refused_when_tampered(tmp_path: Path) -> None:
    trust = Trust.load(ISSUED_BEFORE / "trust.json")
    bundle = json.loads((ISSUED_BEFORE / "certificate.json").read_text(encoding="utf-8"))
    bundle["statement"]["number"] = "粤数备字-2026-00000002"
    verdict = verify.verify_bytes(json.dumps(bundle, ensure_ascii=False).encode(), trust)
    assert not verdict.ok and verdict.failed_check == "inclusion_proof"


def test_an_issued_certificate_verifies_and_says_its_owner_was_named_by_commitment_only(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify.main([str(files["pdf"]), "--trust", str(files["trust"])]) == 0
    out = capsys.readouterr().out
    assert "当事人仅以承诺值表示（未公开）" in out and "parties named by commitment only" in out


@pytest.mark.parametrize("name", ["pdf", "json", "image"])
def test_the_owners_openings_file_opens_the_parties_of_each_form_of_the_proof(
    files: dict[str, Path], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [str(files[name]), "--trust", str(files["trust"]), "--openings", str(files["openings"])]
    assert verify.main(args) == 0
    out = capsys.readouterr().out
    assert "已核对当事人：著作权人 深圳市大芬油画艺术有限公司（USCC 91440300MA5F000000）、作者 李明" in out
    assert verify.main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["passed"][-1] == "openings"
    assert report["parties"][0] == {
        "role": "owner",
        "role_label": {"zh": "著作权人", "en": "owner"},
        "opened": True,
        "value": {"name": "深圳市大芬油画艺术有限公司", "id_type": "USCC", "id_number": "91440300MA5F000000"},
    }


@pytest.mark.parametrize("name", ["pdf", "json", "image"])
def test_no_form_of_the_public_proof_carries_the_owners_id_number(files: dict[str, Path], name: str) -> None:
    data = files[name].read_bytes()
    assert b"91440300MA5F000000" not in data and "深圳市大芬油画艺术有限公司".encode() not in data.replace(b" ", b"")


def test_the_command_refuses_openings_that_do_not_match_and_exits_1(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forged = json.loads(files["openings"].read_text(encoding="utf-8"))
    forged["parties"][0]["value"]["id_number"] = "91440300MA5F000001"
    (tmp_path / "forged.json").write_text(json.dumps(forged), encoding="utf-8")
    args = [str(files["pdf"]), "--trust", str(files["trust"]), "--openings", str(tmp_path / "forged.json")]
    assert verify.main(args) == 1
    assert capsys.readouterr().out.startswith("无效 INVALID [openings]:")


def test_the_command_exits_2_when_the_openings_file_cannot_be_read(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [str(files["pdf"]), "--trust", str(files["trust"]), "--openings", str(tmp_path / "missing.json")]
    assert verify.main(args) == 2
    assert "cannot read" in capsys.readouterr().err


def test_a_certificate_issued_by_an_earlier_version_still_names_its_owner_from_its_own_openings() -> None:
    # Those certificates carried the openings inside; they keep verifying, and the verdict says who they name.
    trust = Trust.load(ISSUED_BEFORE / "trust.json")
    verdict = verify.verify_path(ISSUED_BEFORE / "certificate.pdf", trust)
    assert verdict.ok and verdict.parties_opened
    assert "著作权人 林画家（resident_id 11010519491231002X）" in verdict.summary()
