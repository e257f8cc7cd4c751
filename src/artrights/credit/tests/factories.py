"""Test data for credit: subjects, records, listings and cases made through the app's own services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from artrights.core.identifiers import compose_uscc, resident_id_check_char
from artrights.credit import services
from artrights.credit.models import CreditRecord, CreditSubject, ListEntry

_serials = itertools.count(1)


def uscc(serial: int | None = None) -> str:
    """A fresh, valid unified social credit code of a Shenzhen company."""
    return compose_uscc("9", "1", "440300", f"C{serial if serial is not None else next(_serials):07d}")


def resident_id(serial: int | None = None) -> str:
    """A fresh, valid resident ID number (Shenzhen Nanshan, born 1 January 1980)."""
    body = f"44030519800101{(serial if serial is not None else next(_serials)) % 1000:03d}"
    return body + resident_id_check_char(body)


def subject(
    supervisor: Any,
    *,
    name: str = "",
    code: str = "",
    agency: bool = False,
    principals: list[services.PrincipalInput] | None = None,
) -> CreditSubject:
    serial = next(_serials)
    return services.register_subject(
        user=supervisor,
        code=code or uscc(serial),
        name=name or f"深圳市测试科技有限公司{serial}",
        subject_type="legal_person",
        legal_rep="张法人",
        is_agency=agency,
        principals=principals or [],
    )


def person(supervisor: Any, *, name: str = "王失信", code: str = "") -> CreditSubject:
    return services.register_subject(user=supervisor, code=code or resident_id(), name=name, subject_type="natural")


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def record(
    supervisor: Any,
    target: CreditSubject,
    *,
    behaviour: str = "ABN_PATENT",
    decided_on: dt.date | None = None,
    severity: str = "",
    decision_no: str = "",
    disclosure: str = "",
    share_scope: str = "",
    publish: bool = True,
) -> CreditRecord:
    data = services.RecordInput(
        behaviour_code=behaviour,
        source_dept="国家知识产权局",
        decision_no=decision_no or f"国知发〔2026〕{next(_serials)}号",
        decided_on=decided_on or timezone.localdate(),
        severity=severity,
        facts="提交非正常专利申请 12 件。",
        disclosure=disclosure,
        share_scope=share_scope,
    )
    return services.record_conduct(user=supervisor, subject=target, data=data, publish=publish)


def proposed(
    supervisor: Any, target: CreditSubject, records: list[CreditRecord], *, list_type: str = "cnipa_dishonest"
) -> ListEntry:
    return services.propose_listing(
        user=supervisor,
        subject=target,
        list_type=list_type,
        records=records,
        basis="一年内两次提交非正常专利申请",
        decision_no=f"国知失信〔2026〕{next(_serials)}号",
    )


def after_statement_period(entry: ListEntry) -> ListEntry:
    """The statement period has run out (as if the days had passed)."""
    ListEntry.objects.filter(pk=entry.pk).update(statement_due=timezone.localdate() - dt.timedelta(days=1))
    entry.refresh_from_db()
    return entry


def listed(
    supervisor: Any,
    target: CreditSubject,
    records: list[CreditRecord] | None = None,
    *,
    list_type: str = "cnipa_dishonest",
    behaviour: str = "ABN_PATENT",
) -> ListEntry:
    """A subject listed after notice and the statement period, on its records (one made when none are given)."""
    chosen = records or [record(supervisor, target, behaviour=behaviour)]
    entry = after_statement_period(proposed(supervisor, target, chosen, list_type=list_type))
    return services.decide_listing(user=supervisor, entry=entry, list_it=True)


def listed_since(entry: ListEntry, day: dt.date) -> ListEntry:
    """Move a listing back in time, keeping its period's length (a listing made months ago)."""
    shift = entry.listed_on - day if entry.listed_on else dt.timedelta(0)
    exit_on = entry.planned_exit_on - shift if entry.planned_exit_on else None
    ListEntry.objects.filter(pk=entry.pk).update(listed_on=day, planned_exit_on=exit_on)
    entry.refresh_from_db()
    return entry
