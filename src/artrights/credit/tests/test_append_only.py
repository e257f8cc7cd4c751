"""What credit answers for is append-only in the database itself: annotations, measure reports, the partner query
log (kept at least five years) and the history of grades refuse UPDATE and DELETE, whoever sends them."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from artrights.credit import services
from artrights.credit.models import Annotation, Evaluation, MeasureReport, PartnerQuery
from artrights.credit.tests import factories
from artrights.testing import raw_sql

pytestmark = pytest.mark.django_db

COLUMNS = {
    "credit_annotation": "text",
    "credit_measurereport": "note",
    "credit_partnerquery": "purpose",
    "credit_evaluation": "grade",
}


@pytest.fixture
def rows(supervisor, partner, own, own_subject):
    record = factories.record(supervisor, own_subject)
    services.file_objection(user=own, record=record, ground="error", text="有误")
    entry = factories.listed(supervisor, own_subject, [factories.record(supervisor, own_subject, behaviour="MAL_TM")])
    services.report_measure(
        user=partner, entry=entry, measure_code="CNIPA_AWARDS", action="applied", applied_on=timezone.localdate()
    )
    services.query_status(
        user=partner, code=own_subject.code, purpose="honours", authority="评优规定", authorisation_ref="x", via="web"
    )
    return [Annotation, MeasureReport, PartnerQuery, Evaluation]


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_the_database_refuses_to_change_or_remove_a_row(rows, table):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql(f"DELETE FROM {table}")
    column = COLUMNS[table]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql(f"UPDATE {table} SET {column} = {column}")
    assert all(model.objects.exists() for model in rows)
