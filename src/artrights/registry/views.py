from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from artrights.accounts.access import can, get_visible_or_404, require
from artrights.core.messages import error_messages, form_error_messages
from artrights.core.statemachine import TransitionNotAllowed
from artrights.proofs.bundle import public_bundle

from . import actions, screening, selectors, services
from .forms import (
    ApplicationForm,
    ChangeForm,
    ConsentForm,
    ContractForm,
    CorrectionForm,
    CorrectionNoticeForm,
    DigitalFilingForm,
    PledgeForm,
    RefusalForm,
    ReissueForm,
    RevocationForm,
    ScreeningNoteForm,
    SoftwareApplicationForm,
    SoftwareCorrectionForm,
    VerifyUploadForm,
)
from .models import FileRole, Kind, Pledge, Status, Work
from .services.representation import files_for_self


@login_required
def my_works(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status")
    works = selectors.works_for(request.user, status=status if status in Status.values else None)
    page = Paginator(works, 25).get_page(request.GET.get("page"))
    return render(request, "registry/my_works.html", {"page": page, "statuses": Status.choices, "status": status})


@login_required
def clients(request: HttpRequest) -> HttpResponse:
    """The owners an agency represents, what it filed for each and the power of attorney on file."""
    require(request.user, "view_clients", Work)
    rows = selectors.clients_of(request.user.organisation)  # type: ignore[union-attr]
    return render(request, "registry/clients.html", {"clients": rows})


def _representing(request: HttpRequest) -> bool:
    return not files_for_self(request.user)


def _filing_as(request: HttpRequest) -> dict[str, Any]:
    """Whose name the form files in: the account's verified identity, or the owners an agency represents."""
    user = request.user
    return {
        "representing": _representing(request),
        "own_party": getattr(user, "party", None),
        "identity_missing": files_for_self(user) and not getattr(user, "real_name_verified", False),
    }


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    require(request.user, "apply", Work)
    form = ApplicationForm(request.POST or None, request.FILES or None, representing=_representing(request))
    if request.method == "POST" and form.is_valid():
        try:
            work = services.create_application(
                user=request.user,
                fields=form.work_fields(),
                owners=form.owners(),
                files=form.uploads(),
                request=request,
            )
        except ValidationError as exc:
            for message in error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("申请已保存为草稿，请核对后提交。"))
            return redirect("registry:detail", pk=work.pk)
    elif request.method == "POST" and getattr(request, "upload_too_large", False):
        form.add_error(None, _("上传内容过大，未保存任何内容。"))
    return render(request, "registry/apply.html", {"form": form, **_filing_as(request)})


@login_required
def apply_software(request: HttpRequest) -> HttpResponse:
    """The software registration form (R11): particulars, source tree and documentation; the draft's page then
    shows the deposit the platform built, for the applicant to review before submitting."""
    require(request.user, "apply", Work)
    form = SoftwareApplicationForm(request.POST or None, request.FILES or None, representing=_representing(request))
    if request.method == "POST" and form.is_valid():
        files = [services.SampleInput(f, FileRole.OWNERSHIP_PROOF) for f in form.cleaned_data["ownership_proofs"]]
        try:
            work = services.create_software_application(
                user=request.user,
                fields=form.work_fields(),
                software=form.software_fields(),
                owners=form.owners(),
                archive=form.cleaned_data["source_archive"],
                documentation=form.cleaned_data["documentation"],
                files=files + form.representation_files(),
                redactions=services.parse_redactions(form.cleaned_data["redactions"]),
                excerpt_from=form.cleaned_data["excerpt_from"],
                request=request,
            )
        except ValidationError as exc:
            for message in error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("申请已保存为草稿：请先核对平台生成的鉴别材料，再提交。"))
            return redirect("registry:detail", pk=work.pk)
    elif request.method == "POST" and getattr(request, "upload_too_large", False):
        form.add_error(None, _("上传内容过大，未保存任何内容。"))
    return render(request, "registry/apply_software.html", {"form": form, **_filing_as(request)})


@login_required
def file_digital(request: HttpRequest) -> HttpResponse:
    require(request.user, "apply", Work)
    form = DigitalFilingForm(request.POST or None, request.FILES or None, representing=_representing(request))
    if request.method == "POST" and form.is_valid():
        try:
            work = services.file_digital_work(
                user=request.user,
                fields=form.work_fields(),
                owners=form.owners(),
                files=[services.SampleInput(form.cleaned_data["image"]), *form.representation_files()],
                request=request,
            )
        except ValidationError as exc:
            for message in error_messages(exc):
                form.add_error(None, message)
        else:
            if work.is_granted:
                messages.success(request, _("备案完成：%(number)s") % {"number": work.number})
            else:  # held for a registrar: the page says why
                messages.warning(request, _("已提交（%(ref)s），待人工审查。") % {"ref": work.flow_number})
            return redirect("registry:detail", pk=work.pk)
    return render(request, "registry/file_digital.html", {"form": form, **_filing_as(request)})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    work = get_visible_or_404(request.user, Work, pk=pk)
    user = request.user
    registrar_actions = actions.offered(user, work, "registrar")
    return render(
        request,
        "registry/detail.html",
        {
            "work": work,
            "files": selectors.materials(work),
            "parties": selectors.parties(work),
            "warnings": selectors.screening_findings(work),
            "credit_flags": selectors.credit_flags(work) if can(user, "review", work) else [],
            "unresolved": screening.blocking(work).exists(),
            "corrections": work.corrections.select_related("requested_by", "answered_by"),
            "steps": selectors.timeline(work, viewer=user),
            "is_reviewer": can(user, "review", work),
            "certificate": work.certificates.first(),
            "applicant_actions": actions.offered(user, work, "applicant"),
            "can_correct": work.status == Status.CORRECTION_REQUIRED and can(user, "correct", work),
            "registrar_actions": [a for a in registrar_actions if a != "revoke"],
            "can_revoke": "revoke" in registrar_actions,
            "screening_form": ScreeningNoteForm(),
            "can_file_contract": work.is_granted and can(user, "file_contract", work),
            "can_pledge": work.is_granted and can(user, "register_pledge", work),
            "can_change": work.is_granted and can(user, "change", work),
            "can_reissue": work.is_granted and work.certificates.exists() and can(user, "reissue_certificate", work),
            "contract_form": ContractForm(),
            "pledge_form": PledgeForm(),
            "reissue_form": ReissueForm(),
            "change_form": ChangeForm.for_work(work) if work.is_granted else None,
            "contracts": work.contract_filings.select_related("assignee").order_by("-filed_at"),
            "work_pledges": work.pledges.select_related("pledgee").order_by("-registered_at"),
            "correction_form": CorrectionNoticeForm(),
            "refusal_form": RefusalForm(kind=work.kind),
            "revocation_form": RevocationForm(),
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    work = get_visible_or_404(request.user, Work, pk=pk)
    if action not in actions.WORK_ACTIONS:
        raise Http404
    try:
        actions.perform(name=action, work=work, user=request.user, params=request.POST)
    except (ValidationError, TransitionNotAllowed, PermissionDenied) as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("registry:detail", pk=pk)


@login_required
def certificate_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate part of a work's page, which the page asks for again until the certificate is ready."""
    work = get_visible_or_404(request.user, Work, pk=pk)
    context = {"work": work, "certificate": work.certificates.first()}
    return render(request, "registry/_certificate.html", context)


@login_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's answer to a correction notice: change particulars, add or take back materials, explain."""
    work = get_visible_or_404(request.user, Work, pk=pk)
    require(request.user, "correct", work)
    form_class = SoftwareCorrectionForm if work.kind == Kind.SOFTWARE else CorrectionForm
    form = form_class(request.POST or None, request.FILES or None, work=work)
    if request.method == "POST" and form.is_valid():
        try:
            replace = None
            if isinstance(form, SoftwareCorrectionForm) and form.replaces_deposit():
                replace = services.deposit_replacement(
                    work=work,
                    archive=form.cleaned_data["source_archive"],
                    documentation=form.cleaned_data["documentation"],
                    redactions=services.parse_redactions(form.cleaned_data["redactions"]),
                    excerpt_from=form.cleaned_data["excerpt_from"],
                    user=request.user,
                    request=request,
                )
            services.correct(
                work=work,
                user=request.user,
                fields=form.changed_work_fields(work),
                files=form.new_files(),
                withdraw_files=[int(pk) for pk in form.cleaned_data["withdraw_files"]],
                note=form.cleaned_data["note"],
                request=request,
                replace=replace,
            )
        except ValidationError as exc:
            for message in error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("补正已提交，审核期限重新计算。"))
            return redirect("registry:detail", pk=work.pk)
    elif request.method == "POST" and getattr(request, "upload_too_large", False):
        form.add_error(None, _("上传内容过大，未保存任何内容。"))
    notice = work.corrections.filter(answered_at=None).order_by("-round").first()
    return render(request, "registry/correct.html", {"work": work, "form": form, "notice": notice})


@login_required
def work_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponseBase:
    """One of the application's materials, for the applicant side and the registry staff. A picture the platform
    decoded is shown in the page; anything else is only downloaded (never rendered from our origin)."""
    work = get_visible_or_404(request.user, Work, pk=pk)
    found = get_object_or_404(work.workfile_set.select_related("stored_file"), pk=file_id)
    stored = found.stored_file
    inline_type = selectors.inline_image_type(found)
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=inline_type is None,
        filename=stored.original_name,
        content_type=inline_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    require(request.user, "review", Work)
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    flagged, order = request.GET.get("flagged") == "1", request.GET.get("order", "due")
    rows = selectors.review_queue(status=status, kind=kind, flagged_only=flagged, order=order)
    chosen = {"status": status, "kind": kind, "flagged": flagged, "order": order}
    statuses = [(s.value, s.label) for s in Status if s in selectors.QUEUE_STATUSES]
    context = {"rows": rows, "chosen": chosen, "statuses": statuses, "kinds": Kind.choices}
    return render(request, "registry/review_queue.html", context)


@login_required
def certificate_file(request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
    work = get_visible_or_404(request.user, Work, pk=pk)
    require(request.user, "download_certificate", work)
    certificate = work.certificates.first()
    if certificate is None:
        raise Http404(_("证书尚未签发。"))
    safe_number = (work.number or str(work.pk)).replace("/", "-")
    if kind == "json":
        # The public form: a certificate issued before 2026-12 stored its party openings in the bundle.
        response = JsonResponse(
            public_bundle(certificate.bundle), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = f'attachment; filename="{safe_number}.json"'
        return response
    if kind == "pdf":
        return FileResponse(
            certificate.pdf.open("rb"),
            as_attachment=True,
            filename=f"{safe_number}.pdf",
            content_type="application/pdf",
        )
    if kind == "image" and certificate.credentialed_image:
        name = str(certificate.credentialed_image.name).rsplit("/", 1)[-1]
        return FileResponse(certificate.credentialed_image.open("rb"), as_attachment=True, filename=name)
    raise Http404


# Public pages ---------------------------------------------------------------------------------------------


def public_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    results = selectors.public_search(query) if query else []
    return render(request, "registry/public_search.html", {"query": query, "results": results})


def public_record(request: HttpRequest, number: str) -> HttpResponse:
    work = selectors.public_record(number)
    if work is None:
        raise Http404(_("没有这个登记号。"))
    return render(request, "registry/public_record.html", {"work": work})


def verify_page(request: HttpRequest) -> HttpResponse:
    form = VerifyUploadForm(request.POST or None, request.FILES or None)
    result: Any = None
    if request.method == "POST" and form.is_valid():
        from .verification import verify_upload

        original, openings = form.cleaned_data.get("original"), form.cleaned_data.get("openings")
        result = verify_upload(
            form.cleaned_data["file"].read(),
            name=form.cleaned_data["file"].name or "",
            original=original.read() if original else None,
            openings=openings.read() if openings else None,
        )
    return render(request, "registry/verify.html", {"form": form, "result": result})


def trust_json(request: HttpRequest) -> HttpResponse:
    """The trust anchors for offline verification: save as trust.json and run `artrights verify FILE`."""
    from .verification import platform_trust

    response = JsonResponse(platform_trust().to_json(), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="trust.json"'
    return response


def public_thumbnail(request: HttpRequest, number: str) -> HttpResponse:
    """A small picture of a granted work's sample, so a match can be shown beside the suspect image."""
    work = selectors.public_record(number)
    sample = work.workfile_set.filter(role=FileRole.SAMPLE).exclude(iscc="").first() if work else None
    if sample is None:
        raise Http404
    response = HttpResponse(selectors.sample_thumbnail(sample), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_required
@require_POST
def file_contract(request: HttpRequest, pk: int) -> HttpResponse:
    work = get_visible_or_404(request.user, Work, pk=pk)
    form = ContractForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(form_error_messages(form))
        d = form.cleaned_data
        filing = services.file_contract(
            user=request.user,
            contract_type=d["contract_type"],
            works=[work],
            rights=list(d["rights"]),
            territory=d["territory"],
            valid_from=d["valid_from"],
            valid_until=d.get("valid_until"),
            assignor=services.first_owner(work),
            assignee=form.counterparty(),
            price_terms=d.get("price_terms", ""),
            contract_file=d.get("contract_file"),
            pledge_consents=list(selectors.open_consents(work)),
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("合同已备案：%(number)s") % {"number": filing.number})
    return redirect("registry:detail", pk=pk)


@login_required
@require_POST
def register_pledge(request: HttpRequest, pk: int) -> HttpResponse:
    work = get_visible_or_404(request.user, Work, pk=pk)
    form = PledgeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form_error_messages(form))
        d = form.cleaned_data
        pledge = services.register_pledge(
            registrar=request.user,
            works=[work],
            pledgor=services.first_owner(work),
            pledgee=form.counterparty(),
            rights=list(d["rights"]),
            secured_amount=d["secured_amount"],
            debt_term_end=d["debt_term_end"],
            pledgee_user=selectors.pledgee_account(d.get("pledgee_username", "")),
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("质权已登记：%(number)s") % {"number": pledge.number})
    return redirect("registry:detail", pk=pk)


@login_required
def pledges(request: HttpRequest) -> HttpResponse:
    """Pledges the user holds as pledgee, with the consents they recorded."""
    return render(
        request,
        "registry/pledges.html",
        {"pledges": selectors.held_pledges(request.user), "consent_form": ConsentForm()},
    )


@login_required
@require_POST
def consent(request: HttpRequest, pledge_id: int) -> HttpResponse:
    pledge = get_visible_or_404(request.user, Pledge, pk=pledge_id)
    form = ConsentForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form_error_messages(form))
        services.consent_to_contract(
            user=request.user,
            pledge=pledge,
            contract_type=form.cleaned_data["contract_type"],
            assignee=form.counterparty(),
            note=form.cleaned_data.get("note", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已记录同意。"))
    return redirect("registry:pledges")


@login_required
@require_POST
def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    work = get_visible_or_404(request.user, Work, pk=pk)
    try:
        services.reissue_certificate(work=work, user=request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已签发新证书。"))
    return redirect("registry:detail", pk=pk)


@login_required
@require_POST
def change(request: HttpRequest, pk: int) -> HttpResponse:
    work = get_visible_or_404(request.user, Work, pk=pk)
    form = ChangeForm.for_work(work, request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form_error_messages(form))
        services.change(
            work=work, registrar=request.user, fields=form.changed_fields(), reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("变更已登记，新证书正在生成。"))
    return redirect("registry:detail", pk=pk)


@login_required
def document_file(request: HttpRequest, pk: int, document_id: int) -> HttpResponseBase:
    """A receipt, notice, decision or filing certificate issued about the work, as its signed PDF."""
    work = get_visible_or_404(request.user, Work, pk=pk)
    require(request.user, "download_document", work)
    document = get_object_or_404(selectors.documents_of(work), pk=document_id)
    return FileResponse(
        document.pdf.open("rb"),
        as_attachment=True,
        filename=f"{document.number.replace('/', '-')}.pdf",
        content_type="application/pdf",
    )


@login_required
def owner_openings(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's openings file (their ID number behind the public commitment), downloaded when they choose to."""
    from .issuance import owner_openings as openings_of

    work = get_visible_or_404(request.user, Work, pk=pk)
    try:
        data = openings_of(work=work, user=request.user)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return redirect("registry:detail", pk=pk)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="owner-openings.json"'
    response["Cache-Control"] = "no-store"
    return response
