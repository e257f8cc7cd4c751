import pytest
from django.test import Client

from artrights.accounts.models import ApiToken
from artrights.testing import bearer

pytestmark = pytest.mark.django_db


def test_a_token_created_in_the_browser_is_shown_once_and_stored_only_as_a_hash(artist_client):
    response = artist_client.post("/account/tokens/", {"name": "批量脚本", "scopes": ["read", "write"]})
    raw = response.context["new_token"]
    assert raw.startswith("art_")
    token = ApiToken.objects.get()
    assert raw not in (token.token_hash, token.prefix)
    assert raw[:12] == token.prefix
    page = artist_client.get("/account/tokens/").content.decode()
    assert raw not in page
    assert "从未使用" in page


def test_a_script_calls_the_api_with_its_token_and_the_last_use_is_shown(client, artist):
    raw = _token(artist, ["read"])
    response = client.get("/api/accounts/me", **bearer(raw))
    assert response.status_code == 200
    assert response.json()["username"] == artist.username
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    client.force_login(artist)
    assert "从未使用" not in client.get("/account/tokens/").content.decode()


def test_a_revoked_token_stops_working_at_once(client, artist):
    raw = _token(artist, ["read"])
    token = ApiToken.objects.get()
    client.force_login(artist)
    client.post(f"/account/tokens/{token.pk}/revoke/")
    client.logout()
    response = client.get("/api/accounts/me", **bearer(raw))
    assert response.status_code == 401


def test_a_read_only_token_cannot_write(client, artist):
    raw = _token(artist, ["read"])
    response = client.post(
        "/api/accounts/tokens",
        {"name": "x", "scopes": ["read"]},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 403
    assert "写入" in response.json()["detail"]
    assert ApiToken.objects.count() == 1


def test_an_unknown_token_is_refused(client):
    assert client.get("/api/accounts/me", **bearer("art_not-a-real-token")).status_code == 401


def test_browser_api_writes_need_the_csrf_token(artist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(artist)
    response = client.post("/api/accounts/tokens", {"name": "x", "scopes": ["read"]}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert not ApiToken.objects.exists()


def test_a_user_cannot_revoke_someone_elses_token(client, artist, outsider):
    _token(artist, ["read"])
    token = ApiToken.objects.get()
    client.force_login(outsider)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/api/accounts/tokens/{token.pk}/revoke").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_with_an_unknown_scope_is_refused_with_a_message(artist_client):
    response = artist_client.post(
        "/api/accounts/tokens", {"name": "x", "scopes": ["root"]}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "root" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def _token(user, scopes):
    from artrights.accounts.services import issue_token

    return issue_token(user=user, name="test", scopes=scopes)[1]
