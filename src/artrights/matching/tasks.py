"""Background work for copy detection; thin wrappers around services."""

from __future__ import annotations

from huey import crontab
from huey.exceptions import RetryTask

from artrights.core import audit
from artrights.core.background import db_periodic_task, db_task, lock


@db_task(retries=2, retry_delay=30)
def fingerprint_work_task(work_id: int) -> int:
    from artrights.registry.models import Work

    from .services import fingerprint_work

    work = Work.objects.filter(pk=work_id).first()
    if work is None:  # a queue kept across a database reset; nothing to do
        return 0
    with audit.context(via="worker"):
        return len(fingerprint_work(work))


_one_page_round = lock("matching.check_watched_pages")


@db_task()
def check_url_task(check_id: int) -> str:
    """Fetch and match the image of a URL check; while its requester has another check running, wait a few
    seconds and try again (one running check per person)."""
    from .services import UrlCheckRun, run_url_check

    with audit.context(via="worker"):
        outcome = run_url_check(check_id)
    if outcome is UrlCheckRun.BUSY:
        raise RetryTask(delay=3)
    return str(outcome.value)


@db_periodic_task(crontab(minute="*/15"))
def check_watched_pages_task() -> int:
    """Check every watched page whose interval has passed. One run at a time: a run that outlasts the quarter
    hour leaves the next one nothing to do, instead of a second thread checking the same pages."""
    from .selectors import due_pages
    from .services import check_page

    with _one_page_round, audit.context(via="worker"):
        pages = due_pages()
        for page in pages:
            check_page(page)
        return len(pages)


@db_periodic_task(crontab(minute="*/5"))
def refingerprint_task() -> int:
    """After an engine upgrade, extract the registry's fingerprints again, a minute of work at a time (so the
    worker keeps serving other tasks); `artrights refingerprint` does it at once."""
    from .services import refingerprint_stale

    return refingerprint_stale(seconds=60).renewed
