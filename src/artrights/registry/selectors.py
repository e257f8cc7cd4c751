"""Reads for the registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from artrights.accounts.access import visible_to
from artrights.accounts.models import Role, User
from artrights.core.identifiers import normalise
from artrights.core.images import ImageRejected, open_image
from artrights.core.models import AuditEvent, Party
from artrights.core.selectors import working_calendar
from artrights.core.signals import Standing, standing_of

from .models import (
    DuplicateWarning,
    FileRole,
    Kind,
    PartyRole,
    Pledge,
    PledgeConsent,
    PledgeStatus,
    RegistryDocument,
    Resolution,
    Status,
    Work,
    WorkFile,
    WorkParty,
)
from .screening import LIVE

PUBLIC_STATUSES = (Status.REGISTERED, Status.FILED, Status.REVOKED)


def works_for(user: Any, *, status: str | None = None) -> QuerySet[Work]:
    """The works ``user`` may see (their own, their agency's, or all for registry staff), newest first."""
    works = visible_to(user, Work.objects.all()).order_by("-created_at")
    if status:
        if status not in Status.values:
            raise ValidationError(_("未知的状态：%(status)s") % {"status": status}, code="unknown_status")
        works = works.filter(status=status)
    return works


@dataclass(frozen=True)
class ClientRow:
    """An owner an agency represents: what it filed for them and the latest power of attorney they signed."""

    party: Party
    works: int
    registered: int
    pending: int
    latest: Work
    power_of_attorney: WorkFile | None


def clients_of(organisation: Any) -> list[ClientRow]:
    """The owners named in the applications ``organisation`` filed as agent, the most recently served first."""
    links = (
        WorkParty.objects.filter(work__agent=organisation, role=PartyRole.OWNER)
        .select_related("party", "work")
        .order_by("-work__created_at", "-work_id")
    )
    grouped: dict[int, list[Work]] = {}
    parties: dict[int, Party] = {}
    for link in links:
        grouped.setdefault(link.party_id, []).append(link.work)
        parties[link.party_id] = link.party
    powers: dict[int, WorkFile] = {}
    for wf in (
        WorkFile.objects.filter(work__agent=organisation, role=FileRole.POWER_OF_ATTORNEY)
        .select_related("stored_file")
        .order_by("-work__created_at", "-work_id")
    ):
        powers.setdefault(wf.work_id, wf)
    rows = []
    for party_id, works in grouped.items():
        power = next((powers[w.pk] for w in works if w.pk in powers), None)
        rows.append(
            ClientRow(
                party=parties[party_id],
                works=len(works),
                registered=sum(1 for w in works if w.status in (Status.REGISTERED, Status.FILED)),
                pending=sum(1 for w in works if w.status in QUEUE_STATUSES),
                latest=works[0],
                power_of_attorney=power,
            )
        )
    return rows


QUEUE_STATUSES = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.UNDER_REVIEW,
    Status.CORRECTION_REQUIRED,
    Status.HELD,
)
QUEUE_ORDERS = {
    "due": ("review_due", "submitted_at"),
    "submitted": ("submitted_at",),
    "-submitted": ("-submitted_at",),
    "title": ("title", "submitted_at"),
}


@dataclass(frozen=True)
class QueueRow:
    work: Work
    working_days_left: int | None  # None: no review clock yet (not accepted)
    flagged: bool  # another owner's work found and not yet resolved

    @property
    def overdue(self) -> bool:
        return self.working_days_left is not None and self.working_days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.working_days_left if self.working_days_left is not None and self.working_days_left < 0 else 0


def review_queue(*, status: str = "", kind: str = "", flagged_only: bool = False, order: str = "due") -> list[QueueRow]:
    """Applications waiting for a registrar: the nearest deadline first unless ``order`` says otherwise, with the
    working days left on each review clock and whether screening found another owner's work."""
    works = Work.objects.filter(status__in=QUEUE_STATUSES).select_related("applicant", "agent")
    if status in QUEUE_STATUSES:
        works = works.filter(status=status)
    if kind in Kind.values:
        works = works.filter(kind=kind)
    flagged_ids = set(
        DuplicateWarning.objects.filter(
            work__in=works, same_owner=False, resolution=Resolution.OPEN, earlier__status__in=LIVE
        ).values_list("work_id", flat=True)
    )
    if flagged_only:
        works = works.filter(pk__in=flagged_ids)
    works = works.order_by(*QUEUE_ORDERS.get(order, QUEUE_ORDERS["due"]))
    calendar = working_calendar()
    today = timezone.localdate()
    return [
        QueueRow(
            work=w,
            working_days_left=calendar.working_days_between(today, w.review_due) if w.review_due else None,
            flagged=w.pk in flagged_ids,
        )
        for w in works
    ]


def public_search(query: str, limit: int = 50) -> QuerySet[Work]:
    """The public registry: granted (and revoked) works by number or title. Control characters are dropped from
    the query (a NUL would end SQLite's pattern and match every record, and PostgreSQL refuses it)."""
    query = "".join(ch for ch in query if ch.isprintable()).strip()[:200]
    if not query:
        return Work.objects.none()
    return (
        Work.objects.filter(status__in=PUBLIC_STATUSES)
        .filter(Q(number__iexact=query) | Q(title__icontains=query))
        .order_by("-registered_at")[:limit]
    )


def public_record(number: str) -> Work | None:
    return Work.objects.filter(status__in=PUBLIC_STATUSES, number=number).first()


def open_consents(work: Work) -> QuerySet[PledgeConsent]:
    """The pledgees' consents a new contract on ``work`` may use: of pledges still registered, not yet used."""
    return PledgeConsent.objects.filter(pledge__works=work, pledge__status=PledgeStatus.REGISTERED, used_by=None)


def held_pledges(user: Any) -> QuerySet[Pledge]:
    """Pledges ``user`` holds as pledgee, with the consents they recorded."""
    return (
        visible_to(user, Pledge.objects.filter(pledgee_user=user))
        .prefetch_related("works", "consents__assignee")
        .order_by("-registered_at")
    )


def pledgee_account(username: str) -> Any:
    """The platform account a pledge's consents will come from, or None when no username was given."""
    if not username:
        return None
    account = User.objects.filter(username=username, is_active=True).first()
    if account is None:
        raise ValidationError(_("没有用户名为“%(name)s”的账户。") % {"name": username})
    return account


# Formats a browser shows safely from our origin; an upload in any other format is only ever downloaded.
_INLINE_IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


def parties(work: Work) -> QuerySet[WorkParty]:
    """Who the record names, as the CPCC form lists them: the owners, the applicant, then the agent."""
    order = Case(When(role=PartyRole.OWNER, then=0), When(role=PartyRole.APPLICANT, then=1), default=2)
    return work.workparty_set.select_related("party").order_by(order, "pk")


@dataclass(frozen=True)
class CreditFlag:
    """A party of an application on a credit list now (asked of the credit app through ``core.signals``)."""

    party: WorkParty
    standing: Standing


def credit_flags(work: Work) -> list[CreditFlag]:
    """Every party of ``work`` that is on a credit list now, for the registrar's review page."""
    named = list(parties(work))
    standings = standing_of([wp.party.id_number for wp in named])
    flags: list[CreditFlag] = []
    seen: set[tuple[int, str]] = set()
    for wp in named:  # owners first: a party that is owner and applicant is flagged once, as owner
        for s in standings:
            if s.identifier == normalise(wp.party.id_number) and (wp.party_id, s.number) not in seen:
                seen.add((wp.party_id, s.number))
                flags.append(CreditFlag(wp, s))
    return flags


def materials(work: Work) -> QuerySet[WorkFile]:
    """The application's materials, samples first, then what the applicant took back in corrections."""
    return work.workfile_set.select_related("stored_file").order_by(
        Case(When(role=FileRole.SAMPLE, then=0), When(role=FileRole.SUPERSEDED, then=2), default=1), "pk"
    )


def inline_image_type(work_file: WorkFile) -> str | None:
    """The content type to show a material in the page with, or None to offer it only as a download: only
    samples the platform decoded as pictures (they have a size), in a format a browser renders safely."""
    if work_file.width is None:
        return None
    with work_file.stored_file.file.open("rb") as fh:
        try:
            fmt = open_image(fh.read(1024 * 1024)).format or ""  # the header is in the first bytes
        except ImageRejected:
            return None
    return _INLINE_IMAGE_TYPES.get(fmt)


def screening_findings(work: Work) -> QuerySet[DuplicateWarning]:
    """What screening found for ``work``: the other works, another owner's first, then by score."""
    return work.duplicate_warnings.select_related("earlier", "resolved_by").order_by("same_owner", "-score", "pk")


# What each recorded action on a work is called in its timeline (the audit log's action names).
_TIMELINE_LABELS = {
    "create": gettext_lazy("创建申请"),
    "registry.submit": gettext_lazy("提交申请"),
    "registry.accept": gettext_lazy("受理"),
    "registry.start_review": gettext_lazy("开始审核"),
    "registry.request_correction": gettext_lazy("发出补正通知"),
    "registry.correct": gettext_lazy("申请人补正"),
    "registry.hold": gettext_lazy("转登记审核员人工审查"),
    "registry.resolve_duplicates": gettext_lazy("核查重复登记提示"),
    "registry.release": gettext_lazy("核查后予以备案"),
    "registry.clear_hold": gettext_lazy("核查后放行受理"),
    "registry.register": gettext_lazy("予以登记"),
    "registry.file": gettext_lazy("备案"),
    "registry.refuse": gettext_lazy("不予登记"),
    "registry.withdraw": gettext_lazy("撤回申请"),
    "registry.deem_withdrawn": gettext_lazy("视为撤回"),
    "registry.revoke": gettext_lazy("撤销登记"),
    "registry.change": gettext_lazy("变更登记事项"),
    "registry.issue_certificate": gettext_lazy("签发证书"),
}


@dataclass(frozen=True)
class TimelineStep:
    at: dt.datetime
    label: str
    actor: str  # who acted: their name for registry staff, their role for everyone else


def timeline(work: Work, *, viewer: Any) -> list[TimelineStep]:
    """The steps of ``work`` in the order they happened, from the audit log. The applicant side sees who acted
    by role (a registrar is "登记审核员"), registry staff by name."""
    staff = bool(
        getattr(viewer, "is_platform_admin", False) or getattr(viewer, "role", "") in (Role.REGISTRAR, Role.SUPERVISOR)
    )
    events = (
        AuditEvent.objects.filter(
            object_type=Work._meta.label_lower, object_id=str(work.pk), action__in=_TIMELINE_LABELS
        )
        .select_related("actor")
        .order_by("at", "id")
    )
    steps = []
    for event in events:
        if event.actor is None:
            who = str(_("平台"))
        elif staff or event.actor_id == getattr(viewer, "pk", None):
            who = str(event.actor)
        else:
            who = str(event.actor.get_role_display())
        steps.append(TimelineStep(at=event.at, label=str(_TIMELINE_LABELS[event.action]), actor=who))
    return steps


def sample_thumbnail(sample: WorkFile, *, size: int = 640) -> bytes:
    """A JPEG of at most ``size`` px a side of a sample the platform decoded as a picture (for pages and the
    certificate); raises ``ImageRejected`` if it no longer decodes."""
    import io

    from artrights.core.images import load_image

    with sample.stored_file.file.open("rb") as fh:
        image = load_image(fh.read())
    image.thumbnail((size, size))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def documents_of(work: Work) -> QuerySet[RegistryDocument]:
    """The documents issued about ``work``, oldest first: its own and those of the contracts and pledges it is in."""
    return (
        RegistryDocument.objects.filter(Q(work=work) | Q(contract_filing__works=work) | Q(pledge__works=work))
        .distinct()
        .select_related("work", "correction", "contract_filing__assignee", "pledge__pledgee")
        .order_by("issued_at", "pk")
    )
