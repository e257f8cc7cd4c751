"""The back office: every registered model's list (and add form, where adding is allowed) opens for an
administrator, with rows present, and stays closed to everyone else."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from artrights.core.tests import factories as core_factories
from artrights.ledger.tests.factories import published_log
from artrights.matching.tests import factories as matching_factories

pytestmark = pytest.mark.django_db

MODEL_ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def rows(people):
    """A little of everything: a party with no organisation, a file, a notification, a log with a checkpoint, a
    match report."""
    core_factories.party()
    core_factories.stored_file(owner=people["artist"])
    core_factories.notification(recipient=people["artist"])
    published_log(3)
    matching_factories.report(people["artist"])
    return people


@pytest.mark.parametrize(("model", "model_admin"), MODEL_ADMINS, ids=[m._meta.label for m, _ in MODEL_ADMINS])
def test_every_admin_list_opens_for_an_administrator(client, rows, model, model_admin):
    client.force_login(rows["admin"])
    info = (model._meta.app_label, model._meta.model_name)
    response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
    assert response.status_code == 200
    first = model._default_manager.first()
    if first is not None:
        assert client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk])).status_code == 200
    add = client.get(reverse("admin:{}_{}_add".format(*info)))
    assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403)


def test_the_back_office_is_closed_to_a_registrar(client, rows):
    client.force_login(rows["registrar"])
    response = client.get(reverse("admin:core_auditevent_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_registered_work_cannot_be_edited_or_deleted_in_the_back_office(client, rows, artist):
    from artrights.registry import services
    from artrights.registry.tests.factories import OWNER, samples, work_fields

    work = services.file_digital_work(user=artist, fields=work_fields(), owners=[OWNER], files=samples(95))
    client.force_login(rows["admin"])
    change_url = reverse("admin:registry_work_change", args=[work.pk])
    page = client.get(change_url).content.decode()
    assert work.number in page and 'name="_save"' not in page
    assert client.post(change_url, {"title": "改过的名称"}).status_code == 403
    assert client.post(reverse("admin:registry_work_delete", args=[work.pk]), {"post": "yes"}).status_code == 403
    work.refresh_from_db()
    assert work.title == "大芬村的早晨"
