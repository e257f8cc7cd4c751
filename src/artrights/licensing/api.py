"""The licensing API: the public catalogue, listings and a work's title; offers, licence requests, contracts,
signatures, royalty reports and exchange acts for their parties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from artrights.registry.models import Work

from . import selectors, services
from .models import Contract, Deposit, Listing, Offer, RoyaltyReport, TerminationProposal, Trade

router = Router(tags=["licensing"])


class OfferOut(Schema):
    id: int
    work_number: str
    work_title: str
    work_type: str
    kind: str
    rights: list[str]
    exclusivity: str
    territory: str
    media: str
    sublicensable: bool
    royalty_model: str
    price: Decimal
    royalty_rate: Decimal
    unit_fee: Decimal
    reporting_months: int
    term_months: int
    status: str
    sublicence: bool

    @staticmethod
    def resolve_sublicence(obj: Offer) -> bool:
        return obj.parent_id is not None

    @staticmethod
    def resolve_work_number(obj: Offer) -> str:
        return obj.work.number or ""

    @staticmethod
    def resolve_work_title(obj: Offer) -> str:
        return obj.work.title

    @staticmethod
    def resolve_work_type(obj: Offer) -> str:
        return obj.work.work_type


class OfferIn(Schema):
    work_id: int | None = Field(None, description="the work; left out for a sub-licence offer")
    parent_number: str = Field("", max_length=40, description="a sub-licence offer: the licence it is granted under")
    kind: str = "licence"
    rights: list[str] = Field(max_length=20)
    exclusivity: str = "non_exclusive"
    territory: str = "mainland"
    media: str = Field("", max_length=200)
    sublicensable: bool = False
    royalty_model: str = "lump_sum"
    price: Decimal = Field(Decimal(0), max_digits=14, decimal_places=2)
    royalty_rate: Decimal = Field(Decimal(0), max_digits=5, decimal_places=2)
    unit_fee: Decimal = Field(Decimal(0), max_digits=12, decimal_places=2)
    reporting_months: int = Field(3, ge=1, le=12)
    term_months: int = Field(12, ge=1, le=600)
    note: str = Field("", max_length=2000)


class RequestIn(Schema):
    valid_from: dt.date
    industry: str = Field("", max_length=60)


class SignatureOut(Schema):
    party: str
    role: str
    signed_at: dt.datetime
    contract_sha256: str
    digest: str
    valid: bool

    @staticmethod
    def resolve_party(obj: Any) -> str:
        return str(obj.party.name)

    @staticmethod
    def resolve_valid(obj: Any) -> bool:
        return bool(obj.is_valid)


class ProposalOut(Schema):
    contract: str
    proposed_by: str = Field(description="the side that proposed it: the licensor's or the licensee's name")
    proposed_at: dt.datetime
    on_date: dt.date = Field(description="the day the licence would end")
    reason: str
    status: str = Field(description="open, agreed, declined, withdrawn or lapsed")
    answered_at: dt.datetime | None
    answer: str = Field(description="a decline: why, if the other side said")

    @staticmethod
    def resolve_contract(obj: TerminationProposal) -> str:
        return obj.contract.number

    @staticmethod
    def resolve_proposed_by(obj: TerminationProposal) -> str:
        return obj.proposer_side()


class ContractOut(Schema):
    number: str
    kind: str
    status: str
    version: int
    work_number: str
    licensor: str
    licensee: str
    rights: list[str]
    exclusivity: str
    territory: str
    valid_from: dt.date
    valid_until: dt.date | None
    royalty_model: str
    price: Decimal
    royalty_rate: Decimal
    unit_fee: Decimal
    sublicensable: bool
    parent_number: str | None = Field(description="a sub-licence: the licence it was granted under")
    sha256: str = Field(description="SHA-256 of the canonical terms; every signature binds it")
    filing_number: str | None
    filing_log_index: int | None
    missing_signers: list[str]
    credit_flags: list[dict[str, str]]
    signatures: list[SignatureOut]
    terminated_on: dt.date | None = Field(description="a terminated licence: the day it ended")
    termination_ground: str = Field(description="mutual, breach, frustration or other; empty unless terminated")
    termination_reason: str = Field(
        description="why, in the reader's language: the reason a side gave, or for a sub-licence that ended with "
        "its licence, a sentence naming that licence"
    )
    termination_log_index: int | None = Field(description="the public log entry of the termination")
    termination_proposal: ProposalOut | None = Field(
        description="an open proposal to end the licence by mutual agreement, waiting for the other side"
    )

    @staticmethod
    def resolve_termination_reason(obj: Contract) -> str:
        return obj.termination_reason_text()

    @staticmethod
    def resolve_termination_proposal(obj: Contract) -> TerminationProposal | None:
        return obj.open_termination_proposal() if obj.is_filed else None

    @staticmethod
    def resolve_work_number(obj: Contract) -> str:
        return obj.work.number or ""

    @staticmethod
    def resolve_licensor(obj: Contract) -> str:
        return obj.licensor.name

    @staticmethod
    def resolve_licensee(obj: Contract) -> str:
        return obj.licensee.name

    @staticmethod
    def resolve_parent_number(obj: Contract) -> str | None:
        return obj.parent.number if obj.parent is not None else None

    @staticmethod
    def resolve_filing_number(obj: Contract) -> str | None:
        return obj.filing.number if obj.filing else None

    @staticmethod
    def resolve_filing_log_index(obj: Contract) -> int | None:
        return obj.filing.log_index if obj.filing else None

    @staticmethod
    def resolve_missing_signers(obj: Contract) -> list[str]:
        return services.missing_signers(obj) if obj.status == "draft" else []

    @staticmethod
    def resolve_signatures(obj: Contract) -> list[Any]:
        return list(obj.signatures.select_related("party"))


class SignIn(Schema):
    sha256: str = Field(max_length=64, description="the hash of the version the signer read")


class TerminateIn(Schema):
    on_date: dt.date = Field(description="the day the licence ended: from its start (or filing) to today")
    ground: str = Field(
        max_length=20, description="breach, frustration or other (ending by mutual agreement: termination-proposal)"
    )
    reason: str = Field(max_length=1000)


class ProposeIn(Schema):
    on_date: dt.date = Field(description="the day the licence would end: from its start (or filing) to today")
    reason: str = Field(max_length=1000)


class DeclineIn(Schema):
    answer: str = Field("", max_length=1000, description="why, if the side declining wishes to say")


class ReportIn(Schema):
    period_start: dt.date
    revenue: Decimal = Field(Decimal(0), max_digits=14, decimal_places=2)
    units: int = Field(0, ge=0)


class ReportOut(Schema):
    period_start: dt.date
    period_end: dt.date
    revenue: Decimal
    units: int
    royalty: Decimal
    recouped: Decimal
    top_up: Decimal = Field(description="minimum guarantee: what the royalty fell short of the period's guarantee")
    amount_due: Decimal
    payment_due: dt.date


class LinkOut(Schema):
    kind: str
    number: str
    at: dt.datetime | None
    parties: str
    rights: list[str]
    territory: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    log_index: int | None
    contract_sha256: str
    terminated_on: dt.date | None = Field(None, description="a licence one side ended early: the day it ended")


class TitleOut(Schema):
    number: str
    title: str
    status: str
    current_owners: list[str]
    chain: list[LinkOut]
    licences: list[LinkOut]


class ListingOut(Schema):
    number: str
    work_number: str
    rights: list[str]
    territory: str
    method: str
    price: Decimal
    disclosure_until: dt.date
    bidding_ends_at: dt.datetime | None
    deposit: Decimal
    increment: Decimal
    status: str

    @staticmethod
    def resolve_work_number(obj: Listing) -> str:
        return obj.work.number or ""


class ListingIn(Schema):
    work_id: int
    rights: list[str] = Field(max_length=20)
    method: str = Field(max_length=20, description="agreement or auction")
    price: Decimal = Field(max_digits=14, decimal_places=2)
    territory: str = "worldwide"
    share_percent: int = Field(100, description="rights are listed whole: anything but 100 is refused")
    disclosure_until: dt.date | None = Field(None, description="at least 20 working days away; left out: the least")
    bidding_ends_at: dt.datetime | None = Field(None, description="an auction: after the disclosure ends")
    deposit: Decimal = Field(Decimal(0), max_digits=14, decimal_places=2, description="an auction: each bidder's")
    increment: Decimal = Field(Decimal(0), max_digits=14, decimal_places=2, description="an auction: least raise")


class TradeOut(Schema):
    number: str
    listing: str
    price: Decimal
    status: str
    contract: str

    @staticmethod
    def resolve_listing(obj: Trade) -> str:
        return obj.listing.number

    @staticmethod
    def resolve_contract(obj: Trade) -> str:
        return obj.contract.number


class BidIn(Schema):
    amount: Decimal = Field(max_digits=14, decimal_places=2)


class DepositIn(Schema):
    paid_on: dt.date
    reference: str = Field(max_length=60)


class DepositOut(Schema):
    id: int
    listing: str
    amount: Decimal
    paid_on: dt.date
    reference: str
    status: str
    returned_on: dt.date | None = Field(description="when the exchange paid a returned deposit back")
    return_reference: str = Field(description="the bank transfer or receipt number of the return")

    @staticmethod
    def resolve_listing(obj: Deposit) -> str:
        return obj.listing.number


@router.get("/catalogue", response=list[OfferOut], auth=None, summary="Open offers on registered works (public)")
def catalogue(
    request: HttpRequest, work_type: str = "", right: str = "", max_price: Decimal | None = None, q: str = ""
) -> list[Offer]:
    return list(selectors.catalogue(work_type=work_type, right=right, max_price=max_price, query=q[:100])[:200])


@router.post("/offers", response={201: OfferOut}, summary="Offer rights in a work you hold")
def create_offer(request: HttpRequest, payload: OfferIn) -> Status[Offer]:
    data = payload.dict()
    work_id, parent_number = data.pop("work_id"), data.pop("parent_number")
    if parent_number:
        parent = selectors.contract_for(request.user, parent_number)
        return Status(201, services.create_offer(user=request.user, parent=parent, **data))
    work = get_object_or_404(Work, pk=work_id)
    return Status(201, services.create_offer(user=request.user, work=work, **data))


@router.post("/offers/{offer_id}/requests", response={201: ContractOut}, summary="Ask for a licence on an offer")
def request_licence(request: HttpRequest, offer_id: int, payload: RequestIn) -> Status[Contract]:
    offer = selectors.open_offer(offer_id)
    contract = services.request_licence(
        user=request.user, offer=offer, valid_from=payload.valid_from, industry=payload.industry
    )
    return Status(201, contract)


@router.get("/contracts", response=list[ContractOut], summary="Contracts I am a party to")
def list_contracts(request: HttpRequest) -> list[Contract]:
    return list(selectors.contracts_for(request.user)[:200])


@router.get("/contracts/{number}", response=ContractOut)
def get_contract(request: HttpRequest, number: str) -> Contract:
    return selectors.contract_for(request.user, number)


@router.post("/contracts/{number}/signatures", response=ContractOut, summary="Sign the version whose hash you read")
def sign(request: HttpRequest, number: str, payload: SignIn) -> Contract:
    contract = selectors.contract_for(request.user, number)
    return services.sign(user=request.user, contract=contract, sha256=payload.sha256)


@router.post(
    "/contracts/{number}/terminate",
    response=ContractOut,
    summary="End a filed licence before its term (its licensor or licensee), with the ground and the reason",
)
def terminate(request: HttpRequest, number: str, payload: TerminateIn) -> Contract:
    contract = selectors.contract_for(request.user, number)
    return services.terminate_contract(
        user=request.user, contract=contract, on_date=payload.on_date, ground=payload.ground, reason=payload.reason
    )


@router.post(
    "/contracts/{number}/termination-proposal",
    response={201: ProposalOut},
    summary="Propose to end a filed licence by mutual agreement (its licensor or licensee); the other side answers",
)
def propose_termination(request: HttpRequest, number: str, payload: ProposeIn) -> Status[TerminationProposal]:
    contract = selectors.contract_for(request.user, number)
    proposal = services.propose_termination(
        user=request.user, contract=contract, on_date=payload.on_date, reason=payload.reason
    )
    return Status(201, proposal)


@router.post(
    "/contracts/{number}/termination-proposal/agree",
    response=ContractOut,
    summary="Agree to the other side's proposal: the licence is terminated on the proposed day",
)
def agree_termination(request: HttpRequest, number: str) -> Contract:
    contract = selectors.contract_for(request.user, number)
    return services.agree_termination(user=request.user, contract=contract)


@router.post(
    "/contracts/{number}/termination-proposal/decline",
    response=ProposalOut,
    summary="Decline the other side's proposal: the licence stays in force",
)
def decline_termination(request: HttpRequest, number: str, payload: DeclineIn) -> TerminationProposal:
    contract = selectors.contract_for(request.user, number)
    return services.decline_termination(user=request.user, contract=contract, answer=payload.answer)


@router.post(
    "/contracts/{number}/termination-proposal/withdraw",
    response=ProposalOut,
    summary="Withdraw your own open proposal",
)
def withdraw_termination(request: HttpRequest, number: str) -> TerminationProposal:
    contract = selectors.contract_for(request.user, number)
    return services.withdraw_termination(user=request.user, contract=contract)


@router.post("/contracts/{number}/royalty-reports", response={201: ReportOut}, summary="Report a period's sales")
def report_royalty(request: HttpRequest, number: str, payload: ReportIn) -> Status[RoyaltyReport]:
    contract = selectors.contract_for(request.user, number)
    report = services.report_royalty(
        user=request.user,
        contract=contract,
        period_start=payload.period_start,
        revenue=payload.revenue,
        units=payload.units,
    )
    return Status(201, report)


@router.get("/works/{number}/title", response=TitleOut, auth=None, summary="A work's owners, chain and licences")
def title(request: HttpRequest, number: str) -> dict[str, Any]:
    work = selectors.granted_work(number)
    chain, licences = selectors.title_chain(work)
    return {
        "number": work.number,
        "title": work.title,
        "status": work.status,
        "current_owners": [selectors.shown_name(p) for p in selectors.current_owners(work)] if work.is_granted else [],
        "chain": chain,
        "licences": licences,
    }


@router.get("/listings", response=list[ListingOut], auth=None, summary="Published exchange listings (public)")
def listings(request: HttpRequest) -> list[Listing]:
    return list(selectors.published_listings()[:200])


@router.post("/listings", response={201: ListingOut}, summary="List whole rights for agreement transfer or auction")
def create_listing(request: HttpRequest, payload: ListingIn) -> Status[Listing]:
    work = get_object_or_404(Work, pk=payload.work_id)
    listing = services.create_listing(
        user=request.user,
        work=work,
        rights=payload.rights,
        method=payload.method,
        price=payload.price,
        territory=payload.territory,
        share_percent=payload.share_percent,
        disclosure_until=payload.disclosure_until,
        bidding_ends_at=payload.bidding_ends_at,
        deposit=payload.deposit,
        increment=payload.increment,
    )
    return Status(201, listing)


@router.post("/listings/{number}/trades", response={201: TradeOut}, summary="Buy at the listed price (agreement)")
def buy(request: HttpRequest, number: str) -> Status[Trade]:
    return Status(201, services.buy(user=request.user, listing=selectors.listing(number)))


@router.post("/listings/{number}/bids", response={201: dict[str, Any]}, summary="Bid in an auction")
def bid(request: HttpRequest, number: str, payload: BidIn) -> Status[dict[str, Any]]:
    placed = services.bid(user=request.user, listing=selectors.listing(number), amount=payload.amount)
    return Status(201, {"listing": number, "amount": str(placed.amount)})


@router.post("/listings/{number}/deposits", response={201: DepositOut}, summary="Record your auction deposit")
def register_deposit(request: HttpRequest, number: str, payload: DepositIn) -> Status[Deposit]:
    listing = selectors.listing(number)
    deposit = services.register_deposit(
        user=request.user, listing=listing, paid_on=payload.paid_on, reference=payload.reference
    )
    return Status(201, deposit)


class DepositReturnIn(Schema):
    returned_on: dt.date
    reference: str = Field(max_length=60, description="the bank transfer's or receipt's number")


@router.post(
    "/listings/{number}/deposits/{deposit_id}/return",
    response=DepositOut,
    summary="Record that a deposit to be returned went back to its bidder (the exchange's staff)",
)
def return_deposit(request: HttpRequest, number: str, deposit_id: int, payload: DepositReturnIn) -> Deposit:
    deposit = get_object_or_404(Deposit, listing=selectors.listing(number), pk=deposit_id)
    return services.return_deposit(
        user=request.user, deposit=deposit, returned_on=payload.returned_on, reference=payload.reference
    )


@router.post("/listings/{number}/award", response={201: TradeOut}, summary="Award an ended auction (the seller)")
def award(request: HttpRequest, number: str) -> Status[Trade]:
    return Status(201, services.close_auction(user=request.user, listing=selectors.listing(number)))
