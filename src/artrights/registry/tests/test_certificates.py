"""End to end: a digital filing gets a signed certificate that the offline verifier accepts, and tampering
with any part of it is caught by the named check."""

import json
import subprocess
import sys

import pytest

from artrights.registry import services
from artrights.registry.models import Work
from artrights.registry.verification import platform_trust, verify_upload
from artrights.testing import LIN
from artrights.verify import verify_bytes

from .factories import OWNER, artwork_png, samples, upload, work_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def filed_once(module_db, module_make_user):
    """One digital filing with its certificate, made once (seconds of signing and stamping): the tests only read it."""
    artist = module_make_user("artist-lin", "artist", display_name="林画家", identity=LIN)
    with module_db():
        work = services.file_digital_work(
            user=artist, fields=work_fields(title="深圳湾夜色"), owners=[OWNER], files=samples(31), issue_now=True
        )
    return work.pk


@pytest.fixture
def filed(filed_once):
    work = Work.objects.get(pk=filed_once)
    return work, work.certificates.get()


def test_a_digital_filing_comes_with_a_pdf_certificate_that_verifies_offline(filed):
    work, certificate = filed
    with certificate.pdf.open("rb") as fh:
        pdf = fh.read()
    verdict = verify_bytes(pdf, platform_trust())
    assert verdict.ok, verdict.summary()
    assert verdict.number == work.number
    assert verdict.log_index == work.log_index
    assert {"pdf_signature", "inclusion_proof", "checkpoint_signature", "timestamp"} <= set(verdict.passed)


def test_the_json_bundle_verifies_with_the_original_file_and_fails_with_another(filed):
    _work, certificate = filed
    data = json.dumps(certificate.bundle).encode()
    assert verify_bytes(data, platform_trust(), file_bytes=artwork_png(31)).ok
    verdict = verify_bytes(data, platform_trust(), file_bytes=artwork_png(32))
    assert not verdict.ok and verdict.failed_check == "file_hash"


def test_a_changed_statement_fails_the_statement_or_inclusion_check(filed):
    _work, certificate = filed
    bundle = json.loads(json.dumps(certificate.bundle))
    bundle["statement"]["number"] = bundle["statement"]["number"][:-1] + "9"
    verdict = verify_bytes(json.dumps(bundle).encode(), platform_trust())
    assert not verdict.ok and verdict.failed_check in {"statement", "inclusion_proof"}


def test_a_pdf_with_one_byte_changed_fails_the_signature_check(filed):
    _work, certificate = filed
    with certificate.pdf.open("rb") as fh:
        pdf = bytearray(fh.read())
    pdf[len(pdf) // 3] ^= 0x01
    verdict = verify_bytes(bytes(pdf), platform_trust())
    assert not verdict.ok and verdict.failed_check == "pdf_signature"


def test_the_credentialed_image_verifies_and_carries_the_registration(filed):
    work, certificate = filed
    assert certificate.credentialed_image
    with certificate.credentialed_image.open("rb") as fh:
        image = fh.read()
    verdict = verify_bytes(image, platform_trust())
    assert verdict.ok, verdict.summary()
    assert verdict.number == work.number
    assert verdict.passed[:2] == ["c2pa", "c2pa_timestamp"]  # signed at a time the platform's TSA attests


def test_the_public_verification_page_reports_each_check(client, filed):
    _work, certificate = filed
    with certificate.pdf.open("rb") as fh:
        response = client.post("/verify/", {"file": upload(fh.read(), "cert.pdf", "application/pdf")})
    page = response.content.decode()
    assert "验证通过" in page
    assert "日志包含证明" in page and "可信时间戳" in page
    response = client.post("/verify/", {"file": upload(b'{"format": 1}', "x.json", "application/json")})
    assert "验证未通过" in response.content.decode()


def test_verify_upload_names_the_failed_check_for_a_foreign_image(filed):
    result = verify_upload(artwork_png(5))
    assert not result.valid
    assert result.checks[-1].ok is False


def test_the_offline_command_verifies_without_django_or_a_database(filed, tmp_path):
    _work, certificate = filed
    pdf_path = tmp_path / "certificate.pdf"
    with certificate.pdf.open("rb") as fh:
        pdf_path.write_bytes(fh.read())
    trust_path = tmp_path / "trust.json"
    trust_path.write_text(json.dumps(platform_trust().to_json()))
    code = (
        "import sys; from artrights.cli import main; rc = main(['artrights', 'verify', sys.argv[1], '--trust', "
        "sys.argv[2]]); assert 'django.db' not in sys.modules, 'django was imported'; sys.exit(rc)"
    )
    ok = subprocess.run(
        [sys.executable, "-c", code, str(pdf_path), str(trust_path)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("有效 VALID")
    pdf = bytearray(pdf_path.read_bytes())
    pdf[-300] ^= 0x20
    pdf_path.write_bytes(bytes(pdf))
    bad = subprocess.run(
        [sys.executable, "-c", code, str(pdf_path), str(trust_path)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert bad.returncode == 1
    assert "pdf_signature" in bad.stdout + bad.stderr


def test_verification_also_works_inside_a_running_event_loop(filed):
    import asyncio
    import concurrent.futures

    _work, certificate = filed
    with certificate.pdf.open("rb") as fh:
        pdf = fh.read()

    async def inside_a_loop():
        return verify_bytes(pdf, platform_trust())

    # A thread of its own: on an xdist worker a browser test's Playwright session may keep its event loop
    # running in the main thread, where asyncio.run() refuses to start another.
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        assert thread.submit(asyncio.run, inside_a_loop()).result().ok
