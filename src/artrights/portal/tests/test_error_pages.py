"""Error pages: the site's layout in the visitor's language with a way back; JSON under /api/; nothing leaked."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import include, path

from artrights.portal.views import bad_request, forbidden, server_error
from artrights.registry import services
from artrights.registry.tests.factories import OWNER, samples, work_fields

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    """The page's content, without the header (whose language switch names the page's own address)."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", html.split("<main>")[1].split("</main>")[0])


def test_a_missing_page_is_the_platforms_own_404_with_links_back(client):
    response = client.get("/no-such-page/", HTTP_REFERER="http://testserver/registry/search/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and 'class="topbar"' in page
    assert 'href="http://testserver/registry/search/"' in page and "返回上一页" in page
    assert 'href="/"' in page and "返回首页" in page and 'href="/guide/"' in page


def test_a_way_back_to_another_site_or_to_the_same_page_is_not_offered(client):
    page = client.get("/no-such-page/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in page and "返回上一页" not in page
    page = client.get("/no-such-page/", HTTP_REFERER="http://testserver/no-such-page/").content.decode()
    assert "返回上一页" not in page


def test_a_refusal_gives_its_own_reason_and_offers_visitors_a_login():
    request = RequestFactory().get("/registry/review/")
    request.user = AnonymousUser()
    page = forbidden(request, PermissionDenied("只有登记审核员可以查看审核队列。")).content.decode()
    assert "只有登记审核员可以查看审核队列。" in page
    assert 'href="/accounts/login/?next=/registry/review/"' in page


def test_the_404_page_is_in_english_for_english_readers(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'lang="en"' in page and "Page not found" in page and "页面不存在" not in page


def test_someone_elses_work_and_a_work_that_never_existed_give_the_same_404(client, artist, outsider):
    work = services.file_digital_work(
        user=artist, fields=work_fields(title="私人草稿"), owners=[OWNER], files=samples(93), issue_now=False
    )
    client.force_login(outsider)
    private = client.get(f"/registry/works/{work.pk}/")
    missing = client.get("/registry/works/987654/")
    assert private.status_code == missing.status_code == 404
    assert _main(private) == _main(missing)
    assert "私人草稿" not in private.content.decode() and "No Work matches" not in private.content.decode()


def test_a_refused_page_is_the_platforms_own_403_naming_the_reason(client, artist):
    client.force_login(artist)
    response = client.get("/registry/review/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "没有权限" in page and 'data-testid="error-detail"' in page and "返回首页" in page
    assert "登录后再试" not in page  # already logged in


def test_an_expired_form_gets_a_page_that_says_so(make_user):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_api_errors_stay_json(client, artist, outsider):
    missing = client.get("/api/no-such-endpoint")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert missing.json() == {"detail": "未找到。"}
    work = services.file_digital_work(user=artist, fields=work_fields(), owners=[OWNER], files=samples(94))
    client.force_login(outsider)
    private = client.get(f"/api/registry/works/{work.pk}")
    assert private.status_code == 404 and private["Content-Type"].startswith("application/json")


def test_a_server_error_is_a_branded_page_and_json_under_the_api():
    page = server_error(RequestFactory().get("/registry/"))
    assert page.status_code == 500
    assert "服务器出错了" in page.content.decode() and 'class="topbar"' in page.content.decode()
    api = server_error(RequestFactory().get("/api/registry/works"))
    assert api.status_code == 500 and api["Content-Type"].startswith("application/json")
    assert "detail" in api.content.decode()


# The site's URL map with one page that fails the way a bug would, for the tests below.
def _failing_page(request):
    raise RuntimeError("connection to postgres://registry:hunter2@10.0.0.5/prod failed")


urlpatterns = [path("failing-page/", _failing_page), path("", include("artrights.urls"))]
handler400 = "artrights.portal.views.bad_request"
handler404 = "artrights.portal.views.not_found"
handler500 = "artrights.portal.views.server_error"
LEAKS = ("Traceback", "RuntimeError", "hunter2", "URLconf", "failing-page/", "DisallowedHost", "ALLOWED_HOSTS", "DEBUG")


@pytest.mark.urls(__name__)
def test_with_debug_off_a_failing_page_a_missing_page_and_a_bad_host_show_only_the_platforms_pages(settings):
    settings.DEBUG = False
    visitor = Client(raise_request_exception=False)
    failing = visitor.get("/failing-page/")
    missing = visitor.get("/no-such-page/")
    bad_host = visitor.get("/", HTTP_HOST="intranet.evil.example")
    assert (failing.status_code, missing.status_code, bad_host.status_code) == (500, 404, 400)
    assert "服务器出错了" in failing.content.decode() and "页面不存在" in missing.content.decode()
    assert "请求无效" in bad_host.content.decode()
    for response in (failing, missing, bad_host):
        page = response.content.decode()
        assert 'class="topbar"' in page and "返回首页" in page
        assert not [leak for leak in LEAKS if leak in page], page


def test_a_bad_request_is_a_branded_page_in_the_readers_language_and_json_under_the_api():
    from django.utils import translation

    with translation.override("en"):
        page = bad_request(RequestFactory().get("/registry/")).content.decode()
    assert "Bad request" in page and 'lang="en"' in page
    api = bad_request(RequestFactory().get("/api/registry/works"))
    assert api.status_code == 400 and api["Content-Type"].startswith("application/json")
