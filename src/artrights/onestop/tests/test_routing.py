"""Requests the staff hand on to the platform's other services: an infringement report becomes a copy check and a
web capture, a mediation referral a case in which the requester applies, registration help a draft in the
requester's name. Each is made in the requester's name, refused whole when any part is refused, and the requester
follows it from the request's page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from artrights.core.models import AuditEvent, Notification
from artrights.evidence.models import EvidenceRecord
from artrights.matching.models import UrlCheck
from artrights.mediation.models import Case, CaseStatus, Side, Source
from artrights.mediation.tests import factories as mediation_factories
from artrights.onestop import services
from artrights.onestop.models import ServiceRequest, Status
from artrights.onestop.tests import factories
from artrights.registry.models import Status as WorkStatus
from artrights.registry.models import Work
from artrights.registry.tests import factories as registry_factories

pytestmark = pytest.mark.django_db

SHOP = "https://shop.example.com/item/123"


@pytest.fixture
def mediation_org(db):
    return mediation_factories.mediation_org("深圳市版权纠纷调解委员会")


def _triaged(requester, clerk, station, **kwargs) -> ServiceRequest:
    request = factories.service_request(requester, station, **kwargs)
    return services.triage(user=clerk, request=request)


def test_an_infringement_report_starts_a_copy_check_and_a_web_capture_in_the_requesters_name(
    artist, clerk, station, settings
):
    settings.ARTRIGHTS_CHROMIUM = "/bin/true"  # any executable: only its presence is checked when asking
    request = _triaged(artist, clerk, station, type="infringement_report", url=SHOP)
    services.route(user=clerk, request=request)
    request.refresh_from_db()
    assert request.status == Status.REFERRED
    assert (request.url_check.requester, request.url_check.url) == (artist, SHOP)
    assert (request.evidence.requester, request.evidence.source_url) == (artist, SHOP)
    assert f"#{request.pk}" in request.evidence.description
    told = Notification.objects.filter(recipient=artist, kind="onestop.status_changed").latest("pk")
    assert "比对" in told.body and "取证" in told.body


def test_without_chromium_an_infringement_report_is_refused_whole_unless_the_capture_is_left_out(
    artist, clerk, station, settings
):
    settings.ARTRIGHTS_CHROMIUM = "/nonexistent/chromium"
    request = _triaged(artist, clerk, station, type="infringement_report", url=SHOP)
    with pytest.raises(ValidationError, match="Chromium"):
        services.route(user=clerk, request=request)
    request.refresh_from_db()
    assert request.status == Status.TRIAGED and request.url_check is None and request.evidence is None
    assert not UrlCheck.objects.filter(requester=artist).exists()
    assert not EvidenceRecord.objects.filter(requester=artist).exists()

    services.route(user=clerk, request=request, capture=False)
    request.refresh_from_db()
    assert request.status == Status.REFERRED and request.url_check is not None and request.evidence is None


def test_an_evidence_fixation_without_an_address_cannot_be_routed(artist, clerk, station, settings):
    settings.ARTRIGHTS_CHROMIUM = "/bin/true"
    request = _triaged(artist, clerk, station, type="evidence_fixation", description="请帮我固化网店页面。")
    with pytest.raises(ValidationError, match="网址"):
        services.route(user=clerk, request=request)
    request.refresh_from_db()
    assert request.status == Status.TRIAGED


def test_an_evidence_fixation_with_an_address_becomes_a_web_capture_only(artist, clerk, station, settings):
    settings.ARTRIGHTS_CHROMIUM = "/bin/true"
    request = _triaged(artist, clerk, station, type="evidence_fixation", url=SHOP)
    services.route(user=clerk, request=request)
    request.refresh_from_db()
    assert request.evidence is not None and request.url_check is None


def test_a_consultation_cannot_be_handed_on(artist, clerk, station):
    request = _triaged(artist, clerk, station)
    with pytest.raises(ValidationError):
        services.route(user=clerk, request=request)
    with pytest.raises(ValidationError):
        services.refer_to_mediation(user=clerk, request=request, data=mediation_factories.application())


def test_a_mediation_referral_opens_a_case_in_which_the_requester_applies_and_the_workstation_refers(
    artist, clerk, station, mediation_org
):
    request = _triaged(artist, clerk, station, type="mediation_referral", description="网店销售我的油画复制品。")
    services.refer_to_mediation(
        user=clerk, request=request, data=mediation_factories.application(organisation_id=mediation_org.pk)
    )
    request.refresh_from_db()
    case = request.case
    assert request.status == Status.REFERRED
    assert case.status == CaseStatus.APPLIED and case.source == Source.WORKSTATION
    assert case.referring_body == station.name and case.organisation == mediation_org
    applicant = case.parties.get(side=Side.APPLICANT)
    assert applicant.party == artist.party and applicant.agent is None
    assert case.parties.get(side=Side.RESPONDENT).party.name == "吴路人"
    assert [c.text for c in case.claims.all()] == ["停止销售并赔偿损失"]
    told = Notification.objects.filter(recipient=artist, kind="onestop.status_changed").latest("pk")
    assert case.number in told.body
    assert AuditEvent.objects.filter(action="onestop.route", actor=clerk).exists()


def test_a_mediation_referral_for_a_requester_without_a_verified_identity_is_refused(
    make_user, clerk, station, mediation_org
):
    unverified = make_user("painter-unverified", "artist")
    request = _triaged(unverified, clerk, station, type="mediation_referral")
    with pytest.raises(ValidationError, match="实名"):
        services.refer_to_mediation(
            user=clerk, request=request, data=mediation_factories.application(organisation_id=mediation_org.pk)
        )
    request.refresh_from_db()
    assert request.status == Status.TRIAGED and request.case is None
    assert not Case.objects.exists()


def test_a_mediation_referral_naming_the_requester_as_respondent_changes_nothing(artist, clerk, station, mediation_org):
    from artrights.core.services import PartyInput
    from artrights.testing import LIN

    request = _triaged(artist, clerk, station, type="mediation_referral")
    data = mediation_factories.application(organisation_id=mediation_org.pk, respondents=[PartyInput(**LIN)])
    with pytest.raises(ValidationError):
        services.refer_to_mediation(user=clerk, request=request, data=data)
    request.refresh_from_db()
    assert request.status == Status.TRIAGED and not Case.objects.exists()


def test_registration_help_leaves_a_draft_in_the_requesters_name_that_only_they_submit(artist, clerk, station):
    request = _triaged(artist, clerk, station, type="registration_assist")
    services.prepare_draft(
        user=clerk,
        request=request,
        fields=registry_factories.work_fields(title="大芬的午后"),
        owners=[],
        files=registry_factories.samples(seed=7),
    )
    request.refresh_from_db()
    draft = request.draft
    assert request.status == Status.REFERRED
    assert (draft.applicant, draft.status, draft.title) == (artist, WorkStatus.DRAFT, "大芬的午后")
    told = Notification.objects.filter(recipient=artist, kind="onestop.status_changed").latest("pk")
    assert "大芬的午后" in told.body


def test_registration_help_without_a_sample_leaves_no_draft(artist, clerk, station):
    request = _triaged(artist, clerk, station, type="registration_assist")
    with pytest.raises(ValidationError):
        services.prepare_draft(
            user=clerk, request=request, fields=registry_factories.work_fields(), owners=[], files=[]
        )
    request.refresh_from_db()
    assert request.status == Status.TRIAGED and request.draft is None
    assert not Work.objects.filter(applicant=artist).exists()


def test_someone_who_is_not_staff_of_the_workstation_cannot_hand_a_request_on(artist, outsider, clerk, station):
    request = _triaged(artist, clerk, station, type="registration_assist")
    with pytest.raises(PermissionDenied):
        services.prepare_draft(
            user=outsider,
            request=request,
            fields=registry_factories.work_fields(),
            owners=[],
            files=registry_factories.samples(seed=8),
        )
    assert not Work.objects.filter(applicant=artist).exists()


# Pages --------------------------------------------------------------------------------------------------------


def test_the_staff_fill_the_mediation_application_on_the_request_page_and_the_requester_sees_the_case(
    client, artist, clerk, station, mediation_org
):
    request = _triaged(artist, clerk, station, type="mediation_referral", description="对方拒不下架。")
    client.force_login(clerk)
    page = client.get(f"/onestop/requests/{request.pk}/").content.decode()
    assert f"/onestop/requests/{request.pk}/refer/" in page
    form = client.get(f"/onestop/requests/{request.pk}/refer/").content.decode()
    assert "对方拒不下架。" in form  # the request's description is the summary to start from
    posted = client.post(
        f"/onestop/requests/{request.pk}/refer/",
        {
            "organisation": mediation_org.pk,
            "dispute_type": "infringement",
            "summary": "对方拒不下架。",
            "claim": "停止侵权",
            "amount": "5000",
            "respondent_name": "吴路人",
            "respondent_kind": "natural",
            "respondent_id_type": "resident_id",
            "respondent_id_number": "440304198801010015",
            "online": "on",
        },
    )
    assert posted.status_code == 302
    case = ServiceRequest.objects.get(pk=request.pk).case
    client.force_login(artist)
    mine = client.get(f"/onestop/requests/{request.pk}/").content.decode()
    assert f"/mediation/cases/{case.number}/" in mine
    assert client.get(f"/mediation/cases/{case.number}/").status_code == 200


def test_a_refused_mediation_form_shows_the_reason_and_keeps_the_request_open(
    client, artist, clerk, station, mediation_org
):
    request = _triaged(artist, clerk, station, type="mediation_referral")
    client.force_login(clerk)
    answer = client.post(
        f"/onestop/requests/{request.pk}/refer/",
        {
            "organisation": mediation_org.pk,
            "dispute_type": "infringement",
            "summary": "x",
            "claim": "停止侵权",
            "respondent_name": "吴路人",
            "respondent_kind": "natural",
            "respondent_id_type": "resident_id",
            "respondent_id_number": "not-an-id",
            "online": "on",
        },
    )
    assert answer.status_code == 200
    errors = answer.content.decode().split('data-testid="form-errors"', 1)[1].split("</ul>", 1)[0]
    assert "公民身份号码" in errors
    assert ServiceRequest.objects.get(pk=request.pk).status == Status.TRIAGED


def test_the_requester_cannot_open_the_staff_forms(client, artist, clerk, station):
    request = _triaged(artist, clerk, station, type="registration_assist")
    client.force_login(artist)
    assert client.get(f"/onestop/requests/{request.pk}/draft/").status_code == 403


def test_the_staff_upload_the_sample_at_the_desk_and_the_requester_finds_the_draft_to_submit(
    client, artist, clerk, station
):
    request = _triaged(artist, clerk, station, type="registration_assist")
    client.force_login(clerk)
    posted = client.post(f"/onestop/requests/{request.pk}/draft/", registry_factories.application_form(seed=61))
    assert posted.status_code == 302, posted.content.decode()[:2000]
    draft = ServiceRequest.objects.get(pk=request.pk).draft
    assert draft.applicant == artist
    client.force_login(artist)
    mine = client.get(f"/onestop/requests/{request.pk}/").content.decode()
    assert f"/registry/works/{draft.pk}/" in mine and "请核对后提交" in mine
