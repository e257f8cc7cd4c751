"""Reads for the fund: programmes, what an owner may apply for, applications, the review queue and the budget."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from artrights.accounts.access import get_visible_or_404, visible_to
from artrights.accounts.models import OrganisationKind
from artrights.core.models import Party
from artrights.core.selectors import working_calendar
from artrights.registry.models import Kind, PartyRole, Work, WorkParty
from artrights.registry.models import Status as WorkStatus

from .models import CENT, GRANTED, Application, Item, ItemKind, Payment, Programme, Status
from .rules import own_party_ids

ZERO = Decimal(0)
WORK_KINDS = {ItemKind.WORK_REGISTRATION: Kind.REGISTRATION, ItemKind.SOFTWARE_REGISTRATION: Kind.SOFTWARE}
# A mediation case that has ended (the mediation app's states after the mediation itself, whatever its outcome).
MEDIATION_ENDED = (
    "agreement_effective",
    "failed",
    "ended",
    "filed_with_court",
    "court_mediation_doc",
    "suit_withdrawn",
    "transferred_to_court",
    "trial_resumed",
    "closed",
)


MEDIATION_APP = "artrights.mediation"


def money(total: Decimal | None) -> Decimal:
    """A sum as yuan with two decimals (SQLite gives sums back without their scale)."""
    return (total or ZERO).quantize(CENT)


def mediation_installed() -> bool:
    return apps.is_installed(MEDIATION_APP)


def offered_kinds() -> list[tuple[str, str]]:
    """The kinds of item a programme may pay for here: closed mediation cases only with the mediation app."""
    return [
        (value, str(label))
        for value, label in ItemKind.choices
        if value != ItemKind.MEDIATION_CASE or mediation_installed()
    ]


def today() -> dt.date:
    return timezone.localdate()


# --- programmes ----------------------------------------------------------------------------------------------


def programmes() -> QuerySet[Programme]:
    return Programme.objects.select_related("department").order_by("-opens_on", "code")


def open_programmes(day: dt.date | None = None) -> QuerySet[Programme]:
    on = day or today()
    return programmes().filter(opens_on__lte=on, closes_on__gte=on)


def programme_by_code(code: str) -> Programme:
    """Programmes are public calls for applications: anyone may read one."""
    return get_object_or_404(Programme, code=code)


# --- what an owner may apply for -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An item the platform's records show the owner may claim."""

    kind: str
    key: str
    reference: str
    title: str
    dated: dt.date
    work_type: str = ""
    work: Work | None = None

    @property
    def kind_label(self) -> str:
        return str(ItemKind(self.kind).label)


def work_key(work: Work) -> str:
    return f"registry.work:{work.pk}"


def owners_for(user: Any) -> QuerySet[Party]:
    """The parties ``user`` may apply for: themselves, their organisation, and for an agency the owners of the
    granted works it filed."""
    wanted = Q(pk__in=own_party_ids(user))
    organisation = getattr(user, "organisation", None)
    if organisation is not None and organisation.kind == OrganisationKind.AGENCY:
        filed = Work.objects.filter(agent=organisation, status=WorkStatus.REGISTERED)
        wanted |= Q(pk__in=WorkParty.objects.filter(work__in=filed, role=PartyRole.OWNER).values("party"))
    return Party.objects.filter(wanted).distinct().order_by("name", "pk")


def taken_keys(keys: list[str]) -> tuple[set[str], set[str]]:
    """Of ``keys``: those already granted (in any programme), and those in an application awaiting review."""
    granted = set(Item.objects.filter(claim__in=keys).values_list("claim", flat=True))
    pending = set(Item.objects.filter(key__in=keys, application__status=Status.SUBMITTED).values_list("key", flat=True))
    return {k for k in granted if k}, pending


def candidates(user: Any, programme: Programme, applicant: Party) -> list[Candidate]:
    """The owner's granted registrations (and, with the mediation app, its closed cases) the programme covers,
    in its registration date window, not yet subsidised and not in an application under review."""
    found: list[Candidate] = []
    kinds = [WORK_KINDS[k] for k in WORK_KINDS if programme.covers(k)]
    if kinds:
        works = Work.objects.filter(
            kind__in=kinds,
            status=WorkStatus.REGISTERED,
            pk__in=WorkParty.objects.filter(party=applicant, role=PartyRole.OWNER).values("work"),
            registered_at__isnull=False,
        )
        if applicant.pk not in own_party_ids(user):
            works = works.filter(agent_id=getattr(user, "organisation_id", None))
        for work in works.distinct().order_by("registered_at", "pk"):
            assert work.registered_at is not None
            day = timezone.localdate(work.registered_at)
            if programme.registered_from and day < programme.registered_from:
                continue
            if programme.registered_until and day > programme.registered_until:
                continue
            kind = ItemKind.SOFTWARE_REGISTRATION if work.kind == Kind.SOFTWARE else ItemKind.WORK_REGISTRATION
            found.append(Candidate(kind, work_key(work), work.number or "", work.title, day, work.work_type, work=work))
    if programme.covers(ItemKind.MEDIATION_CASE):
        found += mediation_candidates(programme, applicant)
    granted, pending = taken_keys([c.key for c in found])
    return [c for c in found if c.key not in granted and c.key not in pending]


def mediation_candidates(programme: Programme, applicant: Party) -> list[Candidate]:
    """A mediation organisation's ended cases in the programme's date window (only with the mediation app)."""
    if not mediation_installed():
        return []
    # Looked up by name: the mediation app is not a dependency (funding works without it).
    case_model: Any = apps.get_model(MEDIATION_APP.rsplit(".", 1)[-1], "Case")
    cases = case_model.objects.filter(
        organisation__party=applicant, status__in=MEDIATION_ENDED, ended_on__isnull=False
    ).order_by("ended_on", "pk")
    if programme.registered_from:
        cases = cases.filter(ended_on__gte=programme.registered_from)
    if programme.registered_until:
        cases = cases.filter(ended_on__lte=programme.registered_until)
    return [
        Candidate(ItemKind.MEDIATION_CASE, f"mediation.case:{c.pk}", c.number, c.get_dispute_type_display(), c.ended_on)
        for c in cases
    ]


def year_granted(programme: Programme, applicant: Party, year: int, *, excluding: int | None = None) -> Decimal:
    """What the programme granted the applicant in ``year`` (by decision date), paid or not."""
    rows = Application.objects.filter(
        programme=programme,
        applicant=applicant,
        status__in=(*GRANTED, Status.PAID),
        decided_at__year=year,
    )
    if excluding is not None:
        rows = rows.exclude(pk=excluding)
    return money(rows.aggregate(total=Sum("approved_total"))["total"])


# --- applications --------------------------------------------------------------------------------------------


def applications_for(user: Any) -> QuerySet[Application]:
    return visible_to(user, Application.objects.select_related("programme", "applicant", "filed_by"))


def application_for(user: Any, number: str) -> Application:
    return get_visible_or_404(
        user, Application.objects.select_related("programme", "applicant", "filed_by", "agency"), number=number
    )


@dataclass(frozen=True)
class Due:
    application: Application
    due: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def review_queue() -> list[Due]:
    """Applications awaiting a decision, the nearest deadline first, with the working days left."""
    rows = Application.objects.filter(status=Status.SUBMITTED).select_related("programme", "applicant")
    calendar = working_calendar()
    day = today()
    return [
        Due(a, a.review_due, calendar.working_days_between(day, a.review_due))
        for a in rows.order_by("review_due", "pk")
    ]


def awaiting_payment() -> QuerySet[Application]:
    return (
        Application.objects.filter(status__in=GRANTED)
        .select_related("programme", "applicant")
        .order_by("decided_at", "pk")
    )


# --- the budget ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetLine:
    programme: Programme
    committed: Decimal  # granted, not yet paid
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.programme.budget - self.committed - self.paid


def budget_line(programme: Programme) -> BudgetLine:
    committed = Application.objects.filter(programme=programme, status__in=GRANTED).aggregate(
        total=Sum("approved_total")
    )["total"]
    paid = Payment.objects.filter(application__programme=programme).aggregate(total=Sum("amount"))["total"]
    return BudgetLine(programme, money(committed), money(paid))


def budget() -> list[BudgetLine]:
    return [budget_line(p) for p in programmes()]


def payments_between(start: dt.date, end: dt.date) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(paid_on__gte=start, paid_on__lte=end)
        .select_related("application__programme", "application__applicant", "recorded_by")
        .order_by("paid_on", "pk")
    )


def paid_per_month(months: int = 12) -> list[tuple[str, Decimal]]:
    """Subsidies paid per month, the last ``months`` months (for a statistics dashboard)."""
    day = today().replace(day=1)
    found = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
        total = Payment.objects.filter(paid_on__year=year, paid_on__month=month + 1).aggregate(total=Sum("amount"))
        found.append((f"{year}-{month + 1:02d}", money(total["total"])))
    return found
