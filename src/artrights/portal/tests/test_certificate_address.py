"""The certificate's verification link points where the platform is served, not at a fixed port."""

import shutil
import subprocess

import pytest
from django.test import RequestFactory

from artrights.core import public_url
from artrights.registry import services
from artrights.registry.tests.factories import OWNER, samples, work_fields

pytestmark = pytest.mark.django_db


def _certificate_text(work) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is missing: apt-get install poppler-utils")
    with work.certificates.first().pdf.open("rb") as fh:
        text = subprocess.run([pdftotext, "-", "-"], input=fh.read(), capture_output=True, check=True).stdout
    return "".join(text.decode().split())


def test_a_digital_filing_made_in_a_request_links_to_the_address_the_visitor_used(artist, settings):
    settings.ARTRIGHTS_PUBLIC_URL = ""
    request = RequestFactory().post("/registry/digital/", HTTP_HOST="localhost:8123")
    with public_url.serving(request):
        # Made inside the request (as a reissue is); a filing's certificate is otherwise the worker's.
        work = services.file_digital_work(
            user=artist, fields=work_fields(), owners=[OWNER], files=samples(91), issue_now=True
        )
    assert f"http://localhost:8123/verify/{work.number}" in _certificate_text(work)


def test_a_certificate_made_by_the_worker_links_to_the_configured_address(
    artist, settings, django_capture_on_commit_callbacks
):
    # `artrights serve` puts the served (or the operator's) address into the worker's ARTRIGHTS_PUBLIC_URL.
    settings.ARTRIGHTS_PUBLIC_URL = "http://127.0.0.1:8123"
    with django_capture_on_commit_callbacks(execute=True):  # the queued job runs (the worker, in tests)
        work = services.file_digital_work(user=artist, fields=work_fields(), owners=[OWNER], files=samples(92))
    assert f"http://127.0.0.1:8123/verify/{work.number}" in _certificate_text(work)
