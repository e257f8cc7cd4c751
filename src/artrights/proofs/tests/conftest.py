"""Shared fixtures: the public RFC 3161 vectors and a few built-in TSAs.

The vectors live outside the repository (``../shared/vectors`` next to the repo root, or the
directory named by ``ARTRIGHTS_VECTORS``) and are only ever read from there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from artrights.proofs.rfc3161 import CounterSerials, TimeStampAuthority
from artrights.proofs.tests.rfc3161_support import TEST_POLICY
from artrights.proofs.tests.vectors import vectors_dir


@pytest.fixture(scope="session")
def rfc3161_vectors() -> Path:
    folder = vectors_dir() / "rfc3161"
    if not (folder / "hello.txt").is_file():
        pytest.skip(
            f"RFC 3161 vectors not found at {folder}; set ARTRIGHTS_VECTORS to the shared/vectors "
            "directory to run these tests"
        )
    return folder


@pytest.fixture(scope="session")
def openssl() -> str:
    path = shutil.which("openssl")
    if path is None:
        pytest.skip("the openssl binary is not installed")
    return path


@pytest.fixture(scope="session")
def ecdsa_tsa() -> TimeStampAuthority:
    return TimeStampAuthority.generate(policy_oid=TEST_POLICY, serial_source=CounterSerials())


@pytest.fixture(scope="session")
def rsa_tsa() -> TimeStampAuthority:
    return TimeStampAuthority.generate(policy_oid=TEST_POLICY, serial_source=CounterSerials(), key_type="rsa-3072")


@pytest.fixture(scope="session")
def rsa_pss_tsa() -> TimeStampAuthority:
    return TimeStampAuthority.generate(
        policy_oid=TEST_POLICY, serial_source=CounterSerials(), key_type="rsa-3072", rsa_padding="pss"
    )


@pytest.fixture(params=["ecdsa-p256", "rsa-pkcs1v15", "rsa-pss"])
def any_tsa(
    request: pytest.FixtureRequest,
    ecdsa_tsa: TimeStampAuthority,
    rsa_tsa: TimeStampAuthority,
    rsa_pss_tsa: TimeStampAuthority,
) -> TimeStampAuthority:
    return {"ecdsa-p256": ecdsa_tsa, "rsa-pkcs1v15": rsa_tsa, "rsa-pss": rsa_pss_tsa}[request.param]
