"""Abnormal operation that lasts (DOMAIN.md §3.1, S23 Art 17; the memorandum's AGENCY_SERIOUS): an agency still on
the abnormal-operation list three years after it was listed, its obligation unmet, goes to the joint-punishment list.
The move is a decision with the subject's right to state its case, so time does not make it: the sweep tells the
supervisors once when an entry becomes due, and a supervisor records the finding and proposes the listing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require

from ..models import EntryStatus, ListEntry, ListType, add_months
from ..notifications import ESCALATION_DUE
from ..selectors import ESCALATION_MONTHS, escalations_due
from ._common import locked, refused, supervisors, today
from .lists import propose_listing
from .records import RecordInput, record_conduct

ESCALATION_BEHAVIOUR = "AGENCY_SERIOUS"


def escalation_due_on(entry: ListEntry) -> dt.date | None:
    """The day ``entry`` may be escalated (None: not an abnormal-operation listing)."""
    if entry.list_type != ListType.ABNORMAL_OPERATION or entry.listed_on is None:
        return None
    return add_months(entry.listed_on, ESCALATION_MONTHS)


def notify_due(day: dt.date) -> int:
    """Tell the supervisors of each abnormal-operation listing that has just become due for escalation, once."""
    told = 0
    for entry in escalations_due(day).filter(escalation_noticed_on__isnull=True):
        with transaction.atomic():
            entry = locked(entry)
            if entry.escalation_noticed_on is not None:
                continue
            entry.escalation_noticed_on = day
            entry.save(update_fields=["escalation_noticed_on", "updated_at"])
            notify_supervisors(entry)
            told += 1
    return told


def notify_supervisors(entry: ListEntry) -> None:
    from artrights.core.services import notify

    notify(
        recipients=supervisors(),
        kind=ESCALATION_DUE.key,
        subject=entry,
        params={"number": entry.number, "name": entry.subject.name, "listed_on": str(entry.listed_on)},
        url=reverse("credit:entry", args=[entry.number]),
    )


@transaction.atomic
def escalate(*, user: Any, entry: ListEntry, source_dept: str, decision_no: str) -> ListEntry:
    """Record the agency's three years of unmet obligation and propose it for the joint-punishment list; the
    proposal runs its statement period like any other. Returns the proposed entry."""
    require(user, "propose_listing", entry.subject)
    entry = locked(entry)
    due = escalation_due_on(entry)
    if entry.status != EntryStatus.LISTED or due is None:
        raise refused("not_escalatable", _("只有在列的经营异常名录记录可以转列严重失信名单。"))
    if today() < due:
        raise refused(
            "escalation_not_due",
            _("列入经营异常名录满三年（%(date)s）仍未履行义务的，才能转列严重失信名单。"),
            date=due.isoformat(),
        )
    # The record's facts and the listing's basis are a legal record (committed to the public log, sent to partner
    # departments): worded in the platform's official language, whoever's interface proposed it.
    with translation.override(settings.LANGUAGE_CODE):
        facts = _("自 %(listed_on)s 列入经营异常名录（%(number)s），满三年仍未履行义务。") % {
            "listed_on": entry.listed_on.isoformat() if entry.listed_on else "",
            "number": entry.number,
        }
    record = record_conduct(
        user=user,
        subject=entry.subject,
        data=RecordInput(
            behaviour_code=ESCALATION_BEHAVIOUR,
            source_dept=source_dept,
            decision_no=decision_no,
            decided_on=today(),
            facts=str(facts),
        ),
    )
    return propose_listing(
        user=user,
        subject=entry.subject,
        list_type=ListType.NATIONAL_JOINT_IP,
        records=[record],
        basis=str(facts),
        decision_no=decision_no,
    )
