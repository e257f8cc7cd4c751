"""A user's inbox through the API and services: token changes reported to their owner, reading and marking
notifications read, the language and copies a user chooses; outsiders learn nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from artrights.accounts.services import issue_token, revoke_token, update_settings
from artrights.core.models import Notification
from artrights.core.tests.factories import notification
from artrights.testing import bearer, declare_example_kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user):
    return make_user("owner-qian", "partner", display_name="钱对接", email="qian@example.cn")


def test_issuing_a_token_tells_its_owner_in_the_inbox_and_by_e_mail(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        token, _raw = issue_token(user=owner, name="信用查询对接", scopes=["credit:query"])
    row = Notification.objects.get(recipient=owner)
    assert (row.kind, row.object_type, row.object_id, row.url) == (
        "accounts.token_issued",
        "accounts.apitoken",
        str(token.pk),
        "/account/tokens/",
    )
    assert row.title == "您的账户创建了API令牌“信用查询对接”"
    assert f"（{token.prefix}…，权限范围：信用查询）" in row.body
    (message,) = mail.outbox
    assert message.subject == "【ArtRights】您的账户创建了API令牌“信用查询对接”" and message.to == ["qian@example.cn"]


def test_the_token_notice_names_its_scopes_in_the_readers_language_not_as_codes(owner):
    from django.utils import translation

    issue_token(user=owner, name="夜间同步", scopes=["read", "credit:feedback"])
    row = Notification.objects.get(recipient=owner)
    assert row.params["scopes"] == "read\ncredit:feedback"
    with translation.override("zh-hans"):
        assert "权限范围：只读、惩戒措施反馈）" in row.body
    with translation.override("en"):
        assert "read, credit:" not in row.body and "Read only, " in row.body


def test_a_token_revoked_by_an_administrator_is_reported_to_its_owner_once(owner, people):
    token, _raw = issue_token(user=owner, name="夜间同步", scopes=["read"])
    revoke_token(user=people["admin"], token=token)
    revoke_token(user=people["admin"], token=token)  # already revoked: nothing new to tell
    kinds = list(Notification.objects.filter(recipient=owner).values_list("kind", flat=True))
    assert kinds == ["accounts.token_revoked", "accounts.token_issued"]
    assert not Notification.objects.filter(recipient=people["admin"]).exists()


def test_a_refused_token_leaves_no_notification(owner):
    with pytest.raises(ValidationError):
        issue_token(user=owner, name="x", scopes=["root"])
    assert not Notification.objects.exists()


# The API


def test_the_api_lists_my_notifications_newest_first_in_the_requests_language(client, owner, outsider):
    older = notification(recipient=owner, name="甲")
    newer = notification(recipient=owner, name="乙")
    notification(recipient=outsider, name="别人的")
    client.force_login(owner)
    body = client.get("/api/accounts/notifications", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [n["id"] for n in body["items"]] == [newer.pk, older.pk]
    assert body["items"][0]["title"] == 'An API token "乙" was created for your account'
    assert (body["count"], body["unread"]) == (2, 2)
    assert body["items"][0]["read_at"] is None and body["items"][0]["url"] == "/account/tokens/"


def test_the_api_marks_one_read_then_lists_only_the_unread(client, owner):
    first, second = notification(recipient=owner), notification(recipient=owner)
    client.force_login(owner)
    marked = client.post(f"/api/accounts/notifications/{first.pk}/read").json()
    assert marked["read_at"] is not None
    body = client.get("/api/accounts/notifications", {"unread": "true"}).json()
    assert [n["id"] for n in body["items"]] == [second.pk]
    assert (body["count"], body["unread"]) == (1, 1)


def test_the_api_pages_through_a_long_inbox(client, owner):
    rows = [notification(recipient=owner, name=str(i)) for i in range(5)]
    client.force_login(owner)
    body = client.get("/api/accounts/notifications", {"limit": 2, "offset": 2}).json()
    assert [n["id"] for n in body["items"]] == [rows[2].pk, rows[1].pk]
    assert body["count"] == 5
    assert client.get("/api/accounts/notifications", {"limit": 0}).status_code == 422
    assert client.get("/api/accounts/notifications", {"limit": 1000}).status_code == 422


def test_the_api_marks_everything_read_at_once(client, owner, outsider):
    notification(recipient=owner), notification(recipient=owner)
    theirs = notification(recipient=outsider)
    client.force_login(owner)
    assert client.post("/api/accounts/notifications/read-all").json() == {"marked": 2}
    assert client.post("/api/accounts/notifications/read-all").json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_someone_elses_notification_is_not_found_and_stays_unread(client, owner, outsider, people):
    theirs = notification(recipient=outsider)
    for who in (owner, people["admin"]):  # an administrator's inbox too holds only their own
        client.force_login(who)
        assert client.post(f"/api/accounts/notifications/{theirs.pk}/read").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post("/api/accounts/notifications/999999/read").status_code == 404


def test_the_inbox_api_needs_a_login_and_a_read_only_token_cannot_mark_read(client, owner):
    row = notification(recipient=owner)
    assert client.get("/api/accounts/notifications").status_code == 401
    _token, raw = issue_token(user=owner, name="只读", scopes=["read"])
    assert client.get("/api/accounts/notifications", **bearer(raw)).json()["count"] == 2  # row + the token notice
    assert client.post(f"/api/accounts/notifications/{row.pk}/read", **bearer(raw)).status_code == 403


# Settings


def test_a_user_chooses_the_language_of_e_mail_and_which_kinds_skip_it(owner, monkeypatch):
    EXAMPLE = declare_example_kind(monkeypatch)
    update_settings(user=owner, target=owner, language="en", muted_kinds=[EXAMPLE.key, EXAMPLE.key])
    owner.refresh_from_db()
    assert (owner.language, owner.muted_kinds) == ("en", [EXAMPLE.key])
    assert not owner.wants_copies_of(EXAMPLE.key) and owner.wants_copies_of("accounts.token_issued")


def test_an_essential_or_unknown_kind_cannot_be_turned_off_nor_an_unknown_language_chosen(owner):
    with pytest.raises(ValidationError, match=r"accounts\.token_issued"):
        update_settings(user=owner, target=owner, muted_kinds=["accounts.token_issued"])
    with pytest.raises(ValidationError, match=r"registry\.nothing"):
        update_settings(user=owner, target=owner, muted_kinds=["registry.nothing"])
    with pytest.raises(ValidationError, match="fr"):
        update_settings(user=owner, target=owner, language="fr")
    owner.refresh_from_db()
    assert (owner.language, owner.muted_kinds) == ("zh-hans", [])


def test_nobody_changes_another_users_settings(owner, outsider):
    with pytest.raises(PermissionDenied):
        update_settings(user=outsider, target=owner, language="en")
    owner.refresh_from_db()
    assert owner.language == "zh-hans"
