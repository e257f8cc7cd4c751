"""Writes of the one-stop service: a request brought to a workstation, its triage, handling, routing to the
platform's other services, closing, and the requester's rating; the sweep that flags overdue requests.

Each function checks the verb first and writes in one transaction with its audit event, so bad input changes
nothing. Deadlines count working days on the platform's working calendar (holidays and make-up days included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.accounts.models import Organisation, OrganisationKind
from artrights.core import audit
from artrights.core.selectors import working_calendar
from artrights.core.services import notify
from artrights.matching import services as matching

from . import notifications as N
from .models import (
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


def _tell_requester(request: ServiceRequest, note: str) -> None:
    notify(
        recipients=[request.requester],
        kind=N.STATUS_CHANGED.key,
        subject=request,
        params={"number": request.pk, "station": request.workstation.name, "note": note},
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
        _tell_requester(request, str(_("已受理，承办人：%(name)s") % {"name": str(chosen)}))
    return request


def start(*, user: Any, request: ServiceRequest) -> ServiceRequest:
    """The handler starts working on a triaged request."""
    require(user, "handle", request)
    with transaction.atomic():
        request = _locked(request)
        REQUEST_FLOW.apply(request, "start")
        request.save(update_fields=["status"])
        audit.record("onestop.start", request, actor=user)
        _tell_requester(request, str(_("开始办理。")))
    return request


def route(*, user: Any, request: ServiceRequest) -> ServiceRequest:
    """Hand an infringement report or a similarity check on to the platform's copy check of the address the
    requester gave (run by the worker, the report in the requester's name)."""
    require(user, "handle", request)
    if request.type not in CHECKED_TYPES:
        raise ValidationError(_("此类请求不能转办到侵权比对，请直接办理。"), code="not_routable")
    with transaction.atomic():
        request = _locked(request)
        REQUEST_FLOW.apply(request, "route")
        request.url_check = matching.submit_url_check(user=request.requester, url=request.url)
        request.save(update_fields=["status", "url_check"])
        audit.record("onestop.route", request, actor=user, changes={"url_check": request.url_check.pk})
        _tell_requester(request, str(_("已转办侵权比对，比对报告将出现在您的比对记录中。")))
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
            _tell_requester(request, body)
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
        _tell_requester(request, result)
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
    return signup


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
