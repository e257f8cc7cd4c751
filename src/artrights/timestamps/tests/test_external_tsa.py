"""External TSAs configured by URL stamp the same digests as the built-in one."""

import http.server
import threading

import pytest

from artrights.proofs import rfc3161
from artrights.timestamps import services
from artrights.timestamps.models import ExternalTimestamp

pytestmark = pytest.mark.django_db


@pytest.fixture
def external_tsa(tmp_path):
    """Another RFC 3161 authority, served over HTTP on loopback, with its root in a file."""
    tsa = rfc3161.TimeStampAuthority.generate(
        policy_oid="2.999.3161.7", serial_source=rfc3161.CounterSerials(), common_name="Outside TSA"
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            answer = tsa.issue(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = tmp_path / "outside-root.pem"
    root.write_bytes(tsa.root_certificate_pem)
    yield f"http://127.0.0.1:{server.server_port}/", str(root), tsa
    server.shutdown()


def test_each_stamp_is_also_taken_from_the_configured_external_tsa(settings, external_tsa):
    url, root, tsa = external_tsa
    settings.ARTRIGHTS_EXTERNAL_TSA_URLS = [url, "http://127.0.0.1:9/down"]
    settings.ARTRIGHTS_EXTERNAL_TSA_ROOTS = [root]
    data = "检查点 checkpoint".encode()
    services.stamp(data)
    kept = ExternalTimestamp.objects.get()  # the unreachable one is skipped, not fatal
    assert kept.url == url
    verified = rfc3161.verify(bytes(kept.response), data=data, trusted_roots=[tsa.root_certificate])
    assert verified.tsa_name and "Outside TSA" in verified.tsa_name


def test_without_external_tsas_nothing_is_fetched(settings):
    settings.ARTRIGHTS_EXTERNAL_TSA_URLS = []
    services.stamp(b"x")
    assert not ExternalTimestamp.objects.exists()
