"""How a case ended reads in each reader's own language, whoever ended it and in whatever language: the platform's
wording is stored as a code, what a person wrote is shown as written."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import translation

from artrights.core.models import Notification
from artrights.mediation import services
from artrights.mediation.models import Case, CaseStatus, Ending
from artrights.mediation.tests import factories

pytestmark = pytest.mark.django_db

REFUSED = {"zh-hans": "被申请人不同意调解。", "en": "The respondent does not agree to mediate."}
NO_ANSWER = {
    "zh-hans": "被申请人未在期限内答复是否同意调解，视为不同意。",
    "en": "The respondent did not answer in time whether it agrees to mediate, which counts as no.",
}
EXPIRED = {
    "zh-hans": "调解期限届满，当事人未同意延长",
    "en": "The period ran out and the parties did not agree to extend it",
}


def ending_on_page(client, user, case: Case, language: str) -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(f"/mediation/cases/{case.number}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    page = response.content.decode()
    return page.split('data-testid="ending">', 1)[1].split("</td>", 1)[0]


@pytest.mark.parametrize("acted_in", ["en", "zh-hans"])
def test_a_respondents_refusal_reads_in_each_readers_language_whatever_language_it_was_given_in(
    client, applicant, respondent, admin, acted_in
):
    case = factories.accepted(applicant, admin)
    with translation.override(acted_in):
        services.answer(user=respondent, case=case, consent=False)
    case.refresh_from_db()
    assert (case.status, case.ending, case.end_note) == (CaseStatus.ENDED, Ending.RESPONDENT_REFUSED, "")
    assert ending_on_page(client, applicant, case, "zh-hans") == REFUSED["zh-hans"]
    assert ending_on_page(client, respondent, case, "en") == REFUSED["en"]


def test_the_api_tells_how_a_case_ended_by_its_code(client, applicant, respondent, admin):
    case = factories.accepted(applicant, admin)
    with translation.override("en"):
        services.answer(user=respondent, case=case, consent=False)
    client.force_login(applicant)
    found = client.get(f"/api/mediation/cases/{case.number}").json()
    assert (found["status"], found["end_reason"], found["ending"]) == ("ended", "party_refuses", "respondent_refused")


@pytest.mark.parametrize("ran_in", ["en", "zh-hans"])
def test_a_respondent_who_did_not_answer_in_time_reads_in_each_readers_language(client, applicant, admin, ran_in):
    case = factories.accepted(applicant, admin)
    assert case.consent_due is not None
    with translation.override(ran_in):
        assert services.sweep(case.consent_due + dt.timedelta(days=1))["ended"] == 1
    case.refresh_from_db()
    assert (case.ending, case.end_note) == (Ending.NO_ANSWER, "")
    assert ending_on_page(client, applicant, case, "zh-hans") == NO_ANSWER["zh-hans"]
    assert ending_on_page(client, admin, case, "en") == NO_ANSWER["en"]


def test_a_period_that_ran_out_reads_in_each_readers_language(client, applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    assert case.mediation_due is not None
    with translation.override("en"):
        assert services.sweep(case.mediation_due + dt.timedelta(days=1))["expired"] == 1
    case.refresh_from_db()
    assert case.end_note == ""
    assert ending_on_page(client, applicant, case, "zh-hans") == EXPIRED["zh-hans"]
    assert ending_on_page(client, respondent, case, "en") == EXPIRED["en"]


def test_a_withdrawal_reason_shows_as_the_applicant_typed_it_to_every_reader(client, applicant, respondent, admin):
    case = factories.accepted(applicant, admin)
    with translation.override("en"):
        services.withdraw(user=applicant, case=case, reason="双方已自行和解。\n不再需要调解。")
    for reader, language in ((admin, "en"), (respondent, "zh-hans")):
        assert ending_on_page(client, reader, case, language) == "双方已自行和解。<br>不再需要调解。"


def test_a_withdrawal_reason_that_equals_a_code_is_told_and_shown_as_typed(client, applicant, respondent, admin):
    case = factories.accepted(applicant, admin)
    services.withdraw(user=applicant, case=case, reason="withdrawn")
    told = Notification.objects.get(recipient=respondent, kind="mediation.case_ended")
    with translation.override("zh-hans"):
        assert told.body == "withdrawn"
    assert ending_on_page(client, respondent, case, "zh-hans") == "withdrawn"


def test_a_mediators_note_follows_the_reason_the_case_failed(client, applicant, respondent, admin, mediator):
    case = factories.mediating(applicant, respondent, admin, mediator)
    services.fail(user=mediator.user, case=case, reason="big_gap", note="赔偿数额相差十倍。")
    assert (
        ending_on_page(client, applicant, case, "en")
        == "The differences are too big to reach an agreement<br>赔偿数额相差十倍。"
    )


def test_an_outsider_does_not_see_the_case_or_its_ending(client, applicant, respondent, admin, make_user):
    case = factories.accepted(applicant, admin)
    services.answer(user=respondent, case=case, consent=False)
    client.force_login(make_user("passer_by"))
    response = client.get(f"/mediation/cases/{case.number}/")
    assert response.status_code == 404 and REFUSED["zh-hans"] not in response.content.decode()


def test_the_sentences_stored_before_become_the_code_and_what_people_wrote_stays(client, applicant, respondent, admin):
    migration = importlib.import_module("artrights.mediation.migrations.0003_ending")
    stored = {
        "refused_en": ("party_refuses", REFUSED["en"]),
        "refused_zh": ("party_refuses", REFUSED["zh-hans"]),
        "no_answer_en": ("party_refuses", NO_ANSWER["en"]),
        "expired_zh": ("expired", "调解期限于 2026-03-02 届满，当事人未同意延长。"),
        "typed": ("party_refuses", "我方不愿继续调解。"),
        "rejected": ("", "不属于本委员会受理范围。"),
    }
    cases = {}
    for name, (reason, note) in stored.items():
        case = factories.accepted(applicant, admin)
        Case.objects.filter(pk=case.pk).update(ended_on=dt.date(2026, 3, 3), end_reason=reason, end_note=note)
        cases[name] = case.pk
    migration.endings_as_codes(apps, None)
    found = {name: Case.objects.values_list("ending", "end_note").get(pk=pk) for name, pk in cases.items()}
    assert found == {
        "refused_en": (Ending.RESPONDENT_REFUSED, ""),
        "refused_zh": (Ending.RESPONDENT_REFUSED, ""),
        "no_answer_en": (Ending.NO_ANSWER, ""),
        "expired_zh": ("", ""),
        "typed": ("", "我方不愿继续调解。"),
        "rejected": ("", "不属于本委员会受理范围。"),
    }
    refused = Case.objects.get(pk=cases["refused_en"])
    assert ending_on_page(client, applicant, refused, "zh-hans") == REFUSED["zh-hans"]
