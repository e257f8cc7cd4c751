"""The demo data of `make run` has offers, licences, a trade and royalty reports, made through the services."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from artrights.licensing import selectors
from artrights.licensing.models import Contract, Financing, Listing, Offer, RoyaltyReport, Trade

pytestmark = pytest.mark.django_db


def test_the_demo_has_offers_a_running_licence_with_reports_a_waiting_request_and_a_filed_trade(client):
    call_command("demo")
    assert selectors.catalogue().count() == 5
    guaranteed = Contract.objects.get(royalty_model="minimum_guarantee")
    short = guaranteed.royalty_reports.get()
    assert (short.royalty, short.top_up, short.amount_due) == (
        Decimal("1600.00"),
        Decimal("900.00"),
        Decimal("2500.00"),
    )
    sub_offer = Offer.objects.get(parent=guaranteed)
    assert (sub_offer.licensor, sub_offer.territory) == (guaranteed.licensee, "cn-44")
    running = Contract.objects.get(royalty_model="running_royalty")
    assert running.is_filed and running.filing is not None and running.filing.log_index is not None
    reports = list(RoyaltyReport.objects.filter(contract=running))
    assert [r.outstanding == 0 for r in reports] == [True, False]
    dues = selectors.dues(selectors.running_contracts())
    assert [p.start.isoformat() for c, p in dues.reports_overdue if c == running][:1] == ["2026-07-01"]
    assert Contract.objects.filter(status="draft", exclusivity="sole").count() == 1
    trade = Trade.objects.get()
    auction = Listing.objects.get(method="auction", status="published")
    assert auction.disclosure_until < timezone.localdate() < timezone.localtime(auction.bidding_ends_at).date()
    assert auction.highest_bid().amount == Decimal("61000") and auction.deposits.get().status == "held"
    assert trade.status == "filed" and trade.contract.filing.contract_type == "transfer"
    assert list(Financing.objects.get().contracts.all()) == [running]
    page = client.get(f"/licensing/works/{trade.listing.work.number}/")
    assert trade.contract.filing.number in page.content.decode()
