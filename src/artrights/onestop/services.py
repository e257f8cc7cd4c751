"""Writes of the one-stop service: a request brought to a workstation, its triage, handling, routing to the
platform's other services, closing, and the requester's rating; the sweep that flags overdue requests.

Each function checks the verb first and writes in one transaction with its audit event, so bad input changes
nothing. Deadlines count working days on the platform's working calendar (holidays and make-up days included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.accounts.models import Organisation, OrganisationKind
from artrights.core import audit
from artrights.core.notifying import Written
from artrights.core.selectors import working_calendar
from artrights.core.services import PartyInput, notify
from artrights.evidence import services as evidence
from artrights.matching import services as matching
from artrights.mediation import services as mediation
from artrights.mediation.models import Source
from artrights.mediation.services import CaseInput
from artrights.registry import services as registry
from artrights.registry.services import SampleInput

from . import notifications as N
from .models import (
    CAPTURED_TYPES,
    CHECKED_TYPES,
    DEADLINE_DAYS,
    OPEN_STATES,
    REQUEST_FLOW,
    Note,
    RequestType,
    ServiceRequest,
    Signup,
    TrainingEvent,
    Workstation,
)

TEXT_LIMIT = 4000


def today() -> dt.date:
    return timezone.localdate()


def _text(value: str, field: str, label: Any, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}}, code="required")
    if len(text) > TEXT_LIMIT:
        raise ValidationError(
            {field: _("%(label)s不能超过 %(limit)d 个字。") % {"label": label, "limit": TEXT_LIMIT}}, code="too_long"
        )
    return text


def _locked(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.select_for_update(of=("self",)).select_related("workstation").get(pk=request.pk)


def _tell_requester(request: ServiceRequest, note: str, *, actor: Any, **details: str) -> None:
    """``note`` is a step of N.STEPS (its ``details`` fill the step's slots) or what the staff wrote, as ``Written``."""
    notify(
        recipients=[request.requester],
        actor=actor,
        kind=N.STATUS_CHANGED.key,
        subject=request,
        params={"number": request.pk, "station": request.workstation.name, "note": note, **details},
        url=reverse("onestop:request", args=[request.pk]),
    )


def set_up_workstation(
    *, user: Any, organisation: Organisation, name: str, sector: str, address: str = "", staff: Sequence[Any] = ()
) -> Workstation:
    """Open a workstation in an association (an organisation of kind workstation) with its staff."""
    require(user, "set_up", Workstation)
    if organisation.kind != OrganisationKind.WORKSTATION:
        raise ValidationError(
            {"organisation": _("主办机构须是登记为知识产权保护工作站的协会。")}, code="not_workstation"
        )
    title = _text(name, "name", _("工作站名称"))
    with transaction.atomic():
        station = Workstation.objects.create(
            organisation=organisation, name=title, sector=_text(sector, "sector", _("服务行业")), address=address
        )
        station.staff.add(*staff)
        audit.record("onestop.set_up", station, actor=user, changes={"staff": [s.pk for s in staff]})
    return station


def submit_request(
    *, user: Any, workstation: Workstation, type: str, description: str, url: str = ""
) -> ServiceRequest:
    """Bring a request to a workstation; its deadline is the type's working days from today."""
    require(user, "submit", ServiceRequest)
    if type not in RequestType.values:
        raise ValidationError({"type": _("请选择服务类型。")}, code="bad_type")
    if not workstation.is_active:
        raise ValidationError({"workstation": _("该工作站暂停对外服务，请选择其他工作站。")}, code="inactive")
    text = _text(description, "description", _("情况说明"))
    url = (url or "").strip()
    if type in CHECKED_TYPES and not url:
        raise ValidationError({"url": _("侵权举报和相似性比对须填写侵权图片或网页的网址。")}, code="url_required")
    if url and not url.startswith(("http://", "https://")):
        raise ValidationError({"url": _("网址须以 http:// 或 https:// 开头。")}, code="bad_url")
    deadline = working_calendar().add_working_days(today(), DEADLINE_DAYS[type])
    with transaction.atomic():
        request = ServiceRequest.objects.create(
            workstation=workstation, requester=user, type=type, description=text, url=url, deadline=deadline
        )
        audit.record("onestop.submit", request, actor=user, changes={"type": type, "deadline": deadline.isoformat()})
        staff = list(workstation.staff.filter(is_active=True))
        if staff:
            notify(
                recipients=staff,
                actor=user,
                kind=N.RECEIVED.key,
                subject=request,
                params={"number": request.pk, "station": workstation.name, "deadline": deadline.isoformat()},
                url=reverse("onestop:request", args=[request.pk]),
            )
    return request


def triage(*, user: Any, request: ServiceRequest, handler: Any = None) -> ServiceRequest:
    """Accept a new request and give it to a handler of the workstation (the one triaging, when none is named)."""
    require(user, "handle", request)
    with transaction.atomic():
        request = _locked(request)
        chosen = handler or user
        if not request.workstation.staff.filter(pk=chosen.pk).exists():
            raise ValidationError({"handler": _("承办人须是本工作站的工作人员。")}, code="not_staff")
        REQUEST_FLOW.apply(request, "triage")
        request.handler = chosen
        request.save(update_fields=["status", "handler"])
        audit.record("onestop.triage", request, actor=user, changes={"handler": chosen.pk})
        _tell_requester(request, "triaged", handler=str(chosen), actor=user)
    return request


def start(*, user: Any, request: ServiceRequest) -> ServiceRequest:
    """The handler starts working on a triaged request."""
    require(user, "handle", request)
    with transaction.atomic():
        request = _locked(request)
        REQUEST_FLOW.apply(request, "start")
        request.save(update_fields=["status"])
        audit.record("onestop.start", request, actor=user)
        _tell_requester(request, "started", actor=user)
    return request


def _routable(user: Any, request: ServiceRequest, *types: str) -> ServiceRequest:
    """The request, locked, once the staff member may hand it on and it is of one of ``types``."""
    require(user, "handle", request)
    if request.type not in types:
        raise ValidationError(_("此类请求不能这样转办，请直接办理。"), code="not_routable")
    request = _locked(request)
    REQUEST_FLOW.apply(request, "route")
    return request


def route(*, user: Any, request: ServiceRequest, capture: bool = True) -> ServiceRequest:
    """Hand an infringement report, a similarity check or an evidence fixation on to the platform's services, in
    the requester's name: a copy check of the image at the address they gave and, for a report or a fixation, a
    capture of that page as evidence (``capture=False`` leaves the capture out of a report). The worker does both;
    nothing is started when either is refused."""
    require(user, "handle", request)
    checks = request.type in CHECKED_TYPES
    captures = capture and request.type in CAPTURED_TYPES
    if not checks and not captures:
        raise ValidationError(_("此类请求不能这样转办，请直接办理。"), code="not_routable")
    if not request.url:
        raise ValidationError({"url": _("该请求没有填写网址，无法转办网页取证。")}, code="url_required")
    with transaction.atomic():
        request = _routable(user, request, *CHECKED_TYPES, *CAPTURED_TYPES)
        if checks:
            request.url_check = matching.submit_url_check(user=request.requester, url=request.url)
        if captures:
            request.evidence = evidence.request_capture(
                user=request.requester,
                url=request.url,
                description=str(
                    _("服务请求 #%(number)s：%(text)s") % {"number": request.pk, "text": request.description}
                )[:1000],
            )
        request.save(update_fields=["status", "url_check", "evidence"])
        audit.record(
            "onestop.route",
            request,
            actor=user,
            changes={"url_check": request.url_check_id, "evidence": request.evidence_id},
        )
        step = "routed_both" if checks and captures else "routed_check" if checks else "routed_capture"
        _tell_requester(request, step, actor=user)
    return request


def refer_to_mediation(*, user: Any, request: ServiceRequest, data: CaseInput) -> ServiceRequest:
    """Forward a mediation referral to a mediation organisation: a case in which the requester applies, the
    workstation its referring body, with the respondents and claims the staff took down with the requester."""
    require(user, "handle", request)
    if request.requester.party is None:
        raise ValidationError(
            _("申请人尚未完成实名信息，不能以其名义申请调解。请先请申请人完成实名认证。"), code="identity"
        )
    with transaction.atomic():
        request = _routable(user, request, RequestType.MEDIATION_REFERRAL)
        forwarded = replace(data, source=Source.WORKSTATION, applicants=(), referring_body=request.workstation.name)
        with audit.context(via="onestop"):
            request.case = mediation.open_case(user=request.requester, data=forwarded)
        request.save(update_fields=["status", "case"])
        audit.record("onestop.route", request, actor=user, changes={"case": request.case.number})
        _tell_requester(
            request, "referred", case=request.case.number, due=request.case.acceptance_due.isoformat(), actor=user
        )
    return request


def prepare_draft(
    *,
    user: Any,
    request: ServiceRequest,
    fields: dict[str, Any],
    owners: list[PartyInput],
    files: list[SampleInput],
    http_request: Any = None,
) -> ServiceRequest:
    """Fill in a registration application with the requester at the desk: a draft in the requester's name that
    only they can submit (or withdraw) after checking it."""
    with transaction.atomic():
        request = _routable(user, request, RequestType.REGISTRATION_ASSIST)
        with audit.context(via="onestop"):
            request.draft = registry.create_application(
                user=request.requester, fields=fields, owners=owners, files=files, request=http_request
            )
        request.save(update_fields=["status", "draft"])
        audit.record("onestop.route", request, actor=user, changes={"draft": request.draft.pk})
        _tell_requester(request, "draft_ready", title=request.draft.title, actor=user)
    return request


def add_note(*, user: Any, request: ServiceRequest, text: str, for_requester: bool = True) -> Note:
    """A note of the staff on an open request; the requester is told of the ones meant for them."""
    require(user, "handle", request)
    body = _text(text, "text", _("办理记录"))
    with transaction.atomic():
        request = _locked(request)
        note = Note.objects.create(request=request, author=user, text=body, for_requester=for_requester)
        audit.record("onestop.note", request, actor=user, changes={"for_requester": for_requester})
        if for_requester:
            _tell_requester(request, Written(body), actor=user)
    return note


def close(*, user: Any, request: ServiceRequest, outcome: str) -> ServiceRequest:
    """Close a request with its outcome; the requester may then rate it."""
    require(user, "handle", request)
    result = _text(outcome, "outcome", _("办理结果"))
    with transaction.atomic():
        request = _locked(request)
        REQUEST_FLOW.apply(request, "close")
        request.outcome = result
        request.closed_at = timezone.now()
        request.save(update_fields=["status", "outcome", "closed_at"])
        audit.record("onestop.close", request, actor=user)
        _tell_requester(request, Written(result), actor=user)
    return request


def rate(*, user: Any, request: ServiceRequest, rating: Any, comment: str = "") -> ServiceRequest:
    """The requester's satisfaction with a closed request, 1 to 5, once."""
    require(user, "rate", request)
    try:
        score = int(rating)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"rating": _("满意度评分须为 1 到 5 分。")}, code="bad_rating")
    text = _text(comment, "rating_comment", _("评价意见"), required=False)
    with transaction.atomic():
        request = _locked(request)
        if request.rating is not None:
            raise ValidationError(_("该服务请求已经评价过。"), code="rated")
        request.rating = score
        request.rating_comment = text
        request.save(update_fields=["rating", "rating_comment"])
        audit.record("onestop.rate", request, actor=user, changes={"rating": score})
    return request


def flag_overdue(*, on: dt.date | None = None) -> int:
    """Tell the staff of each open request past its deadline, once per request; returns how many were flagged."""
    day = on or today()
    flagged = 0
    with transaction.atomic():
        late = (
            ServiceRequest.objects.select_for_update(of=("self",))
            .select_related("workstation", "handler")
            .filter(status__in=OPEN_STATES, deadline__lt=day, overdue_notified_at__isnull=True)
        )
        for request in late:
            recipients = (
                [request.handler] if request.handler else list(request.workstation.staff.filter(is_active=True))
            )
            request.overdue_notified_at = timezone.now()
            request.save(update_fields=["overdue_notified_at"])
            audit.record("onestop.overdue", request, changes={"deadline": request.deadline.isoformat()})
            if recipients:
                notify(
                    recipients=recipients,
                    kind=N.OVERDUE.key,
                    subject=request,
                    params={
                        "station": request.workstation.name,
                        "number": request.pk,
                        "deadline": request.deadline.isoformat(),
                    },
                    url=reverse("onestop:request", args=[request.pk]),
                )
            flagged += 1
    return flagged


# Training ---------------------------------------------------------------------------------------------------


def schedule_training(
    *, user: Any, workstation: Workstation, topic: str, starts_at: dt.datetime, place: str, capacity: int
) -> TrainingEvent:
    """Announce a training event of the workstation with its places."""
    require(user, "serve", workstation)
    title = _text(topic, "topic", _("培训主题"))
    where = _text(place, "place", _("地点"))
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("培训开始时间须晚于现在。")}, code="past")
    if not 1 <= capacity <= 1000:
        raise ValidationError({"capacity": _("名额须在 1 到 1000 之间。")}, code="bad_capacity")
    with transaction.atomic():
        event = TrainingEvent.objects.create(
            workstation=workstation, topic=title, starts_at=starts_at, place=where, capacity=capacity, created_by=user
        )
        audit.record("onestop.training", event, actor=user, changes={"capacity": capacity})
    return event


def sign_up(*, user: Any, event: TrainingEvent) -> Signup:
    """Take a place at a training event that has not started and still has one."""
    require(user, "sign_up", event)
    if event.starts_at <= timezone.now():
        raise ValidationError(_("培训已经开始，不能再报名。"), code="started")
    with transaction.atomic():
        locked = TrainingEvent.objects.select_for_update().get(pk=event.pk)
        if locked.signups.filter(person=user, cancelled_at__isnull=True).exists():
            raise ValidationError(_("您已报名这次培训。"), code="signed_up")
        if locked.taken >= locked.capacity:
            raise ValidationError(_("这次培训的名额已满。"), code="full")
        signup = Signup.objects.create(event=locked, person=user)
        audit.record("onestop.sign_up", signup, actor=user)
        _tell_of_training(signup, N.SIGNED_UP.key)
    return signup


def cancel_signup(*, user: Any, signup: Signup) -> Signup:
    """Give a place back before the event starts."""
    require(user, "cancel", signup)
    if signup.event.starts_at <= timezone.now():
        raise ValidationError(_("培训已经开始，不能取消报名。"), code="started")
    with transaction.atomic():
        signup = Signup.objects.select_for_update().get(pk=signup.pk)
        signup.cancelled_at = timezone.now()
        signup.save(update_fields=["cancelled_at"])
        audit.record("onestop.cancel_signup", signup, actor=user)
        _tell_of_training(signup, N.SIGNUP_CANCELLED.key)
    return signup


def _tell_of_training(signup: Signup, kind: str) -> None:
    event = signup.event
    notify(
        recipients=[signup.person],
        kind=kind,
        subject=event,
        params={
            "topic": event.topic,
            "station": event.workstation.name,
            "starts": timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M"),
            "place": event.place,
        },
        url=reverse("onestop:mine"),
    )


def remind_trainings(*, now: dt.datetime | None = None) -> int:
    """Tell everyone holding a place at a training that starts within a day, once per place; returns how many."""
    moment = now or timezone.now()
    reminded = 0
    with transaction.atomic():
        due = (
            Signup.objects.select_for_update(of=("self",))
            .select_related("event__workstation", "person")
            .filter(
                cancelled_at__isnull=True,
                reminded_at__isnull=True,
                event__starts_at__gt=moment,
                event__starts_at__lte=moment + dt.timedelta(days=1),
            )
        )
        for signup in due:
            signup.reminded_at = moment
            signup.save(update_fields=["reminded_at"])
            _tell_of_training(signup, N.TRAINING_REMINDER.key)
            reminded += 1
    return reminded


def record_attendance(*, user: Any, event: TrainingEvent, present: Sequence[int]) -> int:
    """The staff record who came (the signups whose ids are in ``present``) once the event has started."""
    require(user, "run", event)
    if event.starts_at > timezone.now():
        raise ValidationError(_("培训开始后才能登记出席情况。"), code="not_started")
    came = set(present)
    with transaction.atomic():
        signups = list(Signup.objects.select_for_update().filter(event=event, cancelled_at__isnull=True))
        unknown = came - {s.pk for s in signups}
        if unknown:
            raise ValidationError(_("出席名单中有未报名这次培训的人。"), code="unknown")
        for signup in signups:
            signup.attended = signup.pk in came
            signup.save(update_fields=["attended"])
        audit.record("onestop.attendance", event, actor=user, changes={"present": sorted(came)})
    return len(came)
