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


# Scopes: reads need `read` (or `write`, which includes it); a token made with a token is never wider than it -----


def test_a_token_without_the_read_scope_cannot_read(client, artist):
    raw = _token(artist, ["credit:query"])
    for path in ("/api/accounts/me", "/api/accounts/tokens", "/api/registry/works", "/api/accounts/notifications"):
        response = client.get(path, **bearer(raw))
        assert response.status_code == 403, path
        assert "read" in response.json()["detail"]


def test_a_write_token_reads_too(client, artist):
    raw = _token(artist, ["write"])
    assert client.get("/api/accounts/me", **bearer(raw)).status_code == 200


def _mint(client, raw, scopes, **extra):
    body = {"name": "子令牌", "scopes": scopes, **extra}
    return client.post("/api/accounts/tokens", body, content_type="application/json", **bearer(raw))


def test_a_token_cannot_mint_a_token_with_a_scope_it_lacks(client, artist):
    raw = _token(artist, ["write"])
    response = _mint(client, raw, ["write", "credit:query", "credit:feedback"])
    assert response.status_code == 403
    assert response.json()["detail"].endswith("credit:query, credit:feedback")
    assert ApiToken.objects.count() == 1


def test_a_token_mints_a_narrower_token_that_remembers_its_maker(client, artist):
    raw = _token(artist, ["write"])
    response = _mint(client, raw, ["read"])
    assert response.status_code == 201, response.content
    parent = ApiToken.objects.get(name="test")
    child = ApiToken.objects.get(pk=response.json()["id"])
    assert child.parent == parent and response.json()["parent_id"] == parent.pk
    assert client.get("/api/accounts/me", **bearer(response.json()["token"])).status_code == 200


def test_a_minted_token_expires_no_later_than_its_maker(client, artist):
    import datetime as dt

    from django.utils import timezone

    from artrights.accounts.services import issue_token

    parent_expires = timezone.now() + dt.timedelta(days=7)
    _parent, raw = issue_token(user=artist, name="test", scopes=["write"], expires_at=parent_expires)
    forever = _mint(client, raw, ["read"])
    later = _mint(client, raw, ["read"], expires_at=(parent_expires + dt.timedelta(days=30)).isoformat())
    sooner = _mint(client, raw, ["read"], expires_at=(parent_expires - dt.timedelta(days=1)).isoformat())
    assert [r.status_code for r in (forever, later, sooner)] == [201, 201, 201]
    expiries = [ApiToken.objects.get(pk=r.json()["id"]).expires_at for r in (forever, later, sooner)]
    assert expiries == [parent_expires, parent_expires, parent_expires - dt.timedelta(days=1)]


def test_revoking_a_token_revokes_every_token_minted_with_it(client, artist):
    raw = _token(artist, ["write"])
    child = _mint(client, raw, ["write"]).json()
    grandchild = _mint(client, child["token"], ["read"]).json()
    sibling_raw = _token(artist, ["read"])  # made in the browser: nothing to do with the revoked one
    parent = ApiToken.objects.get(prefix=raw[:12])
    client.force_login(artist)
    client.post(f"/account/tokens/{parent.pk}/revoke/")
    client.logout()
    for value in (raw, child["token"], grandchild["token"]):
        assert client.get("/api/accounts/me", **bearer(value)).status_code == 401
    assert ApiToken.objects.filter(revoked_at__isnull=False).count() == 3
    assert client.get("/api/accounts/me", **bearer(sibling_raw)).status_code == 200


def test_a_minted_token_stops_when_its_maker_is_revoked_in_the_back_office(client, artist):
    from django.utils import timezone

    raw = _token(artist, ["write"])
    child = _mint(client, raw, ["read"]).json()
    ApiToken.objects.filter(prefix=raw[:12]).update(revoked_at=timezone.now())
    assert client.get("/api/accounts/me", **bearer(child["token"])).status_code == 401


def test_a_token_made_in_the_browser_has_no_maker_and_any_scope(artist_client):
    response = artist_client.post(
        "/api/accounts/tokens", {"name": "x", "scopes": ["credit:query"]}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["parent_id"] is None


def test_the_token_page_names_the_token_a_token_was_minted_with(client, artist):
    raw = _token(artist, ["write"])
    _mint(client, raw, ["read"])
    client.force_login(artist)
    assert "由令牌“test”创建，随它撤销" in client.get("/account/tokens/").content.decode()
