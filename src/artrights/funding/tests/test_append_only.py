"""What the fund answers for is append-only in the database itself: payments and credit checks refuse UPDATE and
DELETE, whoever sends them; and a fee-share programme pays its share of the fee given, up to its limit per item."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from artrights.funding import services
from artrights.funding.models import CreditCheck, Payment
from artrights.funding.tests import factories
from artrights.testing import raw_sql

pytestmark = pytest.mark.django_db

COLUMNS = {"funding_payment": "voucher_no", "funding_creditcheck": "blocked"}


@pytest.fixture
def paid(owner, fund_admin, programme, works):
    application = factories.application(owner, programme, works[:1])
    services.approve(user=fund_admin, application=application, amounts={application.items.get().pk: "1000"})
    return services.pay(
        user=fund_admin, application=application, amount="1000", paid_on=timezone.localdate(), voucher_no="PZ-AO-1"
    )


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_the_database_refuses_to_change_or_remove_a_payment_or_a_check(paid, table):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql(f"DELETE FROM {table}")
    column = COLUMNS[table]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw_sql(f"UPDATE {table} SET {column} = {column}")
    assert Payment.objects.exists() and CreditCheck.objects.exists()


def test_a_fee_share_programme_pays_its_share_up_to_its_limit_and_needs_the_fee(owner, fund_admin, works):
    share = factories.programme(fund_admin, amount_rule="fee_share", fee_share_percent=50, amount="300")
    keys = [f"registry.work:{w.pk}" for w in works]
    with pytest.raises(ValidationError, match="已缴费用"):
        factories.application(owner, share, works[:1])
    application = services.apply(
        user=owner,
        programme=share,
        applicant=owner.party,
        keys=keys,
        fees={keys[0]: "400", keys[1]: "1000"},
        documents={factories.FORM: factories.form()},
    )
    assert sorted(i.claimed for i in application.items.all()) == [Decimal("200.00"), Decimal("300.00")]
