"""Applications: what an applicant or agency writes before and during review (CPCC form, DOMAIN.md §1.4, §1.6).

A draft is created with its owners and files in one transaction (nothing is kept when any part is refused) and
screened against every live work at once (``registry.screening``); the applicant submits it, answers a correction
notice (changed fields, added or withdrawn materials, an explanation; the review clock restarts) or withdraws it.
A correction period that runs out deems the application withdrawn.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.accounts.models import Role
from artrights.core.images import ImageRejected, load_image
from artrights.core.messages import as_validation_error, with_field_labels
from artrights.core.models import StoredFile
from artrights.core.services import PartyInput, check_upload, store_file

from .. import numbers, screening, statements
from ..models import (
    Correction,
    FileRole,
    Kind,
    PartyRole,
    ScreeningStage,
    Status,
    Work,
    WorkFile,
    WorkParty,
    names_fit_certificate,
)
from . import representation
from ._common import (
    SOFTWARE_CHANGEABLE,
    _closed_after_commit,
    _locked,
    _review_clock,
    _transition,
    set_software_fields,
)

# Work types whose sample is a picture: the sample must decode as an image and gets fingerprinted.
VISUAL_TYPES = {"FINE_ART", "PHOTOGRAPHY", "ARCHITECTURE", "GRAPHIC", "MODEL"}


@dataclass
class SampleInput:
    """An uploaded file with the role it plays in the application."""

    upload: UploadedFile[bytes]
    role: str = FileRole.SAMPLE


@dataclass
class InspectedImage:
    width: int
    height: int
    iscc: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def inspect_image(data: bytes) -> InspectedImage:
    """Decode an untrusted image (refusing non-images, truncation, bombs) and compute its ISCC image code."""
    width, height = load_image(data).size  # the decoded pixels are freed before the ISCC decodes its own
    return InspectedImage(width=width, height=height, iscc=statements.iscc_for(data))


def _image_error(exc: ImageRejected) -> ValidationError:
    return as_validation_error(exc, _("作品样本不是可用的图片：%(reason)s"))


Checked = list[tuple[SampleInput, "InspectedImage | None"]]


def _check_files(files: list[SampleInput], *, pictures: bool, request: Any) -> Checked:
    """Every upload checked before anything is written: present, within the size limit, and a sample that is a
    picture decodes as an image (refusing non-images, truncation and decompression bombs)."""
    checked: Checked = []
    for item in files:
        upload = check_upload(item.upload, request)
        upload.seek(0)
        info = None
        if item.role == FileRole.SAMPLE and pictures:
            try:
                info = inspect_image(upload.read())
            except ImageRejected as exc:
                raise _image_error(exc) from None
        checked.append((item, info))
    return checked


def _store_files(work: Work, checked: Checked, *, user: Any, request: Any, saved: list[str]) -> list[WorkFile]:
    """Keep the checked uploads as the work's materials; ``saved`` collects blob names to delete on rollback."""
    made = []
    for item, info in checked:
        stored = store_file(owner=user, upload=item.upload, request=request)
        saved.append(str(stored.file.name))
        made.append(
            WorkFile.objects.create(
                work=work,
                stored_file=stored,
                role=item.role,
                iscc=info.iscc if info else "",
                width=info.width if info else None,
                height=info.height if info else None,
            )
        )
    return made


def _delete_blobs(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _pictures(kind: str, work_type: str | None) -> bool:
    return kind == Kind.DIGITAL_FILING or work_type in VISUAL_TYPES


def screen_application(work: Work, *, stage: str) -> list[Any]:
    """Screen ``work`` against every live work; a second submission of the same file by the same applicant is
    refused outright (the first one is still in the registry's hands or already granted)."""
    refuse_second_submission(screening.same_submission(work))
    return screening.screen(work, stage=stage)


def refuse_second_submission(earlier: Work | None) -> None:
    if earlier is not None:
        raise ValidationError(
            _("这件作品的样本与您的申请“%(title)s”（%(ref)s）相同，请勿重复提交。")
            % {"title": earlier.title, "ref": earlier.number or earlier.flow_number or _("草稿")},
            code="second_submission",
        )


def sample_hashes(files: list[SampleInput]) -> list[str]:
    """The SHA-256 of each uploaded sample, read before anything is stored."""
    found = []
    for item in files:
        if item.role == FileRole.SAMPLE:
            item.upload.seek(0)
            found.append(StoredFile.digest(item.upload.chunks())[0])
            item.upload.seek(0)
    return found


MAX_CLIENT_KEY = 100


def request_digest(kind: str, fields: dict[str, Any], owners: list[PartyInput], files: list[SampleInput]) -> str:
    """What a filing request asked for, as a SHA-256: the same idempotency key must come with the same request."""
    hashes = []
    for item in files:
        item.upload.seek(0)
        digest = hashlib.sha256()
        for chunk in item.upload.chunks():
            digest.update(chunk)
        item.upload.seek(0)
        hashes.append([item.role, digest.hexdigest()])
    asked = {"kind": kind, "fields": fields, "owners": [dataclasses.asdict(o) for o in owners], "files": hashes}
    return hashlib.sha256(json.dumps(asked, sort_keys=True, default=str).encode()).hexdigest()


def replayed(*, user: Any, client_key: str, digest: str) -> Work | None:
    """The work an earlier request with this idempotency key made, or None; a different request under the same
    key is refused (the client reused a key by mistake, and must not get someone else's answer)."""
    if not client_key:
        return None
    if len(client_key) > MAX_CLIENT_KEY or not client_key.isprintable():
        raise ValidationError(
            _("Idempotency-Key 须为不超过 %(limit)s 个可打印字符。") % {"limit": MAX_CLIENT_KEY}, code="bad_client_key"
        )
    earlier = Work.objects.filter(applicant=user, client_key=client_key).first()
    if earlier is not None and earlier.client_digest != digest:
        raise ValidationError(
            _("这个 Idempotency-Key 已用于另一份内容不同的申请（%(ref)s）；新的申请请换一个键。")
            % {"ref": earlier.number or earlier.flow_number or earlier.title},
            code="client_key_reused",
        )
    return earlier


def create_application(
    *,
    user: Any,
    kind: str = Kind.REGISTRATION,
    fields: dict[str, Any],
    owners: list[PartyInput],
    files: list[SampleInput],
    request: Any = None,
    client_key: str = "",
    attach: Callable[[Work], None] | None = None,
) -> Work:
    """A new application (draft) with its owners and files; nothing is stored when any part is refused.

    ``attach`` adds what another register keeps beside the work (the software's particulars and deposit), in the
    same transaction and before the draft is screened.

    A rights holder's account files in its own verified name (``owners`` may add co-owners, or be empty); an
    agency names the owners and uploads their power of attorney (``representation``). A request repeated with
    the same ``client_key`` (the API's ``Idempotency-Key``) returns the application the first one made."""
    require(user, "apply", Work)
    digest = request_digest(kind, fields, owners, files) if client_key else ""
    earlier = replayed(user=user, client_key=client_key, digest=digest)
    if earlier is not None:
        return earlier
    if not [f for f in files if f.role == FileRole.SAMPLE]:
        raise ValidationError(_("请上传作品样本。"))
    checked = _check_files(files, pictures=_pictures(kind, fields.get("work_type")), request=request)
    saved: list[str] = []
    try:
        with transaction.atomic():
            parties = representation.filer(user=user, kind=kind, owners=owners, files=files)
            owner_errors = names_fit_certificate([party.name for party, _sig in parties.owners], label=_("著作权人"))
            if owner_errors:
                raise ValidationError({"owners": owner_errors})
            work = Work(
                kind=kind,
                applicant=user,
                agent=getattr(user, "organisation", None) if parties.agent or user.role == Role.AGENCY else None,
                client_key=client_key,
                client_digest=digest,
                **fields,
            )
            try:
                work.full_clean(exclude=["applicant", "flow_number", "number"])
            except ValidationError as exc:
                raise with_field_labels(exc, Work) from None
            work.save()
            for position, (party, signature) in enumerate(parties.owners):
                WorkParty.objects.get_or_create(
                    work=work, party=party, role=PartyRole.OWNER, defaults={"signature": signature}
                )
                if position == 0:
                    WorkParty.objects.create(work=work, party=party, role=PartyRole.APPLICANT)
            if parties.agent is not None:
                WorkParty.objects.create(work=work, party=parties.agent, role=PartyRole.AGENT)
            _store_files(work, checked, user=user, request=request, saved=saved)
            if attach is not None:
                attach(work)
            if kind != Kind.DIGITAL_FILING:  # a filing is screened once, when it is filed
                _check_duplicates(work)
            return work
    except Exception:
        _delete_blobs(saved)
        raise


def _check_duplicates(work: Work) -> None:
    screen_application(work, stage=ScreeningStage.APPLICATION)


@transaction.atomic
def submit(*, work: Work, user: Any) -> Work:
    """The applicant submits a draft; it gets its acceptance number (流水号) and is screened again. Software whose
    code overlaps another owner's software is held for a registrar (``software.clear_hold`` or ``refuse``)."""
    require(user, "submit", work)
    work = _locked(work)
    _transition(work, "submit", user, flow_number=numbers.flow_number(), submitted_at=timezone.now())
    screen_application(work, stage=ScreeningStage.SUBMISSION)
    if work.kind == Kind.SOFTWARE and screening.blocking(work).exists():
        # Its code overlaps another owner's software: held until a registrar clears or refuses it.
        _transition(work, "hold", user)
    return work


def correct(
    *,
    work: Work,
    user: Any,
    fields: dict[str, Any] | None = None,
    files: list[SampleInput] | None = None,
    withdraw_files: list[int] | None = None,
    note: str = "",
    request: Any = None,
    replace: Replacement | None = None,
) -> Work:
    """The applicant answers the correction notice before its deadline: changed fields, added materials, materials
    taken back (kept as superseded, never deleted) and an explanation. The review clock restarts (DOMAIN.md §1.6)
    and the registrar sees exactly what changed. An answer that changes and explains nothing is refused.
    ``replace``: materials the platform made for the applicant and now remakes (a software's deposit), run in the
    same transaction."""
    require(user, "correct", work)
    fields, files, withdraw_files = dict(fields or {}), list(files or []), list(withdraw_files or [])
    software_fields = {k: v for k, v in fields.items() if work.kind == Kind.SOFTWARE and k in SOFTWARE_CHANGEABLE}
    fields = {k: v for k, v in fields.items() if k not in software_fields}
    unknown = sorted(set(fields) - CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(_("这些事项不能在补正中修改：%(fields)s") % {"fields": "、".join(unknown)})
    checked = _check_files(
        files, pictures=_pictures(work.kind, fields.get("work_type", work.work_type)), request=request
    )
    saved: list[str] = []
    try:
        with transaction.atomic():
            work = _locked(work)
            round_ = _open_correction(work)
            changes = _apply_fields(work, fields)
            before = set_software_fields(work, software_fields)
            changes.update(
                {k: [_shown(v), _shown(software_fields[k])] for k, v in before.items() if v != software_fields[k]}
            )
            removed = _withdraw_files(work, withdraw_files)
            added = _store_files(work, checked, user=user, request=request, saved=saved)
            if replace is not None:
                remade = replace(work, saved)
                added, removed = added + remade.added, removed + remade.removed
                changes.update(remade.changes)
            if not (changes or removed or added or note.strip()):
                raise ValidationError(
                    _("补正没有修改任何内容，也没有说明：请按补正通知修改、补充材料或写明说明。"),
                    code="nothing_changed",
                )
            if not work.workfile_set.filter(role=FileRole.SAMPLE).exists():
                raise ValidationError(_("补正后须至少保留一份作品样本。"), code="no_sample")
            round_.answered_at, round_.answered_by, round_.note = timezone.now(), user, note.strip()
            round_.changes = changes
            round_.files_added = [_file_ref(wf) for wf in added]
            round_.files_removed = [_file_ref(wf) for wf in removed]
            round_.save()
            _transition(work, "correct", user, **_review_clock(work))
            if added or removed:
                screen_application(work, stage=ScreeningStage.SUBMISSION)
            return work
    except Exception:
        _delete_blobs(saved)
        raise


@dataclass
class Remade:
    """What a :data:`Replacement` did: materials stored, materials superseded, particulars changed."""

    added: list[WorkFile]
    removed: list[WorkFile]
    changes: dict[str, list[Any]]


# Called with the locked work and the list of blob names to delete should the transaction fail.
Replacement = Callable[[Work, list[str]], Remade]


def _open_correction(work: Work) -> Correction:
    """The notice being answered; refused once its deadline has passed (the application is then deemed withdrawn)."""
    if work.status != Status.CORRECTION_REQUIRED:
        raise ValidationError(_("这件申请目前没有待补正的通知。"), code="no_notice")
    if work.correction_due and work.correction_due < timezone.localdate():
        raise ValidationError(
            _("补正期限 %(due)s 已过，申请视为撤回，不能再补正。") % {"due": work.correction_due.isoformat()},
            code="correction_overdue",
        )
    found = work.corrections.filter(answered_at=None).order_by("-round").first()
    if found is None:  # a notice from before corrections were recorded
        found = Correction.objects.create(
            work=work,
            round=work.corrections.count() + 1,
            notice=work.correction_notice,
            due=work.correction_due or timezone.localdate(),
        )
    return found


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value)
    return "" if value is None else str(value)


def _apply_fields(work: Work, fields: dict[str, Any]) -> dict[str, list[str]]:
    """Set the corrected fields and return what changed as ``{field: [before, after]}`` for display."""
    changes = {}
    for name, value in fields.items():
        before = getattr(work, name)
        if before != value:
            changes[name] = [_shown(before), _shown(value)]
            setattr(work, name, value)
    try:
        work.full_clean(exclude=["applicant", "flow_number", "number"])
    except ValidationError as exc:
        raise with_field_labels(exc, Work) from None
    return changes


def _withdraw_files(work: Work, ids: list[int]) -> list[WorkFile]:
    found = list(work.workfile_set.filter(pk__in=ids).exclude(role=FileRole.SUPERSEDED).select_related("stored_file"))
    if len(found) != len(set(ids)):
        raise ValidationError(_("要撤下的材料不属于这件申请。"), code="unknown_file")
    for wf in found:
        wf.role = FileRole.SUPERSEDED
        wf.save(update_fields=["role"])
    return found


def _file_ref(wf: WorkFile) -> dict[str, str]:
    return {"role": wf.role, "name": wf.stored_file.original_name, "sha256": wf.stored_file.sha256}


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
def withdraw(*, work: Work, user: Any) -> Work:
    """The applicant withdraws (Z63); a withdrawn application no longer counts in anyone's screening."""
    require(user, "withdraw", work)
    work = _locked(work)
    _transition(work, "withdraw", user)
    _closed_after_commit(work)
    return work


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
                _closed_after_commit(locked)
                count += 1
    return count
