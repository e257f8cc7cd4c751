"""X.509 helpers shared by the platform's signers (framework-free).

The document-signing identity (PAdES certificates, C2PA manifests) and the built-in TSA each hold a key with a
self-issued two-certificate chain; this module makes and carries such identities. One builder, ``issue_chain``,
makes both chains: they differ only in the leaf's profile, that is in what the leaf key may be used for.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = [
    "KeyType",
    "LeafProfile",
    "SigningIdentity",
    "SigningKey",
    "generate_signing_identity",
    "issue_chain",
]

SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
KeyType = Literal["ecdsa-p256", "rsa-3072"]
LeafProfile = Literal["time-stamping", "document-signing"]

# The leaf's key purpose (ExtendedKeyUsage) and whether that extension is critical: the only part of a chain
# that depends on its use.
_LEAF_PURPOSES: dict[LeafProfile, tuple[x509.ObjectIdentifier, bool]] = {
    # RFC 3161 §2.3: exactly one key purpose, id-kp-timeStamping, in a critical extension.
    "time-stamping": (ExtendedKeyUsageOID.TIME_STAMPING, True),
    # C2PA accepts a claim signer only with one of a few EKUs, emailProtection among them. The same leaf signs
    # PAdES certificates, where pyHanko's default policy looks at KeyUsage (nonRepudiation), not at the EKU.
    "document-signing": (ExtendedKeyUsageOID.EMAIL_PROTECTION, False),
}

# Backdate a little so that a verifier whose clock is slightly behind ours accepts what a new key signs at once.
_BACKDATE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class SigningIdentity:
    """A signing key and its chain, leaf first, root last."""

    key: SigningKey
    chain: tuple[x509.Certificate, ...]

    @property
    def certificate(self) -> x509.Certificate:
        return self.chain[0]

    @property
    def root(self) -> x509.Certificate:
        return self.chain[-1]

    def chain_pem(self) -> bytes:
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.chain)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


def issue_chain(
    *,
    common_name: str,
    organization: str,
    profile: LeafProfile,
    key_type: KeyType = "ecdsa-p256",
    now: dt.datetime | None = None,
    leaf_validity: dt.timedelta,
    root_validity: dt.timedelta,
) -> SigningIdentity:
    """A new key and its self-issued chain: a root CA ("<common_name> Root CA") and a ``profile`` leaf.

    Both certificates start five minutes before ``now`` and last ``leaf_validity`` and ``root_validity`` from
    there. The root may issue end-entity certificates only (pathLen 0); the leaf may sign (digitalSignature,
    nonRepudiation) for the purpose its profile names. Keys are ECDSA P-256 or RSA 3072, signatures SHA-256.
    """
    if profile not in _LEAF_PURPOSES:
        raise ValueError(f"unknown leaf profile {profile!r}; use one of {', '.join(_LEAF_PURPOSES)}")
    if leaf_validity > root_validity:
        raise ValueError("the leaf certificate cannot outlive its root")
    moment = _require_aware(now) if now is not None else dt.datetime.now(dt.UTC)
    not_before = moment.replace(microsecond=0) - _BACKDATE
    root_key = _new_key(key_type)
    leaf_key = _new_key(key_type)

    root_name = _name(organization, f"{common_name} Root CA")
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
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(root_ski, critical=False)
        .sign(root_key, hashes.SHA256())
    )

    purpose, purpose_critical = _LEAF_PURPOSES[profile]
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(organization, common_name))
        .issuer_name(root_name)
        .public_key(leaf_key.public_key())
        .serial_number(_random_cert_serial())
        .not_valid_before(not_before)
        .not_valid_after(not_before + leaf_validity)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([purpose]), critical=purpose_critical)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(root_ski), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    # The root key is dropped here on purpose: keeping it would only add a second secret to protect, and a
    # new signing key comes with a new self-issued chain anyway.
    return SigningIdentity(leaf_key, (leaf, root))


def generate_signing_identity(
    *,
    common_name: str = "ArtRights Certificate Signing",
    organization: str = "ArtRights",
    now: dt.datetime | None = None,
    validity: dt.timedelta = dt.timedelta(days=825),
) -> SigningIdentity:
    """A fresh ES256 root CA and document-signing certificate (for tests and first start-up).

    The leaf satisfies both profiles it is used under: C2PA (digitalSignature, EKU
    emailProtection, not a CA, AKI/SKI present) and PAdES (nonRepudiation for pyHanko's
    default key-usage policy). The root lasts four times as long as the leaf.
    """
    return issue_chain(
        common_name=common_name,
        organization=organization,
        profile="document-signing",
        now=now,
        leaf_validity=validity,
        root_validity=4 * validity,
    )


def _require_aware(moment: dt.datetime) -> dt.datetime:
    # A naive datetime would silently be read as UTC and shift the validity of every certificate.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return moment.astimezone(dt.UTC)


def _new_key(key_type: KeyType) -> SigningKey:
    if key_type == "ecdsa-p256":
        return ec.generate_private_key(ec.SECP256R1())
    if key_type == "rsa-3072":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    raise ValueError(f"unsupported key type {key_type!r}; use 'ecdsa-p256' or 'rsa-3072'")


def _random_cert_serial() -> int:
    # RFC 5280 §4.1.2.2: positive, at most 20 octets; 159 random bits keep it unpredictable.
    return secrets.randbits(159) | 1


def _name(organization: str, common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(
    *,
    digital_signature: bool = False,
    content_commitment: bool = False,
    key_cert_sign: bool = False,
    crl_sign: bool = False,
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )
