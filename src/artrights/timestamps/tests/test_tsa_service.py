"""The platform's built-in TSA: served over HTTP, persisted across restarts, verifiable with OpenSSL."""

import shutil
import subprocess
from pathlib import Path

import pytest

from artrights.proofs import rfc3161
from artrights.timestamps import keys, selectors, services

pytestmark = pytest.mark.django_db


def _openssl_ts_verify(folder: Path) -> subprocess.CompletedProcess[str]:
    """`openssl ts -verify` of token.tsr over data.bin, trusting root.pem with tsa.pem as intermediate."""
    return subprocess.run(
        [
            "openssl",
            "ts",
            "-verify",
            "-data",
            "data.bin",
            "-in",
            "token.tsr",
            "-CAfile",
            "root.pem",
            "-untrusted",
            "tsa.pem",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
    )


def test_the_tsa_endpoint_answers_a_query_with_a_token_openssl_accepts(client, tmp_path):
    data = "粤作登字-2026-F-00000001 的登记声明".encode()
    request = rfc3161.build_request(data, cert_req=True)
    response = client.post("/tsa/", data=request.to_der(), content_type="application/timestamp-query")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/timestamp-reply"
    verified = rfc3161.verify(response.content, data=data, trusted_roots=selectors.trusted_roots(), nonce=request.nonce)
    assert verified.serial > 0
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    (tmp_path / "data.bin").write_bytes(data)
    (tmp_path / "token.tsr").write_bytes(response.content)
    (tmp_path / "root.pem").write_bytes(client.get("/tsa/root.pem").content)
    (tmp_path / "tsa.pem").write_bytes(client.get("/tsa/tsa.pem").content)
    ok = _openssl_ts_verify(tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Verification: OK" in ok.stdout
    (tmp_path / "data.bin").write_bytes(data + b"!")
    bad = _openssl_ts_verify(tmp_path)
    assert bad.returncode != 0


def test_a_query_with_the_wrong_content_type_or_garbage_is_refused_clearly(client):
    assert client.post("/tsa/", data=b"hello", content_type="text/plain").status_code == 415
    response = client.post("/tsa/", data=b"\x30\x03\x02\x01\x01", content_type="application/timestamp-query")
    assert response.status_code == 200  # RFC 3161 answers in its own terms: a rejection response
    with pytest.raises(rfc3161.TimestampError) as err:
        rfc3161.verify(response.content, data=b"x", trusted_roots=selectors.trusted_roots())
    assert err.value.check == "status"


def test_serials_increase_and_the_key_survives_a_restart(settings):
    first = rfc3161.verify(services.stamp(b"a"), data=b"a", trusted_roots=selectors.trusted_roots())
    keys._load.cache_clear()  # as a new process would
    second = rfc3161.verify(services.stamp(b"b"), data=b"b", trusted_roots=selectors.trusted_roots())
    assert second.serial > first.serial
    assert first.signer_certificate == second.signer_certificate
