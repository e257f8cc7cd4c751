"""What a mediation answers for is append-only in the database itself: a mediator's declared conflicts, each party's
answer to an extension and every signature (or refusal) refuse UPDATE and DELETE, whoever sends them."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from artrights.mediation import services
from artrights.mediation.models import Conflict, ExtensionAnswer, Signature
from artrights.mediation.tests import factories
from artrights.mediation.tests.test_walk import agree
from artrights.testing import LIN, raw_sql

pytestmark = pytest.mark.django_db

COLUMNS = {"mediation_conflict": "note", "mediation_extensionanswer": "consent", "mediation_signature": "note"}


@pytest.fixture
def rows(applicant, respondent, admin, mediator, second_mediator):
    services.declare_conflict(
        user=second_mediator.user,
        mediator=second_mediator,
        id_number=LIN["id_number"],
        name=LIN["name"],
        ground="relative",
    )
    case = factories.mediating(applicant, respondent, admin, mediator)
    extension = services.propose_extension(user=mediator.user, case=case, days=15, reason="等待鉴定")
    services.answer_extension(user=applicant, extension=extension, consent=True)
    agree(case, applicant, respondent, admin, mediator)


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_the_database_refuses_to_change_or_remove_a_conflict_an_answer_or_a_signature(rows, table):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql(f"DELETE FROM {table}")
    column = COLUMNS[table]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql(f"UPDATE {table} SET {column} = {column}")
    assert Conflict.objects.exists() and ExtensionAnswer.objects.exists() and Signature.objects.exists()
