"""Writes for core: parties, stored files and notifications."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import Count, F, Q, Sum
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import notifying, public_url, sms, tasks
from .messages import with_field_labels
from .models import Channel, Delivery, DeliveryStatus, Notification, Party, PartyKind, StoredFile


def check_upload(upload: UploadedFile[bytes] | None, request: HttpRequest | None = None) -> UploadedFile[bytes]:
    """The upload, or a ValidationError that says why it is missing or too large."""
    limit_mb = settings.ARTRIGHTS_MAX_UPLOAD_BYTES / (1024 * 1024)
    if getattr(request, "upload_too_large", False) or (
        upload is not None and (upload.size or 0) > settings.ARTRIGHTS_MAX_UPLOAD_BYTES
    ):
        raise ValidationError(_("上传内容过大：上限为 %(limit).0f MB。") % {"limit": limit_mb}, code="too_large")
    if upload is None:
        raise ValidationError(_("请选择要上传的文件。"), code="missing")
    if not upload.size:
        raise ValidationError(_("上传的文件是空的。"), code="empty")
    return upload


def _check_quota(owner: Any, size: int) -> None:
    """Refuse a file of ``size`` bytes that would take ``owner`` past the storage quota (all their files
    together, by bytes and by count); the caller's transaction holds the owner's row, so two uploads at once
    cannot both squeeze under it."""
    get_user_model()._default_manager.select_for_update().filter(pk=owner.pk).exists()
    held = StoredFile.objects.filter(owner=owner).aggregate(files=Count("id"), size=Sum("size"))
    files, used = held["files"], held["size"] or 0
    if files + 1 > settings.ARTRIGHTS_UPLOAD_QUOTA_FILES or used + size > settings.ARTRIGHTS_UPLOAD_QUOTA_BYTES:
        raise ValidationError(
            _(
                "您的账户存储的文件已达上限（%(max_files)s 个、%(max_size)s；已用 %(files)s 个、%(used)s），"
                "这个文件（%(size)s）没有保存。如需更多空间，请联系平台。"
            )
            % {
                "max_files": settings.ARTRIGHTS_UPLOAD_QUOTA_FILES,
                "max_size": filesizeformat(settings.ARTRIGHTS_UPLOAD_QUOTA_BYTES),
                "files": files,
                "used": filesizeformat(used),
                "size": filesizeformat(size),
            },
            code="quota",
        )


@transaction.atomic
def store_file(*, owner: Any, upload: UploadedFile[bytes] | None, request: HttpRequest | None = None) -> StoredFile:
    """Keep an uploaded file with its SHA-256; nothing is stored when the upload is refused (too large, empty,
    or past the owner's storage quota)."""
    upload = check_upload(upload, request)
    _check_quota(owner, upload.size or 0)
    upload.seek(0)
    sha256, size = StoredFile.digest(upload.chunks())
    upload.seek(0)
    stored = StoredFile(
        original_name=(upload.name or "upload")[:255],
        content_type=(upload.content_type or "")[:100],
        size=size,
        sha256=sha256,
        owner=owner,
    )
    stored.file.save(upload.name or "upload", upload, save=False)
    try:
        stored.save()
    except Exception:
        # Keep storage and database in step: a failed row must not leave an orphan blob behind.
        stored.file.delete(save=False)
        raise
    return stored


@transaction.atomic
def create_party(**fields: Any) -> Party:
    """Create a party after checking its identifier (GB 11643 / GB 32100)."""
    party = Party(**fields)
    party.full_clean()
    party.save()
    return party


@dataclass
class PartyInput:
    """A person or organisation as a form or API names them: who owns a work, signs a contract, takes a pledge."""

    name: str
    id_type: str
    id_number: str
    kind: str = PartyKind.NATURAL
    country: str = "中国"
    address: str = ""
    phone: str = ""
    email: str = ""
    signature: str = ""


def resolve_party(data: PartyInput) -> Party:
    """The party with this identifier, created on first use after checking it (GB 11643 / GB 32100).

    A party is one row per identifier across the platform, so every register sees the same person; a name
    that differs from the one already recorded for the identifier is refused rather than silently replaced.
    """
    candidate = Party(
        kind=data.kind,
        name=data.name.strip(),
        id_type=data.id_type,
        id_number=data.id_number,
        country=data.country,
        address=data.address,
        phone=data.phone,
        email=data.email,
    )
    try:
        candidate.clean()  # normalises and checks the identifier (GB 11643 / GB 32100)
        existing = Party.objects.filter(id_type=candidate.id_type, id_number=candidate.id_number).first()
        if existing is None:
            candidate.full_clean()
            candidate.save()
            return candidate
    except ValidationError as exc:
        raise with_field_labels(exc, Party) from None
    if existing.name != candidate.name:
        raise ValidationError(
            _("证件号码 %(id)s 已登记为“%(name)s”，与填写的姓名/名称不一致。")
            % {"id": candidate.id_number, "name": existing.name}
        )
    return existing


# How often one copy is tried before it stays failed (the first try and the worker's retries, see core.tasks).
DELIVERY_ATTEMPTS = 6
# A copy still waiting this long after its commit was lost on the way to the queue; one "sending" this long
# belongs to a worker that died mid-send.
_STALLED_PENDING = dt.timedelta(minutes=15)
_STALLED_SENDING = dt.timedelta(hours=1)


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    subject: models.Model | None = None,
    params: Mapping[str, Any] | None = None,
    url: str = "",
    actor: Any = None,
) -> list[Notification]:
    """Put a notification in each recipient's inbox in the caller's transaction; e-mail and SMS go after the commit.

    ``kind`` is a key some app declared in its ``notifications.py``; ``params`` fill its templates when someone
    reads it (text and numbers only); ``url`` is the path where the recipient acts on it. Everyone gets the inbox
    row; a copy goes by e-mail to those with an address, and by SMS to those with a verified phone when the
    platform has an SMS backend, unless they turned copies of this kind off (essential kinds cannot be).

    ``actor`` is the person whose act this reports: they are left out (no inbox row, no e-mail, no SMS), because
    one does not need telling what one just did, and a notice of one's own step buries the ones that need an
    answer. ``None`` (the worker, the clock, an act someone must hear of whoever did it) leaves everyone in.
    """
    spec = notifying.get(kind)
    stored = notifying.checked_params(spec, params or {})
    if url and (not url.startswith("/") or url.startswith("//") or "\\" in url):
        raise ValueError(f"notification {kind}: the link must be a path on this site, not {url!r}")
    with_sms = sms.configured()
    rows: list[Notification] = []
    seen: set[Any] = {actor.pk} if actor is not None else set()
    with transaction.atomic():
        for user in recipients:
            if user is None or user.pk in seen:
                continue
            seen.add(user.pk)
            recipient = cast(notifying.Recipient, user)
            row = Notification.objects.create(
                recipient=user,
                kind=kind,
                params=stored,
                object_type=subject._meta.label_lower if subject is not None else "",
                object_id=str(subject.pk) if subject is not None else "",
                url=url,
            )
            wanted = spec.essential or recipient.wants_copies_of(kind)
            copies = [(Channel.EMAIL, recipient.email)]
            if with_sms:
                copies.append((Channel.SMS, recipient.sms_number))
            for channel, address in copies:
                status = (
                    DeliveryStatus.NO_ADDRESS
                    if not address
                    else DeliveryStatus.PENDING
                    if wanted
                    else DeliveryStatus.OPTED_OUT
                )
                delivery = Delivery.objects.create(
                    notification=row, channel=channel, status=status, address=address if wanted else ""
                )
                if status == DeliveryStatus.PENDING:
                    # robust: a queue that is down must not fail the request that already committed; the
                    # periodic sweep (requeue_stalled_deliveries) sends the copy later.
                    transaction.on_commit(functools.partial(tasks.deliver_task, delivery.pk), robust=True)
            rows.append(row)
    return rows


def deliver(*, delivery_id: int) -> str:
    """Send one e-mail or SMS copy of a notification; a failure is recorded with its reason, then raised to retry."""
    now = timezone.now()
    # Claim the copy first, so a retry and the sweep never send it twice.
    claimed = Delivery.objects.filter(
        pk=delivery_id,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
        attempts__lt=DELIVERY_ATTEMPTS,
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=now)
    delivery = Delivery.objects.select_related("notification__recipient").filter(pk=delivery_id).first()
    if delivery is None:  # a queue kept across a database reset
        return ""
    if not claimed:
        return delivery.status
    # Status bookkeeping below uses queryset updates: the row's creation is audited, its retries need not be.
    try:
        if delivery.channel == Channel.EMAIL:
            _send_email(delivery)
        else:
            _send_sms(delivery)
    except Exception as exc:
        Delivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], updated_at=timezone.now()
        )
        raise
    Delivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), error="", updated_at=timezone.now()
    )
    return DeliveryStatus.SENT


def _links(notification: Notification) -> tuple[str, str]:
    """Where the recipient opens the notification (through the inbox, which marks it read) and changes settings."""
    # Named routes of the portal, which holds the inbox pages; reversing a name imports nothing from it.
    return (
        public_url.absolute(reverse("portal:notification", args=[notification.pk])),
        public_url.absolute(reverse("portal:account_settings")),
    )


def _send_email(delivery: Delivery) -> None:
    notification = delivery.notification
    recipient = cast(notifying.Recipient, notification.recipient)
    link, settings_link = _links(notification)
    with translation.override(recipient.language):
        title, body = notifying.render(notification.kind, notification.params)
        subject = _("【ArtRights】%(title)s") % {"title": " ".join(title.split())}
        text = render_to_string(
            "core/notification_email.txt",
            {"title": title, "body": body, "link": link, "settings_link": settings_link, "recipient": recipient},
        )
    EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [delivery.address]).send()


def _send_sms(delivery: Delivery) -> None:
    notification = delivery.notification
    recipient = cast(notifying.Recipient, notification.recipient)
    link, _settings_link = _links(notification)
    with translation.override(recipient.language):
        title = notifying.render(notification.kind, notification.params).title
        text = _("【ArtRights】%(title)s %(link)s") % {"title": " ".join(title.split()), "link": link}
    sms.backend().send(to=delivery.address, text=text)


def requeue_stalled_deliveries() -> int:
    """Queue again the copies the queue lost (still waiting long after the commit, or left by a dead worker)."""
    now = timezone.now()
    Delivery.objects.filter(status=DeliveryStatus.SENDING, updated_at__lt=now - _STALLED_SENDING).update(
        status=DeliveryStatus.FAILED, error="Interrupted: the worker stopped while sending", updated_at=now
    )
    stalled = Delivery.objects.filter(
        Q(status=DeliveryStatus.PENDING, updated_at__lt=now - _STALLED_PENDING)
        # Failed copies whose retries the worker lost (its own retries come within minutes, see core.tasks).
        | Q(status=DeliveryStatus.FAILED, updated_at__lt=now - _STALLED_SENDING, attempts__lt=DELIVERY_ATTEMPTS)
    ).values_list("pk", flat=True)
    ids = list(stalled[:1000])
    for delivery_id in ids:
        tasks.deliver_task(delivery_id)
    return len(ids)


# Files older than this that no row names are orphans: a blob written by a transaction still open (a
# certificate being recorded, an upload being stored) is younger.
ORPHAN_GRACE = dt.timedelta(hours=1)


def _file_fields() -> list[tuple[type[models.Model], str, str]]:
    """Every file field of every model, with the top folder its files go to in storage."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, models.FileField):
                upload_to = model_field.upload_to
                sample = upload_to(model(), "x") if callable(upload_to) else str(upload_to)
                found.append((model, model_field.name, str(sample).strip("/").split("/")[0]))
    return found


def _walk(storage: Any, folder: str) -> Iterable[str]:
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def collect_orphan_files(*, older_than: dt.timedelta = ORPHAN_GRACE, dry_run: bool = False) -> list[str]:
    """Delete stored files no row refers to (left by a process killed between writing a file and committing its
    row), older than ``older_than``; returns their names. Only the folders file fields write to are looked at."""
    from django.core.files.storage import default_storage

    fields = _file_fields()
    referenced: set[str] = set()
    for model, name, _folder in fields:
        referenced.update(n for n in model._default_manager.values_list(name, flat=True) if n)
    cutoff = timezone.now() - older_than
    orphans = []
    for folder in sorted({folder for _model, _name, folder in fields}):
        if not default_storage.exists(folder):
            continue
        for name in _walk(default_storage, folder):
            if name not in referenced and default_storage.get_modified_time(name) < cutoff:
                orphans.append(name)
    if not dry_run:
        for name in orphans:
            default_storage.delete(name)
    return orphans
