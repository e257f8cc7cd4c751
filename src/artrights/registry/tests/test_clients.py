"""An agency's clients: the owners it filed for, what it filed and the power of attorney on file."""

from __future__ import annotations

import pytest

from artrights.accounts.tests.factories import organisation
from artrights.registry import services

from .factories import OWNER, power_of_attorney, samples, work_fields

pytestmark = pytest.mark.django_db


def test_an_agency_sees_the_owners_it_represents_with_their_applications_and_power_of_attorney(client, people):
    agent = people["agency"]
    work = services.create_application(
        user=agent, fields=work_fields(), owners=[OWNER], files=[*samples(seed=41), power_of_attorney()]
    )
    client.force_login(agent)
    page = client.get("/registry/clients/").content.decode()
    assert OWNER.name in page and work.title in page
    power = work.workfile_set.get(role="power_of_attorney")
    assert f"/registry/works/{work.pk}/files/{power.pk}" in page
    client.cookies["django_language"] = "en"
    assert "Clients" in client.get("/registry/clients/").content.decode()


def test_another_agency_sees_none_of_those_clients_and_an_artist_is_refused(client, people, make_user):
    services.create_application(
        user=people["agency"], fields=work_fields(), owners=[OWNER], files=[*samples(seed=42), power_of_attorney()]
    )
    other = make_user("other-agency", "agency", organisation=organisation(name="另一家代理机构"))
    client.force_login(other)
    page = client.get("/registry/clients/").content.decode()
    assert OWNER.name not in page and 'data-testid="client-row"' not in page
    client.force_login(people["artist"])
    assert client.get("/registry/clients/").status_code == 403
    client.logout()
    assert client.get("/registry/clients/").status_code == 302
