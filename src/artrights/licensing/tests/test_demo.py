"""The demo data of `make run` has offers, licences, a trade and royalty reports, made through the services."""

import pytest
from django.core.management import call_command

from artrights.licensing import selectors
from artrights.licensing.models import Contract, Financing, RoyaltyReport, Trade

pytestmark = pytest.mark.django_db


def test_the_demo_has_offers_a_running_licence_with_reports_a_waiting_request_and_a_filed_trade(client):
    call_command("demo")
    assert selectors.catalogue().count() == 3
    running = Contract.objects.get(royalty_model="running_royalty")
    assert running.is_filed and running.filing is not None and running.filing.log_index is not None
    reports = list(RoyaltyReport.objects.filter(contract=running))
    assert [r.outstanding == 0 for r in reports] == [True, False]
    dues = selectors.dues(selectors.running_contracts())
    assert [p.start.isoformat() for _c, p in dues.reports_overdue][:1] == ["2026-07-01"]
    assert Contract.objects.filter(status="draft", exclusivity="sole").count() == 1
    trade = Trade.objects.get()
    assert trade.status == "filed" and trade.contract.filing.contract_type == "transfer"
    assert list(Financing.objects.get().contracts.all()) == [running]
    page = client.get(f"/licensing/works/{trade.listing.work.number}/")
    assert trade.contract.filing.number in page.content.decode()
