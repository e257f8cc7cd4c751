"""Writes for IP credit, one module per capability; every function checks access first and writes the audit log
and the public log in the caller's transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ..models import CreditSubject
from ._common import today
from .cases import ask_repair, decide_objection, decide_repair, extend_objection, extend_repair, file_objection
from .escalation import escalate
from .grades import add_evidence, recompute, withdraw_evidence
from .lists import decide_listing, extend_listing, propose_listing, remove_listing
from .partners import query_status, report_measure
from .records import RecordInput, publish, record_conduct, withdraw
from .subjects import PrincipalInput, add_principal, check_code, register_subject

__all__ = [
    "PrincipalInput",
    "RecordInput",
    "add_evidence",
    "add_principal",
    "ask_repair",
    "check_code",
    "decide_listing",
    "decide_objection",
    "decide_repair",
    "escalate",
    "extend_listing",
    "extend_objection",
    "extend_repair",
    "file_objection",
    "propose_listing",
    "publish",
    "query_status",
    "record_conduct",
    "register_subject",
    "remove_listing",
    "report_measure",
    "sweep",
    "withdraw",
    "withdraw_evidence",
]


def sweep(on: dt.date | None = None) -> dict[str, int]:
    """What time does by itself: records past their longest publicity period stop being published, listings past
    their period end, and agency grades follow (material older than its indicator's window stops counting)."""
    from . import escalation, lists, records

    day = on or today()
    done = {
        "records": records.expire_due(day),
        "listings": lists.expire_due(day),
        "escalations": escalation.notify_due(day),
        "grades": 0,
    }
    for subject in CreditSubject.objects.filter(is_agency=True).iterator():
        with transaction.atomic():
            latest = subject.evaluations.order_by("-at", "-pk").first()
            if recompute(subject=subject, reason="sweep") != latest:
                done["grades"] += 1
    return done
