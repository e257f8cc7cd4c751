"""Background work for mediation: the signed agreement PDF after the commit, and the hourly sweep of deadlines."""

from __future__ import annotations

from huey import crontab

from artrights.core import audit
from artrights.core.background import db_periodic_task, db_task, lock

SWEEP_LOCK = lock("mediation.sweep")


@db_task(retries=3, retry_delay=30)
def issue_agreement_task(agreement_id: int) -> str:
    """Make and sign the PDF of an agreement that has just taken effect."""
    from .services import issue_pdf

    with audit.context(via="worker"):
        return issue_pdf(agreement_id=agreement_id).pdf_sha256


@db_periodic_task(crontab(minute="25"))
def sweep_task() -> dict[str, int]:
    """Every hour: overdue steps flagged and their people told; unanswered consultations and expired periods end."""
    from .services import sweep

    with SWEEP_LOCK, audit.context(via="worker"):
        return sweep()
