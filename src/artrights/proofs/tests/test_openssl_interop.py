"""Our tokens against the reference implementation: the ``openssl ts`` command line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from artrights.proofs.rfc3161 import (
    CounterSerials,
    MessageImprint,
    TimeStampAuthority,
    build_request,
    verify,
)
from artrights.proofs.tests.rfc3161_support import TEST_POLICY, flip, token_of

ARTWORK = "登记作品 — artwork bytes\n".encode() * 50


def _files(tmp_path: Path, tsa: TimeStampAuthority, response: bytes, data: bytes = ARTWORK) -> dict[str, Path]:
    files = {
        "data": tmp_path / "artwork.bin",
        "tsr": tmp_path / "token.tsr",
        "root": tmp_path / "root.pem",
        "tsa": tmp_path / "tsa.pem",
    }
    files["data"].write_bytes(data)
    files["tsr"].write_bytes(response)
    files["root"].write_bytes(tsa.root_certificate_pem)
    files["tsa"].write_bytes(tsa.certificate_pem)
    return files


def _openssl_verify(openssl: str, files: dict[str, Path], *extra: str) -> subprocess.CompletedProcess[str]:
    """Exactly the documented command: openssl ts -verify -data FILE -in TOKEN.tsr -CAfile root.pem
    -untrusted tsa.pem (``extra`` replaces -data when given)."""
    source = list(extra) or ["-data", str(files["data"])]
    return subprocess.run(
        [
            openssl,
            "ts",
            "-verify",
            *source,
            "-in",
            str(files["tsr"]),
            "-CAfile",
            str(files["root"]),
            "-untrusted",
            str(files["tsa"]),
        ],
        capture_output=True,
        text=True,
    )


@pytest.fixture(params=["ecdsa-p256", "rsa-pkcs1v15"])
def openssl_tsa(
    request: pytest.FixtureRequest, ecdsa_tsa: TimeStampAuthority, rsa_tsa: TimeStampAuthority
) -> TimeStampAuthority:
    return {"ecdsa-p256": ecdsa_tsa, "rsa-pkcs1v15": rsa_tsa}[request.param]


@pytest.mark.parametrize("hash_alg", ["sha256", "sha384", "sha512"])
def test_openssl_ts_verify_accepts_our_token_and_so_do_we(
    tmp_path: Path, openssl: str, openssl_tsa: TimeStampAuthority, hash_alg: str
) -> None:
    response = openssl_tsa.issue(build_request(ARTWORK, hash_alg=hash_alg).to_der())
    files = _files(tmp_path, openssl_tsa, response)

    result = _openssl_verify(openssl, files)

    assert result.returncode == 0, result.stderr
    assert "Verification: OK" in result.stdout
    assert verify(response, data=ARTWORK, trusted_roots=[openssl_tsa.root_certificate]).hash_alg == hash_alg


def test_openssl_ts_verify_accepts_the_bare_token_too(
    tmp_path: Path, openssl: str, openssl_tsa: TimeStampAuthority
) -> None:
    files = _files(tmp_path, openssl_tsa, b"")
    files["tsr"].write_bytes(token_of(openssl_tsa.issue(MessageImprint.of(ARTWORK))))

    result = _openssl_verify(openssl, files, "-data", str(files["data"]), "-token_in")

    assert result.returncode == 0, result.stderr


def test_openssl_ts_verify_rejects_our_token_for_other_data(
    tmp_path: Path, openssl: str, openssl_tsa: TimeStampAuthority
) -> None:
    response = openssl_tsa.issue(MessageImprint.of(ARTWORK))
    files = _files(tmp_path, openssl_tsa, response, data=flip(ARTWORK, 10))

    result = _openssl_verify(openssl, files)

    assert result.returncode != 0
    assert "message imprint mismatch" in result.stderr


def test_openssl_ts_verify_rejects_our_token_under_another_root(
    tmp_path: Path, openssl: str, ecdsa_tsa: TimeStampAuthority, rsa_tsa: TimeStampAuthority
) -> None:
    files = _files(tmp_path, ecdsa_tsa, ecdsa_tsa.issue(MessageImprint.of(ARTWORK)))
    files["root"].write_bytes(rsa_tsa.root_certificate_pem)

    result = _openssl_verify(openssl, files)

    assert result.returncode != 0
    assert "Verification: FAILED" in result.stdout


def test_openssl_ts_verify_rejects_a_token_with_a_flipped_signature_byte(
    tmp_path: Path, openssl: str, ecdsa_tsa: TimeStampAuthority
) -> None:
    response = ecdsa_tsa.issue(MessageImprint.of(ARTWORK))
    files = _files(tmp_path, ecdsa_tsa, flip(response, len(response) - 5))

    assert _openssl_verify(openssl, files).returncode != 0


def test_a_query_from_openssl_is_answered_and_openssl_checks_the_answer_against_it(
    tmp_path: Path, openssl: str, openssl_tsa: TimeStampAuthority
) -> None:
    files = _files(tmp_path, openssl_tsa, b"")
    query = tmp_path / "query.tsq"
    subprocess.run(
        [openssl, "ts", "-query", "-data", str(files["data"]), "-sha512", "-cert", "-out", str(query)],
        capture_output=True,
        check=True,
    )
    files["tsr"].write_bytes(openssl_tsa.issue(query.read_bytes()))

    # -queryfile makes openssl compare imprint and nonce with the query it sent.
    result = _openssl_verify(openssl, files, "-queryfile", str(query))

    assert result.returncode == 0, result.stderr


def test_openssl_prints_our_policy_serial_nonce_and_tsa_name(
    tmp_path: Path, openssl: str, ecdsa_tsa: TimeStampAuthority
) -> None:
    response = ecdsa_tsa.issue(build_request(ARTWORK, nonce=0xFEEDBEEF).to_der())
    serial = verify(response, data=ARTWORK, trusted_roots=[ecdsa_tsa.root_certificate]).serial
    path = tmp_path / "token.tsr"
    path.write_bytes(response)

    text = subprocess.run(
        [openssl, "ts", "-reply", "-in", str(path), "-text"], capture_output=True, text=True, check=True
    ).stdout

    assert "Status: Granted." in text
    assert f"Policy OID: {TEST_POLICY}" in text
    assert "Nonce: 0xFEEDBEEF" in text
    assert f"Serial number: 0x{serial:02X}" in text
    assert "Accuracy: 0x01 seconds" in text
    assert "TSA: DirName:/O=ArtRights/CN=ArtRights Time-Stamping Authority" in text


def test_openssl_reads_our_rejection_with_its_fail_info(
    tmp_path: Path, openssl: str, ecdsa_tsa: TimeStampAuthority
) -> None:
    path = tmp_path / "rejection.tsr"
    path.write_bytes(ecdsa_tsa.issue(build_request(ARTWORK, policy="2.999.42").to_der()))

    text = subprocess.run(
        [openssl, "ts", "-reply", "-in", str(path), "-text"], capture_output=True, text=True, check=True
    ).stdout

    assert "Status: Rejected." in text
    assert "the requested TSA policy is not supported by the TSA" in text


def test_openssl_cms_accepts_the_signature_of_an_rsa_pss_token(
    tmp_path: Path, openssl: str, rsa_pss_tsa: TimeStampAuthority
) -> None:
    # OpenSSL's "ts" code path goes through the old PKCS7 API, which has no RSA-PSS; its CMS
    # code does, so the PSS signature and signed attributes are checked there instead.
    token = tmp_path / "token.der"
    token.write_bytes(token_of(rsa_pss_tsa.issue(MessageImprint.of(ARTWORK))))
    root = tmp_path / "root.pem"
    root.write_bytes(rsa_pss_tsa.root_certificate.public_bytes(serialization.Encoding.PEM))

    result = subprocess.run(
        [
            openssl,
            "cms",
            "-verify",
            "-inform",
            "DER",
            "-in",
            str(token),
            "-CAfile",
            str(root),
            "-purpose",
            "any",
            "-out",
            str(tmp_path / "tstinfo.der"),
        ],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "Verification successful" in result.stderr


def test_a_tsa_reloaded_from_pem_still_satisfies_openssl(
    tmp_path: Path, openssl: str, ecdsa_tsa: TimeStampAuthority
) -> None:
    reloaded = TimeStampAuthority.from_pem(
        ecdsa_tsa.private_key_pem(b"pw"),
        ecdsa_tsa.certificate_pem,
        ecdsa_tsa.root_certificate_pem,
        password=b"pw",
        policy_oid=TEST_POLICY,
        serial_source=CounterSerials(start=2**70),
    )
    files = _files(tmp_path, reloaded, reloaded.issue(MessageImprint.of(ARTWORK, "sha384")))

    assert _openssl_verify(openssl, files).returncode == 0
