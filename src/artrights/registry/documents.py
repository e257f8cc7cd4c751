"""The documents the registry issues after a step: acceptance receipt, correction notice, refusal decision, and the
certificates of contract filings and pledges, each a signed PDF kept as a ``RegistryDocument``.

``events.py`` announces every step once it is committed; :func:`on_work_event` (connected in ``apps.py``) queues
one ``tasks.issue_document_task`` per document the step calls for:

========================  ===========================  ===========================================
event                     document                     the subject it belongs to
========================  ===========================  ===========================================
``accept``                受理通知书                    the work
``request_correction``    补正通知书                    the work's newest ``Correction`` (the round)
``refuse``                不予登记（备案）决定书          the work
``contract_filed``        著作权合同备案证明             the ``ContractFiling`` (event subject)
``pledge_registered``     著作权质权登记证书             the ``Pledge`` (event subject)
========================  ===========================  ===========================================

:func:`issue_document` is idempotent like ``issuance.issue_certificate``: a retried task, or the same contract
announced for each of its works, gets the document already made. The certificates embed their public proof
bundle (``ledger.flows.issue_bundle``: the parties only as commitments), the letters a ``document.json``.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from artrights.core import audit, public_url
from artrights.ledger import flows
from artrights.ledger.keys import log_origin
from artrights.proofs.bundle import dump_bundle
from artrights.proofs.statements import Openings
from artrights.timestamps import services as timestamps

from . import document_pdf
from .certificate_pdf import sign_pdf
from .keys import signing_identity
from .models import (
    ContractFiling,
    ContractType,
    Correction,
    DocumentKind,
    Kind,
    PartyRole,
    Pledge,
    RefusalGround,
    RegistryDocument,
    Right,
    Work,
)

logger = logging.getLogger(__name__)

EVENT_DOCUMENTS = {
    "accept": DocumentKind.ACCEPTANCE_RECEIPT,
    "request_correction": DocumentKind.CORRECTION_NOTICE,
    "refuse": DocumentKind.REFUSAL_DECISION,
    "contract_filed": DocumentKind.CONTRACT_CERTIFICATE,
    "pledge_registered": DocumentKind.PLEDGE_CERTIFICATE,
}
# The document number is the application's flow number with the kind's initials (受理 SL, 补正 BZ, 决定 JD), or the
# filing's own number for a certificate.
_SUFFIX = {
    DocumentKind.ACCEPTANCE_RECEIPT: "SL",
    DocumentKind.CORRECTION_NOTICE: "BZ",
    DocumentKind.REFUSAL_DECISION: "JD",
}


def on_work_event(sender: Any, *, work: Work, event: str, subject: Any = None, **kwargs: Any) -> None:
    """``work_event`` receiver: queue the document this step calls for, if any."""
    kind = EVENT_DOCUMENTS.get(event)
    if kind is None:
        return
    from . import tasks

    subject_id: int | None = None
    if kind == DocumentKind.CORRECTION_NOTICE:
        # The step's row: the round the registrar has just opened.
        correction = work.corrections.order_by("-round").first()
        if correction is None:
            logger.warning("work %s asked for a correction without a Correction row", work.pk)
            return
        subject_id = correction.pk
    elif kind in (DocumentKind.CONTRACT_CERTIFICATE, DocumentKind.PLEDGE_CERTIFICATE):
        subject_id = subject.pk
    tasks.issue_document_task(str(kind), work.pk, subject_id)


def issue_document(*, kind: str, work: Work, subject_id: int | None = None) -> RegistryDocument:
    """The document of ``kind`` about ``work`` (and its subject), made and signed once; later calls return it."""
    kind = DocumentKind(kind)
    subject = _subject(kind, subject_id)
    existing = _existing(kind, work, subject)
    if existing is not None:
        return existing
    with translation.override(settings.LANGUAGE_CODE):  # documents are in Chinese, whoever's request made them
        number, pdf = _render(kind, Work.objects.get(pk=work.pk), subject)
    identity = signing_identity()
    signed = sign_pdf(
        pdf, identity.key, identity.chain, timestamps.answer, reason=f"{DocumentKind(kind).label}签发 / issued"
    )
    document = RegistryDocument(
        work=work,
        kind=kind,
        number=number,
        sha256=hashlib.sha256(signed).hexdigest(),
        correction=subject if isinstance(subject, Correction) else None,
        contract_filing=subject if isinstance(subject, ContractFiling) else None,
        pledge=subject if isinstance(subject, Pledge) else None,
    )
    document.pdf.save(f"{number.replace('/', '-')}.pdf", ContentFile(signed), save=False)
    try:
        with transaction.atomic():
            document.save()
            audit.record("registry.issue_document", work, changes={"kind": str(kind), "number": number})
    except IntegrityError:
        # Another run of the same task got there first: keep its document, drop this copy's file.
        document.pdf.delete(save=False)
        found = _existing(kind, work, subject)
        if found is None:
            raise
        return found
    return document


_SUBJECTS: dict[str, type[Correction] | type[ContractFiling] | type[Pledge]] = {
    DocumentKind.CORRECTION_NOTICE: Correction,
    DocumentKind.CONTRACT_CERTIFICATE: ContractFiling,
    DocumentKind.PLEDGE_CERTIFICATE: Pledge,
}


def _subject(kind: DocumentKind, subject_id: int | None) -> Correction | ContractFiling | Pledge | None:
    model = _SUBJECTS.get(kind)
    if model is None:
        return None
    if subject_id is None:
        raise ValueError(f"a {kind} belongs to a {model.__name__}: give its id")
    return model.objects.get(pk=subject_id)


def _existing(kind: DocumentKind, work: Work, subject: Any) -> RegistryDocument | None:
    documents = RegistryDocument.objects.filter(kind=kind, serial=1)
    if isinstance(subject, Correction):
        return documents.filter(correction=subject).first()
    if isinstance(subject, ContractFiling):
        return documents.filter(contract_filing=subject).first()
    if isinstance(subject, Pledge):
        return documents.filter(pledge=subject).first()
    return documents.filter(work=work).first()


def _register(work: Work) -> document_pdf.Register:
    if work.kind == Kind.SOFTWARE:
        return "software"
    return "digital_filing" if work.kind == Kind.DIGITAL_FILING else "registration"


def applicant_name(work: Work) -> str:
    """The applicant as the application names them (the applicant party), else the account's name."""
    named = work.parties.filter(workparty__role=PartyRole.APPLICANT).values_list("name", flat=True).first()
    if named:
        return str(named)
    owner = work.owners().order_by("pk").values_list("name", flat=True).first()
    return str(owner or work.applicant.get_full_name() or work.applicant.get_username())


def _verify_url() -> str:
    return public_url.absolute(reverse("verify"))


def _date(moment: Any) -> Any:
    return timezone.localtime(moment).date() if moment else timezone.localdate()


def _render(kind: DocumentKind, work: Work, subject: Any) -> tuple[str, bytes]:
    """The document's number and its unsigned PDF."""
    font, issuer = settings.ARTRIGHTS_CJK_FONT, settings.ARTRIGHTS_REGISTRY_NAME
    if kind == DocumentKind.CONTRACT_CERTIFICATE:
        return subject.number, document_pdf.render_contract_certificate(_contract(subject), font=font)
    if kind == DocumentKind.PLEDGE_CERTIFICATE:
        return subject.number, document_pdf.render_pledge_certificate(_pledge(subject), font=font)
    flow = work.flow_number or str(work.pk)
    about = document_pdf.Application(
        issuer=issuer,
        applicant=applicant_name(work),
        flow_number=flow,
        title=work.title,
        verify_url=_verify_url(),
        register=_register(work),
    )
    if kind == DocumentKind.ACCEPTANCE_RECEIPT:
        number = f"{flow}-{_SUFFIX[kind]}"
        letter = document_pdf.acceptance_receipt(
            about,
            number=number,
            work_type=str(work.get_work_type_display()),
            submitted_on=_date(work.submitted_at),
            accepted_on=_date(work.accepted_at),
            working_days=(
                settings.ARTRIGHTS_SOFTWARE_REVIEW_DAYS
                if work.kind == Kind.SOFTWARE
                else settings.ARTRIGHTS_REVIEW_WORKING_DAYS
            ),
            due=work.review_due or _date(work.accepted_at),
            provisional=work.review_due_provisional,
        )
    elif kind == DocumentKind.CORRECTION_NOTICE:
        number = f"{flow}-{_SUFFIX[kind]}{subject.round}"
        letter = document_pdf.correction_notice(
            about,
            number=number,
            round=subject.round,
            notice=subject.notice,
            notified_on=_date(subject.requested_at),
            due=subject.due,
        )
    else:
        number = f"{flow}-{_SUFFIX[kind]}"
        ground = work.decision_ground
        letter = document_pdf.refusal_decision(
            about,
            number=number,
            ground=ground,
            ground_label=str(dict(RefusalGround.choices).get(ground, ground)),
            reason=work.decision_reason,
            decided_on=_date(work.decided_at),
        )
    return number, document_pdf.render_letter(letter, font=font)


def _rights(values: list[str]) -> list[str]:
    labels = dict(Right.choices)
    return [str(labels.get(value, value)) for value in values]


def _proof(index: int | None, salts: dict[str, Any]) -> document_pdf.LoggedProof:
    """The public proof bundle of a filing's log entry (its parties only as commitments), for its certificate."""
    if index is None:
        raise ValueError("the filing has no log entry")
    bundle = flows.issue_bundle(index=index, openings=Openings.from_json(salts or {}))
    return document_pdf.LoggedProof(_verify_url(), log_origin(), index, dump_bundle(bundle))


def _contract(filing: ContractFiling) -> document_pdf.ContractCertificate:
    return document_pdf.ContractCertificate(
        number=filing.number,
        contract_type=str(dict(ContractType.choices).get(filing.contract_type, filing.contract_type)),
        works=[(w.title, w.number or "") for w in filing.works.order_by("pk")],
        assignor=filing.assignor.name,
        assignee=filing.assignee.name,
        rights=_rights(filing.rights),
        territory=filing.territory,
        valid_from=filing.valid_from,
        valid_until=filing.valid_until,
        contract_sha256=filing.contract_sha256,
        issuer=settings.ARTRIGHTS_REGISTRY_NAME,
        filed_on=_date(filing.filed_at),
        proof=_proof(filing.log_index, filing.commitment_salts),
    )


def _pledge(pledge: Pledge) -> document_pdf.PledgeCertificate:
    return document_pdf.PledgeCertificate(
        number=pledge.number,
        works=[(w.title, w.number or "") for w in pledge.works.order_by("pk")],
        pledgor=pledge.pledgor.name,
        pledgee=pledge.pledgee.name,
        rights=_rights(pledge.rights),
        secured_amount=f"{pledge.secured_amount:,.2f} 元",
        debt_term_end=pledge.debt_term_end,
        issuer=settings.ARTRIGHTS_REGISTRY_NAME,
        registered_on=_date(pledge.registered_at),
        proof=_proof(pledge.log_index, pledge.commitment_salts),
    )
