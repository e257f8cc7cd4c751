"""Token verification: every check a relying party (a court, years later) runs on a token."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

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
from cryptography.x509.oid import ExtendedKeyUsageOID

from ._common import SUPPORTED_HASHES, _digest_size, _hash, _require_aware, _TimeStampResp, _utcnow

# Names of the verification checks, in the order ``verify`` runs them. ``format`` is reported
# before any of them when the bytes are not a well-formed response or token.
CHECKS = (
    "format",
    "status",
    "imprint",
    "signature",
    "signer_certificate",
    "chain",
    "certificates",
    "eku",
    "nonce",
    "policy",
    "validity",
)


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


# What asn1crypto raises on malformed input (IndexError: an empty SEQUENCE OF indexed at [0]).
# AttributeError too: asn1crypto builds a damaged field as whatever universal type its tag names, and reading
# ``.native`` of some (an ObjectDescriptor in a TSTInfo, found by the fuzz test) fails that way.
_ASN1_ERRORS = (ValueError, TypeError, IndexError, OverflowError, AttributeError)


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
        if len(actual) != _digest_size(alg_name):
            raise _fail("imprint", f"given digest is not a {alg_name} digest")
    if not hmac.compare_digest(expected, actual):
        raise _fail("imprint", "message imprint does not match the data")
    return str(alg_name)


def _single_attr(attrs: asn1_cms.CMSAttributes, name: str) -> Any:  # an asn1crypto value, or None
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
    if content_type is None or content_type.native != "tst_info":
        raise _fail("signature", "content-type attribute missing or not id-ct-TSTInfo")
    message_digest = _single_attr(attrs, "message_digest")
    if message_digest is None:
        raise _fail("signature", "message-digest attribute missing")
    if not hmac.compare_digest(
        bytes(message_digest.native),
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
        ess_id = v2["certs"][0]
        hash_name = ess_id["hash_algorithm"]["algorithm"].native
        if hash_name not in SUPPORTED_HASHES:
            raise _fail("signer_certificate", f"ESSCertIDv2 uses unsupported hash {hash_name}")
        expected = _hash(hash_name, signer.der)
    elif v1 is not None:
        ess_id = v1["certs"][0]
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


def _check_exact_certificates(
    signed_data: asn1_cms.SignedData, supplied: Sequence[x509.Certificate], chain: Sequence[x509.Certificate]
) -> None:
    """The supplied certificates are the verified chain itself, in order; the token's own are of that chain, once."""
    in_chain = [c.public_bytes(serialization.Encoding.DER) for c in chain]
    embedded = [bytes(choice.chosen.dump()) for choice in signed_data["certificates"] or []]
    given = [c.public_bytes(serialization.Encoding.DER) for c in supplied]
    if given and given != in_chain:
        raise _fail("certificates", "the supplied certificates are not the token's chain (signer first, then issuers)")
    if len(set(embedded)) != len(embedded):
        raise _fail("certificates", "the token lists a certificate twice")
    if any(der not in in_chain for der in embedded):
        raise _fail("certificates", "the token holds a certificate that is not part of its chain (altered or added)")


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
    exact_certificates: bool = False,
) -> VerifiedTimestamp:
    """Verify a DER TimeStampResp or TimeStampToken over ``data`` (or its ``digest``).

    Checks run in the order of ``CHECKS`` and the first failure raises ``TimestampError``.
    Certificates are judged at the token's genTime, not at ``now``: a token stays valid after
    the TSA certificate expires, which is the point of time-stamping. ``now`` only bounds
    genTime from above so that a token cannot claim to come from the future.

    ``exact_certificates`` (the ``certificates`` check) is for tokens a known TSA made, kept in a
    proof people hand on: the supplied certificates must then be the verified chain itself, in
    order, and every certificate the token carries one of that chain, once. The certificate set
    sits outside the signature, so a damaged or added copy would otherwise go unnoticed next to
    the genuine one it shadows. Tokens from the wider world (which may carry spare certificates)
    are verified without it.
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
            exact_certificates=exact_certificates,
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
    exact_certificates: bool = False,
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
    if exact_certificates:
        _check_exact_certificates(token.signed_data, supplied, chain)

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
