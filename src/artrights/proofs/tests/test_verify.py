"""Verification of our own tokens: every check is reachable and tampering never goes unnoticed."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

from artrights.proofs.rfc3161 import (
    CHECKS,
    MessageImprint,
    TimeStampAuthority,
    TimestampError,
    build_request,
    verify,
)
from artrights.proofs.rfc3161.authority import _sign_tst_info
from artrights.proofs.tests.rfc3161_support import (
    find,
    flip,
    make_leaf,
    make_root,
    replace_embedded_certificates,
    response_fields,
    sign_token,
    token_of,
    tst_info,
)

ARTWORK = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _error_of(blob: bytes, tsa: TimeStampAuthority, **kwargs: object) -> TimestampError | None:
    options: dict[str, object] = {"data": ARTWORK, "trusted_roots": [tsa.root_certificate]}
    options.update(kwargs)
    try:
        verify(blob, **options)
    except TimestampError as exc:
        return exc
    return None


def _check_of(blob: bytes, tsa: TimeStampAuthority, **kwargs: object) -> str | None:
    error = _error_of(blob, tsa, **kwargs)
    return error.check if error else None


@pytest.fixture
def issued(ecdsa_tsa: TimeStampAuthority) -> tuple[bytes, int]:
    request = build_request(ARTWORK, nonce=0x5EED5EED5EED)
    return ecdsa_tsa.issue(request.to_der()), 0x5EED5EED5EED


def test_an_untouched_token_passes_every_check(issued: tuple[bytes, int], ecdsa_tsa: TimeStampAuthority) -> None:
    response, nonce = issued

    assert _check_of(response, ecdsa_tsa, nonce=nonce) is None


def test_a_token_over_other_bytes_fails_the_imprint_check(
    issued: tuple[bytes, int], ecdsa_tsa: TimeStampAuthority
) -> None:
    assert _check_of(issued[0], ecdsa_tsa, data=ARTWORK + b"\x00") == "imprint"


def test_flipping_any_single_bit_of_the_data_fails_the_imprint_check(
    issued: tuple[bytes, int], ecdsa_tsa: TimeStampAuthority
) -> None:
    response = issued[0]
    for index in range(0, len(ARTWORK), 97):
        for mask in (0x01, 0x80):
            assert _check_of(response, ecdsa_tsa, data=flip(ARTWORK, index, mask)) == "imprint"


def test_a_digest_of_the_wrong_algorithm_fails_the_imprint_check(
    issued: tuple[bytes, int], ecdsa_tsa: TimeStampAuthority
) -> None:
    assert _check_of(issued[0], ecdsa_tsa, data=None, digest=hashlib.sha512(ARTWORK).digest()) == "imprint"


@pytest.mark.slow
# A flipped serial byte in the embedded certificate makes cryptography warn before we reject it.
@pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")
@pytest.mark.parametrize("mask", [0x01, 0x80, 0xFF])
def test_changing_any_byte_of_the_token_fails_verification(any_tsa: TimeStampAuthority, mask: int) -> None:
    token = token_of(any_tsa.issue(build_request(ARTWORK, nonce=99).to_der()))
    assert _check_of(token, any_tsa, nonce=99) is None

    checks = [_check_of(flip(token, index, mask), any_tsa, nonce=99) for index in range(len(token))]

    assert None not in checks
    assert set(checks) <= set(CHECKS)


@pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")
@pytest.mark.parametrize("mask", [0x01, 0x80, 0xFF])
def test_changing_any_byte_of_the_response_fails_verification_except_granted_with_mods(
    ecdsa_tsa: TimeStampAuthority, mask: int
) -> None:
    response = ecdsa_tsa.issue(build_request(ARTWORK, nonce=99).to_der())

    passed = [
        index for index in range(len(response)) if _check_of(flip(response, index, mask), ecdsa_tsa, nonce=99) is None
    ]

    # The one unsigned value that may change: PKIStatus granted (0) -> grantedWithMods (1),
    # which RFC 3161 accepts; the token inside is then byte-for-byte the original.
    assert len(passed) <= 1
    for index in passed:
        mutated = flip(response, index, mask)
        assert response_fields(mutated)[0] == "granted_with_mods"
        assert token_of(mutated) == token_of(response)


def test_truncating_or_extending_the_response_fails_the_format_check(
    issued: tuple[bytes, int], ecdsa_tsa: TimeStampAuthority
) -> None:
    response = issued[0]

    assert _check_of(response[:-1], ecdsa_tsa) == "format"
    assert _check_of(response + b"\x00", ecdsa_tsa) == "format"
    assert _check_of(b"", ecdsa_tsa) == "format"


def test_tampering_with_signed_fields_is_reported_as_the_right_check(
    issued: tuple[bytes, int], ecdsa_tsa: TimeStampAuthority
) -> None:
    response, nonce = issued
    token = token_of(response)
    content_info = asn1_cms.ContentInfo.load(token)
    signer_info = content_info["content"]["signer_infos"][0]
    signature = bytes(signer_info["signature"].native)
    imprint = hashlib.sha256(ARTWORK).digest()
    nonce_bytes = nonce.to_bytes(6, "big")

    # The imprint is compared with the data before anything else.
    assert _check_of(flip(token, find(token, imprint) + 5), ecdsa_tsa) == "imprint"
    # The nonce and genTime sit in the TSTInfo covered by the message-digest attribute.
    assert _check_of(flip(token, find(token, nonce_bytes) + 2), ecdsa_tsa, nonce=nonce) == "signature"
    gen_time = content_info["content"]["encap_content_info"]["content"].parsed["gen_time"]
    assert _check_of(flip(token, find(token, gen_time.contents) + 11), ecdsa_tsa) == "signature"
    # The signature value itself.
    assert _check_of(flip(token, find(token, signature) + len(signature) // 2), ecdsa_tsa) == "signature"


def test_a_token_re_signed_by_another_tsa_fails_the_chain_check(
    ecdsa_tsa: TimeStampAuthority, rsa_tsa: TimeStampAuthority
) -> None:
    response = rsa_tsa.issue(MessageImprint.of(ARTWORK))

    assert _check_of(response, ecdsa_tsa) == "chain"


def test_using_another_root_fails_the_chain_check(
    issued: tuple[bytes, int], ecdsa_tsa: TimeStampAuthority, rsa_tsa: TimeStampAuthority
) -> None:
    assert _check_of(issued[0], ecdsa_tsa, trusted_roots=[rsa_tsa.root_certificate]) == "chain"


def test_pinning_the_tsa_certificate_as_the_trust_anchor_is_accepted(
    issued: tuple[bytes, int], ecdsa_tsa: TimeStampAuthority, rsa_tsa: TimeStampAuthority
) -> None:
    # Trusting exactly one TSA certificate is a legitimate deployment (Sigstore pins leaves);
    # a different pinned certificate still fails.
    result = verify(issued[0], data=ARTWORK, trusted_roots=[ecdsa_tsa.certificate])

    assert result.chain == (ecdsa_tsa.certificate,)
    assert _check_of(issued[0], ecdsa_tsa, trusted_roots=[rsa_tsa.certificate]) == "chain"


def test_a_wrong_nonce_fails_the_nonce_check(issued: tuple[bytes, int], ecdsa_tsa: TimeStampAuthority) -> None:
    assert _check_of(issued[0], ecdsa_tsa, nonce=issued[1] + 1) == "nonce"


def test_expecting_a_nonce_from_a_token_without_one_fails_the_nonce_check(
    ecdsa_tsa: TimeStampAuthority,
) -> None:
    response = ecdsa_tsa.issue(MessageImprint.of(ARTWORK))

    assert _check_of(response, ecdsa_tsa, nonce=1) == "nonce"


def test_a_substituted_certificate_with_the_same_key_fails_the_signer_certificate_check(
    issued: tuple[bytes, int], ecdsa_tsa: TimeStampAuthority
) -> None:
    # Same key, issuer and serial, different validity: only ESSCertIDv2 tells them apart.
    original = ecdsa_tsa.certificate
    look_alike = (
        x509.CertificateBuilder()
        .subject_name(original.subject)
        .issuer_name(original.issuer)
        .public_key(original.public_key())
        .serial_number(original.serial_number)
        .not_valid_before(original.not_valid_before_utc - dt.timedelta(days=1))
        .not_valid_after(original.not_valid_after_utc)
        .sign(ecdsa_tsa._key, hashes.SHA256())
    )
    token = replace_embedded_certificates(token_of(issued[0]), [look_alike])

    assert _check_of(token, ecdsa_tsa) == "signer_certificate"
    # The same surgery with the genuine certificate leaves a valid token: the helper is sound.
    assert _check_of(replace_embedded_certificates(token_of(issued[0]), [original]), ecdsa_tsa) is None


def test_a_tsa_certificate_without_timestamping_eku_fails_the_eku_check() -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    root_key, root = make_root(not_before=now - dt.timedelta(days=1))
    for eku, critical in [
        ([ExtendedKeyUsageOID.SERVER_AUTH], True),
        ([ExtendedKeyUsageOID.TIME_STAMPING], False),
        ([ExtendedKeyUsageOID.TIME_STAMPING, ExtendedKeyUsageOID.CODE_SIGNING], True),
        ([], True),
    ]:
        key, leaf = make_leaf(
            root_key,
            root,
            not_before=now - dt.timedelta(days=1),
            not_after=now + dt.timedelta(days=1),
            eku=eku,
            eku_critical=critical,
        )
        token = sign_token(tst_info(data=ARTWORK, gen_time=now), key, leaf)

        with pytest.raises(TimestampError) as caught:
            verify(token, data=ARTWORK, trusted_roots=[root])
        assert caught.value.check == "eku", (eku, critical)


def test_a_token_dated_outside_the_tsa_certificate_validity_fails_the_validity_check() -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    root_key, root = make_root(not_before=now - dt.timedelta(days=30))
    key, leaf = make_leaf(root_key, root, not_before=now - dt.timedelta(days=10), not_after=now - dt.timedelta(days=5))

    after_expiry = sign_token(tst_info(data=ARTWORK, gen_time=now - dt.timedelta(days=1)), key, leaf)
    before_issue = sign_token(tst_info(data=ARTWORK, gen_time=now - dt.timedelta(days=11)), key, leaf)
    inside = sign_token(tst_info(data=ARTWORK, gen_time=now - dt.timedelta(days=7)), key, leaf)

    for token in (after_expiry, before_issue):
        with pytest.raises(TimestampError) as caught:
            verify(token, data=ARTWORK, trusted_roots=[root])
        assert caught.value.check == "validity"
    # Expired now, valid at genTime: still a good token.
    assert verify(inside, data=ARTWORK, trusted_roots=[root]).gen_time == now - dt.timedelta(days=7)


def test_a_genTime_before_the_root_was_valid_fails_the_validity_check() -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    root_key, root = make_root(not_before=now - dt.timedelta(days=2))
    key, leaf = make_leaf(root_key, root, not_before=now - dt.timedelta(days=30), not_after=now + dt.timedelta(days=1))
    token = sign_token(tst_info(data=ARTWORK, gen_time=now - dt.timedelta(days=10)), key, leaf)

    with pytest.raises(TimestampError) as caught:
        verify(token, data=ARTWORK, trusted_roots=[root])

    assert caught.value.check == "validity"


def test_a_token_from_the_future_fails_the_validity_check(ecdsa_tsa: TimeStampAuthority) -> None:
    moment = dt.datetime.now(dt.UTC)
    response = ecdsa_tsa.issue(MessageImprint.of(ARTWORK), now=moment)

    assert _check_of(response, ecdsa_tsa, now=moment - dt.timedelta(minutes=10)) == "validity"
    assert _check_of(response, ecdsa_tsa, now=moment - dt.timedelta(minutes=1)) is None


def test_a_rejection_response_fails_the_status_check(ecdsa_tsa: TimeStampAuthority) -> None:
    response = ecdsa_tsa.issue(b"\x30\x00")

    assert _check_of(response, ecdsa_tsa) == "status"


def test_checks_are_reported_in_the_documented_order(
    ecdsa_tsa: TimeStampAuthority, rsa_tsa: TimeStampAuthority
) -> None:
    # A token that is wrong in several ways reports the earliest failing check.
    response = ecdsa_tsa.issue(build_request(ARTWORK, nonce=5).to_der())

    assert _check_of(response, ecdsa_tsa, data=b"other", trusted_roots=[rsa_tsa.root_certificate], nonce=6) == "imprint"
    assert _check_of(response, ecdsa_tsa, trusted_roots=[rsa_tsa.root_certificate], nonce=6) == "chain"
    assert _check_of(response, ecdsa_tsa, nonce=6, policy="2.999.2") == "nonce"
    assert CHECKS.index("imprint") < CHECKS.index("chain") < CHECKS.index("nonce")


def test_verify_needs_exactly_one_of_data_and_digest_and_some_root(issued: tuple[bytes, int]) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        verify(issued[0], trusted_roots=[])
    with pytest.raises(ValueError, match="trusted root"):
        verify(issued[0], data=ARTWORK, trusted_roots=[])


def test_the_verified_token_is_the_der_content_info_for_storage(
    issued: tuple[bytes, int], ecdsa_tsa: TimeStampAuthority
) -> None:
    result = verify(issued[0], data=ARTWORK, trusted_roots=[ecdsa_tsa.root_certificate])

    assert result.token == token_of(issued[0])
    assert verify(result.token, data=ARTWORK, trusted_roots=[ecdsa_tsa.root_certificate]) == result
    assert result.signer_certificate.public_bytes(serialization.Encoding.DER) in result.token


def test_a_signer_identified_by_subject_key_identifier_is_found(ecdsa_tsa: TimeStampAuthority) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    token = _sign_tst_info(
        tst_info(data=ARTWORK, gen_time=now), ecdsa_tsa._key, ecdsa_tsa.certificate, identify_by_key_id=True
    )
    signer_info = asn1_cms.ContentInfo.load(token)["content"]["signer_infos"][0]
    assert (signer_info["version"].native, signer_info["sid"].name) == ("v3", "subject_key_identifier")

    result = verify(token, data=ARTWORK, trusted_roots=[ecdsa_tsa.root_certificate])

    assert result.signer_certificate == ecdsa_tsa.certificate


def test_a_token_with_a_signer_info_version_that_does_not_fit_its_sid_fails_the_format_check(
    ecdsa_tsa: TimeStampAuthority,
) -> None:
    token = token_of(ecdsa_tsa.issue(MessageImprint.of(ARTWORK)))
    content_info = asn1_cms.ContentInfo.load(token)
    content_info["content"]["signer_infos"][0]["version"] = "v3"

    error = _error_of(bytes(content_info.dump(force=True)), ecdsa_tsa)

    assert error is not None
    assert (error.check, "SignerInfo version must be v1" in error.message) == ("format", True), error


def test_a_token_with_two_signers_fails_the_format_check(ecdsa_tsa: TimeStampAuthority) -> None:
    token = token_of(ecdsa_tsa.issue(MessageImprint.of(ARTWORK)))
    content_info = asn1_cms.ContentInfo.load(token)
    signer_infos = content_info["content"]["signer_infos"]
    content_info["content"]["signer_infos"] = [signer_infos[0], signer_infos[0]]

    error = _error_of(bytes(content_info.dump(force=True)), ecdsa_tsa)

    assert error is not None
    assert (error.check, "2 signers" in error.message) == ("format", True), error


def test_a_token_whose_content_is_not_tst_info_fails_the_format_check(ecdsa_tsa: TimeStampAuthority) -> None:
    token = token_of(ecdsa_tsa.issue(MessageImprint.of(ARTWORK)))
    content_info = asn1_cms.ContentInfo.load(token)
    content_info["content"]["encap_content_info"]["content_type"] = "data"

    error = _error_of(bytes(content_info.dump(force=True)), ecdsa_tsa)

    assert error is not None
    assert (error.check, "not id-ct-TSTInfo" in error.message) == ("format", True), error


def test_an_ecdsa_signature_presented_as_rsa_fails_the_signature_check(ecdsa_tsa: TimeStampAuthority) -> None:
    token = token_of(ecdsa_tsa.issue(MessageImprint.of(ARTWORK)))
    content_info = asn1_cms.ContentInfo.load(token)
    content_info["content"]["signer_infos"][0]["signature_algorithm"] = {"algorithm": "sha256_rsa"}

    error = _error_of(bytes(content_info.dump(force=True)), ecdsa_tsa)

    assert error is not None
    assert (error.check, "does not fit" in error.message) == ("signature", True), error
