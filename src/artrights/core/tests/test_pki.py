"""The one X.509 chain builder, judged by what a relying party sees in the certificates it makes."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import verification as x509_verification
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from artrights.core.pki import KeyType, LeafProfile, SigningIdentity, generate_signing_identity, issue_chain

NOW = dt.datetime(2030, 6, 1, 12, 0, 30, 123456, tzinfo=dt.UTC)
PROFILES: tuple[LeafProfile, ...] = ("time-stamping", "document-signing")

_E = TypeVar("_E", bound=x509.ExtensionType)


def _chain(
    profile: LeafProfile = "time-stamping",
    *,
    common_name: str = "Test Signer",
    organization: str = "Test Org",
    key_type: KeyType = "ecdsa-p256",
    now: dt.datetime = NOW,
    leaf_validity: dt.timedelta = dt.timedelta(days=30),
    root_validity: dt.timedelta = dt.timedelta(days=90),
) -> SigningIdentity:
    return issue_chain(
        common_name=common_name,
        organization=organization,
        profile=profile,
        key_type=key_type,
        now=now,
        leaf_validity=leaf_validity,
        root_validity=root_validity,
    )


def _extension(cert: x509.Certificate, kind: type[_E]) -> x509.Extension[_E]:
    return cert.extensions.get_extension_for_class(kind)


def _verified_path(identity: SigningIdentity, moment: dt.datetime) -> list[x509.Certificate]:
    # RFC 5280 path validation with the root as the only trust anchor; the leaf's purpose is the
    # relying party's own business (each test states it), so the end-entity policy stays open.
    verifier = (
        x509_verification.PolicyBuilder()
        .store(x509_verification.Store([identity.root]))
        .time(moment)
        .extension_policies(
            ca_policy=x509_verification.ExtensionPolicy.webpki_defaults_ca(),
            ee_policy=x509_verification.ExtensionPolicy.permit_all(),
        )
        .build_client_verifier()
    )
    return list(verifier.verify(identity.certificate, []).chain)


def test_a_tsa_leaf_has_only_the_time_stamping_purpose_and_it_is_critical() -> None:
    eku = _extension(_chain("time-stamping").certificate, x509.ExtendedKeyUsage)

    assert eku.critical is True
    assert list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def test_a_document_signing_leaf_protects_email_in_a_non_critical_purpose() -> None:
    eku = _extension(_chain("document-signing").certificate, x509.ExtendedKeyUsage)

    assert eku.critical is False
    assert list(eku.value) == [ExtendedKeyUsageOID.EMAIL_PROTECTION]


@pytest.mark.parametrize("profile", PROFILES)
def test_each_leaf_signs_with_non_repudiation_and_can_issue_nothing(profile: LeafProfile) -> None:
    leaf = _chain(profile).certificate
    usage = _extension(leaf, x509.KeyUsage)
    constraints = _extension(leaf, x509.BasicConstraints)

    assert usage.critical is True
    assert usage.value == x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    assert constraints.critical is True
    assert constraints.value == x509.BasicConstraints(ca=False, path_length=None)
    assert {ext.oid for ext in leaf.extensions} == {
        x509.BasicConstraints.oid,
        x509.KeyUsage.oid,
        x509.ExtendedKeyUsage.oid,
        x509.SubjectKeyIdentifier.oid,
        x509.AuthorityKeyIdentifier.oid,
    }


@pytest.mark.parametrize("profile", PROFILES)
def test_the_root_is_a_ca_that_may_only_issue_end_entity_certificates(profile: LeafProfile) -> None:
    root = _chain(profile).root
    constraints = _extension(root, x509.BasicConstraints)
    usage = _extension(root, x509.KeyUsage)

    assert constraints.critical is True
    assert constraints.value == x509.BasicConstraints(ca=True, path_length=0)
    assert usage.critical is True
    assert usage.value == x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )
    assert {ext.oid for ext in root.extensions} == {
        x509.BasicConstraints.oid,
        x509.KeyUsage.oid,
        x509.SubjectKeyIdentifier.oid,
    }
    root.verify_directly_issued_by(root)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_leaf_names_its_own_key_and_the_root_key_that_signed_it(profile: LeafProfile) -> None:
    identity = _chain(profile)
    leaf, root = identity.chain

    leaf_ski = _extension(leaf, x509.SubjectKeyIdentifier).value
    aki = _extension(leaf, x509.AuthorityKeyIdentifier).value
    root_ski = _extension(root, x509.SubjectKeyIdentifier).value

    assert leaf_ski == x509.SubjectKeyIdentifier.from_public_key(identity.key.public_key())
    assert root_ski == x509.SubjectKeyIdentifier.from_public_key(root.public_key())
    assert aki.key_identifier == root_ski.digest
    assert leaf.public_key() == identity.key.public_key()
    leaf.verify_directly_issued_by(root)


@pytest.mark.parametrize("profile", PROFILES)
def test_the_chain_verifies_with_the_root_as_the_only_trust_anchor(profile: LeafProfile) -> None:
    identity = _chain(profile)

    assert _verified_path(identity, NOW) == [identity.certificate, identity.root]


def test_the_chain_is_named_after_the_organization_and_the_common_name() -> None:
    leaf, root = _chain(common_name="Registry TSA", organization="Some Registry").chain

    assert leaf.subject == x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Some Registry"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Registry TSA"),
        ]
    )
    assert root.subject == x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Some Registry"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Registry TSA Root CA"),
        ]
    )
    assert leaf.issuer == root.subject == root.issuer


def test_both_certificates_start_five_minutes_early_and_last_their_own_validity() -> None:
    leaf, root = _chain(leaf_validity=dt.timedelta(days=30), root_validity=dt.timedelta(days=90)).chain
    start = dt.datetime(2030, 6, 1, 11, 55, 30, tzinfo=dt.UTC)

    assert leaf.not_valid_before_utc == root.not_valid_before_utc == start
    assert leaf.not_valid_after_utc == start + dt.timedelta(days=30)
    assert root.not_valid_after_utc == start + dt.timedelta(days=90)


def test_the_chain_is_trusted_only_inside_the_leaf_validity() -> None:
    identity = _chain(leaf_validity=dt.timedelta(days=30), root_validity=dt.timedelta(days=90))
    leaf = identity.certificate

    _verified_path(identity, leaf.not_valid_before_utc)
    _verified_path(identity, leaf.not_valid_after_utc)
    for outside in (
        leaf.not_valid_before_utc - dt.timedelta(seconds=1),
        leaf.not_valid_after_utc + dt.timedelta(seconds=1),
    ):
        with pytest.raises(x509_verification.VerificationError):
            _verified_path(identity, outside)


def test_a_leaf_that_would_outlive_its_root_is_refused() -> None:
    with pytest.raises(ValueError, match="outlive"):
        _chain(leaf_validity=dt.timedelta(days=91), root_validity=dt.timedelta(days=90))


def test_a_naive_now_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        _chain(now=dt.datetime(2030, 6, 1, 12, 0))


def test_an_unknown_profile_or_key_type_is_refused() -> None:
    with pytest.raises(ValueError, match="profile"):
        _chain(profile="server-auth")
    with pytest.raises(ValueError, match="key type"):
        _chain(key_type="ed25519")


def test_keys_are_ecdsa_p256_unless_rsa_3072_is_asked_for() -> None:
    default = _chain()
    with_rsa = _chain(key_type="rsa-3072")

    assert isinstance(default.key, ec.EllipticCurvePrivateKey) and default.key.curve.name == "secp256r1"
    assert isinstance(with_rsa.key, rsa.RSAPrivateKey) and with_rsa.key.key_size == 3072
    assert isinstance(with_rsa.root.public_key(), rsa.RSAPublicKey)
    assert _verified_path(with_rsa, NOW) == [with_rsa.certificate, with_rsa.root]


def test_serial_numbers_are_positive_fresh_and_fit_twenty_octets() -> None:
    serials = [cert.serial_number for _ in range(5) for cert in _chain().chain]

    assert len(set(serials)) == len(serials)
    assert all(0 < serial < 2**159 for serial in serials)


def test_the_document_signing_identity_is_that_profile_with_a_root_four_times_as_long() -> None:
    identity = generate_signing_identity(now=NOW, validity=dt.timedelta(days=100))
    leaf, root = identity.chain

    assert list(_extension(leaf, x509.ExtendedKeyUsage).value) == [ExtendedKeyUsageOID.EMAIL_PROTECTION]
    assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "ArtRights Certificate Signing"
    assert leaf.not_valid_after_utc - leaf.not_valid_before_utc == dt.timedelta(days=100)
    assert root.not_valid_after_utc - root.not_valid_before_utc == dt.timedelta(days=400)
    assert isinstance(identity.key, ec.EllipticCurvePrivateKey)
