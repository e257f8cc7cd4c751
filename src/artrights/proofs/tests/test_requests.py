from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from asn1crypto import tsp as asn1_tsp

from artrights.proofs.rfc3161 import (
    MessageImprint,
    RequestError,
    TimeStampRequest,
    build_request,
    parse_request,
)
from artrights.proofs.tests.rfc3161_support import HELLO


def _raw_request(**overrides: object) -> bytes:
    fields: dict[str, object] = {
        "version": "v1",
        "message_imprint": {
            "hash_algorithm": {"algorithm": "sha256"},
            "hashed_message": hashlib.sha256(HELLO).digest(),
        },
        "nonce": 7,
        "cert_req": True,
    }
    fields.update(overrides)
    return bytes(asn1_tsp.TimeStampReq(fields).dump())


def test_a_built_request_round_trips_through_der_with_nonce_and_cert_req() -> None:
    request = build_request(HELLO, nonce=0x1234, policy="2.999.1")

    parsed = parse_request(request.to_der())

    assert parsed == request
    assert parsed.imprint == MessageImprint("sha256", hashlib.sha256(HELLO).digest())
    assert parsed.nonce == 0x1234
    assert parsed.cert_req is True
    assert parsed.policy == "2.999.1"


@pytest.mark.parametrize(("hash_alg", "size"), [("sha256", 32), ("sha384", 48), ("sha512", 64)])
def test_sha256_sha384_and_sha512_requests_carry_a_digest_of_the_right_size(hash_alg: str, size: int) -> None:
    request = parse_request(build_request(HELLO, hash_alg=hash_alg).to_der())

    assert request.imprint.hash_alg == hash_alg
    assert request.imprint.digest == hashlib.new(hash_alg, HELLO).digest()
    assert len(request.imprint.digest) == size


def test_a_request_can_be_built_from_a_digest_without_the_data() -> None:
    digest = hashlib.sha384(HELLO).digest()

    request = build_request(digest=digest, hash_alg="sha384")

    assert request.imprint.digest == digest


def test_building_a_request_needs_exactly_one_of_data_and_digest() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        build_request()
    with pytest.raises(ValueError, match="exactly one"):
        build_request(HELLO, digest=hashlib.sha256(HELLO).digest())


def test_each_request_gets_a_fresh_random_nonce() -> None:
    nonces = {build_request(HELLO).nonce for _ in range(20)}

    assert len(nonces) == 20
    assert all(n is not None and n > 0 for n in nonces)


def test_building_a_request_with_sha1_is_refused_as_bad_alg() -> None:
    with pytest.raises(RequestError) as caught:
        build_request(HELLO, hash_alg="sha1")

    assert caught.value.fail_info == "bad_alg"


def test_a_digest_of_the_wrong_length_is_refused_as_bad_data_format() -> None:
    with pytest.raises(RequestError) as caught:
        build_request(digest=b"\x00" * 31)

    assert caught.value.fail_info == "bad_data_format"


@pytest.mark.parametrize(
    "der",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"not asn.1", id="garbage"),
        pytest.param(b"\x30\x00", id="empty-sequence"),
        pytest.param(_raw_request()[:-3], id="truncated"),
        pytest.param(_raw_request() + b"\x00", id="trailing-byte"),
        pytest.param(b"\x04\x03abc", id="octet-string"),
    ],
)
def test_malformed_request_bytes_raise_bad_data_format(der: bytes) -> None:
    with pytest.raises(RequestError) as caught:
        parse_request(der)

    assert caught.value.fail_info == "bad_data_format"
    assert str(caught.value)


def test_a_request_with_an_unsupported_hash_oid_is_bad_alg() -> None:
    der = _raw_request(
        message_imprint={
            "hash_algorithm": {"algorithm": "sha1"},
            "hashed_message": hashlib.sha1(HELLO).digest(),
        }
    )

    with pytest.raises(RequestError, match=r"1\.3\.14\.3\.2\.26") as caught:
        parse_request(der)

    assert caught.value.fail_info == "bad_alg"


def test_a_request_whose_digest_length_does_not_fit_its_hash_is_bad_data_format() -> None:
    der = _raw_request(message_imprint={"hash_algorithm": {"algorithm": "sha512"}, "hashed_message": b"\x01" * 32})

    with pytest.raises(RequestError) as caught:
        parse_request(der)

    assert caught.value.fail_info == "bad_data_format"


def test_a_request_with_version_2_is_a_bad_request() -> None:
    with pytest.raises(RequestError) as caught:
        parse_request(_raw_request(version=2))

    assert caught.value.fail_info == "bad_request"


def test_a_request_with_extensions_is_refused_as_unaccepted_extensions() -> None:
    extension = {"extn_id": "2.999.7", "critical": False, "extn_value": b"\x05\x00"}

    with pytest.raises(RequestError) as caught:
        parse_request(_raw_request(extensions=[extension]))

    assert caught.value.fail_info == "unaccepted_extensions"


def test_a_request_with_a_negative_nonce_is_bad_data_format() -> None:
    with pytest.raises(RequestError) as caught:
        parse_request(_raw_request(nonce=-5))

    assert caught.value.fail_info == "bad_data_format"


def test_a_request_without_nonce_or_cert_req_parses_with_defaults() -> None:
    der = bytes(
        asn1_tsp.TimeStampReq(
            {
                "version": "v1",
                "message_imprint": {
                    "hash_algorithm": {"algorithm": "sha256"},
                    "hashed_message": hashlib.sha256(HELLO).digest(),
                },
            }
        ).dump()
    )

    request = parse_request(der)

    assert request == TimeStampRequest(MessageImprint.of(HELLO), nonce=None, cert_req=False)


@pytest.mark.parametrize("name", ["test_tsa/request.der", "test_tsa/other_request.der", "sigstage/request.der"])
def test_the_vector_requests_parse_as_sha512_of_hello_with_cert_req(rfc3161_vectors: Path, name: str) -> None:
    request = parse_request((rfc3161_vectors / name).read_bytes())

    assert request.imprint.hash_alg == "sha512"
    assert request.imprint.digest == hashlib.sha512((rfc3161_vectors / "hello.txt").read_bytes()).digest()
    assert request.cert_req is True
    assert request.nonce is not None


def test_the_vector_request_nonces_match_what_openssl_prints(rfc3161_vectors: Path, openssl: str) -> None:
    path = rfc3161_vectors / "test_tsa" / "request.der"
    text = subprocess.run(
        [openssl, "ts", "-query", "-in", str(path), "-text"], capture_output=True, text=True, check=True
    ).stdout
    printed = next(line for line in text.splitlines() if line.startswith("Nonce:")).split()[-1]

    assert parse_request(path.read_bytes()).nonce == int(printed, 16)


@pytest.mark.parametrize("hash_alg", ["sha256", "sha384", "sha512"])
def test_a_query_made_by_openssl_parses(tmp_path: Path, openssl: str, hash_alg: str) -> None:
    data = tmp_path / "data.bin"
    data.write_bytes(b"artwork bytes")
    query = tmp_path / "q.tsq"
    subprocess.run(
        [openssl, "ts", "-query", "-data", str(data), f"-{hash_alg}", "-cert", "-out", str(query)],
        capture_output=True,
        check=True,
    )

    request = parse_request(query.read_bytes())

    assert request.imprint == MessageImprint.of(b"artwork bytes", hash_alg)
    assert request.cert_req is True


def test_our_request_is_readable_by_openssl(tmp_path: Path, openssl: str) -> None:
    query = tmp_path / "q.tsq"
    query.write_bytes(build_request(HELLO, hash_alg="sha384", nonce=0xABCDEF).to_der())

    text = subprocess.run(
        [openssl, "ts", "-query", "-in", str(query), "-text"], capture_output=True, text=True, check=True
    ).stdout

    assert "Hash Algorithm: sha384" in text
    assert "Nonce: 0xABCDEF" in text
    assert "Certificate required: yes" in text
