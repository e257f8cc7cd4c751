"""Background work for the registry; thin wrappers around services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import lock_task

from artrights.core import audit
from artrights.core.background import db_periodic_task, db_task


@db_task(retries=3, retry_delay=10)
def issue_certificate_task(work_id: int) -> int:
    """Make the certificate of a newly granted (or changed) work; retried if a step fails."""
    from .issuance import issue_certificate
    from .models import Work

    work = Work.objects.filter(pk=work_id).first()
    if work is None:  # a queue kept across a database reset; nothing to do
        return 0
    with audit.context(via="worker"):
        return issue_certificate(work=work).pk


@db_periodic_task(crontab(minute="*"))
def issue_due_certificates_task() -> int:
    """The sweeper: a certificate for every grant whose job was lost (a killed process, a worker that was down)."""
    from .issuance import issue_due

    # One sweep at a time: a slow sweep and the next minute's must not render the same certificates twice.
    with lock_task("registry.issue_due"), audit.context(via="worker"):
        return issue_due()


@db_periodic_task(crontab(hour="1", minute="5"))
def deem_overdue_corrections_task() -> int:
    from .services import deem_overdue_corrections

    with audit.context(via="worker"):
        return deem_overdue_corrections()


@db_task(retries=3, retry_delay=10)
def issue_document_task(kind: str, work_id: int, subject_id: int | None) -> int:
    """Make the receipt, notice, decision or filing certificate a committed step calls for; retried if a step
    fails (``documents.issue_document`` is idempotent)."""
    from .documents import issue_document
    from .models import Work

    work = Work.objects.filter(pk=work_id).first()
    if work is None:  # a queue kept across a database reset; nothing to do
        return 0
    with audit.context(via="worker"):
        return issue_document(kind=kind, work=work, subject_id=subject_id).pk
