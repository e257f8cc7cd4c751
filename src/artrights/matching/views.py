from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from artrights.accounts.access import can, get_visible_or_404, require

from . import selectors, services
from .models import MatchReport, UrlCheck, WatchedPage


class CheckForm(forms.Form):
    image = forms.FileField(label=gettext_lazy("疑似侵权图片"), required=False)
    url = forms.URLField(label=gettext_lazy("或图片网址"), required=False, max_length=1000, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("image") and not data.get("url"):
            raise ValidationError(gettext_lazy("请上传图片或填写图片网址。"))
        return data


class WatchForm(forms.Form):
    url = forms.URLField(label=gettext_lazy("网页网址"), max_length=1000, assume_scheme="https")
    interval_minutes = forms.IntegerField(label=gettext_lazy("检查间隔（分钟）"), min_value=15, initial=24 * 60)


@login_required
def check(request: HttpRequest) -> HttpResponse:
    require(request.user, "check", MatchReport)
    form = CheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.check_suspect(
                user=request.user,
                upload=form.cleaned_data.get("image"),
                url=form.cleaned_data.get("url") or "",
                request=request,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            if isinstance(report, UrlCheck):  # the worker fetches it; its page shows the report when ready
                return redirect("matching:url_check", pk=report.pk)
            return redirect("matching:report", pk=report.pk)
    context = {
        "form": form,
        "recent": selectors.recent_reports(request.user),
        "unfinished": selectors.unfinished_url_checks(request.user),
    }
    return render(request, "matching/check.html", context)


@login_required
def url_check(request: HttpRequest, pk: int) -> HttpResponse:
    """A URL check's page: waiting (it asks for its panel until the worker is done), or why it failed; a check
    that gave a report is that report."""
    found = get_visible_or_404(request.user, UrlCheck, pk=pk)
    if found.report_id:
        return redirect("matching:report", pk=found.report_id)
    return render(request, "matching/url_check.html", {"check": found})


@login_required
def url_check_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The changing part of a URL check's page; once there is a report, htmx is sent on to it."""
    found = get_visible_or_404(request.user, UrlCheck, pk=pk)
    response = render(request, "matching/_url_check.html", {"check": found})
    if found.report_id:
        response["HX-Redirect"] = reverse("matching:report", args=[found.report_id])
    return response


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_visible_or_404(request.user, MatchReport, pk=pk)
    results = [{**r, **_drawing(r, found)} for r in selectors.report_matches(found)]
    context = {
        "report": found,
        "results": results,
        "threshold": services.threshold(),
        "can_fix_evidence": can(request.user, "fix_evidence", found),
        "evidence": found.evidence_records.exclude(status="void").order_by("pk").first(),
    }
    return render(request, "matching/report.html", context)


def _drawing(match: dict[str, Any], report: MatchReport) -> dict[str, Any]:
    """SVG geometry of a match: the matched area on each image, and a veil over the rest of the image."""

    def points(polygon: list[list[float]]) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in polygon)

    def veil(width: float, height: float, polygon: list[list[float]]) -> str:
        return f"M0 0H{width}V{height}H0Z" + (f"M{points(polygon)}Z" if polygon else "")

    work_w, work_h = match.get("work_size") or (0, 0)
    work_area = match.get("work_area") or []
    return {
        "query_points": points(match["query_area"]),
        "query_veil": veil(report.width, report.height, match["query_area"]),
        "work_points": points(work_area),
        "work_veil": veil(work_w, work_h, work_area),
        "work_w": work_w,
        "work_h": work_h,
        "query_percent": round(100 * match["query_share"], 1) if "query_share" in match else None,
        "work_percent": round(100 * match["work_share"], 1) if "work_share" in match else None,
    }


@login_required
def report_image(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = get_visible_or_404(request.user, MatchReport, pk=pk)
    return FileResponse(found.query_file.file.open("rb"), content_type=found.query_file.content_type or "image/*")


@login_required
def evidence_json(request: HttpRequest, pk: int) -> HttpResponse:
    """The proof of a report fixed before evidence records existed (fixing now makes an evidence record)."""
    found = get_visible_or_404(request.user, MatchReport, pk=pk)
    response = JsonResponse(found.evidence_bundle or {}, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="evidence-{found.pk}.json"'
    return response


@login_required
def watch(request: HttpRequest) -> HttpResponse:
    require(request.user, "watch", WatchedPage)
    form = WatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.watch_page(
                user=request.user, url=form.cleaned_data["url"], interval_minutes=form.cleaned_data["interval_minutes"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已加入监测。"))
            return redirect("matching:watch")
    pages = selectors.watched_pages(request.user)
    return render(request, "matching/watch.html", {"form": form, "pages": pages})
