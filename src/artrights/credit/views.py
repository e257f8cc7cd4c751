"""The credit pages: the public query, the supervisor's desk, the partner's desk, a subject's own credit page, and
the pages of a record, a list entry, an objection and a repair. Views stay a few lines: forms shape the input,
services decide, errors reach the page through ``core.messages``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from artrights.accounts.access import can, require
from artrights.core.errors import BilingualError
from artrights.core.messages import error_messages, form_error_messages

from . import feeds, selectors, services
from .forms import (
    DecideListingForm,
    DecideObjectionForm,
    DecideRepairForm,
    EscalateForm,
    EvidenceForm,
    ExtendListingForm,
    MeasureReportForm,
    NoteForm,
    ObjectionForm,
    PartnerQueryForm,
    ProposeForm,
    QueryForm,
    RecordForm,
    RemoveForm,
    RepairForm,
    SubjectForm,
)
from .models import CreditSubject, MeasureDomain, Severity
from .services.grades import scale as grade_scale

T = TypeVar("T")


def _clocks() -> dict[str, int]:
    """The working-day clocks the pages quote, as configured."""
    return {
        "check": settings.ARTRIGHTS_CREDIT_OBJECTION_CHECK_DAYS,
        "decide": settings.ARTRIGHTS_CREDIT_OBJECTION_DECISION_DAYS,
        "repair": settings.ARTRIGHTS_CREDIT_REPAIR_DECISION_DAYS,
        "extension": settings.ARTRIGHTS_CREDIT_EXTENSION_DAYS,
    }


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


def _act(request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], Any], done: str) -> bool:
    """A button on a record's or an entry's page: run it and say how it went (the page is shown again)."""
    if _run(request, form, action) is not None:
        messages.success(request, done)
        return True
    for message in form_error_messages(form):
        messages.error(request, message)
    return False


# --- public --------------------------------------------------------------------------------------------------


def query(request: HttpRequest) -> HttpResponse:
    """The public query of published records, lists and agency grades, by name or code; no sign-in needed."""
    form = QueryForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    return render(request, "credit/query.html", {"form": form, "results": selectors.public_search(text)})


def record(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.record_for(request.user, number)
    user = request.user
    context = {
        "record": found,
        "annotations": found.annotations.all(),
        "can_view_subject": can(user, "view", found),
        "entries": found.list_entries.all() if can(user, "view", found) else [],
        "can_publish": can(user, "publish", found),
        "can_withdraw": can(user, "withdraw", found) and found.status not in ("withdrawn", "repaired", "expired"),
        "can_object": can(user, "object", found),
        "can_repair": can(user, "ask_repair", found),
        "note_form": NoteForm(),
    }
    return render(request, "credit/record.html", context)


def entry(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.entry_for(request.user, number)
    user = request.user
    context = {
        "entry": found,
        "records": found.records.select_related("behaviour"),
        "viewer": can(user, "view", found),
        "reports": found.reports.select_related("measure", "department") if can(user, "view", found) else [],
        "can_decide": found.status == "proposed" and can(user, "decide_listing", found),
        "can_extend": found.status == "listed" and can(user, "extend", found),
        "can_remove": found.status == "listed" and can(user, "remove", found),
        "can_report": can(user, "report_measure", found),
        "escalation_due": selectors.escalations_due().filter(pk=found.pk).exists()
        and can(user, "propose_listing", found.subject),
        "escalate_form": EscalateForm(),
        "can_repair": can(user, "ask_repair", found),
        "decide_form": DecideListingForm(),
        "extend_form": ExtendListingForm(entry=found),
        "remove_form": RemoveForm(),
        "report_form": MeasureReportForm(entry=found),
    }
    return render(request, "credit/entry.html", context)


def agencies(request: HttpRequest) -> HttpResponse:
    return render(request, "credit/agencies.html", {"grades": selectors.graded_agencies(), "scale": grade_scale()})


def agency(request: HttpRequest, code: str) -> HttpResponse:
    subject = selectors.agency_by_code(code)
    history = list(subject.evaluations.order_by("-at", "-pk"))
    current = history[0] if history else None
    return render(
        request,
        "credit/agency.html",
        {
            "subject": subject,
            "current": current,
            "lines": selectors.grade_lines(current) if current else [],
            "history": history,
        },
    )


# --- the supervisor ------------------------------------------------------------------------------------------


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    """The supervisor's desk: what is due, with its deadline in working days, and what is on the lists."""
    require(request.user, "register", CreditSubject)
    context = {
        "objections": selectors.objections_due(),
        "repairs": selectors.repairs_due(),
        "proposals": selectors.proposals_due(),
        "escalations": selectors.escalations_due(),
        "ending": selectors.listings_ending(),
        "entries": selectors.live_entries()[:50],
        "records": selectors.recent_records(),
        "unpublished": selectors.unpublished_records(),
        "queries": selectors.queries_for(request.user),
    }
    return render(request, "credit/desk.html", context)


@login_required
def subjects(request: HttpRequest) -> HttpResponse:
    """Find a subject, or register a new one."""
    require(request.user, "register", CreditSubject)
    form = SubjectForm(request.POST or None)

    def register(d: dict[str, Any]) -> CreditSubject:
        principals = (
            [services.PrincipalInput(d["principal_role"], d["principal_name"], d["principal_id"])]
            if d["principal_role"] or d["principal_name"] or d["principal_id"]
            else []
        )
        return services.register_subject(
            user=request.user,
            code=d["code"],
            name=d["name"],
            subject_type=d["subject_type"],
            legal_rep=d["legal_rep"],
            is_agency=d["is_agency"],
            principals=principals,
        )

    created = _run(request, form, register)
    if created is not None:
        messages.success(request, _("信用主体“%(name)s”已登记。") % {"name": created.name})
        return redirect("credit:subject", pk=created.pk)
    found = selectors.find_subjects(request.user, request.GET.get("q", ""))
    return render(request, "credit/subjects.html", {"form": form, "found": found, "q": request.GET.get("q", "")})


@login_required
def subject(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.subject_for(request.user, pk)
    return render(request, "credit/subject.html", _subject_context(request, found))


def _subject_context(request: HttpRequest, found: CreditSubject) -> dict[str, Any]:
    grade = selectors.latest_grade(found)
    return {
        "subject": found,
        "records": selectors.records_of(found),
        "entries": selectors.entries_of(found),
        "grade": grade,
        "lines": selectors.grade_lines(grade) if grade else [],
        "evidence": found.manual_evidence.select_related("indicator"),
        "can_record": can(request.user, "record", found),
        "can_evaluate": can(request.user, "evaluate", found),
        "evidence_form": EvidenceForm(),
    }


@login_required
def new_record(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.subject_for(request.user, pk)
    require(request.user, "record", found)
    form = RecordForm(request.POST or None)

    def create(d: dict[str, Any]) -> Any:
        data = services.RecordInput(
            behaviour_code=d["behaviour"].code,
            source_dept=d["source_dept"],
            decision_no=d["decision_no"],
            decided_on=d["decided_on"],
            severity=d["severity"],
            facts=d["facts"],
            disclosure=d["disclosure"],
            share_scope=d["share_scope"],
        )
        return services.record_conduct(user=request.user, subject=found, data=data, publish=d["publish"])

    created = _run(request, form, create)
    if created is not None:
        messages.success(request, _("信用记录 %(number)s 已录入。") % {"number": created.number})
        return redirect("credit:record", number=created.number)
    periods = [(label, *settings.ARTRIGHTS_CREDIT_PUBLICITY_MONTHS[value]) for value, label in Severity.choices]
    return render(request, "credit/record_form.html", {"subject": found, "form": form, "periods": periods})


@login_required
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.subject_for(request.user, pk)
    require(request.user, "propose_listing", found)
    form = ProposeForm(request.POST or None, subject=found)
    created = _run(
        request,
        form,
        lambda d: services.propose_listing(
            user=request.user,
            subject=found,
            list_type=d["list_type"],
            records=list(d["records"]),
            basis=d["basis"],
            decision_no=d["decision_no"],
        ),
    )
    if created is not None:
        messages.success(request, _("已告知拟列入名单（%(number)s）。") % {"number": created.number})
        return redirect("credit:entry", number=created.number)
    return render(request, "credit/propose.html", {"subject": found, "form": form})


@login_required
@require_POST
def add_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.subject_for(request.user, pk)
    form = EvidenceForm(request.POST)
    _act(
        request,
        form,
        lambda d: services.add_evidence(
            user=request.user,
            subject=found,
            indicator_code=d["indicator"].code,
            reference=d["reference"],
            dated=d["dated"],
            note=d["note"],
        ),
        _("评价材料已录入，信用等级已重新计算。"),
    )
    return redirect("credit:subject", pk=found.pk)


# The buttons on a record's and a list entry's page: the form each posts, the service it calls, what it says.
Move = tuple[
    Callable[[HttpRequest, Any], forms.Form],
    Callable[[Any, Any, dict[str, Any]], Any],
    Any,  # the message when done (lazy)
]
RECORD_MOVES: dict[str, Move] = {
    "publish": (
        lambda r, o: forms.Form(r.POST),
        lambda u, o, d: services.publish(user=u, record=o),
        gettext_lazy("已公示。"),
    ),
    "withdraw": (
        lambda r, o: NoteForm(r.POST),
        lambda u, o, d: services.withdraw(user=u, record=o, note=d["note"]),
        gettext_lazy("记录已撤回，停止公示。"),
    ),
}
ENTRY_MOVES: dict[str, Move] = {
    "decide": (
        lambda r, o: DecideListingForm(r.POST),
        lambda u, o, d: services.decide_listing(
            user=u, entry=o, list_it=d["list_it"], note=d["note"], waived=d["waived"]
        ),
        gettext_lazy("已作出决定。"),
    ),
    "extend": (
        lambda r, o: ExtendListingForm(r.POST, entry=o),
        lambda u, o, d: services.extend_listing(user=u, entry=o, record=d["record"]),
        gettext_lazy("名单期限已延长。"),
    ),
    "remove": (
        lambda r, o: RemoveForm(r.POST),
        lambda u, o, d: services.remove_listing(user=u, entry=o, reason=d["reason"], note=d["note"]),
        gettext_lazy("已移出名单。"),
    ),
    "escalate": (
        lambda r, o: EscalateForm(r.POST),
        lambda u, o, d: services.escalate(user=u, entry=o, source_dept=d["source_dept"], decision_no=d["decision_no"]),
        gettext_lazy("已录入认定并告知拟列入严重失信名单。"),
    ),
    "measures": (
        lambda r, o: MeasureReportForm(r.POST, entry=o),
        lambda u, o, d: services.report_measure(
            user=u,
            entry=o,
            measure_code=d["measure"].code,
            action=d["action"],
            applied_on=d["applied_on"],
            note=d["note"],
        ),
        gettext_lazy("措施情况已报送。"),
    ),
}


def _move(request: HttpRequest, moves: dict[str, Move], action: str, target: Any) -> None:
    if action not in moves:
        raise Http404
    make_form, call, done = moves[action]
    _act(request, make_form(request, target), lambda d: call(request.user, target, d), str(done))


@login_required
@require_POST
def record_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    _move(request, RECORD_MOVES, action, selectors.record_for(request.user, number))
    return redirect("credit:record", number=number)


@login_required
@require_POST
def entry_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    _move(request, ENTRY_MOVES, action, selectors.entry_for(request.user, number))
    return redirect("credit:entry", number=number)


# --- objections and repair -----------------------------------------------------------------------------------


@login_required
def object_to(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.record_for(request.user, number)
    require(request.user, "object", found)
    form = ObjectionForm(request.POST or None)
    created = _run(
        request,
        form,
        lambda d: services.file_objection(user=request.user, record=found, ground=d["ground"], text=d["text"]),
    )
    if created is not None:
        messages.success(request, _("异议已受理（%(number)s），记录已标注“异议处理中”。") % {"number": created.number})
        return redirect("credit:objection", number=created.number)
    return render(request, "credit/object.html", {"record": found, "form": form, "clocks": _clocks()})


@login_required
def objection(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.objection_for(request.user, number)
    form = DecideObjectionForm(request.POST or None)

    def decide(d: dict[str, Any]) -> Any:
        return services.decide_objection(
            user=request.user,
            objection=found,
            outcome=d["outcome"],
            decision=d["decision"],
            corrections=form.corrections(),
        )

    return _case_page(request, found, form, decide, "objection", _("异议已办结。"))


def _case_page(
    request: HttpRequest, found: Any, form: forms.Form, decide: Callable[[dict[str, Any]], Any], name: str, done: str
) -> HttpResponse:
    """An objection's or a repair's page: its facts, and for a supervisor the decision and the extension."""
    if _run(request, form, decide) is not None:
        messages.success(request, done)
        return redirect(f"credit:{name}", number=found.number)
    context = {
        name: found,
        "form": form,
        "extend_form": NoteForm(),
        "can_decide": can(request.user, "decide", found),
        "clocks": _clocks(),
    }
    return render(request, f"credit/{name}.html", context)


@login_required
def ask_repair(request: HttpRequest, kind: str, number: str) -> HttpResponse:
    record = selectors.record_for(request.user, number) if kind == "records" else None
    entry = selectors.entry_for(request.user, number) if kind == "lists" else None
    target = record or entry
    if target is None:
        raise Http404
    require(request.user, "ask_repair", target)
    form = RepairForm(request.POST or None)
    created = _run(
        request,
        form,
        lambda d: services.ask_repair(
            user=request.user,
            measures_taken=d["measures_taken"],
            record=record,
            entry=entry,
        ),
    )
    if created is not None:
        messages.success(request, _("信用修复申请已受理（%(number)s）。") % {"number": created.number})
        return redirect("credit:repair", number=created.number)
    return render(request, "credit/repair_form.html", {"target": target, "form": form, "clocks": _clocks()})


@login_required
def repair(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.repair_for(request.user, number)
    form = DecideRepairForm(request.POST or None)

    def decide(d: dict[str, Any]) -> Any:
        return services.decide_repair(user=request.user, repair=found, approve=d["approve"], decision=d["decision"])

    return _case_page(request, found, form, decide, "repair", _("信用修复申请已办结。"))


@login_required
@require_POST
def extend_case(request: HttpRequest, kind: str, number: str) -> HttpResponse:
    form = NoteForm(request.POST)
    if kind == "objections":
        found_objection = selectors.objection_for(request.user, number)
        _act(
            request,
            form,
            lambda d: services.extend_objection(user=request.user, objection=found_objection, reason=d["note"]),
            _("处理期限已延长。"),
        )
        return redirect("credit:objection", number=number)
    found_repair = selectors.repair_for(request.user, number)
    _act(
        request,
        form,
        lambda d: services.extend_repair(user=request.user, repair=found_repair, reason=d["note"]),
        _("处理期限已延长。"),
    )
    return redirect("credit:repair", number=number)


# --- partners and feeds --------------------------------------------------------------------------------------


@login_required
def partner(request: HttpRequest) -> HttpResponse:
    """The partner's desk: a status query that states its purpose and authority, and the department's query log."""
    require(request.user, "query_status", CreditSubject)
    form = PartnerQueryForm(request.POST or None)
    status = _run(
        request,
        form,
        lambda d: services.query_status(
            user=request.user,
            code=d["code"],
            purpose=d["purpose"],
            authority=d["authority"],
            authorisation_ref=d["authorisation_ref"],
            via="web",
            ip_address=request.META.get("REMOTE_ADDR"),
        ),
    )
    return render(
        request,
        "credit/partner.html",
        {"form": form, "status": status, "queries": selectors.queries_for(request.user), "purposes": MeasureDomain},
    )


@login_required
def feed(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """A feed file to hand on to the city public credit system (``feeds`` documents the format)."""
    require(request.user, "export", CreditSubject)
    if kind not in ("records", "listings") or fmt not in ("csv", "json"):
        raise Http404
    rows = feeds.items(kind)
    if fmt == "json":
        response: HttpResponse = JsonResponse(feeds.document(kind, rows), json_dumps_params={"ensure_ascii": False})
    else:
        response = HttpResponse(feeds.csv_text(kind, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="credit-{kind}.{fmt}"'
    return response


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """What is recorded about the signed-in person's organisation or self: records, lists, grade, and the ways to
    object and ask for repair."""
    found = list(selectors.subjects_of(request.user))
    pages = [_subject_context(request, s) for s in found]
    return render(request, "credit/mine.html", {"pages": pages})
