from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from artrights.accounts.access import get_visible_or_404
from artrights.core import safejson
from artrights.core.errors import BilingualError
from artrights.core.messages import as_validation_error
from artrights.core.services import PartyInput
from artrights.proofs.bundle import public_bundle

from . import actions, selectors, services
from .models import ContractFiling, FileRole, Pledge, Work

router = Router(tags=["registry"])


class WorkOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str
    number: str | None
    flow_number: str | None
    title: str
    work_type: str
    completed_on: dt.date
    registered_at: dt.datetime | None
    review_due: dt.date | None
    log_index: int | None
    duplicate_warnings: list[dict[str, Any]]
    certificate_ready: bool

    @staticmethod
    def resolve_status_label(obj: Work) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_certificate_ready(obj: Work) -> bool:
        """Granted and its certificate made (it follows the grant within seconds; poll ``GET /works/{id}``)."""
        return obj.is_granted and obj.certificate_due_since is None and obj.certificates.exists()

    @staticmethod
    def resolve_duplicate_warnings(obj: Work) -> list[dict[str, Any]]:
        return [
            {
                "earlier_number": d.earlier.number,
                "score": d.score,
                "method": d.method,
                "same_owner": d.same_owner,
            }
            for d in obj.duplicate_warnings.select_related("earlier")
        ]


class PublicWorkOut(Schema):
    number: str
    title: str
    work_type: str
    kind: str
    status: str
    registered_at: dt.datetime | None
    log_index: int | None


class MessageOut(Schema):
    detail: str


class OwnerIn(Schema):
    name: str
    id_type: str
    id_number: str
    kind: str = "natural"
    address: str = ""


class ApplicationIn(Schema):
    """The JSON part of a multipart application; `samples` are the files. A rights holder's own account files
    in its verified name (`owners` may be left out, or add co-owners); an agency names the owners and sends the
    power of attorney they signed as `power_of_attorney` files."""

    title: str
    work_type: str
    authors: list[dict[str, str]]
    completed_on: dt.date
    owners: list[OwnerIn] = []
    creation_nature: str = "original"
    publish_status: str = "unpublished"
    first_published_on: dt.date | None = None
    obtain_mode: str = "original"
    ownership_mode: str = "individual"
    rights: list[str] = []
    description: str = ""
    work_type_desc: str = ""


class ActionIn(Schema):
    notice: str = ""
    ground: str = ""
    reason: str = ""
    screening_note: str = ""


ParsedIn = TypeVar("ParsedIn", bound=Schema)


def _parse(payload: str, schema: type[ParsedIn]) -> ParsedIn:
    try:
        return schema.model_validate(safejson.loads(payload))
    except BilingualError as exc:
        raise as_validation_error(exc, _("申请数据不是有效的JSON：%(reason)s")) from None
    except (ValueError, TypeError) as exc:
        raise ValidationError(_("申请数据不是有效的JSON：%(error)s") % {"error": str(exc)[:300]}) from None


def _owners(data: ApplicationIn) -> list[PartyInput]:
    return [PartyInput(**o.dict()) for o in data.owners]


def _power_of_attorney(files: list[UploadedFile] | None) -> list[services.SampleInput]:
    return [services.SampleInput(f, FileRole.POWER_OF_ATTORNEY) for f in files or []]


def _fields(data: ApplicationIn) -> dict[str, Any]:
    return data.dict(exclude={"owners"})


def application_parts(
    data: str, samples: list[UploadedFile], power_of_attorney: list[UploadedFile] | None
) -> tuple[dict[str, Any], list[PartyInput], list[services.SampleInput]]:
    """The particulars, owners and files of a multipart application, as ``services.create_application`` takes
    them (also for the one-stop desk, which prepares drafts in a requester's name)."""
    parsed = _parse(data, ApplicationIn)
    files = [services.SampleInput(f) for f in samples] + _power_of_attorney(power_of_attorney)
    return _fields(parsed), _owners(parsed), files


@router.get("/works", response=list[WorkOut], summary="Works I may see (mine, or all for registrars)")
def list_works(request: HttpRequest, status: str | None = None) -> list[Work]:
    return list(selectors.works_for(request.user, status=status)[:200])


@router.get("/works/{work_id}", response=WorkOut)
def get_work(request: HttpRequest, work_id: int) -> Work:
    return get_visible_or_404(request.user, Work, pk=work_id)


def _client_key(request: HttpRequest) -> str:
    return request.headers.get("Idempotency-Key", "").strip()


def _seen_before(request: HttpRequest) -> bool:
    """Did an earlier request with this Idempotency-Key make something? (Then its answer is 200, not 201.)"""
    key = _client_key(request)
    return bool(key) and Work.objects.filter(applicant=request.user.pk, client_key=key).exists()


@router.post(
    "/works",
    response={200: WorkOut, 201: WorkOut},
    summary="Create a registration application (multipart: data + samples; optional Idempotency-Key header)",
)
def create_work(
    request: HttpRequest,
    data: Form[str],
    samples: File[list[UploadedFile]],
    power_of_attorney: File[list[UploadedFile] | None] = None,
) -> Status[Work]:
    fields, owners, files = application_parts(data, samples, power_of_attorney)
    repeated = _seen_before(request)
    work = services.create_application(
        user=request.user, fields=fields, owners=owners, files=files, request=request, client_key=_client_key(request)
    )
    return Status(200 if repeated else 201, work)


class SoftwareApplicationIn(Schema):
    """The JSON part of a multipart software application (CPCC R11); `source_archive` (zip or tar.gz) and
    `documentation` (PDF, text or Markdown) are the files the platform builds the deposit from. `redactions` are the
    deposited lines to black out for an exceptional deposit, as [first, last] pairs;
    `excerpt_from` the other exceptional deposit: the first 10 pages and the 50 consecutive pages from that page."""

    title: str
    version: str
    category: str
    development_mode: str
    completed_on: dt.date
    hardware_environment: str
    software_environment: str
    languages: str
    main_functions: str
    technical_features: str
    short_name: str = ""
    publish_status: str = "unpublished"
    first_published_on: dt.date | None = None
    obtain_mode: str = "original"
    rights: list[str] = []
    rights_desc: str = ""
    owners: list[OwnerIn] = []
    redactions: list[tuple[int, int]] = []
    excerpt_from: int | None = None


@router.post(
    "/software-applications",
    response={201: WorkOut},
    summary="Create a computer software application (multipart: data + source_archive + documentation)",
)
def create_software(
    request: HttpRequest,
    data: Form[str],
    source_archive: File[UploadedFile],
    documentation: File[UploadedFile],
    ownership_proofs: File[list[UploadedFile] | None] = None,
    power_of_attorney: File[list[UploadedFile] | None] = None,
) -> Status[Work]:
    parsed = _parse(data, SoftwareApplicationIn)
    particulars = parsed.dict(exclude={"owners", "redactions", "excerpt_from"})
    software = {name: particulars.pop(name) for name in services.SOFTWARE_FIELDS}
    proofs = [services.SampleInput(f, FileRole.OWNERSHIP_PROOF) for f in ownership_proofs or []]
    work = services.create_software_application(
        user=request.user,
        fields=particulars,
        software=software,
        owners=[PartyInput(**o.dict()) for o in parsed.owners],
        archive=source_archive,
        documentation=documentation,
        files=proofs + _power_of_attorney(power_of_attorney),
        redactions=[(first, last) for first, last in parsed.redactions],
        excerpt_from=parsed.excerpt_from,
        request=request,
    )
    return Status(201, work)


@router.post(
    "/digital-filings",
    response={200: WorkOut, 201: WorkOut},
    summary="数字作品备案: filing number at once, the certificate seconds later (optional Idempotency-Key header)",
)
def digital_filing(
    request: HttpRequest,
    data: Form[str],
    image: File[UploadedFile],
    power_of_attorney: File[list[UploadedFile] | None] = None,
) -> Status[Work]:
    parsed = _parse(data, ApplicationIn)
    repeated = _seen_before(request)
    work = services.file_digital_work(
        user=request.user,
        fields=_fields(parsed),
        owners=_owners(parsed),
        files=[services.SampleInput(image), *_power_of_attorney(power_of_attorney)],
        request=request,
        client_key=_client_key(request),
    )
    return Status(200 if repeated else 201, work)


@router.post(
    "/works/{work_id}/actions/{action}", response=WorkOut, summary="Move an application: submit, accept, register…"
)
def act(request: HttpRequest, work_id: int, action: str, payload: ActionIn) -> Work:
    work = get_visible_or_404(request.user, Work, pk=work_id)
    actions.perform(name=action, work=work, user=request.user, params=payload.dict())
    work.refresh_from_db()
    return work


@router.get(
    "/works/{work_id}/certificate.json",
    response={200: dict, 404: MessageOut},
    summary="The public proof bundle of the current certificate (parties only as commitments)",
)
def certificate_bundle(request: HttpRequest, work_id: int) -> dict[str, Any] | Status[dict[str, str]]:
    work = get_visible_or_404(request.user, Work, pk=work_id)
    certificate = work.certificates.first()
    if certificate is None:
        return Status(404, {"detail": _("证书尚未签发。")})
    return public_bundle(certificate.bundle)


@router.get(
    "/public/{number}",
    response={200: PublicWorkOut, 404: MessageOut},
    auth=None,
    summary="A public registry record",
)
def public_record(request: HttpRequest, number: str) -> Work | Status[dict[str, str]]:
    work = selectors.public_record(number)
    if work is None:
        return Status(404, {"detail": _("没有这个登记号。")})
    return work


class CounterpartyIn(Schema):
    name: str
    id_type: str
    id_number: str
    kind: str = "organisation"


class ContractIn(Schema):
    contract_type: str
    rights: list[str]
    territory: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    price_terms: str = ""
    assignee: CounterpartyIn


class ContractOut(Schema):
    number: str
    contract_type: str
    log_index: int | None


class PledgeIn(Schema):
    pledgee: CounterpartyIn
    rights: list[str]
    secured_amount: float
    debt_term_end: dt.date
    pledgee_username: str | None = None


class PledgeOut(Schema):
    id: int
    number: str
    status: str
    log_index: int | None


def _counterparty(data: CounterpartyIn) -> PartyInput:
    return PartyInput(**data.dict())


@router.post("/works/{work_id}/contracts", response={201: ContractOut}, summary="File a transfer or licence contract")
def file_contract(request: HttpRequest, work_id: int, payload: ContractIn) -> Status[ContractFiling]:
    work = get_visible_or_404(request.user, Work, pk=work_id)
    filing = services.file_contract(
        user=request.user,
        contract_type=payload.contract_type,
        works=[work],
        rights=payload.rights,
        territory=payload.territory,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        assignor=services.first_owner(work),
        assignee=_counterparty(payload.assignee),
        price_terms=payload.price_terms,
        pledge_consents=list(selectors.open_consents(work)),
    )
    return Status(201, filing)


@router.post("/works/{work_id}/pledges", response={201: PledgeOut}, summary="Register a copyright pledge (registrar)")
def register_pledge(request: HttpRequest, work_id: int, payload: PledgeIn) -> Status[Pledge]:
    work = get_visible_or_404(request.user, Work, pk=work_id)
    pledge = services.register_pledge(
        registrar=request.user,
        works=[work],
        pledgor=services.first_owner(work),
        pledgee=_counterparty(payload.pledgee),
        rights=payload.rights,
        secured_amount=Decimal(str(payload.secured_amount)),
        debt_term_end=payload.debt_term_end,
        pledgee_user=selectors.pledgee_account(payload.pledgee_username or ""),
    )
    return Status(201, pledge)


@router.post("/works/{work_id}/reissue", response=dict, summary="Reissue the certificate (new serial)")
def reissue(request: HttpRequest, work_id: int, payload: ActionIn) -> dict[str, Any]:
    work = get_visible_or_404(request.user, Work, pk=work_id)
    certificate = services.reissue_certificate(work=work, user=request.user, reason=payload.reason)
    return {"serial": certificate.serial, "number": work.number}


class ChangeIn(Schema):
    fields: dict[str, object]
    reason: str


@router.post("/works/{work_id}/change", response=WorkOut, summary="Change or supplement a registration (Z61)")
def change(request: HttpRequest, work_id: int, payload: ChangeIn) -> Work:
    work = get_visible_or_404(request.user, Work, pk=work_id)
    fields = dict(payload.fields)
    for name in ("completed_on", "first_published_on"):
        if isinstance(fields.get(name), str):
            fields[name] = dt.date.fromisoformat(str(fields[name]))
    return services.change(work=work, registrar=request.user, fields=fields, reason=payload.reason)
