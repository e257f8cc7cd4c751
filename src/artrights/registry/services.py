"""Writes for the registry: applications, review decisions, registration, filings, pledges.

Every state change goes through `REGISTRATION_FLOW`, is saved and audited in one transaction, and, when it
changes what the public can rely on (registration, filing, change, revocation, contract, pledge), appends a
statement to the public log in that same transaction, so a crash leaves either both or neither.
Certificates are made after the commit (`issuance.issue_certificate`), by the worker or inline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core import audit
from artrights.core.images import ImageRejected, load_image
from artrights.core.messages import as_validation_error, with_field_labels
from artrights.core.models import StoredFile
from artrights.core.selectors import working_calendar
from artrights.core.services import PartyInput, check_upload, resolve_party, store_file
from artrights.ledger import services as ledger

from . import numbers, statements
from .models import (
    REGISTRATION_FLOW,
    ContractFiling,
    ContractType,
    DuplicateWarning,
    FileRole,
    Kind,
    PartyRole,
    Pledge,
    PledgeConsent,
    PledgeStatus,
    RefusalGround,
    RevocationGround,
    Right,
    Status,
    Work,
    WorkFile,
    WorkParty,
)

# Work types whose sample is a picture: the sample must decode as an image and gets fingerprinted.
VISUAL_TYPES = {"FINE_ART", "PHOTOGRAPHY", "ARCHITECTURE", "GRAPHIC", "MODEL"}


@dataclass
class SampleInput:
    """An uploaded file with the role it plays in the application."""

    upload: UploadedFile
    role: str = FileRole.SAMPLE


@dataclass
class InspectedImage:
    width: int
    height: int
    iscc: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def inspect_image(data: bytes) -> InspectedImage:
    """Decode an untrusted image (refusing non-images, truncation, bombs) and compute its ISCC image code."""
    image = load_image(data)
    return InspectedImage(width=image.width, height=image.height, iscc=statements.iscc_for(data))


def _image_error(exc: ImageRejected) -> ValidationError:
    return as_validation_error(exc, _("作品样本不是可用的图片：%(reason)s"))


def _transition(work: Work, action: str, actor: Any, **changes: Any) -> Work:
    old, new = REGISTRATION_FLOW.apply(work, action)
    for name, value in changes.items():
        setattr(work, name, value)
    work.save()
    audit.record(f"registry.{action}", work, actor=actor, changes={"status": [old, new]})
    return work


def _locked(work: Work) -> Work:
    """Re-read the work under a row lock so two decisions on it cannot interleave."""
    return Work.objects.select_for_update().get(pk=work.pk)


def create_application(
    *,
    user: Any,
    kind: str = Kind.REGISTRATION,
    fields: dict[str, Any],
    owners: list[PartyInput],
    files: list[SampleInput],
    request: Any = None,
) -> Work:
    """A new application (draft) with its owners and files; nothing is stored when any part is refused."""
    require(user, "create", Work)
    if not owners:
        raise ValidationError(_("请至少填写一位著作权人。"))
    samples = [f for f in files if f.role == FileRole.SAMPLE]
    if not samples:
        raise ValidationError(_("请上传作品样本。"))
    # Check every upload before writing anything.
    checked: list[tuple[SampleInput, bytes, InspectedImage | None]] = []
    for item in files:
        upload = check_upload(item.upload, request)
        upload.seek(0)
        data = upload.read()
        info = None
        if item.role == FileRole.SAMPLE and (kind == Kind.DIGITAL_FILING or fields.get("work_type") in VISUAL_TYPES):
            try:
                info = inspect_image(data)
            except ImageRejected as exc:
                raise _image_error(exc) from None
        checked.append((item, data, info))

    saved_names: list[str] = []
    try:
        with transaction.atomic():
            work = Work(
                kind=kind,
                applicant=user,
                agent=getattr(user, "organisation", None) if getattr(user, "role", "") == "agency" else None,
                **fields,
            )
            try:
                work.full_clean(exclude=["applicant", "flow_number", "number"])
            except ValidationError as exc:
                raise with_field_labels(exc, Work) from None
            work.save()
            for position, owner in enumerate(owners):
                party = resolve_party(owner)
                WorkParty.objects.get_or_create(
                    work=work, party=party, role=PartyRole.OWNER, defaults={"signature": owner.signature}
                )
                if position == 0 and not WorkParty.objects.filter(work=work, role=PartyRole.APPLICANT).exists():
                    WorkParty.objects.create(work=work, party=party, role=PartyRole.APPLICANT)
            for item, _data, info in checked:
                stored = store_file(owner=user, upload=item.upload, request=request)
                saved_names.append(str(stored.file.name))
                WorkFile.objects.create(
                    work=work,
                    stored_file=stored,
                    role=item.role,
                    iscc=info.iscc if info else "",
                    width=info.width if info else None,
                    height=info.height if info else None,
                )
            _check_duplicates(work)
            return work
    except Exception:
        _delete_blobs(saved_names)
        raise


def _delete_blobs(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _check_duplicates(work: Work) -> list[DuplicateWarning]:
    """Warn about granted works whose samples match this one (exact file hash; the matcher adds more)."""
    from . import duplicates

    warnings = []
    owner_ids = set(work.owners().values_list("id_type", "id_number"))
    for match in duplicates.find_matches(work):
        earlier_owners = set(match.work.owners().values_list("id_type", "id_number"))
        warnings.append(
            DuplicateWarning.objects.create(
                work=work,
                earlier=match.work,
                method=match.method,
                score=match.score,
                same_owner=bool(owner_ids & earlier_owners),
            )
        )
    return warnings


@transaction.atomic
def submit(*, work: Work, user: Any) -> Work:
    """The applicant submits a draft; it gets its acceptance number (流水号)."""
    require(user, "submit", work)
    work = _locked(work)
    return _transition(work, "submit", user, flow_number=numbers.flow_number(), submitted_at=timezone.now())


@transaction.atomic
def accept(*, work: Work, registrar: Any) -> Work:
    """Materials complete: accept and start the review clock in working days."""
    require(registrar, "review", work)
    work = _locked(work)
    return _transition(work, "accept", registrar, accepted_at=timezone.now(), **_review_clock())


def _review_clock() -> dict[str, Any]:
    calendar = working_calendar()
    today = timezone.localdate()
    due = calendar.add_working_days(today, settings.ARTRIGHTS_REVIEW_WORKING_DAYS)
    return {"review_due": due, "review_due_provisional": calendar.is_provisional(today, due)}


@transaction.atomic
def start_review(*, work: Work, registrar: Any) -> Work:
    require(registrar, "review", work)
    work = _locked(work)
    return _transition(work, "start_review", registrar)


@transaction.atomic
def request_correction(*, work: Work, registrar: Any, notice: str) -> Work:
    """Tell the applicant what to correct; the application is deemed withdrawn after the correction period."""
    require(registrar, "review", work)
    if not notice.strip():
        raise ValidationError(_("请写明需要补正的内容。"))
    work = _locked(work)
    due = timezone.localdate() + dt.timedelta(days=settings.ARTRIGHTS_CORRECTION_DAYS)
    return _transition(work, "request_correction", registrar, correction_notice=notice.strip(), correction_due=due)


@transaction.atomic
def correct(*, work: Work, user: Any, fields: dict[str, Any] | None = None) -> Work:
    """The applicant answers a correction notice; the review clock restarts."""
    require(user, "submit", work)
    work = _locked(work)
    for name, value in (fields or {}).items():
        if name not in CORRECTABLE_FIELDS:
            raise ValidationError(_("字段“%(name)s”不能在补正中修改。") % {"name": name})
        setattr(work, name, value)
    try:
        work.full_clean(exclude=["applicant", "flow_number", "number"])
    except ValidationError as exc:
        raise with_field_labels(exc, Work) from None
    return _transition(work, "correct", user, **_review_clock())


CORRECTABLE_FIELDS = {
    "title",
    "work_type",
    "work_type_desc",
    "authors",
    "creation_nature",
    "creation_nature_desc",
    "completed_on",
    "creation_country",
    "creation_city",
    "publish_status",
    "first_published_on",
    "first_published_country",
    "first_published_city",
    "obtain_mode",
    "obtain_desc",
    "ownership_mode",
    "ownership_desc",
    "rights",
    "rights_desc",
    "description",
}


@transaction.atomic
def refuse(*, work: Work, registrar: Any, ground: str, reason: str) -> Work:
    """Refuse registration with a legal ground and written reasons."""
    require(registrar, "review", work)
    if ground not in RefusalGround.values:
        raise ValidationError(_("请选择不予登记的依据。"))
    if not reason.strip():
        raise ValidationError(_("请写明不予登记的理由。"))
    work = _locked(work)
    return _transition(
        work,
        "refuse",
        registrar,
        decided_at=timezone.now(),
        decided_by=registrar,
        decision_ground=ground,
        decision_reason=reason.strip(),
    )


@transaction.atomic
def withdraw(*, work: Work, user: Any) -> Work:
    require(user, "submit", work)
    work = _locked(work)
    return _transition(work, "withdraw", user)


def register(*, work: Work, registrar: Any, issue_now: bool = False) -> Work:
    """Grant the registration: number, public log entry, then the certificate after the commit."""
    require(registrar, "review", work)
    with transaction.atomic():
        work = _locked(work)
        REGISTRATION_FLOW.target(work.status, "register")  # fail before using up a number
        _grant(work, action="register", actor=registrar, number=numbers.work_registration_number(work.work_type))
    _after_grant(work, issue_now=issue_now)
    return work


def _grant(work: Work, *, action: str, actor: Any, number: str) -> None:
    now = timezone.now()
    work.number = number
    work.registered_at = now
    work.decided_at = now
    work.decided_by = actor if action == "register" else None
    statement, salts = statements.grant_statement(work)
    work.commitment_salts = salts
    entry = ledger.append(kind=statement["type"], statement=statement)
    work.log_index = entry.index
    _transition(work, action, actor)


def _after_grant(work: Work, *, issue_now: bool) -> None:
    from . import tasks
    from .signals import work_granted

    transaction.on_commit(lambda: work_granted.send(sender=Work, work=work))
    if issue_now:
        from .issuance import issue_certificate

        issue_certificate(work=work, reason=_("首次签发"))
    else:
        transaction.on_commit(lambda: tasks.issue_certificate_task(work.pk))


def file_digital_work(
    *,
    user: Any,
    fields: dict[str, Any],
    owners: list[PartyInput],
    files: list[SampleInput],
    request: Any = None,
    issue_now: bool = True,
) -> Work:
    """数字作品备案: formal checks only; filing number, log entry and certificate in one go."""
    # A filing that names no rights records the full set the owner holds by default.
    if not fields.get("rights"):
        fields = {**fields, "rights": [r for r in Right.values if r != Right.OTHER]}
    work = create_application(
        user=user, kind=Kind.DIGITAL_FILING, fields=fields, owners=owners, files=files, request=request
    )
    with transaction.atomic():
        work = _locked(work)
        _transition(work, "submit", user, flow_number=numbers.flow_number(), submitted_at=timezone.now())
        _grant(work, action="file", actor=user, number=numbers.digital_filing_number())
    _after_grant(work, issue_now=issue_now)
    return work


@transaction.atomic
def revoke(*, work: Work, registrar: Any, ground: str, reason: str) -> Work:
    """Revoke a registration or filing (Art. 6 grounds); the revocation is logged and the certificate recalled."""
    require(registrar, "revoke", work)
    if ground not in RevocationGround.values:
        raise ValidationError(_("请选择撤销的依据。"))
    if not reason.strip():
        raise ValidationError(_("请写明撤销理由。"))
    work = _locked(work)
    REGISTRATION_FLOW.target(work.status, "revoke")
    ledger.append(kind="artrights/revocation@v1", statement=statements.revocation_statement(work, ground))
    _transition(
        work,
        "revoke",
        registrar,
        decision_ground=ground,
        decision_reason=reason.strip(),
        decided_by=registrar,
        decided_at=timezone.now(),
    )
    from .signals import work_revoked

    revoked = work
    transaction.on_commit(lambda: work_revoked.send(sender=Work, work=revoked))
    return work


CHANGEABLE_FIELDS = CORRECTABLE_FIELDS - {"work_type"}


def change(*, work: Work, registrar: Any, fields: dict[str, Any], reason: str, issue_now: bool = False) -> Work:
    """Change or supplement a registration (Z61): new version, logged, certificate reissued."""
    require(registrar, "revoke", work)
    if not work.is_granted:
        raise ValidationError(_("只有已登记或已备案的作品可以变更。"))
    unknown = set(fields) - CHANGEABLE_FIELDS
    if unknown:
        raise ValidationError(_("这些字段不能变更：%(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if not reason.strip():
        raise ValidationError(_("请写明变更理由。"))
    with transaction.atomic():
        work = _locked(work)
        before = {name: getattr(work, name) for name in fields}
        for name, value in fields.items():
            setattr(work, name, value)
        try:
            work.full_clean(exclude=["applicant"])
        except ValidationError as exc:
            raise with_field_labels(exc, Work) from None
        work.version += 1
        statement, salts = statements.grant_statement(work, change_of=work.number)
        work.commitment_salts = salts
        work.log_index = ledger.append(kind="artrights/change@v1", statement=statement).index
        work.save()
        audit.record(
            "registry.change",
            work,
            actor=registrar,
            changes={"reason": reason, "fields": {k: [str(before[k]), str(v)] for k, v in fields.items()}},
        )
    if issue_now:
        from .issuance import issue_certificate

        issue_certificate(work=work, reason=_("变更后换发"))
    else:
        from . import tasks

        transaction.on_commit(lambda: tasks.issue_certificate_task(work.pk))
    return work


def reissue_certificate(*, work: Work, user: Any, reason: str) -> Any:
    """补发或更换证书 (Z64): a new certificate serial for the same registration; earlier ones stay valid proofs."""
    require(user, "reissue", work)
    if not work.is_granted:
        raise ValidationError(_("只有已登记或已备案的作品可以补发证书。"))
    if not reason.strip():
        raise ValidationError(_("请写明补发或更换证书的原因。"))
    from .issuance import issue_certificate

    return issue_certificate(work=work, reason=reason.strip()[:100], reissue=True)


def deem_overdue_corrections(*, today: dt.date | None = None) -> int:
    """Applications whose correction period ran out are deemed withdrawn (CPCC notice: 60 days)."""
    today = today or timezone.localdate()
    count = 0
    overdue = Work.objects.filter(status=Status.CORRECTION_REQUIRED, correction_due__lt=today)
    for work in overdue:
        with transaction.atomic():
            locked = _locked(work)
            if locked.status == Status.CORRECTION_REQUIRED:
                _transition(locked, "deem_withdrawn", None)
                count += 1
    return count


# Contract filings and pledges ---------------------------------------------------------------------------


def _granted_works(works: list[Work]) -> list[Work]:
    if not works:
        raise ValidationError(_("请至少选择一件已登记的作品。"))
    for work in works:
        if not work.is_granted:
            raise ValidationError(_("作品“%(title)s”尚未登记，不能备案合同或质押。") % {"title": work.title})
    return works


def _check_rights(rights: list[str]) -> list[str]:
    bad = [r for r in rights if r not in Right.values or r not in _economic()]
    if not rights or bad:
        raise ValidationError(_("请选择可以许可、转让或出质的财产权利（著作权法第十条第五至十七项）。"))
    return rights


def _economic() -> list[str]:
    from .models import ECONOMIC_RIGHTS

    return ECONOMIC_RIGHTS


@transaction.atomic
def file_contract(
    *,
    user: Any,
    contract_type: str,
    works: list[Work],
    rights: list[str],
    territory: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
    assignor: PartyInput,
    assignee: PartyInput,
    price_terms: str = "",
    contract_file: UploadedFile | None = None,
    pledge_consents: list[PledgeConsent] | None = None,
) -> ContractFiling:
    """Record a transfer or licence contract. A pledged work needs the pledgee's recorded consent."""
    if contract_type not in ContractType.values:
        raise ValidationError(_("未知的合同类型。"))
    works = _granted_works(works)
    for work in works:
        require(user, "file_contract", work)
    _check_rights(rights)
    if valid_until and valid_until < valid_from:
        raise ValidationError(_("终止日期不能早于起始日期。"))
    assignor_party, assignee_party = resolve_party(assignor), resolve_party(assignee)
    consents = list(pledge_consents or [])
    for work in works:
        for pledge in work.pledges.filter(status=PledgeStatus.REGISTERED):
            ok = any(
                c.pledge_id == pledge.pk
                and c.contract_type == contract_type
                and c.assignee_id == assignee_party.pk
                and not ContractFiling.objects.filter(pledge_consents=c).exists()
                for c in consents
            )
            if not ok:
                raise ValidationError(
                    _("作品“%(title)s”已出质（%(pledge)s），转让或许可须有质权人对本次合同的同意记录。")
                    % {"title": work.title, "pledge": pledge.number}
                )
    digest = ""
    if contract_file is not None:
        check_upload(contract_file)
        contract_file.seek(0)
        digest, _size = StoredFile.digest(contract_file.chunks())
    filing = ContractFiling.objects.create(
        number=numbers.contract_filing_number(),
        contract_type=contract_type,
        rights=rights,
        territory=territory,
        valid_from=valid_from,
        valid_until=valid_until,
        price_terms=price_terms,
        assignor=assignor_party,
        assignee=assignee_party,
        contract_sha256=digest,
        filed_by=user,
    )
    filing.works.set(works)
    filing.pledge_consents.set(consents)
    entry = ledger.append(kind="artrights/contract-filing@v1", statement=statements.contract_statement(filing))
    filing.log_index = entry.index
    filing.save(update_fields=["log_index", "commitment_salts"])
    audit.record("registry.file_contract", filing, actor=user)
    return filing


@transaction.atomic
def register_pledge(
    *,
    registrar: Any,
    works: list[Work],
    pledgor: PartyInput,
    pledgee: PartyInput,
    rights: list[str],
    secured_amount: Decimal,
    debt_term_end: dt.date,
    pledgee_user: Any = None,
) -> Pledge:
    """著作权质权登记: the pledge exists from its registration (Civil Code Art. 444)."""
    works = _granted_works(works)
    for work in works:
        require(registrar, "revoke", work)
    _check_rights(rights)
    if secured_amount <= 0:
        raise ValidationError(_("担保债权数额必须大于零。"))
    pledgor_party = resolve_party(pledgor)
    for work in works:
        owner_keys = set(work.owners().values_list("id_type", "id_number"))
        if (pledgor_party.id_type, pledgor_party.id_number) not in owner_keys:
            raise ValidationError(_("出质人不是作品“%(title)s”的著作权人。") % {"title": work.title})
    pledge = Pledge.objects.create(
        number=numbers.pledge_number(),
        pledgor=pledgor_party,
        pledgee=resolve_party(pledgee),
        pledgee_user=pledgee_user,
        rights=rights,
        secured_amount=secured_amount,
        debt_term_end=debt_term_end,
    )
    pledge.works.set(works)
    pledge.log_index = ledger.append(kind="artrights/pledge@v1", statement=statements.pledge_statement(pledge)).index
    pledge.save(update_fields=["log_index", "commitment_salts"])
    audit.record("registry.register_pledge", pledge, actor=registrar)
    return pledge


@transaction.atomic
def consent_to_contract(
    *, user: Any, pledge: Pledge, contract_type: str, assignee: PartyInput, note: str = ""
) -> PledgeConsent:
    """The pledgee records consent to one transfer or licence of the pledged works."""
    if pledge.pledgee_user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("只有质权人可以同意转让或许可出质作品。"))
    if pledge.status != PledgeStatus.REGISTERED:
        raise ValidationError(_("该质权已注销，无需同意。"))
    if contract_type not in ContractType.values:
        raise ValidationError(_("未知的合同类型。"))
    consent = PledgeConsent.objects.create(
        pledge=pledge, contract_type=contract_type, assignee=resolve_party(assignee), granted_by=user, note=note
    )
    audit.record("registry.pledge_consent", consent, actor=user)
    return consent


@transaction.atomic
def cancel_pledge(*, registrar: Any, pledge: Pledge) -> Pledge:
    """注销质权 (debt discharged): logged; the works are free to transfer again."""
    for work in pledge.works.all():
        require(registrar, "revoke", work)
    if pledge.status != PledgeStatus.REGISTERED:
        raise ValidationError(_("该质权已注销。"))
    pledge.status = PledgeStatus.CANCELLED
    pledge.cancelled_at = timezone.now()
    pledge.save(update_fields=["status", "cancelled_at"])
    ledger.append(kind="artrights/pledge-cancellation@v1", statement=statements.pledge_cancellation_statement(pledge))
    audit.record("registry.cancel_pledge", pledge, actor=registrar)
    return pledge


def first_owner(work: Work) -> PartyInput:
    """The work's first registered copyright owner, as the party of a contract or pledge."""
    owner = work.owners().order_by("pk").first()
    if owner is None:
        raise ValidationError(_("作品没有登记著作权人。"))
    return PartyInput(name=owner.name, id_type=owner.id_type, id_number=owner.id_number, kind=owner.kind)
