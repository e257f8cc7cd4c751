from __future__ import annotations

import datetime as dt
import hashlib
import itertools

import pytest
from asn1crypto import tsp as asn1_tsp
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from artrights.proofs.rfc3161 import (
    CounterSerials,
    MessageImprint,
    TimeStampAuthority,
    TimestampError,
    build_request,
    verify,
)
from artrights.proofs.tests.rfc3161_support import (
    HELLO,
    TEST_POLICY,
    make_leaf,
    make_root,
    response_fields,
    token_of,
)


def _tst_info(response: bytes) -> asn1_tsp.TSTInfo:
    token = asn1_tsp.TimeStampResp.load(response)["time_stamp_token"]
    return token["content"]["encap_content_info"]["content"].parsed


def test_a_token_from_each_key_type_verifies_with_our_verifier(any_tsa: TimeStampAuthority) -> None:
    request = build_request(HELLO)

    result = verify(
        any_tsa.issue(request.to_der()),
        data=HELLO,
        trusted_roots=[any_tsa.root_certificate],
        nonce=request.nonce,
    )

    assert result.signer_certificate == any_tsa.certificate
    assert result.chain == (any_tsa.certificate, any_tsa.root_certificate)
    assert result.policy == TEST_POLICY
    assert result.nonce == request.nonce


def test_the_generated_keys_are_p256_and_rsa_3072(ecdsa_tsa: TimeStampAuthority, rsa_tsa: TimeStampAuthority) -> None:
    ec_key = ecdsa_tsa.certificate.public_key()
    rsa_key = rsa_tsa.certificate.public_key()

    assert isinstance(ec_key, ec.EllipticCurvePublicKey) and ec_key.curve.name == "secp256r1"
    assert isinstance(rsa_key, rsa.RSAPublicKey) and rsa_key.key_size == 3072


def test_the_tsa_certificate_has_only_a_critical_timestamping_eku(ecdsa_tsa: TimeStampAuthority) -> None:
    eku = ecdsa_tsa.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)

    assert eku.critical is True
    assert list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    ku = ecdsa_tsa.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and not ku.key_cert_sign


def test_the_root_is_a_self_signed_ca_that_issued_the_tsa_certificate(ecdsa_tsa: TimeStampAuthority) -> None:
    root = ecdsa_tsa.root_certificate
    constraints = root.extensions.get_extension_for_class(x509.BasicConstraints)

    assert constraints.critical and constraints.value.ca
    root.verify_directly_issued_by(root)
    ecdsa_tsa.certificate.verify_directly_issued_by(root)
    assert ecdsa_tsa.certificate.not_valid_after_utc <= root.not_valid_after_utc


def test_the_tsa_round_trips_through_encrypted_pem(ecdsa_tsa: TimeStampAuthority) -> None:
    key_pem = ecdsa_tsa.private_key_pem(password=b"correct horse")
    assert b"ENCRYPTED PRIVATE KEY" in key_pem

    loaded = TimeStampAuthority.from_pem(
        key_pem,
        ecdsa_tsa.certificate_pem,
        ecdsa_tsa.root_certificate_pem,
        password=b"correct horse",
        policy_oid=TEST_POLICY,
        serial_source=CounterSerials(start=1000),
    )
    response = loaded.issue(MessageImprint.of(HELLO))

    result = verify(
        response,
        data=HELLO,
        trusted_roots=[x509.load_pem_x509_certificate(ecdsa_tsa.root_certificate_pem)],
    )
    assert result.serial == 1000
    assert result.signer_certificate == ecdsa_tsa.certificate


def test_a_key_that_does_not_belong_to_the_certificate_is_refused(
    ecdsa_tsa: TimeStampAuthority, rsa_tsa: TimeStampAuthority
) -> None:
    with pytest.raises(ValueError, match="does not belong"):
        TimeStampAuthority.from_pem(
            rsa_tsa.private_key_pem(),
            ecdsa_tsa.certificate_pem,
            ecdsa_tsa.root_certificate_pem,
            policy_oid=TEST_POLICY,
            serial_source=CounterSerials(),
        )


def test_a_certificate_not_issued_by_the_given_root_is_refused(
    ecdsa_tsa: TimeStampAuthority, rsa_tsa: TimeStampAuthority
) -> None:
    with pytest.raises(ValueError, match="not issued by the given root"):
        TimeStampAuthority.from_pem(
            ecdsa_tsa.private_key_pem(),
            ecdsa_tsa.certificate_pem,
            rsa_tsa.root_certificate_pem,
            policy_oid=TEST_POLICY,
            serial_source=CounterSerials(),
        )


def test_a_certificate_without_critical_timestamping_eku_cannot_run_a_tsa() -> None:
    now = dt.datetime.now(dt.UTC)
    root_key, root = make_root(not_before=now - dt.timedelta(days=1))
    key, leaf = make_leaf(
        root_key,
        root,
        not_before=now - dt.timedelta(days=1),
        not_after=now + dt.timedelta(days=1),
        eku_critical=False,
    )

    with pytest.raises(ValueError, match="not critical"):
        TimeStampAuthority(key, leaf, root, policy_oid=TEST_POLICY, serial_source=CounterSerials())


def test_serial_numbers_come_from_the_source_and_increase(ecdsa_tsa: TimeStampAuthority) -> None:
    source = itertools.count(41)
    tsa = TimeStampAuthority(
        ecdsa_tsa._key,
        ecdsa_tsa.certificate,
        ecdsa_tsa.root_certificate,
        policy_oid=TEST_POLICY,
        serial_source=lambda: next(source),
    )

    serials = [
        verify(tsa.issue(MessageImprint.of(HELLO)), data=HELLO, trusted_roots=[tsa.root_certificate]).serial
        for _ in range(5)
    ]

    assert serials == [41, 42, 43, 44, 45]


def test_a_serial_source_that_repeats_itself_stops_the_tsa(ecdsa_tsa: TimeStampAuthority) -> None:
    tsa = TimeStampAuthority(
        ecdsa_tsa._key,
        ecdsa_tsa.certificate,
        ecdsa_tsa.root_certificate,
        policy_oid=TEST_POLICY,
        serial_source=lambda: 7,
    )
    tsa.issue(MessageImprint.of(HELLO))

    with pytest.raises(ValueError, match="not increasing"):
        tsa.issue(MessageImprint.of(HELLO))


@pytest.mark.parametrize("serial", [0, -1, 2**160])
def test_a_serial_outside_1_to_160_bits_is_refused(ecdsa_tsa: TimeStampAuthority, serial: int) -> None:
    tsa = TimeStampAuthority(
        ecdsa_tsa._key,
        ecdsa_tsa.certificate,
        ecdsa_tsa.root_certificate,
        policy_oid=TEST_POLICY,
        serial_source=lambda: serial,
    )

    with pytest.raises(ValueError, match="unusable serial"):
        tsa.issue(MessageImprint.of(HELLO))


def test_gen_time_is_the_given_moment_in_whole_seconds_with_one_second_accuracy(
    ecdsa_tsa: TimeStampAuthority,
) -> None:
    moment = dt.datetime.now(dt.UTC).replace(microsecond=654321)

    result = verify(
        ecdsa_tsa.issue(MessageImprint.of(HELLO), now=moment),
        data=HELLO,
        trusted_roots=[ecdsa_tsa.root_certificate],
        now=moment,
    )

    assert result.gen_time == moment.replace(microsecond=0)
    assert result.accuracy == dt.timedelta(seconds=1)


def test_a_naive_now_is_a_programming_error(ecdsa_tsa: TimeStampAuthority) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ecdsa_tsa.issue(MessageImprint.of(HELLO), now=dt.datetime(2030, 1, 1))


def test_the_token_echoes_nonce_imprint_policy_and_names_the_tsa(ecdsa_tsa: TimeStampAuthority) -> None:
    request = build_request(HELLO, hash_alg="sha512", nonce=0xC0FFEE)

    info = _tst_info(ecdsa_tsa.issue(request.to_der()))

    assert info["nonce"].native == 0xC0FFEE
    assert info["policy"].dotted == TEST_POLICY
    assert info["message_imprint"]["hash_algorithm"]["algorithm"].native == "sha512"
    assert info["message_imprint"]["hashed_message"].native == hashlib.sha512(HELLO).digest()
    assert (
        info["tsa"].chosen.human_friendly == "Common Name: ArtRights Time-Stamping Authority, Organization: ArtRights"
    )


def test_accuracy_below_a_second_is_encoded_in_millis_and_micros(ecdsa_tsa: TimeStampAuthority) -> None:
    tsa = TimeStampAuthority(
        ecdsa_tsa._key,
        ecdsa_tsa.certificate,
        ecdsa_tsa.root_certificate,
        policy_oid=TEST_POLICY,
        serial_source=CounterSerials(),
        accuracy=dt.timedelta(milliseconds=250, microseconds=5),
    )

    info = _tst_info(tsa.issue(MessageImprint.of(HELLO)))

    assert info["accuracy"].native == {"seconds": None, "millis": 250, "micros": 5}


def test_a_request_naming_our_policy_is_granted(ecdsa_tsa: TimeStampAuthority) -> None:
    response = ecdsa_tsa.issue(build_request(HELLO, policy=TEST_POLICY).to_der())

    assert response_fields(response)[0] == "granted"


def test_a_request_for_an_unsupported_hash_gets_a_rejection_with_bad_alg(
    ecdsa_tsa: TimeStampAuthority,
) -> None:
    sha1_request = asn1_tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha1"},
                "hashed_message": hashlib.sha1(HELLO).digest(),
            },
            "cert_req": True,
        }
    ).dump()

    response = ecdsa_tsa.issue(sha1_request)

    status, fail_info, text = response_fields(response)
    assert (status, fail_info) == ("rejection", {"bad_alg"})
    assert "unsupported hash algorithm" in text[0]
    with pytest.raises(TimestampError) as caught:
        verify(response, data=HELLO, trusted_roots=[ecdsa_tsa.root_certificate])
    assert caught.value.check == "status"
    assert "bad_alg" in str(caught.value)


@pytest.mark.parametrize(
    ("request_der", "fail_info"),
    [
        pytest.param(b"\x30\x03\x02\x01\x01", "bad_data_format", id="truncated"),
        pytest.param(b"", "bad_data_format", id="empty"),
        pytest.param(build_request(HELLO, policy="2.999.9").to_der(), "unaccepted_policy", id="policy"),
        pytest.param(b"\x30" + b"\x82\x50\x00" + b"\x00" * 0x5000, "bad_request", id="oversized"),
    ],
)
def test_requests_the_tsa_cannot_honour_get_a_rejection_with_the_right_fail_info(
    ecdsa_tsa: TimeStampAuthority, request_der: bytes, fail_info: str
) -> None:
    status, bits, _text = response_fields(ecdsa_tsa.issue(request_der))

    assert (status, bits) == ("rejection", {fail_info})


def test_the_tsa_refuses_to_sign_when_its_certificate_is_not_valid(ecdsa_tsa: TimeStampAuthority) -> None:
    too_late = ecdsa_tsa.certificate.not_valid_after_utc + dt.timedelta(seconds=1)
    too_early = ecdsa_tsa.certificate.not_valid_before_utc - dt.timedelta(seconds=1)

    for moment in (too_late, too_early):
        status, bits, _text = response_fields(ecdsa_tsa.issue(MessageImprint.of(HELLO), now=moment))
        assert (status, bits) == ("rejection", {"system_failure"})


def test_cert_req_false_leaves_the_certificate_out_of_the_token(ecdsa_tsa: TimeStampAuthority) -> None:
    response = ecdsa_tsa.issue(build_request(HELLO, cert_req=False).to_der())
    signed_data = asn1_tsp.TimeStampResp.load(response)["time_stamp_token"]["content"]

    assert not signed_data["certificates"].native
    with pytest.raises(TimestampError) as caught:
        verify(response, data=HELLO, trusted_roots=[ecdsa_tsa.root_certificate])
    assert caught.value.check == "signer_certificate"
    result = verify(
        response,
        data=HELLO,
        trusted_roots=[ecdsa_tsa.root_certificate],
        tsa_certificate=ecdsa_tsa.certificate,
    )
    assert result.signer_certificate == ecdsa_tsa.certificate


def test_the_root_can_be_embedded_on_request(ecdsa_tsa: TimeStampAuthority) -> None:
    tsa = TimeStampAuthority(
        ecdsa_tsa._key,
        ecdsa_tsa.certificate,
        ecdsa_tsa.root_certificate,
        policy_oid=TEST_POLICY,
        serial_source=CounterSerials(),
        include_root_in_token=True,
    )
    signed_data = asn1_tsp.TimeStampResp.load(tsa.issue(MessageImprint.of(HELLO)))["time_stamp_token"]["content"]

    assert len(signed_data["certificates"]) == 2


def test_a_bare_token_verifies_like_the_full_response(ecdsa_tsa: TimeStampAuthority) -> None:
    response = ecdsa_tsa.issue(MessageImprint.of(HELLO))

    from_response = verify(response, data=HELLO, trusted_roots=[ecdsa_tsa.root_certificate])
    from_token = verify(token_of(response), data=HELLO, trusted_roots=[ecdsa_tsa.root_certificate])

    assert from_response == from_token
    assert from_token.token == token_of(response)


def test_generate_refuses_a_tsa_certificate_that_outlives_its_root() -> None:
    with pytest.raises(ValueError, match="outlive"):
        TimeStampAuthority.generate(
            policy_oid=TEST_POLICY,
            serial_source=CounterSerials(),
            root_validity=dt.timedelta(days=10),
            tsa_validity=dt.timedelta(days=11),
        )


def test_make_leaf_helper_builds_what_it_is_asked_for() -> None:
    # Guards the helper used by the negative tests: an accidental default would hide a bug.
    now = dt.datetime.now(dt.UTC)
    root_key, root = make_root(not_before=now)
    _key, leaf = make_leaf(
        root_key,
        root,
        not_before=now,
        not_after=now + dt.timedelta(days=1),
        eku=[ExtendedKeyUsageOID.SERVER_AUTH],
    )

    assert list(leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.SERVER_AUTH
    ]
