"""The inbox pages and account settings: the unread count on every page, opening and marking read, the language
and copies a user chooses; outsiders and visitors learn nothing."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from artrights.core.models import Notification
from artrights.core.tests.factories import notification
from artrights.portal.context_processors import inbox
from artrights.testing import declare_example_kind

pytestmark = pytest.mark.django_db


def test_every_page_shows_the_unread_count_beside_the_inbox_link(artist_client, artist):
    notification(recipient=artist), notification(recipient=artist)
    page = artist_client.get("/dashboard/").content.decode()
    assert 'data-testid="unread-count" title="未读">2</span>' in page
    artist_client.post("/inbox/read-all/")
    page = artist_client.get("/registry/search/").content.decode()
    assert 'data-testid="inbox-link"' in page and 'data-testid="unread-count"' not in page


def test_the_unread_count_costs_one_query_and_shows_99_plus_beyond(artist, django_assert_num_queries):
    for _ in range(100):
        notification(recipient=artist)
    request = RequestFactory().get("/")
    request.user = artist
    context = inbox(request)
    with django_assert_num_queries(1):
        assert str(context["unread_notifications"]) == "99+"
        assert context["unread_notifications"]  # evaluated once, then remembered


def test_the_inbox_lists_my_notifications_newest_first_with_the_unread_marked(artist_client, artist, outsider):
    read = notification(recipient=artist, name="旧令牌")
    artist_client.get(f"/inbox/{read.pk}/")
    notification(recipient=artist, name="新令牌")
    notification(recipient=outsider, name="别人的令牌")
    page = artist_client.get("/inbox/").content.decode()
    assert page.index("新令牌") < page.index("旧令牌")
    assert "别人的令牌" not in page
    assert page.count('data-testid="unread-tag"') == 1
    unread_only = artist_client.get("/inbox/?show=unread").content.decode()
    assert "新令牌" in unread_only and "旧令牌" not in unread_only


def test_the_inbox_reads_in_english_for_an_english_reader(artist_client, artist):
    notification(recipient=artist, name="nightly")
    artist_client.cookies["django_language"] = "en"
    page = artist_client.get("/inbox/").content.decode()
    assert "An API token &quot;nightly&quot; was created for your account" in page
    assert "Mark all as read" in page


def test_a_long_inbox_is_paged(artist_client, artist):
    for i in range(25):
        notification(recipient=artist, name=f"令牌{i:02d}")
    first = artist_client.get("/inbox/").content.decode()
    assert "令牌24" in first and "令牌04" not in first and "第 1 / 2 页" in first
    second = artist_client.get("/inbox/?page=2").content.decode()
    assert "令牌04" in second and "令牌24" not in second
    assert artist_client.get("/inbox/?page=nonsense").status_code == 200


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(artist_client, artist):
    row = notification(recipient=artist)
    response = artist_client.get(f"/inbox/{row.pk}/")
    assert response.status_code == 302 and response["Location"] == "/account/tokens/"
    row.refresh_from_db()
    first_read = row.read_at
    assert first_read is not None
    artist_client.get(f"/inbox/{row.pk}/")
    row.refresh_from_db()
    assert row.read_at == first_read  # the first reading is the one kept


def test_a_notification_without_a_link_opens_back_into_the_inbox(artist_client, artist, monkeypatch):
    declare_example_kind(monkeypatch)
    from artrights.core.services import notify

    (row,) = notify(recipients=[artist], kind="tests.example", params={"title": "作品", "deadline": "2026-08-01"})
    response = artist_client.get(f"/inbox/{row.pk}/")
    assert response["Location"] == "/inbox/"


def test_someone_elses_notification_is_not_found_for_an_outsider_or_an_administrator(client, artist, people):
    row = notification(recipient=artist)
    for who in (people["registrar"], people["admin"]):
        client.force_login(who)
        assert client.get(f"/inbox/{row.pk}/").status_code == 404
    row.refresh_from_db()
    assert row.read_at is None
    assert client.get("/inbox/999999/").status_code == 404


def test_a_visitor_is_sent_to_log_in_first_and_comes_back_to_the_notification(client, artist):
    row = notification(recipient=artist)
    for path in ("/inbox/", f"/inbox/{row.pk}/", "/account/settings/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={path}"
    assert client.post("/inbox/read-all/").status_code == 302
    row.refresh_from_db()
    assert row.read_at is None


def test_marking_all_read_needs_a_post_and_says_how_many(artist_client, artist):
    notification(recipient=artist), notification(recipient=artist)
    assert artist_client.get("/inbox/read-all/").status_code == 405
    page = artist_client.post("/inbox/read-all/", follow=True).content.decode()
    assert "已将 2 条消息标为已读。" in page
    assert not Notification.objects.filter(recipient=artist, read_at=None).exists()


def test_an_empty_inbox_says_what_will_appear_there(artist_client):
    page = artist_client.get("/inbox/").content.decode()
    assert "还没有消息。平台在需要您处理或您的业务有变化时通知您。" in page
    assert 'data-testid="mark-all-read"' not in page


def test_issuing_a_token_on_its_page_puts_the_notice_in_the_header_at_once(artist_client):
    page = artist_client.post("/account/tokens/", {"name": "批量脚本", "scopes": ["read"]}).content.decode()
    assert 'data-testid="unread-count" title="未读">1</span>' in page


# Account settings


def test_the_settings_page_saves_the_language_and_the_kinds_sent_by_e_mail(artist_client, artist, monkeypatch):
    declare_example_kind(monkeypatch)
    page = artist_client.get("/account/settings/").content.decode()
    assert "创建API令牌" in page and "（重要通知，始终发送）" in page and "测试通知" in page
    assert "邮件发往 artist-lin@example.test。" in page
    from artrights.core import notifying

    others = [k.key for k in notifying.declared() if not k.essential and k.key != "tests.example"]
    # Every optional kind ticked but the example: only the example is muted.
    response = artist_client.post("/account/settings/", {"language": "en", "copies": others}, follow=True)
    artist.refresh_from_db()
    assert (artist.language, artist.muted_kinds) == ("en", ["tests.example"])
    assert artist_client.cookies["django_language"].value == "en"
    assert "Settings saved." in response.content.decode()
    artist_client.post("/account/settings/", {"language": "zh-hans", "copies": [*others, "tests.example"]})
    artist.refresh_from_db()
    assert (artist.language, artist.muted_kinds) == ("zh-hans", [])


def test_the_settings_page_refuses_an_unknown_language_or_kind(artist_client, artist):
    response = artist_client.post("/account/settings/", {"language": "fr", "copies": ["accounts.token_issued"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "fr" in page and "accounts.token_issued" in page  # both choices named as not available
    artist.refresh_from_db()
    assert artist.language == "zh-hans"


def test_the_settings_page_names_where_copies_go(artist_client, artist):
    artist.email, artist.phone, artist.verified_phone = "lin@example.cn", "13800138000", "13800138000"
    artist.save()
    page = artist_client.get("/account/settings/").content.decode()
    assert "邮件发往 lin@example.cn。" in page and "短信发往已验证的手机 13800138000。" in page


def test_the_language_switch_becomes_the_signed_in_users_language_for_e_mail(artist_client, artist):
    artist_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    artist.refresh_from_db()
    assert artist.language == "en"
    artist_client.post("/i18n/setlang/", {"language": "xx", "next": "/"})  # ignored, as Django ignores it
    artist.refresh_from_db()
    assert artist.language == "en"


def test_the_language_switch_still_works_for_a_visitor(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/verify/"})
    assert response.status_code == 302 and response["Location"] == "/verify/"
    assert response.cookies["django_language"].value == "en"
