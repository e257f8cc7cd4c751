"""The dashboard's "我最近的操作" names each action and its object in words, in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from artrights.core import audit
from artrights.registry import services
from artrights.registry.models import Work
from artrights.registry.tests.factories import OWNER, samples, work_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(artist):
    work = services.create_application(user=artist, fields=work_fields(), owners=[OWNER], files=samples(seed=7))
    return services.submit(work=work, user=artist)


def _recent_actions(client, language):
    client.cookies["django_language"] = language
    page = client.get("/dashboard/")
    assert page.status_code == 200
    return page.content.decode()


def test_a_submitted_application_shows_on_the_dashboard_as_words_in_chinese(artist_client, submitted):
    html = _recent_actions(artist_client, "zh-hans")
    with translation.override("zh-hans"):
        kind = str(Work._meta.verbose_name)
    assert "提交登记申请" in html
    assert f"{kind} {submitted}" in html
    assert "registry.submit" not in html
    assert "registry.work" not in html


def test_a_submitted_application_shows_on_the_dashboard_as_words_in_english(artist_client, submitted):
    html = _recent_actions(artist_client, "en")
    with translation.override("en"):
        kind = str(Work._meta.verbose_name)
    assert "Submitted a registration application" in html
    assert f"{kind} {submitted}" in html
    assert "registry.submit" not in html


def test_an_action_no_app_declares_any_more_still_shows_by_its_code(artist_client, artist):
    audit.record("retired.action", actor=artist, object_type="retired.thing", object_id="7", object_repr="旧对象 7")
    html = _recent_actions(artist_client, "zh-hans")
    assert "retired.action" in html
    assert "retired.thing 旧对象 7" in html


def test_the_dashboard_shows_only_the_readers_own_actions(client, artist, make_user, submitted):
    other = make_user("artist-other", "artist")
    client.force_login(other)
    html = _recent_actions(client, "zh-hans")
    assert "提交登记申请" not in html
