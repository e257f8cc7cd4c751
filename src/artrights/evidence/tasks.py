"""Background work for evidence: thin wrappers around services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import lock_task

from artrights.core import audit
from artrights.core.background import db_periodic_task, db_task


@db_task()
def capture_task(record_id: int) -> str:
    """Capture a page and seal it; not retried (a capture is taken once: a failure is recorded, void)."""
    from .models import EvidenceRecord
    from .services import run_capture

    if not EvidenceRecord.objects.filter(pk=record_id).exists():  # a queue kept across a database reset
        return ""
    with audit.context(via="worker"):
        return run_capture(record_id=record_id).status


@db_task(retries=3, retry_delay=10)
def seal_task(record_id: int) -> str:
    """Time-stamp, log and package a captured record; retried, and the sweep resumes what the retries could not."""
    from .models import EvidenceRecord
    from .services import seal

    if not EvidenceRecord.objects.filter(pk=record_id).exists():
        return ""
    with audit.context(via="worker"):
        return seal(record_id=record_id).status


@db_periodic_task(crontab(minute="*"))
def seal_due_task() -> int:
    """The sweeper: records a lost job left half-way."""
    from .services import seal_due

    with lock_task("evidence.seal_due"), audit.context(via="worker"):
        return seal_due()
