"""Agency grades on the platform: published at registration, recomputed when a record or listing changes, with
their history and a statement in the public log each time."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from artrights.credit import services
from artrights.credit.models import Evaluation
from artrights.credit.tests import factories
from artrights.ledger.models import LogEntry

pytestmark = pytest.mark.django_db


def test_an_agency_is_graded_a_when_registered_and_other_subjects_are_not_graded(supervisor):
    agency = factories.subject(supervisor, agency=True)
    company = factories.subject(supervisor)
    grade = agency.evaluations.get()
    assert (grade.score, grade.grade) == (100, "A") and not company.evaluations.exists()
    assert grade.log_index is not None
    statement = json.loads(bytes(LogEntry.objects.get(index=grade.log_index).data))
    assert statement["type"] == "artrights/credit-grade@v1" and statement["grade"] == "A"
    assert agency.name not in json.dumps(statement, ensure_ascii=False)


def test_a_record_lowers_the_grade_and_the_history_keeps_the_earlier_one(supervisor, client):
    agency = factories.subject(supervisor, agency=True)
    record = factories.record(supervisor, agency, behaviour="AGENCY_PENALTY")
    history = list(agency.evaluations.order_by("at", "pk"))
    assert [(e.score, e.grade) for e in history] == [(100, "A"), (80, "B")]
    assert history[-1].lines == [
        {"indicator": "D_PENALTY", "kind": "deduction", "points": 20, "references": [record.number], "capped": False}
    ]
    page = client.get(f"/credit/agencies/{agency.code}/").content.decode()
    assert record.number in page and "B" in page and page.count('data-testid="grade-history"') == 1


def test_a_listing_deducts_while_it_lasts_and_repair_gives_the_points_back(supervisor, people):
    own = people["agency"]
    agency = factories.subject(supervisor, code=own.organisation.uscc, name=own.organisation.name, agency=True)
    record = factories.record(supervisor, agency, decided_on=factories.days_ago(200))
    entry = factories.listed(supervisor, agency, [record])
    assert agency.evaluations.latest().score == 100 - 10 - 40  # the abnormal application, the listing
    entry = factories.listed_since(entry, factories.days_ago(200))
    repair = services.ask_repair(user=own, entry=entry, measures_taken="已整改并完成信用培训")
    services.decide_repair(user=supervisor, repair=repair, approve=True, decision="准予修复")
    assert agency.evaluations.latest().score == 90


def test_material_a_supervisor_enters_counts_and_stops_counting_when_withdrawn(supervisor):
    agency = factories.subject(supervisor, agency=True)
    evidence = services.add_evidence(
        user=supervisor,
        subject=agency,
        indicator_code="B_HONOUR",
        reference="深版协表〔2026〕8号",
        dated=timezone.localdate(),
    )
    assert agency.evaluations.latest().grade == "A+"
    services.withdraw_evidence(user=supervisor, evidence=evidence, reason="表彰决定录入错误")
    latest = agency.evaluations.latest()
    assert latest.grade == "A" and agency.evaluations.count() == 3


def test_material_for_an_indicator_records_already_cover_is_refused(supervisor):
    agency = factories.subject(supervisor, agency=True)
    with pytest.raises(ValidationError, match="D_ABNORMAL_APPL"):
        services.add_evidence(
            user=supervisor, subject=agency, indicator_code="D_ABNORMAL_APPL", reference="x", dated=timezone.localdate()
        )
    assert Evaluation.objects.filter(subject=agency).count() == 1


def test_an_unchanged_grade_adds_no_row(supervisor):
    agency = factories.subject(supervisor, agency=True)
    factories.record(supervisor, agency, behaviour="CR_REPEAT_INFRINGE")  # a deduction
    count = agency.evaluations.count()
    assert services.sweep()["grades"] == 0 and agency.evaluations.count() == count
