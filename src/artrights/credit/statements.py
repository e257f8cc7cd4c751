"""The statements credit appends to the public log: codes, dates and salted commitments, never a name or an ID number.

A record's statement commits to its subject (name, code, type) and to its content (department, decision number,
facts); the openings (value and salt) stay on the row. Anyone later shown a record, by the platform, a partner or
the subject, can open the commitments against the log and check that it was published, changed or removed when
the platform says; the public, reading only the log, learns behaviour codes, severities and dates.

Shapes (``type``, ``registry``, ``number``, ``registered_at`` as in every statement)::

    credit-record@v1   parties: [{"role": "subject", "commitment"}]
                       record: {behaviour, severity, decided_on, min_publicity_end, max_publicity_end,
                                disclosure, share_scope, content: <commitment>}
    credit-listing@v1  parties: [{"role": "subject", "commitment"}]
                       listing: {list_type, listed_on, planned_exit_on, decision: <commitment>}
                       refers_to: [record numbers it rests on]
    credit-change@v1   change: <what happened>, status: <new status>, refers_to: {"log_index": <first statement>}
                       and what changed (a new content commitment, a new planned exit)
    credit-removal@v1  reason: <why it ended>, ended_on, refers_to: {"log_index": <first statement>}
    credit-grade@v1    parties: [{"role": "agency", "commitment"}], grade, score, bonus, lines (indicator, points,
                       references to record and list numbers)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from artrights.ledger import services as ledger
from artrights.ledger.keys import log_origin
from artrights.proofs.canonical import Opening
from artrights.proofs.statements import StatementType, check_statement, iso_time

from .models import CreditRecord, CreditSubject, Evaluation, ListEntry


def subject_value(subject: CreditSubject) -> dict[str, str]:
    return {"name": subject.name, "code": subject.code, "type": subject.subject_type}


def content_value(record: CreditRecord) -> dict[str, str]:
    return {"source_dept": record.source_dept, "decision_no": record.decision_no, "facts": record.facts}


def _base(kind: StatementType, number: str, at: dt.datetime | None = None) -> dict[str, Any]:
    return {
        "type": kind.value,
        "registry": log_origin(),
        "number": number,
        "registered_at": iso_time(at or timezone.now()),
    }


def record_statement(record: CreditRecord, *, at: dt.datetime | None = None) -> dict[str, Any]:
    """The statement that publishes ``record``; its openings are kept on ``record.openings`` (not saved here)."""
    subject, content = Opening.new(subject_value(record.subject)), Opening.new(content_value(record))
    record.openings = {"subject": subject.to_json(), "content": [content.to_json()]}
    statement = _base(StatementType.CREDIT_RECORD, record.number, at)
    statement["parties"] = [{"role": "subject", "commitment": subject.commitment}]
    statement["record"] = {
        "behaviour": record.behaviour.code,
        "severity": record.severity,
        "decided_on": record.decided_on.isoformat(),
        "min_publicity_end": record.min_publicity_end.isoformat(),
        "max_publicity_end": record.max_publicity_end.isoformat(),
        "disclosure": record.disclosure,
        "share_scope": record.share_scope,
        "content": content.commitment,
    }
    return check_statement(statement)


def listing_statement(entry: ListEntry, record_numbers: list[str]) -> dict[str, Any]:
    """The statement that puts ``entry`` on its list; its openings are kept on ``entry.openings``."""
    subject = Opening.new(subject_value(entry.subject))
    decision = Opening.new({"decision_no": entry.decision_no, "basis": entry.basis})
    entry.openings = {"subject": subject.to_json(), "decision": decision.to_json()}
    statement = _base(StatementType.CREDIT_LISTING, entry.number)
    statement["parties"] = [{"role": "subject", "commitment": subject.commitment}]
    statement["listing"] = {
        "list_type": entry.list_type,
        "listed_on": entry.listed_on.isoformat() if entry.listed_on else None,
        "planned_exit_on": entry.planned_exit_on.isoformat() if entry.planned_exit_on else None,
        "decision": decision.commitment,
    }
    statement["refers_to"] = sorted(record_numbers)
    return check_statement(statement)


def change_statement(
    target: CreditRecord | ListEntry, *, change: str, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A change to a published record or a list entry: what happened and its new status."""
    statement = _base(StatementType.CREDIT_CHANGE, target.number)
    statement.update({"change": change, "status": target.status, **(details or {})})
    statement["refers_to"] = {"log_index": target.log_index}
    return check_statement(statement)


def removal_statement(target: CreditRecord | ListEntry, *, reason: str, ended_on: dt.date) -> dict[str, Any]:
    """A record that stops being published, or an entry that leaves its list."""
    statement = _base(StatementType.CREDIT_REMOVAL, target.number)
    statement.update({"reason": reason, "status": target.status, "ended_on": ended_on.isoformat()})
    statement["refers_to"] = {"log_index": target.log_index}
    return check_statement(statement)


def grade_statement(evaluation: Evaluation, number: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """An agency's published grade, and the opening of its commitment."""
    agency = Opening.new(subject_value(evaluation.subject))
    statement = _base(StatementType.CREDIT_GRADE, number, evaluation.at)
    statement["parties"] = [{"role": "agency", "commitment": agency.commitment}]
    statement.update(
        {"grade": evaluation.grade, "score": evaluation.score, "bonus": evaluation.bonus, "lines": evaluation.lines}
    )
    return check_statement(statement), agency.to_json()


def append(statement: dict[str, Any]) -> int:
    """Append ``statement`` in the caller's transaction; its log index."""
    return ledger.append(kind=statement["type"], statement=statement).index


def append_all(statements: list[dict[str, Any]]) -> list[int]:
    """Append statements in order in the caller's transaction (an import's batch); their log indices."""
    return [entry.index for entry in ledger.append_many(items=[(s["type"], s) for s in statements])]
