"""A suspect image given by its URL is fetched by the worker, never by the web request; one person cannot fill
the worker; watched pages never lead the platform into its own network."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from artrights.matching import services
from artrights.matching.models import UrlCheck, WatchedPage
from artrights.matching.tests import factories
from artrights.matching.tests.factories import copy_of
from artrights.testing import allow_fetching, bearer

pytestmark = pytest.mark.django_db


def _queued(user, url):
    """A URL check ``user`` submitted that the worker has not taken yet."""
    return services.submit_url_check(user=user, url=url)


def test_a_url_check_is_queued_and_its_page_opens_the_report_when_the_worker_is_done(
    client, register, outsider, tmp_path, serve_folder, django_capture_on_commit_callbacks
):
    work = register(72)
    (tmp_path / "shop.jpg").write_bytes(copy_of(72))
    client.force_login(outsider)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/matching/", {"url": f"{serve_folder}/shop.jpg"})
    check = UrlCheck.objects.get(requester=outsider)
    assert response["Location"] == f"/matching/url-checks/{check.pk}/" and check.status == "queued"
    waiting = client.get(response["Location"]).content.decode()
    assert 'data-testid="url-check-pending"' in waiting and f"/matching/url-checks/{check.pk}/panel" in waiting
    assert "已排队" in waiting

    for callback in queued:  # the worker takes it
        callback()
    check.refresh_from_db()
    assert check.status == "done" and check.report.source_url == f"{serve_folder}/shop.jpg"
    assert work.number in [r["number"] for r in check.report.results]
    panel = client.get(f"/matching/url-checks/{check.pk}/panel")
    assert panel["HX-Redirect"] == f"/matching/reports/{check.report_id}/"
    assert client.get(response["Location"])["Location"] == f"/matching/reports/{check.report_id}/"


class _Trickle(http.server.BaseHTTPRequestHandler):
    """An image that arrives a byte a second (60 at most), counting the requests it gets."""

    requests: list[str] = []

    def do_GET(self):
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", "5000")
        self.end_headers()
        for _ in range(60):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(1)

    def log_message(self, *args):
        pass


@pytest.fixture
def trickle(settings):
    _Trickle.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    allow_fetching(settings, server.server_port)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_the_web_request_answers_at_once_and_leaves_a_trickling_site_to_the_worker(
    client, outsider, trickle, django_capture_on_commit_callbacks, settings
):
    client.force_login(outsider)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/matching/", {"url": f"{trickle}/slow.jpg"})
    assert response.status_code == 302 and time.monotonic() - started < 2
    assert _Trickle.requests == []  # the request thread did not even connect
    assert len(queued) == 1


def test_the_worker_gives_up_on_a_trickling_image_at_the_deadline(outsider, trickle, settings):
    settings.ARTRIGHTS_FETCH_SECONDS = 2.0
    check = _queued(outsider, f"{trickle}/slow.jpg")
    started = time.monotonic()
    services.run_url_check(check.pk)
    check.refresh_from_db()
    assert time.monotonic() - started < 4
    assert check.status == "failed" and check.reason == "timeout" and "超时" in check.failure()


def test_a_person_with_checks_under_way_is_told_to_wait_and_may_submit_again_later(
    client, outsider, artist, settings, django_capture_on_commit_callbacks
):
    settings.ARTRIGHTS_URL_CHECKS_PER_USER = 2
    with django_capture_on_commit_callbacks(execute=False):
        first = _queued(outsider, "http://shop.test/a.jpg")
        _queued(outsider, "http://shop.test/b.jpg")
        with pytest.raises(ValidationError) as refused:
            _queued(outsider, "http://shop.test/c.jpg")
        assert refused.value.code == "too_many"
        assert "您已有 2 个网址检查正在进行" in refused.value.messages[0]
        with translation.override("en"):
            with pytest.raises(ValidationError) as in_english:
                _queued(outsider, "http://shop.test/c.jpg")
        assert "You already have 2 URL checks under way" in in_english.value.messages[0]
        _queued(artist, "http://shop.test/a.jpg")  # another person is not held back

        client.force_login(outsider)
        page = client.post("/matching/", {"url": "http://shop.test/d.jpg"}).content.decode()
        assert "您已有 2 个网址检查正在进行" in page
        api = client.post("/api/matching/check", {"url": "http://shop.test/d.jpg"})
        assert api.status_code == 429 and "您已有 2 个网址检查正在进行" in api.json()["detail"]

        UrlCheck.objects.filter(pk=first.pk).update(status="failed", reason="dns")  # one finished
        _queued(outsider, "http://shop.test/c.jpg")
        # A check lost by a stopped worker no longer holds its place once it is old.
        UrlCheck.objects.filter(requester=outsider).update(created_at=timezone.now() - dt.timedelta(minutes=11))
        _queued(outsider, "http://shop.test/e.jpg")
    assert UrlCheck.objects.filter(requester=outsider).count() == 4


def test_one_persons_checks_take_turns_in_the_worker(outsider, artist, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        running = _queued(outsider, "http://shop.test/a.jpg")
        waiting = _queued(outsider, "http://shop.test/b.jpg")
        other = _queued(artist, "http://shop.test/c.jpg")
    UrlCheck.objects.filter(pk=running.pk).update(status="running", started_at=timezone.now())
    assert services.run_url_check(waiting.pk) is services.UrlCheckRun.BUSY
    waiting.refresh_from_db()
    assert waiting.status == "queued"
    assert services.run_url_check(other.pk) is services.UrlCheckRun.DONE  # another person's goes ahead
    assert services.run_url_check(other.pk) is services.UrlCheckRun.GONE  # delivered twice: run once


def test_the_api_queues_a_url_and_answers_with_the_check_to_poll(
    client, register, outsider, artist, tmp_path, serve_folder, django_capture_on_commit_callbacks
):
    from artrights.accounts.services import issue_token

    work = register(73)
    (tmp_path / "p.jpg").write_bytes(copy_of(73))
    raw = issue_token(user=outsider, name="scanner", scopes=["read", "write"])[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/matching/check", {"url": f"{serve_folder}/p.jpg"}, **bearer(raw))
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "queued" and response.json()["report_id"] is None
    polled = client.get(f"/api/matching/url-checks/{response.json()['id']}", **bearer(raw)).json()
    assert polled["status"] == "done" and polled["failure"] == ""
    report = client.get(f"/api/matching/reports/{polled['report_id']}", **bearer(raw)).json()
    assert report["matches"][0]["number"] == work.number
    other = issue_token(user=artist, name="x", scopes=["read"])[1]
    assert client.get(f"/api/matching/url-checks/{polled['id']}", **bearer(other)).status_code == 404


def test_an_outsider_cannot_see_anothers_url_check(client, outsider, artist, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        check = _queued(artist, "http://shop.test/secret.jpg")
    client.force_login(outsider)
    assert client.get(f"/matching/url-checks/{check.pk}/").status_code == 404
    assert client.get(f"/matching/url-checks/{check.pk}/panel").status_code == 404
    assert "secret.jpg" not in client.get("/matching/").content.decode()


# Watched pages ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5432/",
        "http://localhost:8000/admin/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://10.0.0.1/",
        "http://[::ffff:192.168.1.1]/",
        "http://no-such-host.invalid/",
        "ftp://example.org/",
    ],
)
def test_a_page_that_does_not_lead_to_a_public_address_cannot_be_watched(outsider, connections, url):
    with pytest.raises(ValidationError) as refused:
        services.watch_page(user=outsider, url=url)
    assert refused.value.messages[0].startswith("无法监测该网址")
    assert not WatchedPage.objects.exists() and connections == []


def test_an_internal_name_and_a_missing_name_are_refused_with_the_same_words(outsider, connections):
    said = []
    for url in ("http://localhost:8000/", "http://no-such-host.invalid:8000/"):
        with pytest.raises(ValidationError) as refused:
            services.watch_page(user=outsider, url=url)
        said.append(refused.value.messages[0].replace("no-such-host.invalid", "localhost"))
    assert said[0] == said[1]


def test_an_internal_page_watched_before_fails_safely_when_checked(outsider, connections):
    page = factories.watched_page(outsider, "http://169.254.169.254/latest/meta-data/")
    check = services.check_page(page)
    assert not check.ok and check.reason == "unreachable" and connections == []


def test_a_page_whose_images_trickle_is_checked_within_its_time(outsider, trickle, tmp_path, settings, connections):
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = "".join(f'<img src="{trickle}/{n}.jpg">' for n in range(5)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    allow_fetching(settings, server.server_port)
    try:
        page = services.watch_page(user=outsider, url=f"http://127.0.0.1:{server.server_port}/shop.html")
        started = time.monotonic()
        check = services.check_page(page, seconds=3)
    finally:
        server.shutdown()
    assert time.monotonic() - started < 5
    assert check.ok and check.images_found == 5 and check.images_unreadable == 5


def test_only_the_operators_explicit_flag_lets_the_check_command_read_a_url_on_this_machine(
    register, tmp_path, capsys, connections
):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    work = register(74)
    (tmp_path / "shop.jpg").write_bytes(copy_of(74))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/shop.jpg"
    try:
        with pytest.raises(CommandError):
            call_command("check", url)
        refused = capsys.readouterr().err
        assert "无法连接网站 127.0.0.1" in refused and "Could not connect to 127.0.0.1" in refused
        assert connections == []
        call_command("check", url, "--allow-loopback")
    finally:
        server.shutdown()
    assert work.number in capsys.readouterr().out
