"""The lists have teeth inside the platform: a listed agency may not file for clients, and a listed party is flagged
on the registrar's review page (registry asks through core.signals; it never imports credit)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from artrights.core.models import StoredFile
from artrights.core.services import PartyInput
from artrights.core.signals import standing_of
from artrights.credit import services
from artrights.credit.models import Measure
from artrights.credit.tests import factories
from artrights.registry import services as registry
from artrights.registry.models import Work
from artrights.registry.tests.factories import OWNER, power_of_attorney, samples, work_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(people):
    return people["agency"]


@pytest.fixture
def listed_agency(supervisor, own_subject):
    return factories.listed(supervisor, own_subject)


def _file_for_a_client(agent, seed=81):
    return registry.create_application(
        user=agent, fields=work_fields(), owners=[OWNER], files=[*samples(seed), power_of_attorney()]
    )


def test_a_listed_agency_cannot_file_for_a_client_and_is_told_why_in_both_languages(agent, listed_agency):
    with pytest.raises(ValidationError) as refused:
        _file_for_a_client(agent)
    assert refused.value.code == "agency_listed"
    message = refused.value.messages[0]
    assert listed_agency.number in message and "知识产权领域失信主体名单" in message and "不得代理" in message
    with translation.override("en"):
        with pytest.raises(ValidationError) as in_english:
            _file_for_a_client(agent, seed=82)
    assert "may not file" in in_english.value.messages[0] and listed_agency.number in in_english.value.messages[0]
    assert not Work.objects.exists() and not StoredFile.objects.exists()


def test_the_agency_files_again_once_it_is_off_the_list(supervisor, agent, listed_agency):
    services.remove_listing(user=supervisor, entry=listed_agency, reason="set_aside", note="决定撤销")
    assert _file_for_a_client(agent).agent == agent.organisation


def test_a_list_whose_measures_do_not_bar_filing_lets_the_agency_file(agent, listed_agency):
    Measure.objects.filter(bars_agency_filing=True).update(bars_agency_filing=False)
    assert _file_for_a_client(agent).pk is not None


def test_an_unlisted_agency_files_as_before(agent):
    assert _file_for_a_client(agent).agent == agent.organisation


def test_the_registrars_review_page_flags_a_listed_owner_and_the_applicant_does_not_see_it(
    client, supervisor, agent, registrar, people
):
    owner = factories.person(supervisor, name=OWNER.name, code=OWNER.id_number)
    entry = factories.listed(supervisor, owner, list_type="gd_serious", behaviour="GD_WILFUL_INFRINGE")
    work = _file_for_a_client(agent)
    registry.submit(work=work, user=agent)
    client.force_login(registrar)
    page = client.get(f"/registry/works/{work.pk}/").content.decode()
    assert 'data-testid="credit-flag"' in page and entry.number in page and "广东省知识产权严重失信名单" in page
    client.force_login(agent)
    assert 'data-testid="credit-flag"' not in client.get(f"/registry/works/{work.pk}/").content.decode()


def test_a_principal_of_a_listed_organisation_is_flagged_as_its_principal(supervisor):
    boss = factories.resident_id(733)
    company = factories.subject(
        supervisor, name="深圳市失信母公司", principals=[services.PrincipalInput("controller", "赵控制", boss)]
    )
    entry = factories.listed(supervisor, company)
    found = standing_of([boss])
    assert [(s.number, s.as_principal_of, s.identifier) for s in found] == [(entry.number, "深圳市失信母公司", boss)]
    assert standing_of([factories.resident_id(734)]) == []


def test_a_proposed_listing_has_no_teeth_yet(supervisor, agent):
    org = agent.organisation
    subject = factories.subject(supervisor, code=org.uscc, name=org.name)
    factories.proposed(supervisor, subject, [factories.record(supervisor, subject)])
    assert standing_of([org.uscc]) == []
    assert _file_for_a_client(agent).pk is not None


def test_an_own_name_filing_by_a_listed_person_is_not_refused(supervisor, artist):
    subject = factories.person(supervisor, name=artist.party.name, code=artist.party.id_number)
    factories.listed(supervisor, subject, list_type="gd_serious", behaviour="GD_WILFUL_INFRINGE")
    work = registry.create_application(
        user=artist,
        fields=work_fields(),
        owners=[
            PartyInput(**{"name": artist.party.name, "id_type": "resident_id", "id_number": artist.party.id_number})
        ],
        files=samples(88),
    )
    assert work.pk is not None
