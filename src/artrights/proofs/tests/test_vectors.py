"""The public trailofbits/rfc3161-client fixtures: each verifies or fails exactly as its name says.

Which data each token covers: every token is over ``hello.txt`` except the sigstore.mock one,
which covers ``sigstore.mock/payload``. Which chain validates it: the last certificate of each
folder's ``ts_chain.pem`` is the root (``identrust/ts_chain.pem`` is the DER IdenTrust root).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509

from artrights.proofs.rfc3161 import TimestampError, VerifiedTimestamp, parse_request, verify


def _pem(path: Path) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(path.read_bytes())


@dataclass(frozen=True)
class Case:
    token: str
    data: str = "hello.txt"
    chain: str = ""
    with_tsa_cert: bool = False
    with_intermediates: bool = False
    failing_check: str | None = None


def _roots_and_extras(vectors: Path, case: Case) -> dict[str, object]:
    folder = vectors / case.token.split("/")[0]
    if folder.name == "identrust":
        return {"trusted_roots": [x509.load_der_x509_certificate((folder / "ts_chain.pem").read_bytes())]}
    chain = _pem(folder / "ts_chain.pem")
    extras: dict[str, object] = {"trusted_roots": [chain[-1]]}
    if case.with_tsa_cert:
        extras["tsa_certificate"] = chain[0]
    if case.with_intermediates:
        extras["intermediates"] = chain[1:-1]
    return extras


CASES = [
    # Signed by an RSA TSA whose certificate expired in January 2026; genTime (March 2025) is
    # inside its validity, so the token must still verify. The leaf is not the first certificate.
    Case("identrust/issue-104.tsr"),
    Case("sigstage/response-sha256.tsr"),
    Case("sigstage/response-sha384.tsr"),
    Case("sigstage/response-sha512.tsr"),
    Case("sigstage/response-sha256.tsr", with_tsa_cert=True),
    Case("sigstage/response-invalid-signature.tsr", failing_check="signature"),
    Case("sigstage/response-invalid-signature.tsr", with_tsa_cert=True, failing_check="signature"),
    # The certificate is left out of the token: unverifiable alone, fine once supplied.
    Case("sigstage/response-no-embedded-cert.tsr", failing_check="signer_certificate"),
    Case("sigstage/response-no-embedded-cert.tsr", with_tsa_cert=True),
    # "Expired": the chain expired in 2024, but genTime (2023-02-01) lies inside its validity.
    Case("sigstore.mock/response-expired.tsr", data="sigstore.mock/payload", with_tsa_cert=True),
    Case("sigstore.mock/response-expired.tsr", data="sigstore.mock/payload", failing_check="signer_certificate"),
    Case("test_tsa/response.tsr", with_intermediates=True),
    # Without the intermediate there is no path from the leaf to the root.
    Case("test_tsa/response.tsr", failing_check="chain"),
    # Carries an extra "Spoofed TSA" certificate; the real signer must still be found.
    Case("test_tsa/response-injected-certs.tsr", with_intermediates=True),
    # Signed by a self-issued look-alike of the test TSA certificate.
    Case("test_tsa/other_response.tsr", with_intermediates=True, failing_check="chain"),
]


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=[f"{c.token}{'+tsa' if c.with_tsa_cert else ''}{'+ica' if c.with_intermediates else ''}" for c in CASES],
)
def test_each_vector_verifies_or_fails_as_its_name_says(rfc3161_vectors: Path, case: Case) -> None:
    blob = (rfc3161_vectors / case.token).read_bytes()
    data = (rfc3161_vectors / case.data).read_bytes()
    kwargs = _roots_and_extras(rfc3161_vectors, case)

    if case.failing_check is None:
        result = verify(blob, data=data, **kwargs)
        assert result.signer_certificate in result.chain
        assert result.chain[-1] in kwargs["trusted_roots"]  # type: ignore[operator]
    else:
        with pytest.raises(TimestampError) as caught:
            verify(blob, data=data, **kwargs)
        assert caught.value.check == case.failing_check


def _verify_vector(vectors: Path, token: str, **overrides: object) -> VerifiedTimestamp:
    kwargs: dict[str, object] = {"data": (vectors / "hello.txt").read_bytes()}
    kwargs.update(_roots_and_extras(vectors, Case(token, with_intermediates=True, with_tsa_cert=True)))
    kwargs.update(overrides)
    return verify((vectors / token).read_bytes(), **kwargs)


@pytest.mark.parametrize(
    ("token", "hash_alg"),
    [
        ("sigstage/response-sha256.tsr", "sha256"),
        ("sigstage/response-sha384.tsr", "sha384"),
        ("sigstage/response-sha512.tsr", "sha512"),
        ("test_tsa/response.tsr", "sha512"),
    ],
)
def test_vector_tokens_report_their_hash_and_verify_by_digest_too(
    rfc3161_vectors: Path, token: str, hash_alg: str
) -> None:
    digest = hashlib.new(hash_alg, (rfc3161_vectors / "hello.txt").read_bytes()).digest()

    by_data = _verify_vector(rfc3161_vectors, token)
    by_digest = _verify_vector(rfc3161_vectors, token, data=None, digest=digest)

    assert by_data.hash_alg == by_digest.hash_alg == hash_alg
    assert by_data.message_digest == digest
    assert by_data == by_digest


def test_the_sigstage_sha256_token_reports_what_openssl_prints(rfc3161_vectors: Path) -> None:
    result = _verify_vector(rfc3161_vectors, "sigstage/response-sha256.tsr")

    assert result.gen_time == dt.datetime(2025, 5, 9, 11, 58, 55, tzinfo=dt.UTC)
    assert result.serial == 0x784B4C5E57AAA63B570F15CBA4DF95251668AE9E
    assert result.policy == "1.3.6.1.4.1.57264.2"
    assert result.nonce == 0x051708B19A1D2E209C2236FFC3238BF24DCECC40
    assert result.accuracy == dt.timedelta(seconds=1)
    assert result.ordering is False
    assert result.tsa_name == "Common Name: sigstore-tsa, Organization: sigstore.dev"


def test_the_identrust_token_is_sha512_with_the_requested_nonce_and_rsa_signer(
    rfc3161_vectors: Path,
) -> None:
    result = verify(
        (rfc3161_vectors / "identrust/issue-104.tsr").read_bytes(),
        digest=hashlib.sha512(b"hello").digest(),
        trusted_roots=_roots_and_extras(rfc3161_vectors, Case("identrust/x"))["trusted_roots"],
    )

    assert result.hash_alg == "sha512"
    assert result.nonce == 0x75C3B3214AC39FBB
    assert result.signer_certificate.subject.rfc4514_string() == "CN=TrustID Timestamp Authority,O=IdenTrust,C=US"
    # Expired today, valid at genTime: certificates are judged at genTime.
    assert result.signer_certificate.not_valid_after_utc < dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    assert result.signer_certificate.not_valid_before_utc <= result.gen_time


def test_the_test_tsa_response_matches_its_request_nonce(rfc3161_vectors: Path) -> None:
    request = parse_request((rfc3161_vectors / "test_tsa/request.der").read_bytes())

    result = _verify_vector(rfc3161_vectors, "test_tsa/response.tsr", nonce=request.nonce)

    assert result.nonce == request.nonce


def test_a_vector_checked_against_another_request_nonce_fails_the_nonce_check(rfc3161_vectors: Path) -> None:
    other = parse_request((rfc3161_vectors / "test_tsa/other_request.der").read_bytes())

    with pytest.raises(TimestampError) as caught:
        _verify_vector(rfc3161_vectors, "test_tsa/response.tsr", nonce=other.nonce)

    assert caught.value.check == "nonce"


def test_a_vector_over_other_bytes_fails_the_imprint_check(rfc3161_vectors: Path) -> None:
    with pytest.raises(TimestampError) as caught:
        _verify_vector(rfc3161_vectors, "sigstage/response-sha384.tsr", data=b"hello\n")

    assert caught.value.check == "imprint"


def test_a_vector_under_another_folders_root_fails_the_chain_check(rfc3161_vectors: Path) -> None:
    test_tsa_root = _pem(rfc3161_vectors / "test_tsa/ts_chain.pem")[-1]

    with pytest.raises(TimestampError) as caught:
        _verify_vector(rfc3161_vectors, "sigstage/response-sha256.tsr", trusted_roots=[test_tsa_root])

    assert caught.value.check == "chain"


def test_a_supplied_tsa_certificate_that_did_not_sign_fails_the_signer_certificate_check(
    rfc3161_vectors: Path,
) -> None:
    test_tsa_leaf = _pem(rfc3161_vectors / "test_tsa/ts_chain.pem")[0]

    with pytest.raises(TimestampError) as caught:
        _verify_vector(rfc3161_vectors, "sigstage/response-sha256.tsr", tsa_certificate=test_tsa_leaf)

    assert caught.value.check == "signer_certificate"


def test_a_vector_whose_policy_differs_from_the_expected_one_fails_the_policy_check(
    rfc3161_vectors: Path,
) -> None:
    with pytest.raises(TimestampError) as caught:
        _verify_vector(rfc3161_vectors, "sigstage/response-sha256.tsr", policy="2.999.1")

    assert caught.value.check == "policy"


def test_a_vector_token_dated_after_now_fails_the_validity_check(rfc3161_vectors: Path) -> None:
    payload = (rfc3161_vectors / "sigstore.mock/payload").read_bytes()
    chain = _pem(rfc3161_vectors / "sigstore.mock/ts_chain.pem")
    blob = (rfc3161_vectors / "sigstore.mock/response-expired.tsr").read_bytes()
    before_gen_time = dt.datetime(2023, 1, 31, 23, 0, tzinfo=dt.UTC)

    with pytest.raises(TimestampError) as caught:
        verify(blob, data=payload, trusted_roots=[chain[-1]], tsa_certificate=chain[0], now=before_gen_time)

    assert caught.value.check == "validity"
    assert "future" in caught.value.message
