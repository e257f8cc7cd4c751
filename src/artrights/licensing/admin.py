from __future__ import annotations

from django.contrib import admin

from artrights.core.admin import ReadOnlyAdmin

from .models import (
    Bid,
    Contract,
    Deposit,
    Financing,
    Listing,
    Offer,
    RoyaltyPayment,
    RoyaltyReport,
    Signature,
    TerminationProposal,
    Trade,
)

# Everything in licensing changes only through the services (signatures, filings, the public log, notifications);
# the back office reads it.


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin[Offer]):
    list_display = ["work", "kind", "exclusivity", "territory", "royalty_model", "price", "status", "created_at"]
    list_filter = ["kind", "exclusivity", "royalty_model", "status"]


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin[Contract]):
    list_display = ["number", "kind", "work", "licensor", "licensee", "status", "version", "filed_at", "terminated_on"]
    list_filter = ["kind", "status", "exclusivity", "royalty_model"]
    search_fields = ["number", "work__title", "work__number"]


@admin.register(TerminationProposal)
class TerminationProposalAdmin(ReadOnlyAdmin[TerminationProposal]):
    list_display = ["contract", "on_date", "status", "proposed_at", "answered_at"]
    list_filter = ["status"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin[Signature]):
    list_display = ["contract", "party", "role", "signed_at", "dropped_at"]


@admin.register(RoyaltyReport)
class RoyaltyReportAdmin(ReadOnlyAdmin[RoyaltyReport]):
    list_display = ["contract", "period_start", "period_end", "royalty", "amount_due", "payment_due"]


@admin.register(RoyaltyPayment)
class RoyaltyPaymentAdmin(ReadOnlyAdmin[RoyaltyPayment]):
    list_display = ["contract", "amount", "paid_on", "reference"]


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin[Listing]):
    list_display = ["number", "work", "method", "price", "status", "created_at"]
    list_filter = ["method", "status"]


@admin.register(Deposit)
class DepositAdmin(ReadOnlyAdmin[Deposit]):
    list_display = ["listing", "bidder", "amount", "paid_on", "reference", "status"]
    list_filter = ["status"]


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin[Bid]):
    list_display = ["listing", "amount", "at"]


@admin.register(Trade)
class TradeAdmin(ReadOnlyAdmin[Trade]):
    list_display = ["number", "listing", "buyer", "price", "status", "settled_on"]


@admin.register(Financing)
class FinancingAdmin(ReadOnlyAdmin[Financing]):
    list_display = ["pledge", "lender", "loan_amount", "created_at"]
