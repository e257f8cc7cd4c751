"""The built-in TSA: a signing key with a self-issued chain that answers requests with tokens."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from typing import Literal

from asn1crypto import algos as asn1_algos
from asn1crypto import cms as asn1_cms
from asn1crypto import core as asn1_core
from asn1crypto import tsp as asn1_tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from artrights.core.pki import KeyType, SigningKey, issue_chain

from ._common import _hash, _require_aware, _TimeStampResp, _utcnow
from .requests import MessageImprint, RequestError, TimeStampRequest, parse_request
from .verification import TimestampError, _check_tsa_eku

# RFC 3161 §2.4.2: serial numbers up to 160 bits must be supported, so larger ones may be refused.
_MAX_SERIAL = 2**160


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


RsaPadding = Literal["pkcs1v15", "pss"]


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
        """Create a new key and self-issued chain (root CA + TSA certificate, ``issue_chain``'s time-stamping leaf)."""
        identity = issue_chain(
            common_name=common_name,
            organization=organization,
            profile="time-stamping",
            key_type=key_type,
            now=now,
            leaf_validity=tsa_validity,
            root_validity=root_validity,
        )
        return cls(
            identity.key,
            identity.certificate,
            identity.root,
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
