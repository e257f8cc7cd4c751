"""External TSAs configured by URL stamp the same digests as the built-in one."""

import hashlib

import pytest

from artrights.proofs import rfc3161
from artrights.timestamps import selectors, services
from artrights.timestamps.models import ExternalTimestamp
from artrights.timestamps.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def external_tsa(tmp_path):
    """Another RFC 3161 authority, served over HTTP on loopback, with its root in a file."""
    tsa = factories.authority()
    root = tmp_path / "outside-root.pem"
    root.write_bytes(tsa.root_certificate_pem)
    with factories.served(tsa) as url:
        yield url, str(root), tsa


def test_each_stamp_is_also_taken_from_the_configured_external_tsa(settings, external_tsa):
    url, root, tsa = external_tsa
    settings.ARTRIGHTS_EXTERNAL_TSA_URLS = [url, "http://127.0.0.1:9/down"]
    settings.ARTRIGHTS_EXTERNAL_TSA_ROOTS = [root]
    data = "检查点 checkpoint".encode()
    services.stamp(data)
    [kept] = selectors.external_timestamps(hashlib.sha256(data).digest())  # the unreachable TSA is skipped
    assert kept.url == url
    verified = rfc3161.verify(bytes(kept.response), data=data, trusted_roots=[tsa.root_certificate])
    assert verified.tsa_name and "Outside TSA" in verified.tsa_name


def test_without_external_tsas_nothing_is_fetched(settings):
    settings.ARTRIGHTS_EXTERNAL_TSA_URLS = []
    services.stamp(b"x")
    assert not ExternalTimestamp.objects.exists()
