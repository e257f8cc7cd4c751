"""Who may file for whom: a rights holder in their own verified name, an agency with a power of attorney."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from artrights.accounts.tests.factories import organisation
from artrights.core.models import StoredFile
from artrights.registry import services
from artrights.registry.models import FileRole, PartyRole, Status, Work
from artrights.testing import bearer

from .factories import (
    OTHER_OWNER,
    OWNER,
    agency_owner_fields,
    application_form,
    artwork_png,
    power_of_attorney,
    samples,
    upload,
    work_fields,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(make_user):
    return make_user("agent-wang", "agency", organisation=organisation(name="深圳示例版权代理"))


def _roles(work: Work) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for wp in work.workparty_set.select_related("party").order_by("pk"):
        found.setdefault(wp.role, []).append(wp.party.name)
    return found


def test_an_artist_files_in_the_name_on_their_verified_profile_without_typing_it(client, artist):
    client.force_login(artist)
    page = client.get("/registry/apply/").content.decode()
    assert 'data-testid="filing-as-self"' in page and "林画家" in page
    assert 'name="owner_id_number"' not in page and 'name="power_of_attorney"' not in page
    client.post("/registry/apply/", application_form(71))
    work = Work.objects.get()
    assert _roles(work) == {"owner": ["林画家"], "applicant": ["林画家"]}
    assert work.filed_by_owner and work.agent is None
    assert "由著作权人本人申请" in client.get(f"/registry/works/{work.pk}/").content.decode()


def test_an_artist_without_a_verified_identity_is_sent_to_the_identity_page_first(client, make_user):
    newcomer = make_user("newcomer", "artist")
    client.force_login(newcomer)
    page = client.get("/registry/digital/").content.decode()
    assert 'data-testid="identity-missing"' in page and "/accounts/identity/" in page
    assert 'data-testid="digital-form"' not in page
    with pytest.raises(ValidationError) as err:
        services.file_digital_work(user=newcomer, fields=work_fields(), owners=[], files=samples(72))
    assert err.value.code == "identity_required"
    assert not Work.objects.exists() and not StoredFile.objects.exists()


def test_an_artist_cannot_file_in_another_persons_name(artist):
    with pytest.raises(ValidationError) as err:
        services.create_application(user=artist, fields=work_fields(), owners=[OTHER_OWNER], files=samples(73))
    assert err.value.code == "not_own_name"
    assert "为他人申请请通过代理机构" in err.value.messages[0]
    assert not Work.objects.exists()


def test_an_artist_may_name_co_owners_on_a_reviewed_application_but_not_on_an_instant_filing(artist):
    work = services.create_application(
        user=artist,
        fields=work_fields(ownership_mode="joint"),
        owners=[OWNER, OTHER_OWNER],
        files=samples(74),
    )
    assert _roles(work) == {"owner": ["林画家", "吴路人"], "applicant": ["林画家"]}
    with pytest.raises(ValidationError) as err:
        services.file_digital_work(user=artist, fields=work_fields(), owners=[OWNER, OTHER_OWNER], files=samples(75))
    assert err.value.code == "co_owners_need_review"


def test_an_agency_filing_without_a_power_of_attorney_is_refused_and_nothing_is_kept(agent):
    with pytest.raises(ValidationError) as err:
        services.create_application(user=agent, fields=work_fields(), owners=[OWNER], files=samples(76))
    assert err.value.code == "power_of_attorney_missing"
    assert "授权委托书" in err.value.messages[0]
    assert not Work.objects.exists() and not StoredFile.objects.exists()


def test_an_agency_must_name_the_owner_it_represents(agent):
    with pytest.raises(ValidationError) as err:
        services.create_application(
            user=agent, fields=work_fields(), owners=[], files=[*samples(77), power_of_attorney()]
        )
    assert err.value.code == "owner_required"


def test_an_agency_filing_names_the_agency_and_its_power_of_attorney_on_the_record(client, agent, registrar):
    client.force_login(agent)
    page = client.get("/registry/apply/").content.decode()
    assert 'data-testid="filing-as-agent"' in page and 'name="power_of_attorney"' in page
    letter = upload(b"%PDF-1.4 signed by the owner", "林画家授权委托书.pdf", "application/pdf")
    form = application_form(71, **agency_owner_fields(power_of_attorney=letter))
    response = client.post("/registry/apply/", form)
    work = Work.objects.get()
    assert response.status_code == 302
    assert _roles(work) == {"owner": ["林画家"], "applicant": ["林画家"], "agent": ["深圳示例版权代理"]}
    assert work.agent == agent.organisation and not work.filed_by_owner
    letters = work.workfile_set.filter(role=FileRole.POWER_OF_ATTORNEY)
    assert [f.stored_file.original_name for f in letters] == ["林画家授权委托书.pdf"]
    services.submit(work=work, user=agent)  # registry staff see an application once it is handed in
    client.force_login(registrar)
    page = client.get(f"/registry/works/{work.pk}/").content.decode()
    assert 'data-testid="power-of-attorney"' in page and "林画家授权委托书.pdf" in page


def test_the_agency_web_form_without_the_letter_says_it_is_required(client, agent):
    client.force_login(agent)
    without_letter = {k: v for k, v in agency_owner_fields().items() if k != "power_of_attorney"}
    form = application_form(71, **without_letter)
    response = client.post("/registry/apply/", form)
    assert response.status_code == 200
    assert "授权委托书" in response.content.decode()
    assert not Work.objects.exists()


def _api_data(**overrides):
    data = {
        "title": "API的画",
        "work_type": "FINE_ART",
        "authors": [{"name": "林画家"}],
        "completed_on": "2026-01-02",
        "rights": ["reproduction"],
    }
    data.update(overrides)
    return json.dumps(data)


def test_the_api_files_in_the_artists_own_name_when_no_owner_is_given(client, artist):
    from artrights.accounts.services import issue_token

    raw = issue_token(user=artist, name="batch", scopes=["read", "write"])[1]
    response = client.post(
        "/api/registry/digital-filings", {"data": _api_data(), "image": upload(artwork_png(78))}, **bearer(raw)
    )
    assert response.status_code == 201, response.content
    assert _roles(Work.objects.get()) == {"owner": ["林画家"], "applicant": ["林画家"]}


def test_the_api_refuses_a_filing_in_someone_elses_name_with_the_reason(client, artist):
    from artrights.accounts.services import issue_token

    raw = issue_token(user=artist, name="batch", scopes=["read", "write"])[1]
    other = [{"name": OTHER_OWNER.name, "id_type": "resident_id", "id_number": OTHER_OWNER.id_number}]
    response = client.post(
        "/api/registry/digital-filings",
        {"data": _api_data(owners=other), "image": upload(artwork_png(79))},
        **bearer(raw),
    )
    assert response.status_code == 422
    assert "只能以本人（林画家）名义申请" in response.json()["detail"]
    assert not Work.objects.exists()


def test_an_agency_files_through_the_api_with_the_letter_as_a_file(client, agent):
    from artrights.accounts.services import issue_token

    raw = issue_token(user=agent, name="batch", scopes=["read", "write"])[1]
    owners = [{"name": OWNER.name, "id_type": "resident_id", "id_number": OWNER.id_number}]
    without = client.post(
        "/api/registry/works", {"data": _api_data(owners=owners), "samples": upload(artwork_png(80))}, **bearer(raw)
    )
    assert without.status_code == 422 and "授权委托书" in without.json()["detail"]
    letter = upload(b"%PDF-1.4 signed", "委托书.pdf", "application/pdf")
    response = client.post(
        "/api/registry/works",
        {"data": _api_data(owners=owners), "samples": upload(artwork_png(80)), "power_of_attorney": letter},
        **bearer(raw),
    )
    assert response.status_code == 201, response.content
    work = Work.objects.get()
    assert work.status == Status.DRAFT and work.agent == agent.organisation
    assert work.workfile_set.filter(role=FileRole.POWER_OF_ATTORNEY).count() == 1
    assert PartyRole.AGENT in _roles(work)
