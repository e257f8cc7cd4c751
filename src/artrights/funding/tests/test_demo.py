"""The fund's demo data: programmes, and applications granted and paid, awaiting review and refused."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from artrights.funding import selectors
from artrights.funding.models import Application, Payment

pytestmark = pytest.mark.django_db


def test_the_demo_has_programmes_and_applications_in_several_states_with_a_payment(capsys):
    call_command("demo")
    assert "subsidy applications: 3" in capsys.readouterr().out
    assert sorted(Application.objects.values_list("status", flat=True)) == ["paid", "refused", "submitted"]
    payment = Payment.objects.get()
    assert payment.amount == Decimal("2000.00") and payment.rules["amount_rule"] == "per_class"
    assert sum(line.paid for line in selectors.budget()) == Decimal("2000.00")
    assert [due.application.status for due in selectors.review_queue()] == ["submitted"]
