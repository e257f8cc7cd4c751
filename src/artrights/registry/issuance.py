"""Making a granted work's certificate: checkpoint, inclusion proof, timestamp, signed PDF, content credentials;
and handing the owner the openings the public proof leaves out.

Runs after the registration is committed (by the worker, or inline for the digital-filing fast path). It is
idempotent: a work that already has a certificate for its current log entry gets that one back.

The certificate, its ``certificate.json`` and the signed image carry the public bundle: the owner appears only as
a commitment (``proofs/bundle.py``). The openings that reveal the owner's ID number are a separate file the
owner downloads when they choose to (:func:`owner_openings`).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from artrights.accounts.access import require
from artrights.core import audit, public_url
from artrights.core.images import ImageRejected
from artrights.core.pki import SigningIdentity
from artrights.core.uploads import bounded_name
from artrights.ledger import flows
from artrights.ledger import selectors as ledger_selectors
from artrights.ledger.keys import log_origin
from artrights.proofs.bundle import dump_bundle, openings_file
from artrights.timestamps import services as timestamps

from . import events, selectors, statements
from .certificate_pdf import CertificateData, render_certificate, sign_pdf
from .certificate_pdf import Kind as CertificateKind
from .documents import applicant_name
from .keys import signing_identity
from .models import Certificate, FileRole, Kind, ObtainMode, Right, Status, Work, WorkFile

logger = logging.getLogger(__name__)

GRANTED_STATUSES = (Status.REGISTERED, Status.FILED)


def issue_certificate(*, work: Work, reason: str = "", reissue: bool = False) -> Certificate:
    """The certificate for the work's current registration entry (made once; later calls return it).

    `reissue` makes a new serial for the same entry (补发/换发, e.g. a lost certificate), with a fresh checkpoint.
    """
    work = Work.objects.get(pk=work.pk)
    index = work.log_index
    if not work.is_granted or index is None:
        raise ValueError(f"work {work.pk} is not granted")
    current = work.certificates.first()
    if current is not None and current.bundle.get("log", {}).get("index") == work.log_index and not reissue:
        return current
    bundle = flows.issue_bundle(index=index, openings=statements.openings_of(work))
    bundle_bytes = dump_bundle(bundle)
    samples = list(work.workfile_set.select_related("stored_file").filter(role=FileRole.SAMPLE).order_by("pk"))
    serial = (current.serial + 1) if current else 1
    data = CertificateData(
        number=work.number or "",
        title=work.title,
        work_type=str(work.get_work_type_display()),
        authors=[a["name"] for a in work.authors],
        owners=[p.name for p in work.owners().order_by("pk")],
        applicant=applicant_name(work),
        issuer=settings.ARTRIGHTS_REGISTRY_NAME,
        registered_on=timezone.localtime(work.registered_at).date(),
        verify_url=public_url.absolute(f"/verify/{work.number}"),
        log_origin=log_origin(),
        log_index=index,
        bundle_json=bundle_bytes,
        kind=_certificate_kind(work),
        created_on=work.completed_on,
        first_published_on=work.first_published_on,
        iscc=samples[0].iscc if samples and samples[0].iscc else None,
        serial=serial,
        picture=_picture(samples[0]) if samples and samples[0].iscc else None,
        **_software_particulars(work),
    )
    identity = signing_identity()
    pdf = sign_pdf(
        render_certificate(data, font=settings.ARTRIGHTS_CJK_FONT), identity.key, identity.chain, timestamps.answer
    )
    credentialed = _credentialed_copy(samples[0], bundle, identity) if samples and samples[0].iscc else None
    safe = bounded_name((work.number or str(work.pk)).replace("/", "-"), f"-{serial}.pdf")
    with transaction.atomic():
        # Another process (the worker and the sweeper, a retried task) may have issued it while this one rendered.
        locked = Work.objects.select_for_update().get(pk=work.pk)
        latest = locked.certificates.first()
        if latest is not None and latest.serial >= serial and latest.bundle.get("log", {}).get("index") == index:
            _clear_due(locked, index)
            return latest
        certificate = Certificate(work=work, serial=serial, bundle=bundle, reason=reason or _default_reason(serial))
        certificate.pdf.save(safe, ContentFile(pdf), save=False)
        if credentialed is not None:
            name, blob = credentialed
            certificate.credentialed_image.save(name, ContentFile(blob), save=False)
        try:
            certificate.save()
            _clear_due(locked, index)
            audit.record("registry.issue_certificate", work, changes={"serial": serial, "log_index": index})
            events.announce(work, "certificate_issued", subject=certificate)
        except BaseException:
            # Keep storage and database in step: files of a certificate that was not recorded are removed.
            certificate.pdf.delete(save=False)
            if certificate.credentialed_image:
                certificate.credentialed_image.delete(save=False)
            raise
    return certificate


def _certificate_kind(work: Work) -> CertificateKind:
    if work.kind == Kind.SOFTWARE:
        return "software"
    return "digital_filing" if work.kind == Kind.DIGITAL_FILING else "registration"


def _software_particulars(work: Work) -> dict[str, Any]:
    """What a software certificate prints beyond a work's (its particulars, certificate number and tree hash)."""
    if work.kind != Kind.SOFTWARE:
        return {}
    software = work.software
    obtain = dict(ObtainMode.choices)
    rights = dict(Right.choices)
    with translation.override("zh-hans"):  # the certificate is printed in Chinese, whoever triggers it
        extra_rows = [
            ("软件简称", software.short_name or "—"),
            ("版本号", software.version),
            ("权利取得方式", str(obtain.get(work.obtain_mode, work.obtain_mode))),
            ("权利范围", "、".join(str(rights.get(r, r)) for r in work.rights) or "—"),
        ]
    return {
        "extra_rows": tuple(extra_rows),
        "certificate_number": software.certificate_number or "",
        "tree_sha256": software.tree_sha256,
    }


def _default_reason(serial: int) -> str:
    return _("首次签发") if serial == 1 else _("变更后换发")


def _clear_due(work: Work, index: int) -> None:
    """The certificate for entry ``index`` exists: the job committed with the grant is done (unless the work has
    moved on to a newer entry meanwhile, whose certificate is still due)."""
    if work.certificate_due_since is not None and work.log_index == index:
        Work.objects.filter(pk=work.pk).update(certificate_due_since=None)


def issue_due(*, older_than: dt.timedelta = dt.timedelta(minutes=2), limit: int = 100) -> int:
    """The sweeper: certificates for granted works whose certificate job was lost (a killed process, a worker
    down) or failed. Works granted less than ``older_than`` ago are left to the job queued with their grant.
    Returns how many certificates were made; a work that fails again is logged and retried on the next sweep."""
    cutoff = timezone.now() - older_than
    due = list(
        Work.objects.filter(certificate_due_since__lte=cutoff, status__in=GRANTED_STATUSES)
        .order_by("certificate_due_since")
        .values_list("pk", flat=True)[:limit]
    )
    made = 0
    for pk in due:
        try:
            issue_certificate(work=Work.objects.get(pk=pk))
            made += 1
        except Exception:
            logger.exception("the certificate of work %s could not be made; the next sweep tries again", pk)
    # A due mark left on a work that is no longer granted (revoked before its certificate was made) is dropped.
    Work.objects.filter(certificate_due_since__lte=cutoff).exclude(status__in=GRANTED_STATUSES).update(
        certificate_due_since=None
    )
    return made


def _picture(sample: WorkFile) -> bytes | None:
    """The sample as a thumbnail for the certificate (600 px: sharp at the printed 40 mm), or None."""
    try:
        return selectors.sample_thumbnail(sample, size=600)
    except (ImageRejected, OSError) as exc:  # the certificate does not depend on its picture
        logger.warning("no picture on the certificate of %s: %s", sample.work_id, exc)
        return None


def owner_openings(*, work: Work, user: Any) -> dict[str, Any]:
    """The owner's openings file for the work's current registration entry (name, ID type and number of every
    party behind its commitment), for the owner to hand to whoever must confirm they are the owner; recorded."""
    require(user, "download_openings", work)
    if not work.is_granted or work.log_index is None:
        raise ValidationError(_("作品尚未登记，没有可以核对的著作权人身份。"))
    data = openings_file(ledger_selectors.statement_at(work.log_index), statements.openings_of(work))
    audit.record("registry.download_openings", work, actor=user, changes={"log_index": work.log_index})
    return data


def _credentialed_copy(sample: WorkFile, bundle: dict[str, Any], identity: SigningIdentity) -> tuple[str, bytes] | None:
    """The registered image with a C2PA manifest carrying the bundle and an ISCC soft binding, its signature
    time-stamped by the platform's TSA (like the PDF's).

    None when C2PA cannot embed a manifest in the sample's format (the certificate does not depend on it).
    """
    from artrights.proofs.content_credentials import ContentCredentialsError, image_mime, sign_image

    with sample.stored_file.file.open("rb") as fh:
        original = fh.read()
    try:
        signed = sign_image(original, bundle=bundle, signer=identity, timestamper=timestamps.answer)
    except ContentCredentialsError as exc:
        # A format C2PA cannot embed a manifest in, or a signing failure: the certificate does not depend on it.
        logger.warning("no content credentials for %s: %s", sample.stored_file, exc)
        return None
    extension = image_mime(original).split("/")[-1].replace("jpeg", "jpg")
    stem = sample.stored_file.original_name.rsplit(".", 1)[0] or "work"
    return bounded_name(stem, f".c2pa.{extension}"), signed
