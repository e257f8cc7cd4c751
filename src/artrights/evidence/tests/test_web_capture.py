"""A web page fixed as evidence end to end: asked for on the platform, captured by the worker in the system
Chromium, sealed, and verified offline; and every way it can fail ends void with a reason the requester reads."""

from __future__ import annotations

import io
import re
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from artrights.core.models import Notification
from artrights.evidence import services
from artrights.evidence.capture import find_chromium
from artrights.evidence.models import EvidenceRecord, EvidenceStatus
from artrights.registry.tests.factories import artwork_png
from artrights.registry.verification import platform_trust
from artrights.testing import allow_fetching
from artrights.verify import verify_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.browser]

PAGE = (
    '<!doctype html><html><head><meta charset="utf-8"><title>示例网店</title></head>'
    '<body><h1>原创杯子</h1><img src="/art.png" alt="商品图"></body></html>'
).encode()


class _Shop(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/":
            body, kind = PAGE, "text/html; charset=utf-8"
        elif self.path == "/art.png":
            body, kind = artwork_png(321, (320, 240)), "image/png"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def shop(settings):
    if find_chromium(settings.ARTRIGHTS_CHROMIUM) is None:
        pytest.skip("没有找到 Chromium / Chromium not found")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Shop)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    allow_fetching(settings, server.server_address[1])
    settings.ARTRIGHTS_CAPTURE_SECONDS = 30
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_page_asked_for_on_the_platform_is_captured_sealed_and_verifies(
    artist, shop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = services.request_capture(user=artist, url=f"{shop}/", description="网店盗用了我的画")
    record.refresh_from_db()
    assert record.status == EvidenceStatus.SEALED, record.details
    assert record.page_title == "示例网店"
    paths = set(record.artifacts.values_list("path", flat=True))
    assert {"evidence/screenshot.png", "evidence/page.pdf", "evidence/dom.html", "archive/data.warc.gz"} <= paths
    assert any(p.startswith("images/") for p in paths)
    assert {r["url"] for r in record.requests} >= {f"{shop}/", f"{shop}/art.png"}
    assert record.environment["clock_check"]["offset_seconds"] is not None
    package = record.package.open("rb").read()
    verdict = verify_bytes(package, platform_trust())
    assert verdict.ok, verdict.summary()
    assert "evidence/screenshot.png" in zipfile.ZipFile(io.BytesIO(package)).namelist()
    assert Notification.objects.filter(recipient=artist, kind="evidence.sealed").exists()


def test_a_page_that_cannot_be_reached_is_kept_void_with_the_reason_and_the_requester_is_told(
    artist, shop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = services.request_capture(user=artist, url=f"{shop}/missing")
    record.refresh_from_db()
    assert record.status == EvidenceStatus.VOID and record.reason == "http_status"
    assert "404" in record.failure("zh-hans") and "404" in record.failure("en")
    assert record.log_index is None and not record.package
    assert record.custody.filter(action="voided").exists()
    note = Notification.objects.get(recipient=artist, kind="evidence.voided")
    assert str(record.number) in note.title
    assert mail.outbox  # the e-mail copy left after the commit
    with translation.override("zh-hans"):
        assert record.failure("zh-hans") in note.body
    with translation.override("en"):  # the reason in the reader's language, not the Chinese one
        assert record.failure("en") in note.body and not re.search(r"[\u4e00-\u9fff]", note.body)


def test_an_internal_address_is_refused_in_words_that_tell_nothing_about_the_network(
    artist, shop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = services.request_capture(user=artist, url="http://169.254.169.254/latest/meta-data/")
    record.refresh_from_db()
    assert record.status == EvidenceStatus.VOID and record.reason == "unreachable"


def test_without_chromium_no_capture_is_taken_and_both_the_desk_and_the_worker_say_what_the_server_needs(
    artist, client, shop, settings, django_capture_on_commit_callbacks
):
    settings.ARTRIGHTS_CHROMIUM = "/nonexistent/chromium"
    with pytest.raises(ValidationError, match="Chromium"):
        services.request_capture(user=artist, url=f"{shop}/")
    assert not artist.evidence_records.exists()
    client.force_login(artist)
    page = client.get("/evidence/").content.decode()
    assert 'data-testid="capture-unavailable"' in page and 'data-testid="files-form"' in page
    # A worker on a machine without the browser (the web server had one): void, saying why.
    record = EvidenceRecord.objects.create(kind="web_page", requester=artist, requester_name="x", source_url=shop)
    record = services.run_capture(record_id=record.pk)
    assert record.status == EvidenceStatus.VOID and record.reason == "browser_missing"
    assert "Chromium" in record.failure("zh-hans") and "ARTRIGHTS_CHROMIUM" in record.failure("en")


@pytest.mark.parametrize("url", ["not a url", "ftp://example.com/x", "javascript:alert(1)", ""])
def test_an_address_that_is_no_web_address_is_refused_before_anything_is_recorded(artist, url):
    with pytest.raises(ValidationError):
        services.request_capture(user=artist, url=url)
    assert not artist.evidence_records.exists()


def test_a_person_may_have_only_a_few_captures_running_at_once(artist, settings):
    settings.ARTRIGHTS_CAPTURES_PER_USER = 2
    for _ in range(2):
        services.request_capture(user=artist, url="https://shop.example.com/")  # queued: no worker in this test
    with pytest.raises(ValidationError) as refused:
        services.request_capture(user=artist, url="https://shop.example.com/")
    assert "正在固化" in refused.value.messages[0]
    assert artist.evidence_records.count() == 2


def test_the_command_line_captures_a_loopback_page_only_when_the_operator_allows_it(shop, tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = tmp_path / "page.wacz"
    call_command("evidence", "capture", f"{shop}/", "--out", str(out), "--allow-loopback")
    assert "已封存 / sealed" in capsys.readouterr().out
    assert verify_bytes(out.read_bytes(), platform_trust()).ok
    with pytest.raises(CommandError, match="unreachable"):
        call_command("evidence", "capture", "http://127.0.0.1:9/", "--out", str(tmp_path / "x.wacz"))
