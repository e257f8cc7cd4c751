"""The fund's pages: programmes and applying (owners and agencies), an application's page, and the
administrator's programmes, review queue and budget. Views stay a few lines: forms shape the input, services
decide, errors reach the page through ``core.messages``."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from artrights.accounts.access import can, require
from artrights.core.errors import BilingualError
from artrights.core.messages import error_messages, form_error_messages

from . import selectors, services
from .forms import ApplyForm, ApproveForm, PayForm, PeriodForm, ProgrammeForm, RefuseForm
from .models import Application, Programme

T = TypeVar("T")


def _run(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], T]) -> T | None:
    """Run ``action`` on a posted, valid form; a refusal becomes the form's error (None is returned)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except (ValidationError, BilingualError) as exc:
        for message in error_messages(exc):
            form.add_error(None, message)
    return None


# --- owners and agencies -------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The programmes open now and the applications the user filed or is the owner of."""
    return render(
        request,
        "funding/index.html",
        {
            "programmes": selectors.open_programmes(),
            "applications": selectors.applications_for(request.user)[:100],
            "can_apply": can(request.user, "apply", Programme),
            "is_admin": can(request.user, "manage", Programme),
        },
    )


@login_required
def apply(request: HttpRequest, code: str) -> HttpResponse:
    programme = selectors.programme_by_code(code)
    require(request.user, "apply", programme)
    owners = list(selectors.owners_for(request.user))
    wanted = request.POST.get("owner") or request.GET.get("owner")
    owner = next((o for o in owners if str(o.pk) == wanted), owners[0] if owners else None)
    found = selectors.candidates(request.user, programme, owner) if owner is not None else []
    form = ApplyForm(request.POST or None, request.FILES or None, programme=programme, candidates=found)
    if owner is not None:
        done = _run(
            request,
            form,
            lambda data: services.apply(
                user=request.user,
                programme=programme,
                applicant=owner,
                keys=list(data["items"]),
                fees=form.fees(),
                training=services.TrainingInput(data["event_title"], data["event_date"], data.get("event_fee"))
                if data.get("event_title") and data.get("event_date")
                else None,
                documents=form.documents(),
            ),
        )
        if done is not None:
            messages.success(request, _("资助申请 %(number)s 已提交。") % {"number": done.number})
            return redirect("funding:application", number=done.number)
    context = {"programme": programme, "owners": owners, "owner": owner, "form": form, "candidates": found}
    return render(request, "funding/apply.html", context)


@login_required
def application(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.application_for(request.user, number)
    return render(request, "funding/application.html", _context(request, found))


def _context(request: HttpRequest, found: Application, **forms_given: Any) -> dict[str, Any]:
    can_decide = can(request.user, "decide", found)
    can_pay = can(request.user, "pay", found)
    return {
        "application": found,
        "items": list(found.items.select_related("work")),
        "documents": list(found.documents.select_related("stored_file")),
        "payment": getattr(found, "payment", None),
        "checks": list(found.credit_checks.all()) if can(request.user, "manage", Programme) else [],
        "can_decide": can_decide,
        "can_pay": can_pay,
        "can_withdraw": can(request.user, "withdraw", found),
        "approve_form": forms_given.get("approve") or (ApproveForm(application=found) if can_decide else None),
        "refuse_form": forms_given.get("refuse") or (RefuseForm() if can_decide else None),
        "pay_form": forms_given.get("pay") or (PayForm(application=found) if can_pay else None),
    }


@login_required
@require_POST
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """A decision, a payment or a withdrawal on the application's page; the page is shown again on refusal."""
    found = selectors.application_for(request.user, number)
    form: forms.Form
    done: Any
    if action == "approve":
        form = ApproveForm(request.POST, application=found)
        assert isinstance(form, ApproveForm)
        approve_form = form
        done = _run(
            request,
            form,
            lambda d: services.approve(
                user=request.user,
                application=found,
                amounts=approve_form.amounts(),
                notes=approve_form.notes(),
                note=d["note"],
            ),
        )
        said = _("已核定资助。")
    elif action == "refuse":
        form = RefuseForm(request.POST)
        done = _run(
            request,
            form,
            lambda d: services.refuse(user=request.user, application=found, ground=d["ground"], note=d["note"]),
        )
        said = _("已决定不予资助，并已通知申请人。")
    elif action == "pay":
        form = PayForm(request.POST, application=found)
        done = _run(
            request,
            form,
            lambda d: services.pay(
                user=request.user,
                application=found,
                amount=d["amount"],
                paid_on=d["paid_on"],
                voucher_no=d["voucher_no"],
            ),
        )
        said = _("已登记拨付，并已通知申请人。")
    elif action == "withdraw":
        form = forms.Form(request.POST)
        done = _run(request, form, lambda d: services.withdraw(user=request.user, application=found))
        said = _("申请已撤回。")
    else:
        raise Http404
    if done is not None:
        messages.success(request, said)
        return redirect("funding:application", number=found.number)
    for message in form_error_messages(form):
        messages.error(request, message)
    found.refresh_from_db()
    return render(request, "funding/application.html", _context(request, found, **{action: form}), status=400)


# --- the administrator ---------------------------------------------------------------------------------------


@login_required
def programmes(request: HttpRequest) -> HttpResponse:
    require(request.user, "manage", Programme)
    form = ProgrammeForm(request.POST or None)
    done = _run(request, form, lambda data: services.create_programme(user=request.user, fields=data))
    if done is not None:
        messages.success(request, _("资助项目 %(code)s 已设立。") % {"code": done.code})
        return redirect("funding:programmes")
    return render(request, "funding/programmes.html", {"form": form, "lines": selectors.budget()})


@login_required
def programme(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "manage", Programme)
    found = selectors.programme_by_code(code)
    form = ProgrammeForm(request.POST or None, programme=found)
    done = _run(request, form, lambda data: services.update_programme(user=request.user, programme=found, fields=data))
    if done is not None:
        messages.success(request, _("资助项目 %(code)s 已修改；此前的决定仍按当时的规则。") % {"code": done.code})
        return redirect("funding:programme", code=done.code)
    return render(
        request, "funding/programme.html", {"programme": found, "form": form, "line": selectors.budget_line(found)}
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    require(request.user, "manage", Programme)
    return render(
        request, "funding/queue.html", {"rows": selectors.review_queue(), "unpaid": selectors.awaiting_payment()}
    )


@login_required
def budget(request: HttpRequest) -> HttpResponse:
    require(request.user, "view_budget", Programme)
    form = PeriodForm(request.GET or None)
    if request.GET and form.is_valid():
        return _csv(form.cleaned_data["start"], form.cleaned_data["end"])
    for message in form_error_messages(form) if request.GET else []:
        messages.error(request, message)
    return render(
        request,
        "funding/budget.html",
        {"lines": selectors.budget(), "form": form, "months": selectors.paid_per_month()},
        status=400 if request.GET else 200,
    )


def _csv(start: Any, end: Any) -> HttpResponse:
    """The payments of the period, one row each, with the programme's committed, paid and remaining at the end."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["programme", "application", "applicant", "amount", "paid_on", "voucher_no", "recorded_by"])
    for payment in selectors.payments_between(start, end):
        writer.writerow(
            [
                payment.application.programme.code,
                payment.application.number,
                payment.application.applicant.name,
                str(payment.amount),
                payment.paid_on.isoformat(),
                payment.voucher_no,
                payment.recorded_by.username,
            ]
        )
    writer.writerow([])
    writer.writerow(["programme", "budget", "committed", "paid", "remaining"])
    for line in selectors.budget():
        writer.writerow(
            [line.programme.code, str(line.programme.budget), str(line.committed), str(line.paid), str(line.remaining)]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="funding-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    return response
