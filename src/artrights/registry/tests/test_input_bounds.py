"""Bad input gets a clear refusal and stores nothing: text a certificate cannot print, hidden characters, deeply
nested JSON, searches for control characters."""

import json

import pytest
from django.core.exceptions import ValidationError

from artrights.accounts.services import issue_token
from artrights.core.services import PartyInput
from artrights.registry import services
from artrights.registry.models import Work
from artrights.testing import bearer

from .factories import OWNER, artwork_png, samples, upload, work_fields

pytestmark = pytest.mark.django_db


def _refused(artist, **fields):
    with pytest.raises(ValidationError) as refused:
        services.create_application(user=artist, fields=work_fields(**fields), owners=[OWNER], files=samples(91))
    assert not Work.objects.exists()
    return " ".join(refused.value.messages)


def test_an_emoji_in_the_title_is_refused_because_the_certificate_cannot_print_it(artist):
    assert "😀" in _refused(artist, title="大芬村的清晨😀")


def test_a_title_or_author_too_long_for_the_certificate_is_refused_with_the_limit(artist):
    assert "60" in _refused(artist, title="长" * 61)
    assert "30" in _refused(artist, authors=[{"name": "林" * 10_000}])
    assert "10" in _refused(artist, authors=[{"name": f"作者{i}"} for i in range(11)])


def test_a_direction_override_or_a_nul_in_any_field_is_refused_naming_the_character(artist):
    assert "U+202E" in _refused(artist, title="\u202e画油村芬大")
    assert "U+0000" in _refused(artist, description="说明\x00")
    assert "U+0000" in _refused(artist, authors=[{"name": "林\x00画家"}])


def test_a_co_owner_named_with_hidden_characters_is_refused(artist):
    with pytest.raises(ValidationError) as refused:
        services.create_application(
            user=artist,
            fields=work_fields(),
            owners=[OWNER, PartyInput(name="周\u202e雕塑", id_type="other", id_number="P1234567")],
            files=samples(92),
        )
    assert "U+202E" in " ".join(refused.value.messages)


def test_the_api_refuses_deeply_nested_json_with_a_clear_error_not_a_500(client, artist):
    raw = issue_token(user=artist, name="batch", scopes=["read", "write"])[1]
    nested = "[" * 100_000 + "]" * 100_000
    filing = client.post("/api/registry/digital-filings", {"data": nested, "image": upload(b"x")}, **bearer(raw))
    assert filing.status_code == 422 and "32" in filing.json()["detail"]
    body = client.post("/api/registry/works/1/contracts", nested, content_type="application/json", **bearer(raw))
    assert body.status_code == 400 and "32" in body.json()["detail"]


def test_the_api_stores_no_nul_bytes(client, artist):
    raw = issue_token(user=artist, name="batch", scopes=["read", "write"])[1]
    data = json.dumps(
        {"title": "画\u0000", "work_type": "FINE_ART", "authors": [{"name": "林画家"}], "completed_on": "2026-01-02"}
    )
    response = client.post(
        "/api/registry/digital-filings", {"data": data, "image": upload(artwork_png(94))}, **bearer(raw)
    )
    assert response.status_code == 422 and "U+0000" in response.json()["detail"]
    assert not Work.objects.exists()


def test_a_search_for_a_control_character_finds_nothing_rather_than_everything(client, artist):
    services.file_digital_work(user=artist, fields=work_fields(title="公开的画"), owners=[OWNER], files=samples(93))
    assert "公开的画" in client.get("/registry/search/", {"q": "公开"}).content.decode()
    assert "公开的画" not in client.get("/registry/search/", {"q": "\x00"}).content.decode()
    assert "公开的画" not in client.get("/registry/search/", {"q": "%"}).content.decode()
