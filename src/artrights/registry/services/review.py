"""Review and the registration it ends in: a registrar's decisions, digital filing, changes and revocations.

Every decision goes through ``REGISTRATION_FLOW``, is saved and audited in one transaction, and, when it changes
what the public can rely on (registration, filing, change, revocation), appends a statement to the public log in
that same transaction, so a crash leaves either both or neither. Certificates are made after the commit
(``issuance.issue_certificate``), by the worker or inline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.accounts.models import Role
from artrights.core import audit
from artrights.core.messages import with_field_labels
from artrights.core.services import PartyInput
from artrights.ledger import services as ledger
from artrights.proofs.statements import StatementType

from .. import events, numbers, screening, statements
from ..models import (
    REGISTRATION_FLOW,
    Correction,
    Kind,
    RefusalGround,
    Resolution,
    RevocationGround,
    Right,
    ScreeningStage,
    Software,
    Status,
    Work,
    refusal_grounds,
)
from ._common import (
    SOFTWARE_CHANGEABLE,
    _closed_after_commit,
    _locked,
    _review_clock,
    _transition,
    correction_days,
    set_software_fields,
)
from .applications import (
    CORRECTABLE_FIELDS,
    SampleInput,
    create_application,
    refuse_second_submission,
    sample_hashes,
)


@transaction.atomic
def accept(*, work: Work, registrar: Any) -> Work:
    """Materials complete: accept and start the review clock in working days."""
    require(registrar, "review", work)
    work = _locked(work)
    _transition(work, "accept", registrar, accepted_at=timezone.now(), **_review_clock(work))
    screening.screen(work, stage=ScreeningStage.ACCEPTANCE)
    return work


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
    due = timezone.localdate() + dt.timedelta(days=correction_days(work))
    _transition(work, "request_correction", registrar, correction_notice=notice.strip(), correction_due=due)
    Correction.objects.create(
        work=work, round=work.corrections.count() + 1, notice=notice.strip(), requested_by=registrar, due=due
    )
    return work


@transaction.atomic
def refuse(*, work: Work, registrar: Any, ground: str, reason: str) -> Work:
    """Refuse registration (or a held filing) with a legal ground and written reasons. Refusing a copy of another
    owner's work records the screening warnings as upheld."""
    require(registrar, "review", work)
    if ground not in dict(refusal_grounds(work.kind)):
        raise ValidationError(_("请选择不予登记的依据。"))
    if not reason.strip():
        raise ValidationError(_("请写明不予登记的理由。"))
    work = _locked(work)
    _transition(
        work,
        "refuse",
        registrar,
        decided_at=timezone.now(),
        decided_by=registrar,
        decision_ground=ground,
        decision_reason=reason.strip(),
    )
    if ground == RefusalGround.NOT_OWNER:
        screening.resolve(work=work, registrar=registrar, resolution=Resolution.UPHELD, note=reason)
    _closed_after_commit(work)
    return work


def register(*, work: Work, registrar: Any, screening_note: str = "", issue_now: bool = False) -> Work:
    """Grant the registration: number, public log entry, then the certificate after the commit.

    The work is screened once more first; if it equals or resembles another owner's work, the registrar must
    have concluded it is not a copy and say why (``screening_note``), and that conclusion stays on record."""
    require(registrar, "review", work)
    with transaction.atomic():
        work = _locked(work)
        REGISTRATION_FLOW.target(work.status, "register")  # fail before using up a number
        _clear_for_grant(work, registrar=registrar, note=screening_note)
        _grant(work, action="register", actor=registrar, number=_registration_number(work))
    _after_grant(work, issue_now=issue_now)
    return work


def _registration_number(work: Work) -> str:
    """The number of the register the work belongs to; software also gets its certificate number here, and a
    version its owner registered meanwhile is refused (nothing is numbered then)."""
    if work.kind != Kind.SOFTWARE:
        return numbers.work_registration_number(work.work_type)
    from .software import refuse_registered_version

    software = Software.objects.select_for_update().get(work=work)
    refuse_registered_version(work, software.version)
    software.certificate_number = numbers.software_certificate_number()
    software.save(update_fields=["certificate_number"])
    work.software = software  # the statement and certificate read the number from here
    return numbers.software_registration_number()


def _clear_for_grant(work: Work, *, registrar: Any, note: str) -> None:
    if screening.screen(work, stage=ScreeningStage.GRANT):
        if not note.strip():
            raise ValidationError(
                _("这件作品与他人的作品相同或相似：请先核查重复登记提示，写明核查说明后再登记，或不予登记。"),
                code="copy_unresolved",
            )
        screening.resolve(work=work, registrar=registrar, resolution=Resolution.CLEARED, note=note)


def _grant(work: Work, *, action: str, actor: Any, number: str) -> None:
    now = timezone.now()
    work.number = number
    work.registered_at = now
    work.decided_at = now
    work.decided_by = actor if action in ("register", "release") else None
    statement, salts = statements.grant_statement(work)
    work.commitment_salts = salts
    entry = ledger.append(kind=statement["type"], statement=statement)
    work.log_index = entry.index
    work.certificate_due_since = now  # the certificate job, committed with the grant (issuance.issue_due)
    _transition(work, action, actor)


def _after_grant(work: Work, *, issue_now: bool) -> None:
    from ..signals import work_granted

    transaction.on_commit(lambda: work_granted.send(sender=Work, work=work))
    _certificate_after_commit(work, issue_now=issue_now, reason=_("首次签发"))


def _certificate_after_commit(work: Work, *, issue_now: bool, reason: str) -> None:
    """Make the certificate the committed grant or change calls for: here (the command line waits for it) or by
    the worker. Either may be lost to a killed process; ``certificate_due_since``, committed with the grant, lets
    ``issuance.issue_due`` repair it."""
    from .. import tasks

    if issue_now:
        from ..issuance import issue_certificate

        issue_certificate(work=work, reason=reason)
    else:
        transaction.on_commit(lambda: tasks.issue_certificate_task(work.pk))


def file_digital_work(
    *,
    user: Any,
    fields: dict[str, Any],
    owners: list[PartyInput],
    files: list[SampleInput],
    request: Any = None,
    issue_now: bool = False,
    client_key: str = "",
) -> Work:
    """数字作品备案: formal checks only; filing number and log entry at once, the certificate right after.

    The number, the log entry and the certificate job commit together. A filing whose image equals or resembles
    another owner's work (granted or pending) is not granted: it is held for a registrar, who releases or refuses
    it (``release`` / ``refuse``). The same ``client_key`` sent again returns the first filing, never a second."""
    # A filing that names no rights records the full set the owner holds by default.
    if not fields.get("rights"):
        fields = {**fields, "rights": [r for r in Right.values if r != Right.OTHER]}
    if not (client_key and Work.objects.filter(applicant=user, client_key=client_key).exists()):
        # A second filing of the same file is refused before a draft is made (a repeat with the key is not one).
        agency = getattr(user, "organisation", None) if user.role == Role.AGENCY else None
        refuse_second_submission(
            screening.earlier_submission(
                applicant_id=user.pk, agent_id=getattr(agency, "pk", None), hashes=sample_hashes(files)
            )
        )
    try:
        work = create_application(
            user=user,
            kind=Kind.DIGITAL_FILING,
            fields=fields,
            owners=owners,
            files=files,
            request=request,
            client_key=client_key,
        )
    except IntegrityError:
        # Two copies of one request raced; the first committed its draft under the key: go on with it.
        raced = Work.objects.filter(applicant=user, client_key=client_key).first() if client_key else None
        if raced is None:
            raise
        work = raced
    # The draft is committed on its own, so that the lock the grant takes is not held while the upload is
    # decoded; a process killed in between leaves only a draft, which the same request (same key) files.
    with transaction.atomic():
        work = _locked(work)
        if work.status != Status.DRAFT:  # the same request again: its filing as it stands
            return work
        _transition(work, "submit", user, flow_number=numbers.flow_number(), submitted_at=timezone.now())
        if screening.screen(work, stage=ScreeningStage.SUBMISSION):
            _transition(work, "hold", user)
            return work
        _grant(work, action="file", actor=user, number=numbers.digital_filing_number())
    _after_grant(work, issue_now=issue_now)
    return work


def release(*, work: Work, registrar: Any, screening_note: str, issue_now: bool = False) -> Work:
    """File a held digital filing after concluding it is not a copy of the other owner's work (said why)."""
    require(registrar, "review", work)
    with transaction.atomic():
        work = _locked(work)
        if work.kind != Kind.DIGITAL_FILING:
            raise ValidationError(_("只有数字作品备案可以这样放行。"), code="not_digital_filing")
        REGISTRATION_FLOW.target(work.status, "release")
        if not screening_note.strip():
            raise ValidationError(_("请写明核查说明：为什么这不是他人作品的复制品。"), code="note_required")
        screening.screen(work, stage=ScreeningStage.GRANT)
        screening.resolve(work=work, registrar=registrar, resolution=Resolution.CLEARED, note=screening_note)
        _grant(work, action="release", actor=registrar, number=numbers.digital_filing_number())
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
    ledger.append(kind=StatementType.REVOCATION, statement=statements.revocation_statement(work, ground))
    _transition(
        work,
        "revoke",
        registrar,
        decision_ground=ground,
        decision_reason=reason.strip(),
        decided_by=registrar,
        decided_at=timezone.now(),
    )
    from ..signals import work_revoked

    revoked = work
    transaction.on_commit(lambda: work_revoked.send(sender=Work, work=revoked))
    return work


CHANGEABLE_FIELDS = CORRECTABLE_FIELDS - {"work_type"}


def change(*, work: Work, registrar: Any, fields: dict[str, Any], reason: str, issue_now: bool = False) -> Work:
    """Change or supplement a registration (Z61): new version, logged, certificate reissued."""
    require(registrar, "change", work)
    if not work.is_granted:
        raise ValidationError(_("只有已登记或已备案的作品可以变更。"))
    software_fields = {k: v for k, v in fields.items() if work.kind == Kind.SOFTWARE and k in SOFTWARE_CHANGEABLE}
    fields = {k: v for k, v in fields.items() if k not in software_fields}
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
        before.update(set_software_fields(work, software_fields))
        fields = {**fields, **software_fields}
        work.version += 1
        statement, salts = statements.grant_statement(work, change_of=work.number)
        work.commitment_salts = salts
        work.log_index = ledger.append(kind=StatementType.CHANGE, statement=statement).index
        work.certificate_due_since = timezone.now()
        work.save()
        audit.record(
            "registry.change",
            work,
            actor=registrar,
            changes={"reason": reason, "fields": {k: [str(before[k]), str(v)] for k, v in fields.items()}},
        )
        events.announce(work, "change", actor=registrar)
    _certificate_after_commit(work, issue_now=issue_now, reason=_("变更后换发"))
    return work


def reissue_certificate(*, work: Work, user: Any, reason: str) -> Any:
    """补发或更换证书 (Z64): a new certificate serial for the same registration; earlier ones stay valid proofs."""
    require(user, "reissue_certificate", work)
    if not work.is_granted:
        raise ValidationError(_("只有已登记或已备案的作品可以补发证书。"))
    if not reason.strip():
        raise ValidationError(_("请写明补发或更换证书的原因。"))
    from ..issuance import issue_certificate

    return issue_certificate(work=work, reason=reason.strip()[:100], reissue=True)
