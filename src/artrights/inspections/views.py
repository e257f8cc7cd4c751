"""The inspection pages: the supervisor's desk, directories and plans; the inspector's tasks (我的检查任务) and
recusals (回避申报); the public page of draws and results with each draw record to download. Views stay a few
lines: forms shape the input, services decide, refusals reach the page through ``core.messages``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from artrights.accounts.access import can, get_visible_or_404, require
from artrights.core.errors import BilingualError
from artrights.core.messages import error_messages

from . import selectors, services
from .forms import CommitForm, ConflictForm, DrawForm, InspectorForm, PlanForm, RecusalForm, ResultForm, ReviewForm
from .models import Assignment, Inspector, Plan, Result, Target
from .rules import inspector_of


def _act(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], Any], done: str) -> Any:
    """Run ``action`` on a posted, valid form; say how it went. Returns what it returned, or None when refused."""
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}：{error}" if field in form.fields else str(error))
        return None
    try:
        result = action(form.cleaned_data)
    except (ValidationError, BilingualError, PermissionDenied) as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return None
    messages.success(request, done)
    return result


# --- supervisor ----------------------------------------------------------------------------------------------


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """The supervisor's desk: plans, results waiting for review (with their deadline), the directories' size."""
    require(request.user, "create", Plan)
    reviews = [(r, selectors.overdue(r)) for r in selectors.results_to_review()]
    context = {
        "plans": selectors.plans_for(request.user),
        "reviews": reviews,
        "targets": Target.objects.filter(active=True).count(),
        "key": Target.objects.filter(active=True, pool="key").count(),
        "inspectors": Inspector.objects.filter(active=True).count(),
        "review_form": ReviewForm(),
    }
    return render(request, "inspections/desk.html", context)


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    require(request.user, "manage", Target)
    if request.method == "POST":
        counts = services.sync_targets(user=request.user)
        messages.success(request, _("名录已更新：新增 %(created)d 个，调整 %(updated)d 个。") % counts)
        return redirect("inspections:targets")
    return render(request, "inspections/targets.html", {"targets": selectors.targets()})


@login_required
def inspectors(request: HttpRequest) -> HttpResponse:
    require(request.user, "manage", Inspector)
    form = InspectorForm(request.POST or None)
    if request.method == "POST":

        def add(d: dict[str, Any]) -> Inspector:
            return services.add_inspector(
                user=request.user,
                account=d["account"],
                dept=d["dept"],
                qualification=d["qualification"],
                specialties=form.specialty_list(),
                region=d["region"],
            )

        if _act(request, form, add, _("已加入检查人员名录库。")) is not None:
            return redirect("inspections:inspectors")
    return render(request, "inspections/inspectors.html", {"inspectors": selectors.inspectors(), "form": form})


@login_required
def new_plan(request: HttpRequest) -> HttpResponse:
    require(request.user, "create", Plan)
    form = PlanForm(request.POST or None)
    if request.method == "POST":

        def create(d: dict[str, Any]) -> Plan:
            return services.create_plan(
                user=request.user,
                name=d["name"],
                year=d["year"],
                dept=d["dept"],
                items=d["items"],
                directed=form.directed(),
                ratio_lines=d["ratio_lines"],
                recent_window_days=d["recent_window_days"],
                recent_weight=d["recent_weight"],
                inspectors_per_target=d["inspectors_per_target"],
                specialty=d["specialty"],
            )

        plan = _act(request, form, create, _("抽查计划已制定。"))
        if plan is not None:
            return redirect("inspections:plan", plan.number)
    return render(request, "inspections/plan_form.html", {"form": form})


@login_required
def plan(request: HttpRequest, number: str) -> HttpResponse:
    found = get_visible_or_404(request.user, Plan, number=number)
    current = services.current_draw(found)
    drawn: list[tuple[Target, list[Assignment], Result | None]] = []
    if current is not None and current.record is not None:
        by_target: dict[int, list[Assignment]] = {}
        for a in current.assignments.select_related("target__subject", "inspector", "replaced_by"):
            by_target.setdefault(a.target_id, []).append(a)
        results = {r.target_id: r for r in current.results.all()}
        for rows in by_target.values():
            drawn.append((rows[0].target, rows, results.get(rows[0].target_id)))
        drawn.sort(key=lambda row: row[0].subject.name)
    context = {
        "plan": found,
        "draws": selectors.draws_of(found),
        "current": current,
        "drawn": drawn,
        "ratios": sorted(found.ratios.items()),
        "can_commit": can(request.user, "commit", found),
        "can_draw": can(request.user, "draw", found),
        "can_redraw": can(request.user, "redraw", found),
        "commit_form": CommitForm(),
        "draw_form": DrawForm(),
    }
    return render(request, "inspections/plan.html", context)


@login_required
@require_POST
def commit(request: HttpRequest, number: str) -> HttpResponse:
    found = get_visible_or_404(request.user, Plan, number=number)

    def run(d: dict[str, Any]) -> Any:
        return services.commit(user=request.user, plan=found, reason=d["reason"], keep_secret=d["keep_secret"])

    done = _act(request, CommitForm(request.POST), run, _("名录已冻结，承诺已写入公开日志。"))
    if done is not None and done[1]:
        messages.warning(
            request,
            _("请抄存随机秘密，平台不保存它；抽取时须输入：%(secret)s") % {"secret": done[1]},
        )
    return redirect("inspections:plan", found.number)


@login_required
@require_POST
def execute(request: HttpRequest, number: str) -> HttpResponse:
    found = get_visible_or_404(request.user, Plan, number=number)

    def run(d: dict[str, Any]) -> Any:
        return services.execute(
            user=request.user,
            plan=found,
            public_value=d["public_value"],
            public_source=d["public_source"],
            secret_hex=d["secret"],
        )

    _act(request, DrawForm(request.POST), run, _("抽取完成，抽取记录已公开。"))
    return redirect("inspections:plan", found.number)


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_object_or_404(Result, pk=pk)
    publish = request.POST.get("decision") == "publish"

    def run(d: dict[str, Any]) -> Result:
        return services.review_result(
            user=request.user,
            result=result,
            publish=publish,
            opinion=d["opinion"],
            penalty_decision_no=d["penalty_decision_no"],
            penalty_dept=d["penalty_dept"],
        )

    _act(request, ReviewForm(request.POST), run, _("检查结果已公示。") if publish else _("已退回检查人员。"))
    return redirect("inspections:desk")


# --- inspector -----------------------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的检查任务: the targets drawn for the inspector, each with its result form and a recusal (回避申报)."""
    me = inspector_of(request.user)
    if me is None:
        raise PermissionDenied(_("您不在检查人员名录库中。"))
    tasks = [
        {
            "assignment": a,
            "result": selectors.result_of(a),
            "can_enter": a.active and can(request.user, "enter_result", a),
            "can_recuse": a.active and can(request.user, "recuse", a),
        }
        for a in selectors.tasks_of(request.user)
    ]
    context = {
        "me": me,
        "tasks": tasks,
        "conflicts": me.conflicts.select_related("subject"),
        "conflict_form": ConflictForm(),
        "result_form": ResultForm(),
        "recusal_form": RecusalForm(),
    }
    return render(request, "inspections/mine.html", context)


@login_required
@require_POST
def declare(request: HttpRequest) -> HttpResponse:
    me = inspector_of(request.user)
    if me is None:
        raise PermissionDenied(_("您不在检查人员名录库中。"))

    def run(d: dict[str, Any]) -> Any:
        return services.declare_conflict(user=request.user, inspector=me, code=d["code"], reason=d["reason"])

    _act(request, ConflictForm(request.POST), run, _("利害关系已申报，今后的抽取不会再指派您检查该主体。"))
    return redirect("inspections:mine")


@login_required
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    assignment = get_visible_or_404(request.user, Assignment.objects.select_related("draw", "inspector"), pk=pk)
    if action == "recuse":

        def withdraw(d: dict[str, Any]) -> Any:
            return services.recuse(user=request.user, assignment=assignment, reason=d["reason"])

        _act(request, RecusalForm(request.POST), withdraw, _("已回避，该检查位置已按抽取种子补抽并记录。"))
    elif action == "result":

        def enter(d: dict[str, Any]) -> Any:
            return services.enter_result(
                user=request.user,
                assignment=assignment,
                check_date=d["check_date"],
                outcome=d["outcome"],
                findings=d["findings"],
                follow_up=d["follow_up"],
            )

        _act(request, ResultForm(request.POST), enter, _("检查结果已录入，等待审核后公示。"))
    else:
        raise PermissionDenied
    return redirect("inspections:mine")


# --- public --------------------------------------------------------------------------------------------------


def public(request: HttpRequest) -> HttpResponse:
    """“一公开”: every draw attempt with its record to download, and the published results."""
    context = {"draws": selectors.public_draws()[:100], "results": selectors.published_results()[:200]}
    return render(request, "inspections/public.html", context)


def public_draw(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.public_draw(pk)
    names = {t.draw_id: t for t in Target.objects.select_related("subject")}
    drawn = [(ident, names.get(ident)) for ident in (found.record or {}).get("drawn", [])]
    return render(request, "inspections/draw.html", {"draw": found, "drawn": drawn})


def record_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The published draw record (artrights-draw/v1): ``artrights verify`` re-runs it offline."""
    found = selectors.published_draw(pk)
    body = json.dumps(found.record, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{found.plan.number}-{found.attempt}.json"'
    return response
