"""The one-stop service's pages: the public list of workstations, the requester's requests (new, status and
deadline, rating), a request's page with the staff's actions, and the staff's desk. Views stay a few lines: forms
shape the input, services decide, errors reach the page through ``core.messages``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from artrights.accounts.access import can, get_visible_or_404, require
from artrights.core.errors import BilingualError
from artrights.core.messages import error_messages
from artrights.evidence.services import capture_available
from artrights.mediation.forms import ApplyForm
from artrights.mediation.models import Source
from artrights.registry.forms import ApplicationForm
from artrights.registry.services.representation import files_for_self

from . import selectors, services
from .forms import CloseForm, NoteForm, RateForm, RequestForm, TrainingForm
from .models import REQUEST_FLOW, ROUTABLE_TYPES, RequestType, ServiceRequest, TrainingEvent


def _run(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], Any]) -> bool:
    """Run ``action`` on a posted, valid form; a refusal becomes the form's error."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except (ValidationError, BilingualError) as exc:
        for message in error_messages(exc):
            form.add_error(None, message)
        return False
    return True


def index(request: HttpRequest) -> HttpResponse:
    """The workstations serving the public (no sign-in needed)."""
    return render(
        request,
        "onestop/index.html",
        {
            "workstations": selectors.workstations(),
            "trainings": selectors.upcoming_trainings(),
            "signed_up": selectors.signed_up_event_ids(request.user),
            "may_sign_up": can(request.user, "sign_up", TrainingEvent),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "onestop/mine.html",
        {
            "requests": selectors.my_requests(request.user)[:200],
            "can_submit": can(request.user, "submit", ServiceRequest),
            "signups": selectors.my_signups(request.user),
            "today": services.today(),
        },
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    require(request.user, "submit", ServiceRequest)
    form = RequestForm(request.POST or None, initial={"type": request.GET.get("type", "")})
    made: list[ServiceRequest] = []
    if _run(
        request,
        form,
        lambda d: made.append(
            services.submit_request(
                user=request.user,
                workstation=d["workstation"],
                type=d["type"],
                description=d["description"],
                url=d["url"],
            )
        ),
    ):
        messages.success(request, _("服务请求已提交，办理期限：%(date)s。") % {"date": made[0].deadline.isoformat()})
        return redirect("onestop:request", pk=made[0].pk)
    return render(request, "onestop/new.html", {"form": form})


def _context(request: HttpRequest, found: ServiceRequest, **given: forms.Form) -> dict[str, Any]:
    handles = can(request.user, "handle", found)
    can_route = handles and REQUEST_FLOW.can(found, "route") and found.type in ROUTABLE_TYPES
    return {
        "item": found,
        "notes": selectors.notes_for(request.user, found),
        "overdue": found.is_overdue(services.today()),
        "handles": handles,
        "can_triage": handles and REQUEST_FLOW.can(found, "triage"),
        "can_start": handles and REQUEST_FLOW.can(found, "start"),
        "can_route": can_route,
        "offers_capture": found.type == RequestType.INFRINGEMENT_REPORT,
        "capture_available": can_route and capture_available(),  # looked up only where a capture is offered
        "visible_case": found.case if found.case and can(request.user, "view", found.case) else None,
        "visible_draft": found.draft if found.draft and can(request.user, "view", found.draft) else None,
        "visible_evidence": (found.evidence if found.evidence and can(request.user, "view", found.evidence) else None),
        "note_form": given.get("note") or NoteForm(),
        "close_form": given.get("close") or CloseForm(),
        "rate_form": (given.get("rate") or RateForm()) if can(request.user, "rate", found) else None,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_visible_or_404(request.user, selectors.visible_requests(request.user), pk=pk)
    return render(request, "onestop/request.html", _context(request, found))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """A staff action or the requester's rating on the request's page; the page is shown again on refusal."""
    found = get_visible_or_404(request.user, selectors.visible_requests(request.user), pk=pk)
    user = request.user
    simple: dict[str, Callable[[], Any]] = {
        "triage": lambda: services.triage(user=user, request=found),
        "start": lambda: services.start(user=user, request=found),
        "route": lambda: services.route(user=user, request=found, capture=request.POST.get("capture") == "on"),
    }
    if action in simple:
        try:
            simple[action]()
        except (ValidationError, BilingualError) as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("已办理。"))
        return redirect("onestop:request", pk=pk)
    form: forms.Form
    if action == "note":
        form = NoteForm(request.POST)
        ok = _run(
            request,
            form,
            lambda d: services.add_note(user=user, request=found, text=d["text"], for_requester=d["for_requester"]),
        )
    elif action == "close":
        form = CloseForm(request.POST)
        ok = _run(request, form, lambda d: services.close(user=user, request=found, outcome=d["outcome"]))
    elif action == "rate":
        form = RateForm(request.POST)
        ok = _run(
            request, form, lambda d: services.rate(user=user, request=found, rating=d["rating"], comment=d["comment"])
        )
    else:
        raise Http404
    if ok:
        messages.success(request, _("已保存。"))
        return redirect("onestop:request", pk=pk)
    found.refresh_from_db()
    return render(request, "onestop/request.html", _context(request, found, **{action: form}), status=400)


def _handed_on(request: HttpRequest, pk: int, kind: str) -> ServiceRequest:
    found = get_visible_or_404(request.user, selectors.visible_requests(request.user), pk=pk)
    require(request.user, "handle", found)
    if found.type != kind or not REQUEST_FLOW.can(found, "route"):
        raise Http404
    return found


@login_required
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff take down the mediation application with the requester and forward it to a mediation
    organisation: the requester applies, the workstation refers."""
    found = _handed_on(request, pk, RequestType.MEDIATION_REFERRAL)
    form = ApplyForm(request.POST or None, initial={"summary": found.description})
    if _run(
        request,
        form,
        lambda d: services.refer_to_mediation(
            user=request.user, request=found, data=form.case_input(Source.WORKSTATION)
        ),
    ):
        messages.success(request, _("已转送调解组织。"))
        return redirect("onestop:request", pk=pk)
    return render(request, "onestop/refer.html", {"item": found, "form": form})


@login_required
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff fill in the registration application with the requester; it becomes a draft in the requester's
    name, which only the requester submits."""
    found = _handed_on(request, pk, RequestType.REGISTRATION_ASSIST)
    representing = not files_for_self(found.requester)
    form = ApplicationForm(request.POST or None, request.FILES or None, representing=representing)

    if _run(
        request,
        form,
        lambda d: services.prepare_draft(
            user=request.user,
            request=found,
            fields=form.work_fields(),
            owners=form.owners(),
            files=form.uploads(),
            http_request=request,
        ),
    ):
        messages.success(request, _("登记申请草稿已保存在申请人名下，由申请人核对后提交。"))
        return redirect("onestop:request", pk=pk)
    if request.method == "POST" and getattr(request, "upload_too_large", False):
        form.add_error(None, _("上传内容过大，未保存任何内容。"))
    context = {"item": found, "form": form, "representing": representing}
    return render(request, "onestop/draft.html", context)


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """The staff's desk: the open requests of their workstations, the nearest deadline first."""
    stations = list(selectors.stations_of(request.user))
    form = TrainingForm(request.POST or None)
    if stations and _run(
        request,
        form,
        lambda d: services.schedule_training(
            user=request.user,
            workstation=stations[0],
            topic=d["topic"],
            starts_at=d["starts_at"],
            place=d["place"],
            capacity=d["capacity"],
        ),
    ):
        messages.success(request, _("培训活动已发布。"))
        return redirect("onestop:desk")
    context = {
        "stations": stations,
        "queue": selectors.queue(request.user),
        "today": services.today(),
        "trainings": selectors.trainings_run_by(request.user)[:50],
        "training_form": form,
        "now": timezone.now(),
    }
    return render(request, "onestop/desk.html", context)


def _refusal(request: HttpRequest, act: Callable[[], Any], done: str) -> None:
    try:
        act()
    except (ValidationError, BilingualError) as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, done)


@login_required
@require_POST
def sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(selectors.upcoming_trainings(), pk=pk)
    _refusal(request, lambda: services.sign_up(user=request.user, event=event), _("已报名。"))
    return redirect("onestop:index")


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    signup = get_visible_or_404(request.user, selectors.my_signups(request.user), pk=pk)
    _refusal(request, lambda: services.cancel_signup(user=request.user, signup=signup), _("已取消报名。"))
    return redirect("onestop:mine")


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(selectors.trainings_run_by(request.user), pk=pk)
    present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
    _refusal(
        request,
        lambda: services.record_attendance(user=request.user, event=event, present=present),
        _("出席情况已登记。"),
    )
    return redirect("onestop:desk")
