"""Who may do what in the registry: every declared verb, for every role, the parties and the anonymous visitor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from artrights.accounts.tests.factories import organisation
from artrights.core.services import PartyInput
from artrights.registry import services
from artrights.testing import LIN, SEES, access_mismatches

from .factories import OWNER, power_of_attorney, samples, work_fields

pytestmark = pytest.mark.django_db

OFFICIALS = {"registrar", "mediator", "mediation_admin", "supervisor", "inspector", "partner"}
APPLICANT_SIDE = {"applicant", "colleague"}  # the agency member who filed, and another member of that agency

# A submitted application: the applicant side and the registry staff.
WORK_TABLE = {
    SEES: APPLICANT_SIDE | {"registrar", "supervisor", "admin"},
    "view": APPLICANT_SIDE | {"registrar", "supervisor", "admin"},
    "apply": {"applicant", "colleague", "artist", "agency", "admin"},
    "view_clients": {"applicant", "colleague", "agency", "admin"},
    "submit": APPLICANT_SIDE | {"admin"},
    "withdraw": APPLICANT_SIDE | {"admin"},
    "correct": APPLICANT_SIDE | {"admin"},
    "download_certificate": APPLICANT_SIDE | {"registrar", "supervisor", "admin"},
    "download_document": APPLICANT_SIDE | {"registrar", "supervisor", "admin"},
    "download_openings": APPLICANT_SIDE | {"admin"},
    "file_contract": APPLICANT_SIDE | {"registrar", "admin"},
    "reissue_certificate": APPLICANT_SIDE | {"registrar", "admin"},
    "review": {"registrar", "admin"},
    "revoke": {"registrar", "admin"},
    "change": {"registrar", "admin"},
    "register_pledge": {"registrar", "admin"},
}

# A draft (not yet submitted) is the applicant side's alone: registry staff neither see nor act on it.
STAFF_VERBS = ("view", "download_certificate", "download_document", "file_contract", "reissue_certificate")
DRAFT_TABLE = {
    **WORK_TABLE,
    SEES: APPLICANT_SIDE | {"admin"},
    **{verb: APPLICANT_SIDE | {"admin"} for verb in STAFF_VERBS},
    **{verb: {"admin"} for verb in ("review", "revoke", "change", "register_pledge")},
}

PLEDGE_TABLE = {
    SEES: {"pledgee", "registrar", "supervisor", "admin"},
    "consent": {"pledgee", "admin"},
    "cancel": {"registrar", "admin"},
}


@pytest.fixture
def actors(people, make_user):
    agency = people["agency"].organisation
    found = dict(people)
    found["applicant"] = make_user("agency-applicant", "agency", organisation=agency)
    found["colleague"] = make_user("agency-colleague", "agency", organisation=agency)
    # The role's own user stands for an agency that did not file the work.
    people["agency"].organisation = organisation(name="另一家代理")
    people["agency"].save()
    return found


@pytest.fixture
def filed_work(actors):
    return services.create_application(
        user=actors["applicant"],
        fields=work_fields(),
        owners=[OWNER],
        files=[*samples(seed=31), power_of_attorney()],
    )


def test_who_may_do_what_with_a_submitted_work_matches_the_table(actors, filed_work):
    assert filed_work.agent_id == actors["applicant"].organisation_id
    submitted = services.submit(work=filed_work, user=actors["applicant"])
    assert access_mismatches(WORK_TABLE, actors=actors, target=submitted, model_verbs={"apply", "view_clients"}) == []


def test_who_may_do_what_with_a_draft_matches_the_table(actors, filed_work):
    assert filed_work.status == "draft"
    assert access_mismatches(DRAFT_TABLE, actors=actors, target=filed_work, model_verbs={"apply", "view_clients"}) == []


def test_a_draft_withdrawn_before_submission_never_reaches_the_registry(actors, filed_work):
    withdrawn = services.withdraw(work=filed_work, user=actors["applicant"])
    assert access_mismatches(DRAFT_TABLE, actors=actors, target=withdrawn, model_verbs={"apply", "view_clients"}) == []


def test_registry_staff_cannot_open_or_list_someone_elses_draft(client, actors, filed_work):
    for role in ("supervisor", "registrar"):
        client.force_login(actors[role])
        for url in (f"/registry/works/{filed_work.pk}/", f"/api/registry/works/{filed_work.pk}"):
            assert client.get(url).status_code == 404, (role, url)
        assert filed_work.pk not in [w["id"] for w in client.get("/api/registry/works").json()]
        assert filed_work.title not in client.get("/registry/").content.decode()
    services.submit(work=filed_work, user=actors["applicant"])
    assert client.get(f"/api/registry/works/{filed_work.pk}").status_code == 200


def test_who_may_see_and_answer_a_pledge_matches_the_table(actors, make_user):
    owner = make_user("pledge-owner", "artist", identity=LIN)
    work = services.file_digital_work(user=owner, fields=work_fields(), owners=[OWNER], files=samples(seed=32))
    actors["pledgee"] = make_user("bank-officer", "artist")
    pledge = services.register_pledge(
        registrar=actors["registrar"],
        works=[work],
        pledgor=OWNER,
        pledgee=PartyInput(name="示例银行", id_type="uscc", id_number="91350100M000100Y43", kind="organisation"),
        rights=["reproduction"],
        secured_amount=Decimal("100000"),
        debt_term_end=dt.date(2030, 1, 1),
        pledgee_user=actors["pledgee"],
    )
    assert access_mismatches(PLEDGE_TABLE, actors=actors, target=pledge) == []


def test_the_table_test_fails_when_a_rule_and_the_table_disagree(actors, filed_work):
    wrong = {**DRAFT_TABLE, "revoke": DRAFT_TABLE["revoke"] | {"artist"}}
    assert access_mismatches(wrong, actors=actors, target=filed_work, model_verbs={"apply", "view_clients"}) == [
        "artist may not revoke, the table says the opposite"
    ]
    missing = {k: v for k, v in DRAFT_TABLE.items() if k != "change"}
    assert "verb 'change' has no row in the table" in access_mismatches(
        missing, actors=actors, target=filed_work, model_verbs={"apply", "view_clients"}
    )


def test_asking_about_a_verb_no_rule_declares_is_a_programming_error(actors, filed_work):
    from artrights.accounts.access import can

    with pytest.raises(LookupError):
        can(actors["admin"], "delete", filed_work)
