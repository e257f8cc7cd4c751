"""Reads for licensing: the catalogue, a work's chain of title and licences, what a person must sign or pay,
the facts the integrity rules need, and the receivable pool."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from artrights.accounts.access import can, get_visible_or_404, visible_to
from artrights.accounts.models import Role
from artrights.core.models import Party
from artrights.core.selectors import working_calendar
from artrights.registry.models import (
    ContractFiling,
    ContractType,
    Pledge,
    PledgeConsent,
    PledgeStatus,
    Status,
    Work,
)

from . import integrity
from .models import (
    RUNNING_MODELS,
    Contract,
    ContractKind,
    ContractStatus,
    Deposit,
    Financing,
    Listing,
    ListingStatus,
    Offer,
    OfferStatus,
    ProposalStatus,
    RoyaltyReport,
    TerminationProposal,
    Territory,
    Trade,
    TradeStatus,
)

# Days after a period's end by which the licensee reports it, and after a report by which the royalty is paid.
REPORT_DAYS = 30
PAYMENT_DAYS = 30
# The shortest disclosure a listing is published for before it may match or take bids (DOMAIN.md §6.4: [U]
# typical ≥20 working days in property exchanges; the exchange's own rule text was not found, §11 item 6).
DISCLOSURE_DAYS = 20
# Trading days a bought item is held before it may be sold again (DOMAIN.md §6.4).
RESALE_TRADING_DAYS = 5


def acting_party(user: Any) -> Party | None:
    """The party a signed-in user acts as: their real-name identity, else their organisation's."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.party_id:
        party: Party = user.party
        return party
    organisation = getattr(user, "organisation", None)
    if organisation is not None and organisation.party_id:
        org_party: Party = organisation.party
        return org_party
    return None


# --- the catalogue -----------------------------------------------------------------------------------------


def offerable(day: dt.date | None = None) -> QuerySet[Offer]:
    """The offers anyone may take up on ``day`` (today): open, on a granted work, and a sub-licence offer only
    while the licence it is granted under is filed and within its term. Catalogue, API and requests share it."""
    day = day or timezone.localdate()
    parent_in_force = Q(
        parent__status=ContractStatus.FILED,
        parent__valid_from__lte=day,
    ) & (Q(parent__valid_until__isnull=True) | Q(parent__valid_until__gte=day))
    return Offer.objects.filter(
        Q(parent__isnull=True) | parent_in_force,
        status=OfferStatus.OPEN,
        work__status__in=[Status.REGISTERED, Status.FILED],
    )


def is_offerable(offer: Offer) -> bool:
    return offerable().filter(pk=offer.pk).exists()


def ended_sublicence_offers(day: dt.date | None = None) -> QuerySet[Offer]:
    """Open sub-licence offers whose licence is no longer in force (expired, terminated or otherwise ended)."""
    return (
        Offer.objects.filter(status=OfferStatus.OPEN, parent__isnull=False)
        .exclude(pk__in=offerable(day).values("pk"))
        .select_related("parent", "work", "offered_by")
    )


def catalogue(
    *, work_type: str = "", right: str = "", max_price: Decimal | None = None, query: str = ""
) -> QuerySet[Offer]:
    """Offers open to take up, filtered by work type, a right and a highest price."""
    offers = offerable().select_related("work")
    if work_type:
        offers = offers.filter(work__work_type=work_type)
    if right:
        # JSON containment is not on SQLite; the rights list is short, so match its JSON text exactly.
        offers = offers.filter(rights__icontains=f'"{right}"')
    if max_price is not None:
        offers = offers.filter(price__lte=max_price)
    if query.strip():
        offers = offers.filter(Q(work__title__icontains=query.strip()) | Q(work__number=query.strip()))
    return offers.order_by("-created_at")


def open_offer(pk: int) -> Offer:
    """An offer anyone may read: open, on a work that is still granted."""
    return get_object_or_404(catalogue(), pk=pk)


def offer_for(user: Any, pk: int) -> Offer:
    """An offer's page: anyone reads an offer in the catalogue (``offerable``); one that left it (withdrawn, or
    closed with its licence) only those who may ``view`` it, its offerer and the staff; the rest get 404."""
    from django.http import Http404

    found = get_object_or_404(Offer.objects.select_related("work", "parent", "offered_by"), pk=pk)
    if is_offerable(found) or (user.is_authenticated and can(user, "view", found)):
        return found
    raise Http404


def offers_of(user: Any) -> QuerySet[Offer]:
    return Offer.objects.filter(offered_by=user).select_related("work", "parent").order_by("-created_at")


# --- a work's title ----------------------------------------------------------------------------------------


def granted_work(number: str) -> Work:
    from django.http import Http404

    work = Work.objects.filter(number=number, status__in=[Status.REGISTERED, Status.FILED, Status.REVOKED]).first()
    if work is None:
        raise Http404
    return work


def transfers_of(work: Work) -> QuerySet[ContractFiling]:
    return (
        ContractFiling.objects.filter(works=work, contract_type=ContractType.TRANSFER)
        .select_related("assignor", "assignee")
        .order_by("filed_at", "pk")
    )


def licence_filings_of(work: Work) -> QuerySet[ContractFiling]:
    return (
        ContractFiling.objects.filter(works=work)
        .exclude(contract_type=ContractType.TRANSFER)
        .select_related("assignor", "assignee")
        .order_by("filed_at", "pk")
    )


def holders(work: Work) -> dict[str, list[Party]]:
    """Who holds each economic right of ``work`` now: the registered owners (of the rights the registration
    claims), then each filed transfer's assignee for the rights it transferred (the registry's own filings are the
    chain of title)."""
    from artrights.registry.models import ECONOMIC_RIGHTS

    owners = list(work.owners().order_by("pk"))
    claimed = [r for r in ECONOMIC_RIGHTS if r in work.rights] or list(ECONOMIC_RIGHTS)
    held: dict[str, list[Party]] = {right: list(owners) for right in claimed}
    for filing in transfers_of(work):
        for right in filing.rights:
            held[right] = [filing.assignee]
    return held


def holds(work: Work, party: Party, rights: list[str]) -> bool:
    held = holders(work)
    return bool(rights) and all(any(p.pk == party.pk for p in held.get(r, [])) for r in rights)


def co_owners(work: Work, rights: list[str]) -> list[Party]:
    """Everyone who holds the rights together (two or more only for a joint work never transferred)."""
    held = holders(work)
    found: dict[int, Party] = {}
    for right in rights:
        for party in held.get(right, []):
            found[party.pk] = party
    return list(found.values())


def current_owners(work: Work) -> list[Party]:
    """The parties who hold any economic right now, in the order they came to hold it."""
    seen: dict[int, Party] = {}
    for parties in holders(work).values():
        for party in parties:
            seen.setdefault(party.pk, party)
    return list(seen.values())


def _territory_of(text: str) -> str:
    for value, label in Territory.choices:
        if text in (value, str(label)):
            return value
    return integrity.WORLDWIDE  # a territory the platform cannot place is taken to cover everything


def grants_in_force(work: Work, *, exclude: Contract | None = None) -> list[integrity.Grant]:
    """Every filed licence of ``work`` (through the platform or filed directly with the registry)."""
    grants = []
    for filing in licence_filings_of(work):
        contract = getattr(filing, "licensing_contract", None)
        if contract is not None:
            if (exclude is not None and contract.pk == exclude.pk) or contract.status != ContractStatus.FILED:
                continue
            grants.append(contract.grant())
            continue
        tier = (
            integrity.EXCLUSIVE if filing.contract_type == ContractType.EXCLUSIVE_LICENCE else integrity.NON_EXCLUSIVE
        )
        grants.append(
            integrity.Grant(
                rights=frozenset(filing.rights),
                exclusivity=tier,
                territory=_territory_of(filing.territory),
                start=filing.valid_from,
                end=filing.valid_until,
                label=filing.number,
            )
        )
    return grants


def live_pledges(work: Work) -> QuerySet[Pledge]:
    return work.pledges.filter(status=PledgeStatus.REGISTERED).select_related("pledgee", "pledgor", "pledgee_user")


def unused_consent(
    pledge: Pledge, *, contract_type: str, assignee: Party, for_contract: Contract | None = None
) -> PledgeConsent | None:
    """A consent of the pledgee to this kind of contract with this assignee that no filing or other live
    contract has used."""
    taken = Contract.objects.filter(status__in=[ContractStatus.DRAFT, ContractStatus.FILED])
    if for_contract is not None:
        taken = taken.exclude(pk=for_contract.pk)
    return (
        PledgeConsent.objects.filter(pledge=pledge, contract_type=contract_type, assignee=assignee)
        .exclude(used_by__isnull=False)
        .exclude(pk__in=taken.values("pledge_consents"))
        .order_by("pk")
        .first()
    )


# --- contracts ---------------------------------------------------------------------------------------------


def contracts_for(user: Any) -> QuerySet[Contract]:
    return visible_to(user, Contract.objects.select_related("work", "licensor", "licensee")).order_by("-created_at")


def contract_for(user: Any, number: str) -> Contract:
    return get_visible_or_404(
        user, Contract.objects.select_related("work", "licensor", "licensee", "filing"), number=number
    )


def awaiting_signature(user: Any) -> list[Contract]:
    """Drafts the user is a party or co-owner of and has not signed in their current version."""
    party = acting_party(user)
    found = []
    for contract in contracts_for(user).filter(status=ContractStatus.DRAFT):
        if party is None:
            continue
        signed = contract.signatures.filter(
            party=party, dropped_at__isnull=True, contract_sha256=contract.sha256
        ).exists()
        if not signed:
            found.append(contract)
    return found


def _open_proposals_on_sides(user: Any) -> QuerySet[TerminationProposal]:
    return (
        TerminationProposal.objects.filter(status=ProposalStatus.OPEN, contract__status=ContractStatus.FILED)
        .filter(Q(contract__licensor_user=user) | Q(contract__licensee_user=user))
        .select_related("contract__work", "contract__licensor", "contract__licensee")
        .order_by("proposed_at", "pk")
    )


def termination_proposals_to_answer(user: Any) -> QuerySet[TerminationProposal]:
    """Open proposals to end a licence by agreement that the other side made and the user is to agree to or
    decline (oldest first: the one waiting longest comes first)."""
    return _open_proposals_on_sides(user).exclude(proposed_by=user)


def termination_proposals_made(user: Any) -> QuerySet[TerminationProposal]:
    """The user's own open proposals, still waiting for the other side's answer."""
    return _open_proposals_on_sides(user).filter(proposed_by=user)


def valid_signatures(contract: Contract) -> QuerySet[Any]:
    return contract.signatures.filter(dropped_at__isnull=True, contract_sha256=contract.sha256).select_related(
        "party", "signer"
    )


# --- royalties ---------------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


@dataclass
class Period:
    start: dt.date
    end: dt.date
    report_due: dt.date
    report: RoyaltyReport | None = None

    @property
    def overdue(self) -> bool:
        return self.report is None and self.report_due < timezone.localdate()


def periods(contract: Contract, *, until: dt.date | None = None) -> list[Period]:
    """The reporting periods of a running-royalty licence that have ended by ``until`` (today); a terminated
    licence's periods stop at its termination day, the last one cut short there."""
    if contract.royalty_model not in RUNNING_MODELS or not contract.takes_royalties:
        return []
    until = until or timezone.localdate()
    reports = {r.period_start: r for r in contract.royalty_reports.all()}
    found, start = [], contract.valid_from
    step = max(contract.reporting_months, 1)
    last = contract.royalty_end
    while start <= until and (last is None or start <= last):
        end = add_months(start, step) - dt.timedelta(days=1)
        if last is not None:
            end = min(end, last)
        if end > until:
            break
        found.append(Period(start, end, end + dt.timedelta(days=REPORT_DAYS), reports.get(start)))
        start = end + dt.timedelta(days=1)
    return found


def next_period(contract: Contract) -> Period | None:
    """The first ended period without a report (what the licensee reports next)."""
    for period in periods(contract):
        if period.report is None:
            return period
    return None


def period_starts(contract: Contract) -> list[dt.date]:
    """Where every reporting period of the licence's whole term begins."""
    starts: list[dt.date] = []
    if contract.valid_until is None:
        return starts
    start = contract.valid_from
    while start <= contract.valid_until:
        starts.append(start)
        start = add_months(start, max(contract.reporting_months, 1))
    return starts


def full_period_end(contract: Contract, start: dt.date) -> dt.date:
    """The last day of the reporting period beginning on ``start`` as the terms set it: a period's length, or the
    end of the term when that comes first (a termination does not move it)."""
    end = add_months(start, max(contract.reporting_months, 1)) - dt.timedelta(days=1)
    return min(end, contract.valid_until) if contract.valid_until is not None else end


def guarantee_share(contract: Contract, period: Period | None = None) -> Decimal:
    """A minimum-guarantee licence's guarantee for one reporting period: the guaranteed sum spread evenly over
    the term's periods (the same spread the receivable pool shows). A ``period`` a termination cut short owes
    only the share for the days it ran: the share times the days from its start to the termination day over
    the days of the whole period."""
    starts = period_starts(contract)
    if not starts:
        return Decimal(0)
    share = contract.price / len(starts)
    if period is not None:
        full = full_period_end(contract, period.start)
        if period.end < full:
            share = share * ((period.end - period.start).days + 1) / ((full - period.start).days + 1)
    return share.quantize(Decimal("0.01"))


@dataclass
class CutShort:
    """The last reporting period of a terminated licence, ended early by the termination."""

    start: dt.date
    end: dt.date
    full_end: dt.date
    days: int
    full_days: int
    guarantee: Decimal  # minimum guarantee: the share owed for the days it ran


def cut_short_period(contract: Contract) -> CutShort | None:
    """The reporting period a termination cut short, if it cut one short (a terminated running-royalty licence
    whose termination day is not the last day of a period)."""
    if contract.terminated_on is None:
        return None
    last = next((p for p in reversed(periods(contract)) if p.end == contract.terminated_on), None)
    if last is None:
        return None
    full = full_period_end(contract, last.start)
    if last.end >= full:
        return None
    return CutShort(
        start=last.start,
        end=last.end,
        full_end=full,
        days=(last.end - last.start).days + 1,
        full_days=(full - last.start).days + 1,
        guarantee=guarantee_share(contract, last),
    )


@dataclass
class Dues:
    reports_overdue: list[tuple[Contract, Period]] = field(default_factory=list)
    reports_due: list[tuple[Contract, Period]] = field(default_factory=list)
    unpaid: list[RoyaltyReport] = field(default_factory=list)
    overdue_payments: list[RoyaltyReport] = field(default_factory=list)


def running_contracts() -> QuerySet[Contract]:
    return Contract.objects.filter(
        kind=ContractKind.LICENCE, status=ContractStatus.FILED, royalty_model__in=RUNNING_MODELS
    ).select_related("work", "licensor", "licensee", "licensee_user", "licensor_user")


def dues(contracts: QuerySet[Contract]) -> Dues:
    """What is due and overdue across ``contracts``: reports not yet made, and royalties not yet paid."""
    today = timezone.localdate()
    found = Dues()
    for contract in contracts.filter(royalty_model__in=RUNNING_MODELS, status=ContractStatus.FILED):
        for period in periods(contract, until=today):
            if period.report is None:
                (found.reports_overdue if period.overdue else found.reports_due).append((contract, period))
        for report in contract.royalty_reports.prefetch_related("payments"):
            if report.outstanding > 0:
                (found.overdue_payments if report.payment_due < today else found.unpaid).append(report)
    return found


# --- the exchange ------------------------------------------------------------------------------------------


def published_listings() -> QuerySet[Listing]:
    return Listing.objects.filter(status=ListingStatus.PUBLISHED).select_related("work", "seller")


def listing(number: str) -> Listing:
    """A listing anyone may read (published, matched or withdrawn: the exchange's record is public)."""
    return get_object_or_404(Listing.objects.select_related("work", "seller"), number=number)


@dataclass
class AuctionState:
    """Where a listing stands for the person reading it: disclosed yet, bidding over, their deposit, the least
    bid that would be taken now."""

    disclosed: bool
    bidding_over: bool
    deposit: Deposit | None
    next_minimum: Decimal
    deposits_count: int


def auction_state(listing: Listing, user: Any) -> AuctionState:
    party = acting_party(user)
    highest = listing.highest_bid()
    return AuctionState(
        disclosed=timezone.localdate() > listing.disclosure_until,
        bidding_over=listing.bidding_over(timezone.now()),
        deposit=listing.deposits.filter(bidder=party).first() if party is not None else None,
        next_minimum=listing.price if highest is None else highest.amount + listing.increment,
        deposits_count=listing.deposits.count(),
    )


def deposits_shown(listing: Listing, user: Any, *, seller: bool) -> QuerySet[Deposit]:
    """The deposits a reader may see: the seller (and the registry's staff) every bidder's, a bidder their own,
    anyone else none."""
    deposits = listing.deposits.select_related("bidder").order_by("recorded_at", "pk")
    if not getattr(user, "is_authenticated", False):
        return deposits.none()
    if seller or user.role in (Role.REGISTRAR, Role.SUPERVISOR):
        return deposits
    return deposits.filter(bidder_user=user)


def last_purchase(work: Work, party: Party) -> Trade | None:
    """The latest filed trade in which ``party`` bought rights in ``work``."""
    return (
        Trade.objects.filter(listing__work=work, buyer=party, status=TradeStatus.FILED)
        .order_by("-settled_on", "-pk")
        .first()
    )


def disclosure_end(listed_on: dt.date) -> dt.date:
    """The earliest last day of the disclosure of a listing published on ``listed_on``."""
    return working_calendar().add_working_days(listed_on, DISCLOSURE_DAYS)


def resale_allowed_from(bought_on: dt.date) -> dt.date:
    return working_calendar().add_working_days(bought_on, RESALE_TRADING_DAYS)


def trades_of(user: Any) -> QuerySet[Trade]:
    return Trade.objects.filter(Q(buyer_user=user) | Q(listing__seller_user=user)).select_related("listing__work")


# --- financing and the receivable pool ---------------------------------------------------------------------


@dataclass
class PoolRow:
    contract: Contract
    obligor: str
    industry: str
    month: str  # YYYY-MM
    amount: Decimal


@dataclass
class Pool:
    rows: list[PoolRow]
    total: Decimal
    by_obligor: list[tuple[str, Decimal, Decimal]]  # obligor, amount, share
    by_industry: list[tuple[str, Decimal, Decimal]]
    by_month: list[tuple[str, Decimal]]
    top1_share: Decimal
    top5_share: Decimal
    hhi: Decimal
    weighted_remaining_months: Decimal


def contracted_income(contract: Contract, *, cut_off: dt.date) -> list[tuple[dt.date, Decimal]]:
    """The licence income a filed licence has fixed in its terms and not yet paid, from ``cut_off`` on: the
    lump sum or advance at the start, a minimum guarantee spread per reporting period, and reported royalties
    still outstanding. Running royalties not yet reported are not contracted and are left out."""
    from .models import RoyaltyModel

    found: list[tuple[dt.date, Decimal]] = []
    paid_upfront = sum((p.amount for p in contract.payments.filter(report__isnull=True)), Decimal(0))
    if contract.royalty_model in (RoyaltyModel.LUMP_SUM, RoyaltyModel.ADVANCE):
        rest = contract.price - paid_upfront
        if rest > 0:
            found.append((max(contract.valid_from, cut_off), rest))
    elif contract.royalty_model == RoyaltyModel.MINIMUM_GUARANTEE and contract.valid_until is not None:
        share = guarantee_share(contract)
        # A reported period's guarantee is in its report's amount due (royalty plus any top-up), counted below.
        reported = set(contract.royalty_reports.values_list("period_start", flat=True))
        for day in period_starts(contract):
            if add_months(day, max(contract.reporting_months, 1)) > cut_off and day not in reported:
                found.append((max(day, cut_off), share))
    for report in contract.royalty_reports.prefetch_related("payments"):
        if report.outstanding > 0:
            found.append((max(report.payment_due, cut_off), report.outstanding))
    return found


def _shares(totals: dict[str, Decimal], total: Decimal) -> list[tuple[str, Decimal, Decimal]]:
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [
        (name, amount, (amount / total * 100).quantize(Decimal("0.01")) if total else Decimal(0))
        for name, amount in ordered
    ]


def receivable_pool(contracts: QuerySet[Contract] | list[Contract], *, cut_off: dt.date | None = None) -> Pool:
    """Contracted licence income by obligor (licensee), industry and month, with the concentration figures a
    securitization asks for: the largest obligor's and the five largest obligors' shares, the
    Herfindahl–Hirschman index and the amount-weighted remaining term in months."""
    cut_off = cut_off or timezone.localdate()
    rows: list[PoolRow] = []
    weighted = Decimal(0)
    for contract in contracts:
        if not contract.is_filed or contract.kind != ContractKind.LICENCE:
            continue
        remaining = Decimal(0)
        if contract.valid_until is not None and contract.valid_until > cut_off:
            remaining = Decimal((contract.valid_until - cut_off).days) / Decimal("30.4375")
        for day, amount in contracted_income(contract, cut_off=cut_off):
            rows.append(
                PoolRow(
                    contract, contract.licensee.name, contract.licensee_industry or "—", day.strftime("%Y-%m"), amount
                )
            )
            weighted += remaining * amount
    total = sum((r.amount for r in rows), Decimal(0))
    obligors: dict[str, Decimal] = {}
    industries: dict[str, Decimal] = {}
    months: dict[str, Decimal] = {}
    for r in rows:
        obligors[r.obligor] = obligors.get(r.obligor, Decimal(0)) + r.amount
        industries[r.industry] = industries.get(r.industry, Decimal(0)) + r.amount
        months[r.month] = months.get(r.month, Decimal(0)) + r.amount
    by_obligor = _shares(obligors, total)
    return Pool(
        rows=rows,
        total=total,
        by_obligor=by_obligor,
        by_industry=_shares(industries, total),
        by_month=sorted(months.items()),
        top1_share=by_obligor[0][2] if by_obligor else Decimal(0),
        top5_share=sum((share for _n, _a, share in by_obligor[:5]), Decimal(0)),
        hhi=sum(((share * share) for _n, _a, share in by_obligor), Decimal(0)).quantize(Decimal("0.01")),
        weighted_remaining_months=(weighted / total).quantize(Decimal("0.1")) if total else Decimal(0),
    )


def financings_of(user: Any) -> QuerySet[Financing]:
    return visible_to(user, Financing.objects.select_related("pledge").prefetch_related("contracts"))


def financing_for(user: Any, pk: int) -> Financing:
    return get_visible_or_404(user, Financing.objects.select_related("pledge"), pk=pk)


def works_held_by(user: Any) -> list[Work]:
    """Granted works in which the user's party holds at least one economic right now."""
    from artrights.registry.models import PartyRole

    party = acting_party(user)
    if party is None:
        return []
    candidates = (
        Work.objects.filter(status__in=[Status.REGISTERED, Status.FILED])
        .filter(
            Q(workparty__party=party, workparty__role=PartyRole.OWNER)
            | Q(contract_filings__contract_type=ContractType.TRANSFER, contract_filings__assignee=party)
        )
        .distinct()
        .order_by("-registered_at", "-pk")
    )
    return [w for w in candidates if any(p.pk == party.pk for ps in holders(w).values() for p in ps)]


def pledges_of(user: Any) -> QuerySet[Pledge]:
    party = acting_party(user)
    if party is None:
        return Pledge.objects.none()
    return Pledge.objects.filter(pledgor=party, status=PledgeStatus.REGISTERED).order_by("-registered_at")


def shown_name(party: Party) -> str:
    """How a public page names a party: an organisation in full, a person by the family name only."""
    from artrights.core.models import PartyKind

    if party.kind != PartyKind.NATURAL:
        return party.name
    return party.name[:1] + "*" * max(len(party.name) - 1, 1)


@dataclass
class TitleLink:
    """One link of a work's chain of title or one licence, as its public page shows it."""

    kind: str  # "registration", "transfer", "exclusive_licence", "non_exclusive_licence"
    label: str
    number: str
    at: dt.datetime | None
    parties: str
    rights: list[str]
    territory: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    log_index: int | None
    contract_sha256: str
    in_force: bool = False
    terminated_on: dt.date | None = None  # a licence signed in the platform that one side ended early


def title_chain(work: Work) -> tuple[list[TitleLink], list[TitleLink]]:
    """The chain of title (registration, then each filed transfer) and the licences over time, from the
    registry's own filings; every link names its log entry."""
    from artrights.registry.models import Right

    labels = dict(Right.choices)
    owners = "、".join(shown_name(p) for p in work.owners().order_by("pk"))
    chain = [
        TitleLink(
            kind="registration",
            label=str(work.get_kind_display()),
            number=work.number or "",
            at=work.registered_at,
            parties=owners,
            rights=[str(labels.get(r, r)) for r in work.rights],
            territory="",
            valid_from=None,
            valid_until=None,
            log_index=work.log_index,
            contract_sha256="",
        )
    ]
    licences: list[TitleLink] = []
    today = timezone.localdate()
    for filing in (
        ContractFiling.objects.filter(works=work)
        .select_related("assignor", "assignee", "licensing_contract")
        .order_by("filed_at", "pk")
    ):
        contract = getattr(filing, "licensing_contract", None)
        terminated_on = contract.terminated_on if contract is not None else None
        link = TitleLink(
            kind=filing.contract_type,
            label=str(filing.get_contract_type_display()),
            number=filing.number,
            at=filing.filed_at,
            parties=f"{shown_name(filing.assignor)} → {shown_name(filing.assignee)}",
            rights=[str(labels.get(r, r)) for r in filing.rights],
            territory=filing.territory,
            valid_from=filing.valid_from,
            valid_until=filing.valid_until,
            log_index=filing.log_index,
            contract_sha256=filing.contract_sha256,
            in_force=terminated_on is None
            and filing.valid_from <= today
            and (filing.valid_until is None or today <= filing.valid_until),
            terminated_on=terminated_on,
        )
        (chain if filing.contract_type == ContractType.TRANSFER else licences).append(link)
    return chain, licences
