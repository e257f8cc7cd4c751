"""The mediation pages: a party's application and cases, the mediator's desk (cases, conflicts), the organisation's
desk (intake, roster, recusals, judicial confirmation), the case page with its moves, and the statistics. Views stay
a few lines: forms shape the input, services decide, errors reach the page through ``core.messages``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from artrights.accounts.access import can, require
from artrights.accounts.models import Role
from artrights.core.errors import BilingualError
from artrights.core.messages import error_messages, form_error_messages

from . import selectors, services
from .actions import ACTIONS
from .forms import ApplyForm, ConflictForm, DelegateForm, MediatorForm, MediatorStatusForm, RegisterForm
from .models import (
    Agreement,
    AgreementStatus,
    Capacity,
    Case,
    CaseStatus,
    ExtensionStatus,
    Mediator,
    Source,
)
from .rules import court_name
from .services.agreements import obligation_line


def _role(request: HttpRequest) -> str:
    return str(getattr(request.user, "role", ""))


def _org(request: HttpRequest) -> int | None:
    return getattr(request.user, "organisation_id", None)


def _refusal(request: HttpRequest, form: Any, exc: Exception) -> None:
    for message in error_messages(exc):
        form.add_error(None, message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My cases and what is due from me."""
    return render(
        request,
        "mediation/index.html",
        {
            "cases": selectors.cases_for(request.user)[:200],
            "dues": selectors.due_for(request.user),
            "can_apply": can(request.user, "apply", Case),
            "can_register": can(request.user, "register", Case),
            "can_delegate": can(request.user, "delegate", Case),
        },
    )


def _open(request: HttpRequest, form: ApplyForm, source: str, template: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            case = services.open_case(user=request.user, data=form.case_input(form.cleaned_data.get("source", source)))
        except (ValidationError, BilingualError) as exc:
            _refusal(request, form, exc)
        else:
            messages.success(request, _("案件 %(number)s 已提交，等待调解组织受理。") % {"number": case.number})
            return redirect("mediation:case", case.number)
    return render(request, template, {"form": form})


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    """申请调解: a verified rights holder applies in their own name."""
    require(request.user, "apply", Case)
    return _open(request, ApplyForm(request.POST or None), Source.PARTY_APPLICATION, "mediation/apply.html")


@login_required
def delegate(request: HttpRequest) -> HttpResponse:
    """委派 / 委托: a court's liaison staff send a case of their court to a mediation organisation."""
    require(request.user, "delegate", Case)
    return _open(request, DelegateForm(request.POST or None), "", "mediation/delegate.html")


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """A case sent by a court (委派 / 委托), a workstation or an administrative body, entered by the staff."""
    require(request.user, "register", Case)
    return _open(request, RegisterForm(request.POST or None), "", "mediation/register.html")


def _case_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    user = request.user
    agreement = Agreement.objects.filter(case=case).first()
    offered = {}
    for name, action in ACTIONS.items():
        if action.states and case.status not in action.states:
            continue
        if can(user, action.verb, case):
            offered[name] = action
    pending_extension = case.extensions.filter(status=ExtensionStatus.PENDING).first()
    if pending_extension is None:
        for name in ("grant_extension", "consent_extension", "refuse_extension"):
            offered.pop(name, None)
    if agreement is None or agreement.status != AgreementStatus.DRAFT:
        offered.pop("sign", None)
        offered.pop("refuse_sign", None)
    if agreement is None or agreement.status != AgreementStatus.EFFECTIVE:
        offered.pop("apply_confirmation", None)
        offered.pop("confirmation", None)
        offered.pop("performance", None)
    if case.status == CaseStatus.APPLIED or ("court" in offered and not services.court_steps(case)):
        offered.pop("court", None)
    signatures = services.valid_signatures(agreement) if agreement else []
    capacities = []
    if "sign" in offered and agreement is not None:
        from .rules import is_case_admin, is_case_mediator, party_of

        if party_of(user, case):
            capacities.append(Capacity.PARTY)
        if is_case_mediator(user, case):
            capacities.append(Capacity.MEDIATOR)
        if is_case_admin(user, case):
            capacities.append(Capacity.ORGANISATION)
    return {
        "case": case,
        "parties": case.parties.select_related("party", "agent", "chosen_mediator"),
        "claims": case.claims.all(),
        "agreement": agreement,
        "obligations": [(o, obligation_line(o)) for o in agreement.obligations.select_related("payer__party")]
        if agreement
        else [],
        "signatures": agreement.signatures.all() if agreement else [],
        "valid_signatures": signatures,
        "missing": services.missing_signers(agreement)
        if agreement and agreement.status == AgreementStatus.DRAFT
        else [],
        "sessions": case.sessions.all(),
        "recusals": case.recusals.select_related("mediator", "replacement"),
        "extensions": case.extensions.prefetch_related("answers__case_party__party"),
        "pending_extension": pending_extension,
        "confirmations": agreement.confirmations.all() if agreement else [],
        "referrals": case.credit_referrals.all(),
        "can_record_credit": user.is_authenticated and user.role == Role.SUPERVISOR,
        "actions": {name: (action, action.form()) for name, action in offered.items()},
        "court_steps": services.court_steps(case) if "court" in offered else [],
        "capacities": capacities,
        "qualified": services.qualified(case) if case.status == CaseStatus.CONSENTED else [],
        "dues": [d for d in selectors.due_for(user) if d.case.pk == case.pk],
    }


def case(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    found = selectors.case_for(request.user, number)
    return render(request, "mediation/case.html", _case_context(request, found))


@require_POST
@login_required
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """One move on a case: the form is checked, the service decides, the page says how it went."""
    found = selectors.case_for(request.user, number)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    form = spec.form(request.POST)
    if form.is_valid():
        extra = {k: request.POST.get(k) for k in ("confirmation", "obligation") if request.POST.get(k)}
        try:
            spec.run(request.user, found, form.cleaned_data, extra)
        except (ValidationError, BilingualError, PermissionDenied) as exc:
            for message in error_messages(exc) if not isinstance(exc, PermissionDenied) else [str(exc)]:
                messages.error(request, message)
        else:
            messages.success(request, _("已完成：%(action)s") % {"action": spec.label})
    else:
        for message in form_error_messages(form):
            messages.error(request, message)
    return redirect("mediation:case", found.number)


def _file(request: HttpRequest, number: str, which: str) -> FileResponse:
    found = selectors.case_for(request.user, number)
    if which == "agreement":
        agreement = Agreement.objects.filter(case=found, status=AgreementStatus.EFFECTIVE).first()
        field = agreement.pdf if agreement else None
        name = f"{agreement.number}.pdf" if agreement else ""
    else:
        field, name = found.referral_pdf, f"{found.number}-YS.pdf"
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")


@login_required
def agreement_pdf(request: HttpRequest, number: str) -> FileResponse:
    return _file(request, number, "agreement")


@login_required
def referral_pdf(request: HttpRequest, number: str) -> FileResponse:
    return _file(request, number, "referral")


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """我的调解案件 and 回避申报: the mediator's cases, what is due, and their declared conflicts."""
    mediator = getattr(request.user, "mediator", None) if _role(request) == Role.MEDIATOR else None
    if mediator is None:
        raise PermissionDenied(_("只有名册中的调解员才能使用调解员工作台。"))
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(user=request.user, mediator=mediator, **form.cleaned_data)
        except (ValidationError, BilingualError) as exc:
            _refusal(request, form, exc)
        else:
            messages.success(request, _("利害关系已申报：今后不会指派您调解该当事人的案件。"))
            return redirect("mediation:desk")
    return render(
        request,
        "mediation/desk.html",
        {
            "mediator": mediator,
            "cases": selectors.cases_for(request.user),
            "dues": selectors.due_for(request.user),
            "conflicts": mediator.conflicts.all(),
            "form": form,
        },
    )


def _admin_only(request: HttpRequest) -> None:
    if not (_role(request) == Role.MEDIATION_ADMIN and _org(request)):
        raise PermissionDenied(_("只有调解组织的管理员才能使用这个页面。"))


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """案件受理: the organisation's cases by state, with what is due and the recusals to decide."""
    _admin_only(request)
    cases = selectors.cases_for(request.user)
    return render(
        request,
        "mediation/intake.html",
        {
            "waiting": cases.filter(status=CaseStatus.APPLIED),
            "cases": cases,
            "dues": selectors.due_for(request.user),
            "recusals": selectors.pending_recusals(request.user),
        },
    )


@login_required
def roster(request: HttpRequest) -> HttpResponse:
    """调解员名册: every mediator with specialties, court rosters, status and workload; the staff enrol and change."""
    admin = _role(request) == Role.MEDIATION_ADMIN and bool(_org(request))
    form = MediatorForm(request.POST or None) if admin else None
    if form is not None and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        account = get_user_model()._default_manager.filter(username=d["username"]).first()
        try:
            if account is None:
                raise ValidationError(_("没有这个用户名的账户。"))
            services.enrol(
                user=request.user,
                account=account,
                name=d["name"],
                specialties=d["specialties"],
                court_rosters=d["court_rosters"].splitlines(),
                level=d["level"],
                training=d["training"],
            )
        except (ValidationError, BilingualError) as exc:
            _refusal(request, form, exc)
        else:
            messages.success(request, _("调解员已列入名册。"))
            return redirect("mediation:roster")
    return render(
        request,
        "mediation/roster.html",
        {"mediators": selectors.roster(), "form": form, "admin": admin, "status_form": MediatorStatusForm()},
    )


@require_POST
@login_required
def mediator_status(request: HttpRequest, pk: int) -> HttpResponse:
    mediator = get_object_or_404(Mediator, pk=pk)
    form = MediatorStatusForm(request.POST)
    if form.is_valid():
        try:
            services.update(
                user=request.user,
                mediator=mediator,
                specialties=mediator.specialties,
                court_rosters=mediator.court_rosters,
                status=form.cleaned_data["status"],
                level=mediator.level,
                training=mediator.training,
            )
        except (ValidationError, BilingualError) as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("调解员状态已更新。"))
    return redirect("mediation:roster")


@login_required
def confirmations(request: HttpRequest) -> HttpResponse:
    """司法确认: effective agreements, their 30-day windows and the court's clocks (the organisation's staff, and a
    court's liaison staff for the agreements of their court)."""
    if not court_name(request.user):
        _admin_only(request)
    return render(request, "mediation/confirmations.html", {"agreements": selectors.confirmations_for(request.user)})


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Cases by source, outcome and duration (of the cases the user sees)."""
    return render(request, "mediation/stats.html", {"stats": selectors.statistics(request.user)})


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    """Supervisors: infringement confirmed in mediation, to record as credit records."""
    if _role(request) != Role.SUPERVISOR:
        raise PermissionDenied(_("只有监管人员才能录入信用记录。"))
    if request.method == "POST":
        referral = get_object_or_404(selectors.referrals_for(request.user), pk=request.POST.get("referral"))
        try:
            record = services.record_credit(user=request.user, referral=referral)
        except (ValidationError, BilingualError) as exc:
            for message in error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("已录入信用记录 %(number)s。") % {"number": record.number})
        return redirect("mediation:referrals")
    return render(request, "mediation/referrals.html", {"referrals": selectors.referrals_for(request.user)})
