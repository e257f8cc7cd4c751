"""A sealed package checked the way a court or the other side would: by our verifier, named failure by named
failure, and by tools nobody here wrote (py-wacz, warcio, openssl)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest

from artrights.evidence.tests import factories
from artrights.registry.verification import platform_trust
from artrights.timestamps import selectors as tsa_selectors
from artrights.verify import main as verify_main
from artrights.verify import verify_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(artist) -> bytes:
    record = factories.sealed_files(artist)
    with record.package.open("rb") as fh:
        return fh.read()


def _rewritten(data: bytes, name: str, change) -> bytes:
    """The package with member ``name`` changed by ``change`` and re-zipped (its CRC updated, as a forger would)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info, change(body) if info.filename == name else body)
    return out.getvalue()


def _flip(body: bytes) -> bytes:
    middle = len(body) // 2
    return body[:middle] + bytes([body[middle] ^ 0x01]) + body[middle + 1 :]


def _edit_source(body: bytes) -> bytes:
    """A forger's change to the manifest that keeps it valid JSON: another source address."""
    return body.replace(b"shop.example.com", b"shop.examp1e.com")


@pytest.mark.parametrize(
    ("member", "change", "named"),
    [
        ("files/01-screenshot.png", _flip, {"artifacts", "datapackage"}),
        ("archive/data.warc.gz", _flip, {"artifacts", "datapackage", "warc"}),
        ("evidence/manifest.json", _edit_source, {"manifest_timestamp", "manifest_in_log", "datapackage"}),
        ("evidence/manifest.json", _flip, {"manifest"}),
        ("evidence/report.pdf", _flip, {"report", "datapackage"}),
    ],
)
def test_one_changed_byte_in_a_file_is_named_by_the_check_and_the_file(package, member, change, named):
    verdict = verify_bytes(_rewritten(package, member, change), platform_trust())
    assert not verdict.ok
    failures = verdict.failures()
    assert {f.check for f in failures} == named, verdict.summary()
    assert all(f.message_zh and f.message_en for f in failures)
    if named != {"manifest"}:
        assert all(member in f.message_en for f in failures), verdict.summary()


def test_a_byte_changed_in_place_inside_the_zip_names_the_damaged_file(package):
    start = package.index(b"files/01-screenshot.png") + 200
    damaged = package[:start] + bytes([package[start] ^ 0xFF]) + package[start + 1 :]
    verdict = verify_bytes(damaged, platform_trust())
    assert not verdict.ok
    assert any("files/01-screenshot.png" in f.message_en for f in verdict.failures()), verdict.summary()


def test_a_file_added_to_the_package_is_named(package):
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("files/03-planted.png", b"not evidence")
    verdict = verify_bytes(out.getvalue(), platform_trust())
    assert not verdict.ok and "files/03-planted.png" in verdict.summary()


def test_something_that_is_not_a_package_says_so_in_both_languages():
    verdict = verify_bytes(b"PK\x03\x04 not really a zip", platform_trust())
    assert not verdict.ok and verdict.failed_check == "package"
    assert "ZIP" in verdict.message_zh and "ZIP" in verdict.message_en


def test_the_command_line_verifies_a_package_offline_and_prints_each_failure(package, client, tmp_path, capsys):
    (tmp_path / "trust.json").write_bytes(client.get("/verify/trust.json").content)
    (tmp_path / "good.wacz").write_bytes(package)
    assert verify_main([str(tmp_path / "good.wacz"), "--trust", str(tmp_path / "trust.json")]) == 0
    assert "有效 VALID: 电子证据 EV-" in capsys.readouterr().out
    bad = _rewritten(_rewritten(package, "files/01-screenshot.png", _flip), "evidence/report.pdf", _flip)
    (tmp_path / "bad.wacz").write_bytes(bad)
    assert verify_main([str(tmp_path / "bad.wacz"), "--trust", str(tmp_path / "trust.json")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any("[artifacts]" in line and "files/01-screenshot.png" in line for line in lines)
    assert any("[report]" in line for line in lines)


def test_py_wacz_validates_the_package(package, tmp_path):
    from wacz.main import main as wacz_main

    path = tmp_path / "evidence.wacz"
    path.write_bytes(package)
    assert wacz_main(["validate", "-f", str(path)]) == 0


def test_warcio_reads_every_record_of_the_web_archive(package):
    from warcio.archiveiterator import ArchiveIterator

    warc = zipfile.ZipFile(io.BytesIO(package)).read("archive/data.warc.gz")
    records = list(ArchiveIterator(io.BytesIO(warc)))
    kinds = [r.rec_type for r in records]
    assert kinds[0] == "warcinfo" and kinds.count("resource") == 2


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_openssl_accepts_the_manifest_timestamp_and_refuses_a_changed_manifest(package, tmp_path):
    zipfile.ZipFile(io.BytesIO(package)).extractall(tmp_path)
    root = tsa_selectors.trusted_roots()[0]
    from cryptography.hazmat.primitives.serialization import Encoding

    (tmp_path / "tsa-root.pem").write_bytes(root.public_bytes(Encoding.PEM))
    command = [
        "openssl",
        "ts",
        "-verify",
        "-data",
        "evidence/manifest.json",
        "-in",
        "evidence/manifest.tsr",
        "-CAfile",
        "tsa-root.pem",
        "-untrusted",
        "evidence/tsa-chain.pem",
    ]
    ok = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert ok.returncode == 0 and "Verification: OK" in ok.stdout, ok.stdout + ok.stderr
    manifest = tmp_path / "evidence" / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b"screenshot", b"screensh0t"))
    assert subprocess.run(command, cwd=tmp_path, capture_output=True, text=True).returncode != 0
