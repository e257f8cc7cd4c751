"""The platform's document-signing identity (PAdES certificates, C2PA manifests), created on first use."""

from __future__ import annotations

from functools import lru_cache
from typing import cast

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings

from artrights.core.keyfiles import ensure_secret_file, keys_dir
from artrights.core.pki import SigningIdentity, SigningKey, generate_signing_identity


def _identity_file() -> bytes:
    def make() -> bytes:
        identity = generate_signing_identity(
            # X.509 names allow 64 bytes (21 Chinese characters): keep the CN ASCII, the name in O.
            common_name="ArtRights Certificate Signing",
            organization=settings.ARTRIGHTS_REGISTRY_NAME[:21],
        )
        return identity.key_pem() + identity.chain_pem()

    return ensure_secret_file(keys_dir() / "signing.pem", make)


@lru_cache(maxsize=1)
def _load(pem: bytes) -> SigningIdentity:
    # The file holds the EC or RSA key `generate_signing_identity` made (or the one an operator put in its place).
    key = cast(SigningKey, serialization.load_pem_private_key(pem, password=None))
    chain = tuple(x509.load_pem_x509_certificates(pem[pem.index(b"-----BEGIN CERTIFICATE-----") :]))
    return SigningIdentity(key, chain)


def signing_identity() -> SigningIdentity:
    return _load(_identity_file())
