"""Fixtures the platform's copy-detection tests share: a fresh index per test, and registering works."""

import http.server
import threading

import pytest

from artrights.matching import services
from artrights.registry import services as registry
from artrights.registry.tests.factories import OWNER, samples, upload, work_fields
from artrights.testing import allow_fetching


@pytest.fixture
def fresh_index():
    services._process_index.reset()
    yield
    services._process_index.reset()


@pytest.fixture
def register(artist, fresh_index, django_capture_on_commit_callbacks):
    """File a digital work as `artist` (or ``user``), running the after-commit work (fingerprinting) as a real
    commit would; ``image`` (bytes) instead of artwork ``seed``; ``fingerprint=False`` keeps the work out of
    the index until the test fingerprints it."""

    def make(seed=None, title="大芬村的早晨", *, image=None, user=None, owner=OWNER, fingerprint=True):
        files = [registry.SampleInput(upload(image, "sample.png"))] if image is not None else samples(seed)
        with django_capture_on_commit_callbacks(execute=fingerprint):
            return registry.file_digital_work(
                user=user or artist, fields=work_fields(title=title), owners=[owner], files=files, issue_now=False
            )

    return make


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture
def serve_folder(tmp_path, settings):
    """A web site on loopback serving the files of ``tmp_path``: its base URL (stopped after the test). URL
    fetches may reach it, and no other loopback port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: _Quiet(*a, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    allow_fetching(settings, server.server_port)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
