"""Helpers for building unusual certificates and tokens that a correct TSA would never emit."""

from __future__ import annotations

import datetime as dt
import hashlib

from asn1crypto import cms as asn1_cms
from asn1crypto import tsp as asn1_tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from artrights.proofs.rfc3161._common import _TimeStampResp
from artrights.proofs.rfc3161.authority import _sign_tst_info

TEST_POLICY = "2.999.3161.1"  # 2.999 is the ITU-T/ISO "example" arc, never a real policy

HELLO = b"hello"


def name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_root(
    common_name: str = "Test Root", *, not_before: dt.datetime, days: int = 3650
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(common_name))
        .issuer_name(name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_leaf(
    issuer_key: ec.EllipticCurvePrivateKey,
    issuer: x509.Certificate,
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
    eku: list[x509.ObjectIdentifier] | None = None,
    eku_critical: bool = True,
    key: ec.EllipticCurvePrivateKey | None = None,
    serial: int | None = None,
    common_name: str = "Test TSA",
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = key or ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(common_name))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    )
    if eku is None:
        eku = [ExtendedKeyUsageOID.TIME_STAMPING]
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=eku_critical)
    return key, builder.sign(issuer_key, hashes.SHA256())


def tst_info(
    *,
    data: bytes = HELLO,
    gen_time: dt.datetime,
    serial: int = 1,
    nonce: int | None = None,
    policy: str = TEST_POLICY,
) -> asn1_tsp.TSTInfo:
    fields: dict[str, object] = {
        "version": "v1",
        "policy": policy,
        "message_imprint": {
            "hash_algorithm": {"algorithm": "sha256"},
            "hashed_message": hashlib.sha256(data).digest(),
        },
        "serial_number": serial,
        "gen_time": gen_time,
        "accuracy": {"seconds": 1},
    }
    if nonce is not None:
        fields["nonce"] = nonce
    return asn1_tsp.TSTInfo(fields)


def sign_token(info: asn1_tsp.TSTInfo, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> bytes:
    """A token made by the production signing code, for TSTInfo/certificates the TSA would refuse."""
    return _sign_tst_info(info, key, cert)


def token_of(response: bytes) -> bytes:
    """The TimeStampToken (ContentInfo) inside a granted response."""
    return bytes(_TimeStampResp.load(response)["time_stamp_token"].dump())


def replace_embedded_certificates(token: bytes, certs: list[x509.Certificate]) -> bytes:
    """Swap the (unsigned) certificate set of a token, leaving every signed byte untouched."""
    content_info = asn1_cms.ContentInfo.load(token)
    signed_data = content_info["content"]
    signed_data["certificates"] = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in certs
    ]
    return bytes(content_info.dump(force=True))


def response_fields(response: bytes) -> tuple[str, set[str], list[str]]:
    """(status, failInfo bit names, status strings) of a TimeStampResp."""
    status = _TimeStampResp.load(response)["status"]
    return (
        status["status"].native,
        set(status["fail_info"].native or ()),
        list(status["status_string"].native or ()),
    )


def find(haystack: bytes, needle: bytes) -> int:
    index = haystack.find(needle)
    assert index >= 0, "marker not found in token"
    assert haystack.find(needle, index + 1) < 0, "marker occurs more than once"
    return index


def flip(blob: bytes, index: int, mask: int = 0x01) -> bytes:
    return blob[:index] + bytes([blob[index] ^ mask]) + blob[index + 1 :]
