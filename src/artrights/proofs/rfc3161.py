"""RFC 3161 time-stamping: requests, a built-in TSA, token verification and an HTTP client.

Framework-free on purpose: the Django wrapper persists keys, certificates, serial numbers and
tokens; everything here works on bytes, ``cryptography`` objects and plain callables so that it
can be tested without a database and reused from command-line tools.

ASN.1 parsing and encoding is done with ``asn1crypto`` (``asn1crypto.tsp`` / ``asn1crypto.cms``);
every signature, hash and certificate-path operation is done with ``cryptography``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from asn1crypto import algos as asn1_algos
from asn1crypto import cms as asn1_cms
from asn1crypto import core as asn1_core
from asn1crypto import parser as asn1_parser
from asn1crypto import tsp as asn1_tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import verification as x509_verification
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = [
    "CHECKS",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "SUPPORTED_HASHES",
    "CounterSerials",
    "ExternalTimestamp",
    "MessageImprint",
    "RequestError",
    "TimeStampAuthority",
    "TimeStampRequest",
    "TimestampClientError",
    "TimestampError",
    "VerifiedTimestamp",
    "build_request",
    "fetch_timestamp",
    "parse_request",
    "verify",
]

# SHA-1 and MD5 imprints are refused: a collision would let someone re-use a token for other data.
SUPPORTED_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}

# Names of the verification checks, in the order ``verify`` runs them. ``format`` is reported
# before any of them when the bytes are not a well-formed response or token.
CHECKS = (
    "format",
    "status",
    "imprint",
    "signature",
    "signer_certificate",
    "chain",
    "eku",
    "nonce",
    "policy",
    "validity",
)

# Real responses are a few KiB (the IdenTrust vector, with two RSA certificates, is under 5 KiB);
# the limit only keeps a hostile or broken server from filling memory.
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024
MAX_REQUEST_BYTES = 16 * 1024

# RFC 3161 §2.4.2: serial numbers up to 160 bits must be supported, so larger ones may be refused.
_MAX_SERIAL = 2**160

_TIMESTAMP_QUERY = "application/timestamp-query"
_TIMESTAMP_REPLY = "application/timestamp-reply"


class _TimeStampResp(asn1_core.Sequence):
    # asn1crypto declares timeStampToken mandatory, but RFC 3161 §2.4.2 makes it OPTIONAL and
    # every rejection omits it; without this, rejections could be neither built nor parsed.
    _fields = [
        ("status", asn1_tsp.PKIStatusInfo),
        ("time_stamp_token", asn1_cms.ContentInfo, {"optional": True}),
    ]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _require_aware(moment: dt.datetime, what: str) -> dt.datetime:
    # A naive datetime would silently be read as local time and shift every validity decision.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware")
    return moment.astimezone(dt.UTC)


def _hash(name: str, data: bytes) -> bytes:
    digest = hashes.Hash(SUPPORTED_HASHES[name]())
    digest.update(data)
    return digest.finalize()


# --------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------


class RequestError(ValueError):
    """A TimeStampReq that cannot be honoured; ``fail_info`` is the PKIFailureInfo bit name."""

    def __init__(self, message: str, fail_info: str = "bad_request") -> None:
        super().__init__(message)
        self.fail_info = fail_info


@dataclass(frozen=True)
class MessageImprint:
    """The hash of the data to be time-stamped; the data itself never reaches the TSA."""

    hash_alg: str
    digest: bytes

    def __post_init__(self) -> None:
        if self.hash_alg not in SUPPORTED_HASHES:
            raise RequestError(f"unsupported hash algorithm {self.hash_alg!r}", "bad_alg")
        expected = SUPPORTED_HASHES[self.hash_alg].digest_size
        if len(self.digest) != expected:
            raise RequestError(
                f"{self.hash_alg} digest must be {expected} bytes, got {len(self.digest)}",
                "bad_data_format",
            )

    @classmethod
    def of(cls, data: bytes, hash_alg: str = "sha256") -> MessageImprint:
        if hash_alg not in SUPPORTED_HASHES:
            raise RequestError(f"unsupported hash algorithm {hash_alg!r}", "bad_alg")
        return cls(hash_alg, _hash(hash_alg, data))


@dataclass(frozen=True)
class TimeStampRequest:
    imprint: MessageImprint
    nonce: int | None = None
    cert_req: bool = True
    policy: str | None = None

    def to_der(self) -> bytes:
        fields: dict[str, object] = {
            "version": "v1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": self.imprint.hash_alg},
                "hashed_message": self.imprint.digest,
            },
            "cert_req": self.cert_req,
        }
        if self.policy is not None:
            fields["req_policy"] = self.policy
        if self.nonce is not None:
            fields["nonce"] = self.nonce
        return bytes(asn1_tsp.TimeStampReq(fields).dump())


def build_request(
    data: bytes | None = None,
    *,
    digest: bytes | None = None,
    hash_alg: str = "sha256",
    nonce: int | None = None,
    cert_req: bool = True,
    policy: str | None = None,
) -> TimeStampRequest:
    """Build a request for ``data`` (hashed here) or for a ready ``digest``.

    A fresh random nonce (63 bits, so it always fits a signed 64-bit integer on the TSA side) is
    used unless one is given: without it a replayed old response for the same imprint would be
    indistinguishable from a fresh one.
    """
    if (data is None) == (digest is None):
        raise ValueError("pass exactly one of data= or digest=")
    if data is not None:
        imprint = MessageImprint.of(data, hash_alg)
    else:
        imprint = MessageImprint(hash_alg, digest or b"")
    if nonce is None:
        nonce = secrets.randbits(63) | 1  # odd, so never zero
    if nonce < 0:
        raise ValueError("nonce must not be negative")
    return TimeStampRequest(imprint=imprint, nonce=nonce, cert_req=cert_req, policy=policy)


def parse_request(der: bytes) -> TimeStampRequest:
    """Parse a DER TimeStampReq, raising ``RequestError`` with the failInfo a TSA should report."""
    if not isinstance(der, bytes | bytearray | memoryview):
        raise RequestError("request must be bytes", "bad_data_format")
    der = bytes(der)
    if not der:
        raise RequestError("empty request", "bad_data_format")
    if len(der) > MAX_REQUEST_BYTES:
        raise RequestError(f"request larger than {MAX_REQUEST_BYTES} bytes", "bad_request")
    try:
        req = asn1_tsp.TimeStampReq.load(der, strict=True)
        # asn1crypto parses lazily; touching .native forces every field now so that a malformed
        # field is reported as such instead of surfacing later as an unrelated error.
        req.native  # noqa: B018
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise RequestError(f"malformed TimeStampReq: {exc}", "bad_data_format") from exc

    if req["version"].native != "v1":
        raise RequestError(f"unsupported request version {req['version'].native!r}", "bad_request")
    alg = req["message_imprint"]["hash_algorithm"]
    alg_name = alg["algorithm"].native
    if alg_name not in SUPPORTED_HASHES:
        raise RequestError(f"unsupported hash algorithm {alg['algorithm'].dotted}", "bad_alg")
    if alg["parameters"].native is not None:
        raise RequestError("hash algorithm parameters must be absent or NULL", "bad_data_format")
    if req["extensions"].native:
        raise RequestError("request extensions are not supported", "unaccepted_extensions")
    nonce = req["nonce"].native
    if nonce is not None and nonce < 0:
        raise RequestError("nonce must not be negative", "bad_data_format")
    policy = req["req_policy"].dotted if req["req_policy"].native is not None else None
    return TimeStampRequest(
        imprint=MessageImprint(alg_name, bytes(req["message_imprint"]["hashed_message"].native)),
        nonce=nonce,
        cert_req=bool(req["cert_req"].native),
        policy=policy,
    )


# --------------------------------------------------------------------------------------------
# Built-in TSA
# --------------------------------------------------------------------------------------------


class CounterSerials:
    """Thread-safe in-memory serial source for tests and single-process use.

    Production must pass a persistent, strictly increasing source (e.g. a database sequence),
    since a restart would otherwise hand out the same serials again.
    """

    def __init__(self, start: int = 1) -> None:
        if start < 1:
            raise ValueError("serial numbers start at 1")
        self._next = start
        self._lock = threading.Lock()

    def __call__(self) -> int:
        with self._lock:
            value = self._next
            self._next += 1
            return value


KeyType = Literal["ecdsa-p256", "rsa-3072"]
RsaPadding = Literal["pkcs1v15", "pss"]
SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def _new_key(key_type: KeyType) -> SigningKey:
    if key_type == "ecdsa-p256":
        return ec.generate_private_key(ec.SECP256R1())
    if key_type == "rsa-3072":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    raise ValueError(f"unsupported key type {key_type!r}; use 'ecdsa-p256' or 'rsa-3072'")


def _random_cert_serial() -> int:
    # RFC 5280 §4.1.2.2: positive, at most 20 octets; 159 random bits keep it unpredictable.
    return secrets.randbits(159) | 1


def _issue_chain(
    *,
    common_name: str,
    organization: str,
    key_type: KeyType,
    now: dt.datetime,
    root_validity: dt.timedelta,
    tsa_validity: dt.timedelta,
) -> tuple[SigningKey, x509.Certificate, x509.Certificate]:
    if tsa_validity > root_validity:
        raise ValueError("the TSA certificate cannot outlive its root")
    root_key = _new_key(key_type)
    tsa_key = _new_key(key_type)
    # Backdate a little so that a verifier whose clock is slightly behind ours accepts new tokens.
    not_before = now.replace(microsecond=0) - dt.timedelta(minutes=5)

    root_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{common_name} Root CA"),
        ]
    )
    root_ski = x509.SubjectKeyIdentifier.from_public_key(root_key.public_key())
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(_random_cert_serial())
        .not_valid_before(not_before)
        .not_valid_after(not_before + root_validity)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(root_ski, critical=False)
        .sign(root_key, hashes.SHA256())
    )

    tsa_name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    tsa_cert = (
        x509.CertificateBuilder()
        .subject_name(tsa_name)
        .issuer_name(root_name)
        .public_key(tsa_key.public_key())
        .serial_number(_random_cert_serial())
        .not_valid_before(not_before)
        .not_valid_after(not_before + tsa_validity)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        # RFC 3161 §2.3: exactly one key purpose, id-kp-timeStamping, in a critical extension.
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(tsa_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    # The root key is dropped here on purpose: keeping it would only add a second secret to
    # protect, and a new TSA key comes with a new self-issued chain anyway.
    return tsa_key, tsa_cert, root


def _asn1_cert(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _accuracy_fields(accuracy: dt.timedelta) -> dict[str, int]:
    if accuracy <= dt.timedelta(0):
        raise ValueError("accuracy must be positive")
    micros_total = accuracy // dt.timedelta(microseconds=1)
    seconds, rest = divmod(micros_total, 1_000_000)
    millis, micros = divmod(rest, 1000)
    fields = {"seconds": seconds, "millis": millis, "micros": micros}
    # RFC 3161 §2.4.2: a missing field means zero, and millis/micros must be 1..999 when present.
    return {k: v for k, v in fields.items() if v}


class TimeStampAuthority:
    """An RFC 3161 TSA holding its own signing key and a self-issued two-certificate chain.

    ``serial_source`` is called once per granted token and must return strictly increasing
    positive integers; the authority refuses to sign if it does not (within this process).
    """

    def __init__(
        self,
        private_key: SigningKey,
        certificate: x509.Certificate,
        root_certificate: x509.Certificate,
        *,
        policy_oid: str,
        serial_source: Callable[[], int],
        accuracy: dt.timedelta = dt.timedelta(seconds=1),
        rsa_padding: RsaPadding = "pkcs1v15",
        include_root_in_token: bool = False,
    ) -> None:
        if not isinstance(private_key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            raise ValueError("the TSA key must be ECDSA or RSA (Ed25519 is not accepted by OpenSSL ts)")
        if private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ) != certificate.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ):
            raise ValueError("the private key does not belong to the TSA certificate")
        try:
            certificate.verify_directly_issued_by(root_certificate)
        except (ValueError, TypeError, InvalidSignature) as exc:
            raise ValueError("the TSA certificate is not issued by the given root") from exc
        try:
            _check_tsa_eku(certificate)
        except TimestampError as exc:
            raise ValueError(exc.message) from exc
        asn1_core.ObjectIdentifier(policy_oid).dump()  # rejects a malformed OID up front
        if rsa_padding not in ("pkcs1v15", "pss"):
            raise ValueError("rsa_padding must be 'pkcs1v15' or 'pss'")
        self._key = private_key
        self._cert = certificate
        self._root = root_certificate
        self._asn1_cert = _asn1_cert(certificate)
        self.policy_oid = policy_oid
        self._serial_source = serial_source
        self._accuracy = _accuracy_fields(accuracy)
        self._rsa_padding: RsaPadding = rsa_padding
        self._include_root = include_root_in_token
        self._last_serial = 0
        self._lock = threading.Lock()

    # -- construction and persistence ---------------------------------------------------------

    @classmethod
    def generate(
        cls,
        *,
        policy_oid: str,
        serial_source: Callable[[], int],
        common_name: str = "ArtRights Time-Stamping Authority",
        organization: str = "ArtRights",
        key_type: KeyType = "ecdsa-p256",
        now: dt.datetime | None = None,
        root_validity: dt.timedelta = dt.timedelta(days=3650),
        tsa_validity: dt.timedelta = dt.timedelta(days=1825),
        accuracy: dt.timedelta = dt.timedelta(seconds=1),
        rsa_padding: RsaPadding = "pkcs1v15",
        include_root_in_token: bool = False,
    ) -> TimeStampAuthority:
        """Create a new key and self-issued chain (root CA + TSA certificate)."""
        key, cert, root = _issue_chain(
            common_name=common_name,
            organization=organization,
            key_type=key_type,
            now=_require_aware(now, "now") if now is not None else _utcnow(),
            root_validity=root_validity,
            tsa_validity=tsa_validity,
        )
        return cls(
            key,
            cert,
            root,
            policy_oid=policy_oid,
            serial_source=serial_source,
            accuracy=accuracy,
            rsa_padding=rsa_padding,
            include_root_in_token=include_root_in_token,
        )

    @classmethod
    def from_pem(
        cls,
        private_key_pem: bytes,
        certificate_pem: bytes,
        root_certificate_pem: bytes,
        *,
        password: bytes | None = None,
        policy_oid: str,
        serial_source: Callable[[], int],
        accuracy: dt.timedelta = dt.timedelta(seconds=1),
        rsa_padding: RsaPadding = "pkcs1v15",
        include_root_in_token: bool = False,
    ) -> TimeStampAuthority:
        key = serialization.load_pem_private_key(private_key_pem, password=password)
        if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
            raise ValueError("the TSA key must be ECDSA or RSA")
        return cls(
            key,
            x509.load_pem_x509_certificate(certificate_pem),
            x509.load_pem_x509_certificate(root_certificate_pem),
            policy_oid=policy_oid,
            serial_source=serial_source,
            accuracy=accuracy,
            rsa_padding=rsa_padding,
            include_root_in_token=include_root_in_token,
        )

    def private_key_pem(self, password: bytes | None = None) -> bytes:
        """PKCS#8 PEM, encrypted when a password is given (it should be, outside tests)."""
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
        )
        return self._key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)

    @property
    def certificate(self) -> x509.Certificate:
        return self._cert

    @property
    def root_certificate(self) -> x509.Certificate:
        return self._root

    @property
    def certificate_pem(self) -> bytes:
        return self._cert.public_bytes(serialization.Encoding.PEM)

    @property
    def root_certificate_pem(self) -> bytes:
        return self._root.public_bytes(serialization.Encoding.PEM)

    # -- issuing ------------------------------------------------------------------------------

    def issue(self, request: bytes | TimeStampRequest | MessageImprint, now: dt.datetime | None = None) -> bytes:
        """Answer a request with a DER TimeStampResp (granted, or rejection with a failInfo).

        Requests that cannot be honoured produce a rejection response rather than an exception,
        because the HTTP endpoint must answer them in RFC 3161 form.
        """
        moment = _require_aware(now, "now") if now is not None else _utcnow()
        try:
            if isinstance(request, TimeStampRequest):
                req = request
            elif isinstance(request, MessageImprint):
                req = TimeStampRequest(imprint=request)
            else:
                req = parse_request(request)
            if req.policy is not None and req.policy != self.policy_oid:
                raise RequestError(f"policy {req.policy} is not offered", "unaccepted_policy")
        except RequestError as exc:
            return _rejection(str(exc), exc.fail_info)

        gen_time = moment.replace(microsecond=0)
        if not (self._cert.not_valid_before_utc <= gen_time <= self._cert.not_valid_after_utc):
            return _rejection("the TSA certificate is not valid at this time", "system_failure")

        with self._lock:
            serial = self._serial_source()
            if not isinstance(serial, int) or not 0 < serial < _MAX_SERIAL:
                raise ValueError(f"serial source returned an unusable serial {serial!r}")
            if serial <= self._last_serial:
                raise ValueError(f"serial source is not increasing: {serial} after {self._last_serial}")
            self._last_serial = serial

        tst_info = self._tst_info(req, serial, gen_time)
        token = _sign_tst_info(
            tst_info,
            self._key,
            self._cert,
            extra_certs=[self._root] if (self._include_root and req.cert_req) else [],
            include_certificate=req.cert_req,
            rsa_padding=self._rsa_padding,
        )
        response = _TimeStampResp(
            {"status": {"status": "granted"}, "time_stamp_token": asn1_cms.ContentInfo.load(token)}
        )
        return bytes(response.dump())

    def _tst_info(self, req: TimeStampRequest, serial: int, gen_time: dt.datetime) -> asn1_tsp.TSTInfo:
        fields: dict[str, object] = {
            "version": "v1",
            "policy": self.policy_oid,
            "message_imprint": {
                "hash_algorithm": {"algorithm": req.imprint.hash_alg},
                "hashed_message": req.imprint.digest,
            },
            "serial_number": serial,
            "gen_time": asn1_core.GeneralizedTime(gen_time),
            "accuracy": self._accuracy,
            # Naming the TSA lets a relying party match the token to a certificate by name even
            # when the certificate was left out (certReq false).
            "tsa": asn1_x509.GeneralName(name="directory_name", value=self._asn1_cert.subject),
        }
        if req.nonce is not None:
            fields["nonce"] = req.nonce
        return asn1_tsp.TSTInfo(fields)


def _rejection(text: str, fail_info: str) -> bytes:
    status = asn1_tsp.PKIStatusInfo(
        {
            "status": "rejection",
            "status_string": [text],
            "fail_info": asn1_tsp.PKIFailureInfo({fail_info}),
        }
    )
    return bytes(_TimeStampResp({"status": status}).dump())


def _sign_tst_info(
    tst_info: asn1_tsp.TSTInfo,
    key: SigningKey,
    certificate: x509.Certificate,
    *,
    extra_certs: Sequence[x509.Certificate] = (),
    include_certificate: bool = True,
    rsa_padding: RsaPadding = "pkcs1v15",
    identify_by_key_id: bool = False,
) -> bytes:
    """Wrap a TSTInfo into a CMS SignedData time-stamp token (DER ContentInfo).

    Module-private but used by the tests to build tokens the TSA itself would refuse to make
    (for example one dated outside the certificate's validity).
    """
    econtent = bytes(tst_info.dump())
    asn1_cert = _asn1_cert(certificate)
    cert_der = certificate.public_bytes(serialization.Encoding.DER)
    digest_alg = "sha256"

    signed_attrs = asn1_cms.CMSAttributes(
        [
            {"type": "content_type", "values": ["tst_info"]},
            {"type": "message_digest", "values": [_hash(digest_alg, econtent)]},
            {
                # ESSCertIDv2 (RFC 5035) binds the signature to this exact certificate, so a
                # different certificate with the same key or name cannot be substituted.
                "type": "signing_certificate_v2",
                "values": [
                    {
                        "certs": [
                            {
                                "cert_hash": _hash("sha256", cert_der),
                                "issuer_serial": {
                                    "issuer": [asn1_x509.GeneralName(name="directory_name", value=asn1_cert.issuer)],
                                    "serial_number": asn1_cert.serial_number,
                                },
                            }
                        ]
                    }
                ],
            },
        ]
    )
    # The signature covers the DER SET OF encoding, not the [0] IMPLICIT form in SignerInfo.
    to_sign = bytes(signed_attrs.dump())

    signature_algorithm: dict[str, object]
    if isinstance(key, ec.EllipticCurvePrivateKey):
        signature = key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
        signature_algorithm = {"algorithm": "sha256_ecdsa"}
    elif rsa_padding == "pss":
        signature = key.sign(
            to_sign,
            padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
            hashes.SHA256(),
        )
        signature_algorithm = {
            "algorithm": "rsassa_pss",
            "parameters": asn1_algos.RSASSAPSSParams(
                {
                    "hash_algorithm": {"algorithm": "sha256"},
                    "mask_gen_algorithm": {
                        "algorithm": "mgf1",
                        "parameters": {"algorithm": "sha256"},
                    },
                    "salt_length": 32,
                    "trailer_field": "trailer_field_bc",
                }
            ),
        }
    else:
        signature = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
        signature_algorithm = {"algorithm": "sha256_rsa"}

    if identify_by_key_id:
        sid = asn1_cms.SignerIdentifier(name="subject_key_identifier", value=asn1_cert.key_identifier)
    else:
        sid = asn1_cms.SignerIdentifier(
            name="issuer_and_serial_number",
            value={"issuer": asn1_cert.issuer, "serial_number": asn1_cert.serial_number},
        )
    signer_info = asn1_cms.SignerInfo(
        {
            # RFC 5652 §5.3: the version follows the choice of signer identifier.
            "version": "v3" if identify_by_key_id else "v1",
            "sid": sid,
            "digest_algorithm": {"algorithm": digest_alg},
            "signed_attrs": signed_attrs,
            "signature_algorithm": signature_algorithm,
            "signature": signature,
        }
    )
    certificates = []
    if include_certificate:
        certificates = [asn1_cert, *(_asn1_cert(c) for c in extra_certs)]
    signed_data: dict[str, object] = {
        "version": "v3",
        "digest_algorithms": [{"algorithm": digest_alg}],
        "encap_content_info": {
            "content_type": "tst_info",
            "content": asn1_core.ParsableOctetString(econtent),
        },
        "signer_infos": [signer_info],
    }
    if certificates:
        signed_data["certificates"] = certificates
    content_info = asn1_cms.ContentInfo({"content_type": "signed_data", "content": signed_data})
    return bytes(content_info.dump())


def _check_tsa_eku(cert: x509.Certificate) -> None:
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound as exc:
        raise TimestampError("eku", "TSA certificate has no ExtendedKeyUsage extension") from exc
    except (ValueError, x509.DuplicateExtension) as exc:
        raise TimestampError("eku", f"TSA certificate extensions do not parse: {exc}") from exc
    if not eku.critical:
        raise TimestampError("eku", "TSA certificate ExtendedKeyUsage is not critical")
    if list(eku.value) != [ExtendedKeyUsageOID.TIME_STAMPING]:
        raise TimestampError("eku", "TSA certificate ExtendedKeyUsage must be exactly id-kp-timeStamping")


# --------------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------------


class TimestampError(Exception):
    """Verification failed; ``check`` names the failing check (one of ``CHECKS``)."""

    def __init__(self, check: str, message: str) -> None:
        super().__init__(f"{check}: {message}")
        self.check = check
        self.message = message


@dataclass(frozen=True)
class VerifiedTimestamp:
    gen_time: dt.datetime
    accuracy: dt.timedelta | None
    serial: int
    policy: str
    hash_alg: str
    message_digest: bytes
    nonce: int | None
    ordering: bool
    tsa_name: str | None
    signer_certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    # The DER ContentInfo (TimeStampToken) alone: what should be stored next to the work.
    token: bytes = field(repr=False)


def _fail(check: str, message: str) -> TimestampError:
    return TimestampError(check, message)


# What asn1crypto raises on malformed input (IndexError: an empty SEQUENCE OF indexed at [0]).
_ASN1_ERRORS = (ValueError, TypeError, IndexError, OverflowError)


def _parse_token(blob: bytes) -> bytes:
    """Accept a TimeStampResp or a bare TimeStampToken; check the status; return the token DER.

    The token is returned as the exact bytes received. asn1crypto re-encodes any subtree it has
    touched (it materialises DEFAULT values when read), so bytes that matter - the token to
    store, the signed attributes, the certificates - are always taken from untouched objects.
    """
    try:
        # A ContentInfo starts with its contentType OID, a TimeStampResp with the
        # PKIStatusInfo SEQUENCE; the first content octet tells them apart.
        _class, _method, _tag, _header, contents, _trailer = asn1_parser.parse(blob, strict=True)
        if contents[:1] == b"\x06":
            return blob
        resp = _TimeStampResp.load(blob, strict=True)
        token = resp["time_stamp_token"]
        token_der = bytes(token.dump()) if not isinstance(token, asn1_core.Void) else None
        status_info = resp["status"]
        encoded = bytes(status_info.dump())
        status_info.native  # noqa: B018  (parse it completely: errors here are format errors)
        # The status sits outside the signature; insisting on DER (one encoding per value)
        # means it cannot be re-encoded unnoticed either.
        if bytes(status_info.dump(force=True)) != encoded:
            raise ValueError("PKIStatusInfo is not DER-encoded")
    except _ASN1_ERRORS as exc:
        raise _fail("format", f"not a TimeStampResp or TimeStampToken: {exc}") from exc

    status = status_info["status"].native
    if status not in ("granted", "granted_with_mods"):
        detail = []
        if status_info["status_string"].native:
            detail.append("; ".join(status_info["status_string"].native))
        if status_info["fail_info"].native:
            detail.append("failInfo=" + ",".join(sorted(status_info["fail_info"].native)))
        raise _fail("status", f"PKIStatus is {status}" + (f" ({' / '.join(detail)})" if detail else ""))
    if token_der is None:
        raise _fail("format", "granted response carries no time-stamp token")
    return token_der


@dataclass
class _Token:
    der: bytes
    signed_data: asn1_cms.SignedData
    signer_info: asn1_cms.SignerInfo
    signed_attrs_der: bytes
    econtent: bytes
    tst_info: asn1_tsp.TSTInfo


def _der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    octets = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(octets)]) + octets


def _unpack(token_der: bytes) -> _Token:
    # Errors from asn1crypto's lazy parsing are turned into format errors by verify().
    content_info = asn1_cms.ContentInfo.load(token_der, strict=True)
    if content_info["content_type"].native != "signed_data":
        raise _fail("format", "token is not CMS SignedData")
    signed_data = content_info["content"]
    # RFC 5652 §5.1: version 3 whenever the content type is not id-data.
    if signed_data["version"].native != "v3":
        raise _fail("format", f"SignedData version {signed_data['version'].native} is not v3")
    signer_infos = signed_data["signer_infos"]
    if len(signer_infos) != 1:
        # RFC 3161 §2.4.2: the token MUST carry exactly one signature.
        raise _fail("format", f"token has {len(signer_infos)} signers, expected exactly one")
    signer_info = signer_infos[0]
    signed_attrs = signer_info["signed_attrs"]
    if isinstance(signed_attrs, asn1_core.Void):
        raise _fail("signature", "signer info has no signed attributes")
    # RFC 5652 §5.4: the signature covers the attributes as a DER SET OF (tag 0x31), not the
    # [0] IMPLICIT encoding found in the SignerInfo; rebuild that from the received octets.
    raw_attrs = bytes(signed_attrs.contents)
    signed_attrs_der = b"\x31" + _der_length(len(raw_attrs)) + raw_attrs
    # RFC 5652 §5.3: v1 goes with issuerAndSerialNumber, v3 with subjectKeyIdentifier.
    expected_version = "v1" if signer_info["sid"].name == "issuer_and_serial_number" else "v3"
    if signer_info["version"].native != expected_version:
        raise _fail("format", f"SignerInfo version must be {expected_version} for its sid")

    eci = signed_data["encap_content_info"]
    if eci["content_type"].native != "tst_info":
        raise _fail("format", "encapsulated content is not id-ct-TSTInfo")
    if isinstance(eci["content"], asn1_core.Void):
        raise _fail("format", "token has no encapsulated TSTInfo")
    econtent = bytes(eci["content"].__bytes__())
    tst_info = asn1_tsp.TSTInfo.load(econtent, strict=True)
    tst_info.native  # noqa: B018  (small and separate from the token: parse it all now)
    if tst_info["version"].native != "v1":
        raise _fail("format", "TSTInfo version is not v1")
    return _Token(token_der, signed_data, signer_info, signed_attrs_der, econtent, tst_info)


def _check_imprint(tst_info: asn1_tsp.TSTInfo, data: bytes | None, digest: bytes | None) -> str:
    imprint = tst_info["message_imprint"]
    alg = imprint["hash_algorithm"]["algorithm"]
    alg_name = alg.native
    if alg_name not in SUPPORTED_HASHES:
        raise _fail("imprint", f"token uses unsupported imprint hash {alg.dotted}")
    expected = bytes(imprint["hashed_message"].native)
    if data is not None:
        actual = _hash(alg_name, data)
    else:
        assert digest is not None
        actual = digest
        if len(actual) != SUPPORTED_HASHES[alg_name].digest_size:
            raise _fail("imprint", f"given digest is not a {alg_name} digest")
    if not hmac.compare_digest(expected, actual):
        raise _fail("imprint", "message imprint does not match the data")
    return str(alg_name)


def _single_attr(attrs: asn1_cms.CMSAttributes, name: str) -> object | None:
    found = [a for a in attrs if a["type"].native == name]
    if not found:
        return None
    if len(found) > 1 or len(found[0]["values"]) != 1:
        raise _fail("signature", f"signed attribute {name} must occur once with one value")
    return found[0]["values"][0]


def _check_signed_attributes(token: _Token) -> None:
    si = token.signer_info
    attrs = si["signed_attrs"]
    if not attrs.native:
        raise _fail("signature", "signer info has no signed attributes")
    types = [a["type"].dotted for a in attrs]
    if len(types) != len(set(types)):
        raise _fail("signature", "duplicate signed attribute")
    digest_alg = si["digest_algorithm"]["algorithm"].native
    if digest_alg not in SUPPORTED_HASHES:
        raise _fail("signature", f"unsupported CMS digest algorithm {digest_alg}")
    listed_algs = list(token.signed_data["digest_algorithms"])
    # RFC 5754 §2: SHA-2 identifiers carry no parameters (absent, or NULL from older encoders).
    # Checking them also leaves no unsigned byte of the token that nobody looks at.
    for alg in [si["digest_algorithm"], *listed_algs]:
        if alg["parameters"].native is not None:
            raise _fail("signature", f"digest algorithm {alg['algorithm'].dotted} has parameters")
    listed = {d["algorithm"].native for d in listed_algs}
    if digest_alg not in listed:
        raise _fail("signature", "signer digest algorithm missing from SignedData.digestAlgorithms")
    content_type = _single_attr(attrs, "content_type")
    if content_type is None or content_type.native != "tst_info":  # type: ignore[attr-defined]
        raise _fail("signature", "content-type attribute missing or not id-ct-TSTInfo")
    message_digest = _single_attr(attrs, "message_digest")
    if message_digest is None:
        raise _fail("signature", "message-digest attribute missing")
    if not hmac.compare_digest(
        bytes(message_digest.native),  # type: ignore[attr-defined]
        _hash(digest_alg, token.econtent),
    ):
        raise _fail("signature", "message-digest attribute does not match the TSTInfo")


@dataclass
class _Candidate:
    cert: x509.Certificate
    asn1: asn1_x509.Certificate
    der: bytes


def _candidates(signed_data: asn1_cms.SignedData, supplied: Sequence[x509.Certificate]) -> list[_Candidate]:
    embedded: list[x509.Certificate] = []
    for choice in signed_data["certificates"] or []:
        if choice.name != "certificate":
            continue  # attribute certificates and others play no role in RFC 3161
        try:
            embedded.append(x509.load_der_x509_certificate(choice.chosen.dump()))
        except (ValueError, x509.InvalidVersion) as exc:
            raise _fail("format", f"embedded certificate does not parse: {exc}") from exc
    seen: set[bytes] = set()
    result: list[_Candidate] = []
    for cert in [*supplied[:1], *embedded, *supplied[1:]]:
        der = cert.public_bytes(serialization.Encoding.DER)
        if der in seen:
            continue
        seen.add(der)
        result.append(_Candidate(cert, asn1_x509.Certificate.load(der), der))
    return result


def _find_signer(token: _Token, candidates: list[_Candidate]) -> _Candidate:
    signer_info = token.signer_info
    sid = signer_info["sid"]
    matches: list[_Candidate] = []
    if sid.name == "issuer_and_serial_number":
        # Byte-exact, not RFC 5280 case-folding comparison: the sid is outside the signature,
        # and TSAs copy the issuer from the certificate, so any re-encoding is a modification.
        issuer = bytes(sid.chosen["issuer"].dump())
        serial = sid.chosen["serial_number"].native
        matches = [c for c in candidates if c.asn1.serial_number == serial and bytes(c.asn1.issuer.dump()) == issuer]
    else:
        ski = bytes(sid.chosen.native)
        matches = [c for c in candidates if c.asn1.key_identifier == ski]
    if not matches:
        raise _fail(
            "signer_certificate",
            "signer certificate is neither in the token nor supplied (pass tsa_certificate=)",
        )
    # Several certificates may share issuer and serial (a token can carry injected look-alikes);
    # the signer is the one whose key actually verifies the signature.
    first_error: TimestampError | None = None
    for candidate in matches:
        try:
            _check_signature(signer_info, token.signed_attrs_der, candidate.cert)
        except TimestampError as exc:
            first_error = first_error or exc
            continue
        return candidate
    assert first_error is not None
    raise first_error


_SIG_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    **SUPPORTED_HASHES,
    "sha224": hashes.SHA224,
}


def _check_signature(signer_info: asn1_cms.SignerInfo, signed_attrs_der: bytes, cert: x509.Certificate) -> None:
    to_verify = signed_attrs_der
    signature = bytes(signer_info["signature"].native)
    sig_alg = signer_info["signature_algorithm"]
    digest_alg = signer_info["digest_algorithm"]["algorithm"].native
    try:
        algo = sig_alg.signature_algo
    except ValueError as exc:
        raise _fail("signature", f"unsupported signature algorithm {sig_alg['algorithm'].dotted}") from exc
    if algo != "rsassa_pss" and sig_alg["parameters"].native is not None:
        # RFC 5758 / RFC 4055: ECDSA takes no parameters, PKCS#1 v1.5 an optional NULL.
        raise _fail("signature", f"signature algorithm {sig_alg['algorithm'].dotted} has parameters")
    # rsaEncryption / id-ecPublicKey carry no hash; CMS then uses the SignerInfo digest algorithm.
    try:
        hash_name = sig_alg.hash_algo
    except ValueError:
        hash_name = digest_alg
    try:
        # cryptography decodes the key lazily, so a damaged key surfaces only here.
        public_key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise _fail("signature", f"signer certificate key is unusable: {exc}") from exc
    try:
        if algo == "rsassa_pkcs1v15" and isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, to_verify, padding.PKCS1v15(), _sig_hash(hash_name))
        elif algo == "rsassa_pss" and isinstance(public_key, rsa.RSAPublicKey):
            params = sig_alg["parameters"]
            mgf = params["mask_gen_algorithm"]
            if mgf["algorithm"].native != "mgf1":
                raise _fail("signature", "RSA-PSS with a mask generation function other than MGF1")
            if params["trailer_field"].native != "trailer_field_bc":
                raise _fail("signature", "RSA-PSS trailer field must be 0xBC")
            for hash_id in (params["hash_algorithm"], mgf["parameters"]):
                if hash_id["parameters"].native is not None:
                    raise _fail("signature", "RSA-PSS hash identifiers take no parameters")
            public_key.verify(
                signature,
                to_verify,
                padding.PSS(
                    mgf=padding.MGF1(_sig_hash(mgf["parameters"]["algorithm"].native)),
                    salt_length=int(params["salt_length"].native),
                ),
                _sig_hash(params["hash_algorithm"]["algorithm"].native),
            )
        elif algo == "ecdsa" and isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, to_verify, ec.ECDSA(_sig_hash(hash_name)))
        else:
            raise _fail(
                "signature",
                f"signature algorithm {algo} does not fit the signer's {type(public_key).__name__}",
            )
    except InvalidSignature as exc:
        raise _fail("signature", "CMS signature does not verify with the signer certificate") from exc
    except (UnsupportedAlgorithm, ValueError) as exc:
        raise _fail("signature", f"cannot verify signature: {exc}") from exc


def _sig_hash(name: str) -> hashes.HashAlgorithm:
    try:
        return _SIG_HASHES[name]()
    except KeyError:
        raise _fail("signature", f"unsupported signature hash {name}") from None


def _check_ess_binding(signer_info: asn1_cms.SignerInfo, signer: _Candidate) -> None:
    """RFC 3161 §2.4.1 / RFC 5035: the signed attributes must name the signer certificate."""
    attrs = signer_info["signed_attrs"]
    v2 = _single_attr(attrs, "signing_certificate_v2")
    v1 = _single_attr(attrs, "signing_certificate")
    if v2 is not None:
        ess_id = v2["certs"][0]  # type: ignore[index]
        hash_name = ess_id["hash_algorithm"]["algorithm"].native
        if hash_name not in SUPPORTED_HASHES:
            raise _fail("signer_certificate", f"ESSCertIDv2 uses unsupported hash {hash_name}")
        expected = _hash(hash_name, signer.der)
    elif v1 is not None:
        ess_id = v1["certs"][0]  # type: ignore[index]
        # ESSCertID (v1) is defined with SHA-1 only; it identifies, the signature still protects.
        expected = hashlib.sha1(signer.der, usedforsecurity=False).digest()
    else:
        raise _fail("signer_certificate", "no signing-certificate (ESSCertID/ESSCertIDv2) attribute")
    if not hmac.compare_digest(bytes(ess_id["cert_hash"].native), expected):
        raise _fail("signer_certificate", "ESSCertID hash does not match the signer certificate")
    issuer_serial = ess_id["issuer_serial"]
    if issuer_serial.native is not None:
        if issuer_serial["serial_number"].native != signer.asn1.serial_number:
            raise _fail("signer_certificate", "ESSCertID serial does not match the signer certificate")
        names = [g.chosen for g in issuer_serial["issuer"] if g.name == "directory_name"]
        if names and not any(n == signer.asn1.issuer for n in names):
            raise _fail("signer_certificate", "ESSCertID issuer does not match the signer certificate")


def _build_chain(
    signer: x509.Certificate,
    intermediates: list[x509.Certificate],
    trusted_roots: Sequence[x509.Certificate],
    times: Sequence[dt.datetime],
) -> tuple[x509.Certificate, ...]:
    """The first trusted path found at any of ``times``; the caller checks validity at genTime.

    Trying more than one moment keeps "there is no trusted path" (chain) apart from "the path
    was not valid when the token was made" (validity).
    """
    # Path building and its signature checks are done by cryptography's RFC 5280 verifier.
    # Extension policy: the CA side keeps the WebPKI defaults but tolerates an EKU on
    # intermediates (TSA CAs often carry id-kp-timeStamping there); the leaf side is left open
    # because its EKU is checked separately, so a wrong EKU is reported as such and not as a
    # broken chain.
    ca_policy = x509_verification.ExtensionPolicy.webpki_defaults_ca().may_be_present(
        x509.ExtendedKeyUsage, x509_verification.Criticality.AGNOSTIC, None
    )
    ee_policy = x509_verification.ExtensionPolicy.permit_all()
    store = x509_verification.Store(list(trusted_roots))
    first_error: x509_verification.VerificationError | None = None
    for moment in times:
        verifier = (
            x509_verification.PolicyBuilder()
            .store(store)
            .time(moment)
            .extension_policies(ca_policy=ca_policy, ee_policy=ee_policy)
            .build_client_verifier()
        )
        try:
            return tuple(verifier.verify(signer, intermediates).chain)
        except x509_verification.VerificationError as exc:
            first_error = first_error or exc
    raise _fail("chain", f"TSA certificate does not chain to a trusted root: {first_error}")


def _validity_window(certs: Iterable[x509.Certificate]) -> tuple[dt.datetime, dt.datetime]:
    certs = list(certs)
    return (
        max(c.not_valid_before_utc for c in certs),
        min(c.not_valid_after_utc for c in certs),
    )


def _general_name_text(name: asn1_x509.GeneralName) -> str:
    if name.name == "directory_name":
        return str(name.chosen.human_friendly)
    return str(name.native)


def verify(
    response_or_token: bytes,
    *,
    data: bytes | None = None,
    digest: bytes | None = None,
    trusted_roots: Sequence[x509.Certificate],
    tsa_certificate: x509.Certificate | None = None,
    intermediates: Sequence[x509.Certificate] = (),
    nonce: int | None = None,
    policy: str | None = None,
    now: dt.datetime | None = None,
    max_clock_skew: dt.timedelta = dt.timedelta(minutes=5),
) -> VerifiedTimestamp:
    """Verify a DER TimeStampResp or TimeStampToken over ``data`` (or its ``digest``).

    Checks run in the order of ``CHECKS`` and the first failure raises ``TimestampError``.
    Certificates are judged at the token's genTime, not at ``now``: a token stays valid after
    the TSA certificate expires, which is the point of time-stamping. ``now`` only bounds
    genTime from above so that a token cannot claim to come from the future.
    """
    if (data is None) == (digest is None):
        raise ValueError("pass exactly one of data= or digest=")
    if not trusted_roots:
        raise ValueError("at least one trusted root certificate is required")
    moment = _require_aware(now, "now") if now is not None else _utcnow()

    token_der = _parse_token(bytes(response_or_token))
    try:
        return _verify_token(
            token_der,
            data=data,
            digest=digest,
            trusted_roots=trusted_roots,
            tsa_certificate=tsa_certificate,
            intermediates=intermediates,
            nonce=nonce,
            policy=policy,
            moment=moment,
            max_clock_skew=max_clock_skew,
        )
    except _ASN1_ERRORS as exc:
        # asn1crypto parses lazily, so a malformed field surfaces where it is first read.
        raise _fail("format", f"malformed time-stamp token: {exc}") from exc


def _verify_token(
    token_der: bytes,
    *,
    data: bytes | None,
    digest: bytes | None,
    trusted_roots: Sequence[x509.Certificate],
    tsa_certificate: x509.Certificate | None,
    intermediates: Sequence[x509.Certificate],
    nonce: int | None,
    policy: str | None,
    moment: dt.datetime,
    max_clock_skew: dt.timedelta,
) -> VerifiedTimestamp:
    token = _unpack(token_der)
    tst = token.tst_info

    hash_alg = _check_imprint(tst, data, digest)

    _check_signed_attributes(token)
    # A supplied TSA certificate goes first so that it wins over an embedded look-alike.
    supplied = [c for c in (tsa_certificate, *intermediates) if c is not None]
    candidates = _candidates(token.signed_data, supplied)
    signer = _find_signer(token, candidates)
    _check_ess_binding(token.signer_info, signer)
    if tsa_certificate is not None and signer.cert != tsa_certificate:
        raise _fail("signer_certificate", "token is signed by a different certificate than tsa_certificate")

    gen_time: dt.datetime = tst["gen_time"].native
    # genTime first (the normal case); then moments inside the leaf's validity and now, so
    # that a path which exists but was not valid at genTime is reported as "validity".
    leaf_from, leaf_to = signer.cert.not_valid_before_utc, signer.cert.not_valid_after_utc
    times = [
        min(max(gen_time, leaf_from), leaf_to),
        min(max(moment, leaf_from), leaf_to),
        leaf_from + (leaf_to - leaf_from) / 2,
    ]
    pool = [c.cert for c in candidates if c.cert != signer.cert]
    chain = _build_chain(signer.cert, pool, trusted_roots, times)

    _check_tsa_eku(signer.cert)

    token_nonce = tst["nonce"].native
    if nonce is not None and token_nonce != nonce:
        raise _fail("nonce", f"nonce {token_nonce!r} does not match the request's {nonce!r}")

    token_policy = tst["policy"].dotted
    if policy is not None and token_policy != policy:
        raise _fail("policy", f"token policy {token_policy} is not the requested {policy}")

    not_before, not_after = _validity_window(chain)
    if not (not_before <= gen_time <= not_after):
        raise _fail(
            "validity",
            f"genTime {gen_time.isoformat()} is outside the certificate validity "
            f"{not_before.isoformat()} .. {not_after.isoformat()}",
        )
    accuracy = _accuracy(tst)
    if gen_time - (accuracy or dt.timedelta(0)) > moment + max_clock_skew:
        raise _fail("validity", f"genTime {gen_time.isoformat()} lies in the future")

    tsa_field = tst["tsa"]
    return VerifiedTimestamp(
        gen_time=gen_time,
        accuracy=accuracy,
        serial=int(tst["serial_number"].native),
        policy=token_policy,
        hash_alg=hash_alg,
        message_digest=bytes(tst["message_imprint"]["hashed_message"].native),
        nonce=token_nonce,
        ordering=bool(tst["ordering"].native),
        tsa_name=_general_name_text(tsa_field) if tsa_field.native is not None else None,
        signer_certificate=signer.cert,
        chain=chain,
        token=token.der,
    )


def _accuracy(tst: asn1_tsp.TSTInfo) -> dt.timedelta | None:
    acc = tst["accuracy"]
    if acc.native is None:
        return None
    return dt.timedelta(
        seconds=acc["seconds"].native or 0,
        milliseconds=acc["millis"].native or 0,
        microseconds=acc["micros"].native or 0,
    )


# --------------------------------------------------------------------------------------------
# HTTP client for external TSAs
# --------------------------------------------------------------------------------------------


class TimestampClientError(Exception):
    """The TSA could not be reached or answered something that is not a time-stamp reply."""


@dataclass(frozen=True)
class ExternalTimestamp:
    response: bytes
    verified: VerifiedTimestamp

    @property
    def token(self) -> bytes:
        return self.verified.token


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET (or go to another host); TSAs do not redirect.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch_timestamp(
    url: str,
    *,
    data: bytes | None = None,
    digest: bytes | None = None,
    hash_alg: str = "sha256",
    trusted_roots: Sequence[x509.Certificate],
    tsa_certificate: x509.Certificate | None = None,
    intermediates: Sequence[x509.Certificate] = (),
    policy: str | None = None,
    timeout: float = 10.0,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    now: dt.datetime | None = None,
) -> ExternalTimestamp:
    """Ask an RFC 3161 TSA over HTTP(S) for a token and verify it before returning it."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"TSA URL must be http or https, not {scheme or 'relative'!r}")
    request = build_request(data, digest=digest, hash_alg=hash_alg, policy=policy)
    http_request = urllib.request.Request(
        url,
        data=request.to_der(),
        method="POST",
        headers={"Content-Type": _TIMESTAMP_QUERY, "Accept": _TIMESTAMP_REPLY},
    )
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        with opener.open(http_request, timeout=timeout) as reply:
            content_type = reply.headers.get_content_type()
            length = reply.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) > max_response_bytes:
                raise TimestampClientError(f"TSA reply of {length} bytes exceeds {max_response_bytes}")
            body = reply.read(max_response_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise TimestampClientError(f"TSA answered HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TimestampClientError(f"TSA unreachable: {exc}") from exc
    if len(body) > max_response_bytes:
        raise TimestampClientError(f"TSA reply exceeds {max_response_bytes} bytes")
    if content_type != _TIMESTAMP_REPLY:
        raise TimestampClientError(f"TSA replied with {content_type}, not {_TIMESTAMP_REPLY}")

    verified = verify(
        body,
        digest=request.imprint.digest,
        trusted_roots=trusted_roots,
        tsa_certificate=tsa_certificate,
        intermediates=intermediates,
        nonce=request.nonce,
        policy=policy,
        now=now,
    )
    # The imprint check compared digests only; make sure the TSA did not switch algorithms.
    if verified.hash_alg != request.imprint.hash_alg:
        raise TimestampError("imprint", f"TSA answered with {verified.hash_alg}, asked {hash_alg}")
    return ExternalTimestamp(response=body, verified=verified)
