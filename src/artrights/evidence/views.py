from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from artrights.accounts.access import can, get_visible_or_404, require
from artrights.matching.models import MatchReport

from . import selectors, services
from .forms import CaptureForm, FilesForm
from .models import EvidenceRecord


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """A person's evidence, and the two ways to fix more: a page's address, or files they already have."""
    require(request.user, "fix", EvidenceRecord)
    capture_form = CaptureForm(request.POST if request.POST.get("form") == "capture" else None)
    files_form = FilesForm(
        request.POST if request.POST.get("form") == "files" else None,
        request.FILES if request.POST.get("form") == "files" else None,
    )
    if request.method == "POST":
        record = _submit(request, capture_form, files_form)
        if record is not None:
            return redirect("evidence:record", number=record.number)
    context = {
        "capture_form": capture_form,
        "files_form": files_form,
        "records": selectors.records_for(request.user)[:50],
        "capture_available": services.capture_available(),
    }
    return render(request, "evidence/index.html", context)


def _submit(request: HttpRequest, capture_form: CaptureForm, files_form: FilesForm) -> EvidenceRecord | None:
    form = capture_form if request.POST.get("form") == "capture" else files_form
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if form is capture_form:
            return services.request_capture(user=request.user, url=data["url"], description=data["description"])
        return services.record_files(
            user=request.user,
            uploads=data["uploads"],
            description=data["description"],
            source_url=data.get("source_url") or "",
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
    return None


@login_required
def record(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.record_by_number(request.user, number)
    services.note_view(user=request.user, record=found)
    return render(request, "evidence/record.html", _context(request, found))


@login_required
def panel(request: HttpRequest, number: str) -> HttpResponse:
    """The changing part of a record's page while it is captured and sealed (htmx asks every two seconds)."""
    found = selectors.record_by_number(request.user, number)
    return render(request, "evidence/_status.html", _context(request, found))


def _context(request: HttpRequest, found: EvidenceRecord) -> dict[str, object]:
    return {
        "record": found,
        "artifacts": list(found.artifacts.all()),
        "custody": list(found.custody.select_related("actor")),
        "custody_intact": services.custody_intact(found),
        "can_export": can(request.user, "export", found),
        "can_verify": can(request.user, "verify", found),
        "failure": found.failure(request.LANGUAGE_CODE),
        "environment": selectors.environment_rows(found),
    }


@login_required
def artifact(request: HttpRequest, number: str, position: int) -> HttpResponseBase:
    found = selectors.record_by_number(request.user, number)
    row = get_object_or_404(found.artifacts, position=position)
    response = FileResponse(row.file.open("rb"), content_type=row.mime)
    # Captured HTML and SVG are the infringer's content: never run them on the platform's origin.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    if not row.is_image:
        response["Content-Disposition"] = f'attachment; filename="{row.path.rsplit("/", 1)[-1]}"'
    return response


@login_required
def package(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.record_by_number(request.user, number)
    data = services.export_package(user=request.user, record=found)
    response = HttpResponse(data, content_type="application/wacz")
    response["Content-Disposition"] = f'attachment; filename="{found.number}.wacz"'
    return response


@login_required
def report(request: HttpRequest, number: str) -> HttpResponseBase:
    found = selectors.record_by_number(request.user, number)
    require(request.user, "export", found)
    return FileResponse(found.report.open("rb"), content_type="application/pdf", filename=f"{found.number}-report.pdf")


@login_required
def custody_json(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.record_by_number(request.user, number)
    events = [{**e.body(), "hash": e.hash} for e in found.custody.all()]
    response = JsonResponse(
        {"number": found.number, "intact": services.custody_intact(found), "events": events},
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="{found.number}-custody.json"'
    return response


@login_required
@require_POST
def verify(request: HttpRequest, number: str) -> HttpResponse:
    found = selectors.record_by_number(request.user, number)
    ok, failures = services.verify_record(user=request.user, record=found)
    if ok:
        messages.success(request, _("核验通过：证据包的每个文件、时间戳、公开日志证明和报告签名都与封存时一致。"))
    else:
        english = request.LANGUAGE_CODE.startswith("en")
        listed = "；".join(en if english else zh for _check, zh, en in failures)
        messages.error(request, _("核验未通过：%(failures)s") % {"failures": listed})
    return redirect("evidence:record", number=found.number)


@login_required
@require_POST
def from_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The match report's "fix as evidence" button."""
    found = get_visible_or_404(request.user, MatchReport, pk=pk)
    record = services.from_match_report(user=request.user, report=found)
    messages.success(request, _("已提交固化：比对结果和疑似侵权图片正在加盖时间戳并记入公开日志。"))
    return redirect("evidence:record", number=record.number)
