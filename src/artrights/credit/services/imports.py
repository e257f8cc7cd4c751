"""Importing subjects and records from a CSV file (``artrights credit import FILE.csv``).

Every row is checked first with the same checks a person's form goes through (the credit code by GB 32100 /
GB 11643, the behaviour against the catalogue, no decision dated in the future, no record whose longest publicity
period is over, no duplicate); a row that fails is rejected with its line and the reason in Chinese and English,
and writes nothing. The rows that pass are written in batches, each one transaction: subjects, records published
with their statements appended to the public log together, one audit event naming the batch (bulk inserts send
no per-row signal; the event names the file's hash, the lines and the numbers), the subjects' accounts told, and
the grades of the agencies touched recomputed.

Columns (UTF-8, a header row; only ``code``, ``name`` and ``subject_type`` are required; a row without a
``behaviour_code`` registers or confirms the subject only)::

    code, name, subject_type, legal_rep, is_agency, behaviour_code, severity, source_dept, decision_no,
    decided_on (YYYY-MM-DD), facts, disclosure, share_scope
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from artrights.core import audit

from .. import statements
from ..models import Behaviour, CreditRecord, CreditSubject, RecordStatus
from ._common import next_numbers, refused, today
from .grades import recompute
from .records import RecordInput, active_behaviours, checked_record_fields, tell_published
from .subjects import checked_subject_fields

COLUMNS = (
    "code",
    "name",
    "subject_type",
    "legal_rep",
    "is_agency",
    "behaviour_code",
    "severity",
    "source_dept",
    "decision_no",
    "decided_on",
    "facts",
    "disclosure",
    "share_scope",
)
REQUIRED = ("code", "name", "subject_type")
TRUE = {"1", "true", "yes", "y", "是"}


@dataclass(frozen=True)
class Rejected:
    line: int
    code: str
    zh: str
    en: str


@dataclass
class ImportReport:
    rows: int = 0
    subjects: int = 0
    records: int = 0
    rejected: list[Rejected] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    subject: dict[str, Any]
    record: dict[str, Any] | None


def _reasons(exc: ValidationError) -> tuple[str, str]:
    texts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts.append("；".join(exc.messages))
    return texts[0], texts[1]


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise refused("date_format", _("决定日期“%(value)s”不是 YYYY-MM-DD 格式的日期。"), value=value) from None


class _Checker:
    """Checks each row on its own (codes, the catalogue, dates), then each batch against the stored subjects and
    records and the rows accepted before it (two queries a batch, not two a row)."""

    def __init__(self) -> None:
        self.behaviours: dict[str, Behaviour] = active_behaviours()
        self.names: dict[str, str] = {}  # code -> name, of subjects accepted in this file
        self.decisions: set[tuple[str, str, str]] = set()  # (code, behaviour, decision_no) accepted in this file
        self.on = today()

    def check(self, line: int, raw: dict[str, str]) -> _Row:
        value = {k: (raw.get(k) or "").strip() for k in COLUMNS}
        subject = checked_subject_fields(
            code=value["code"],
            name=value["name"],
            subject_type=value["subject_type"],
            legal_rep=value["legal_rep"],
            is_agency=value["is_agency"].lower() in TRUE,
        )
        record = None
        if value["behaviour_code"]:
            data = RecordInput(
                behaviour_code=value["behaviour_code"],
                source_dept=value["source_dept"],
                decision_no=value["decision_no"],
                decided_on=_date(value["decided_on"]),
                severity=value["severity"],
                facts=value["facts"],
                disclosure=value["disclosure"],
                share_scope=value["share_scope"],
            )
            record = checked_record_fields(data, on=self.on, behaviours=self.behaviours)
        return _Row(line, subject, record)

    def consistent(self, rows: list[_Row]) -> tuple[list[_Row], list[tuple[_Row, ValidationError]]]:
        """The rows that agree with what is stored and with the earlier rows, and the others with the reason."""
        codes = {row.subject["code"] for row in rows}
        stored = dict(CreditSubject.objects.filter(code__in=codes).values_list("code", "name"))
        decided = set(
            CreditRecord.objects.filter(subject__code__in=codes).values_list(
                "subject__code", "behaviour__code", "decision_no"
            )
        )
        good, bad = [], []
        for row in rows:
            try:
                self._agrees(row, stored, decided)
            except ValidationError as exc:
                bad.append((row, exc))
            else:
                good.append(row)
        return good, bad

    def _agrees(self, row: _Row, stored: dict[str, str], decided: set[tuple[str, str, str]]) -> None:
        code, name = row.subject["code"], row.subject["name"]
        known = self.names.get(code) or stored.get(code) or name
        if known != name:
            raise refused(
                "name_mismatch",
                _("代码 %(code)s 已登记为“%(known)s”，与本行的名称“%(name)s”不符。"),
                code=code,
                known=known,
                name=name,
            )
        if row.record is not None:
            key = (code, row.record["behaviour"].code, row.record["decision_no"])
            if key in self.decisions or key in decided:
                raise refused(
                    "duplicate",
                    _("该主体依据同一决定（%(decision)s）的同类记录已经录入。"),
                    decision=row.record["decision_no"],
                )
            self.decisions.add(key)
        self.names[code] = name


def _write_batch(rows: list[_Row], *, user: Any, source: str) -> tuple[int, int]:
    """Write checked rows in one transaction; (subjects created, records published)."""
    with transaction.atomic():
        codes = {row.subject["code"] for row in rows}
        subjects = {s.code: s for s in CreditSubject.objects.filter(code__in=codes)}
        new = {}
        for row in rows:
            code = row.subject["code"]
            if code not in subjects and code not in new:
                new[code] = CreditSubject(created_by=user, **row.subject)
        CreditSubject.objects.bulk_create(list(new.values()), batch_size=500)
        subjects.update({s.code: s for s in CreditSubject.objects.filter(code__in=list(new))})
        wanted = [row for row in rows if row.record is not None]
        numbers = next_numbers("CR", len(wanted)) if wanted else []
        day = today()
        records = []
        for row, number in zip(wanted, numbers, strict=True):
            assert row.record is not None
            records.append(
                CreditRecord(
                    number=number,
                    subject=subjects[row.subject["code"]],
                    recorded_by=user,
                    status=RecordStatus.PUBLISHED,
                    published_on=day,
                    **row.record,
                )
            )
        indices = statements.append_all([statements.record_statement(r) for r in records])
        for record, index in zip(records, indices, strict=True):
            record.log_index = index
        CreditRecord.objects.bulk_create(records, batch_size=500)
        audit.record(
            "credit.import",
            object_type="credit.creditrecord",
            object_id=numbers[0] if numbers else "",
            object_repr=source[:200],
            actor=user,
            changes={
                "source": source,
                "lines": [rows[0].line, rows[-1].line],
                "subjects_created": len(new),
                "records": [numbers[0], numbers[-1]] if numbers else [],
            },
        )
        _tell_subjects(records, actor=user)
        for subject in {r.subject.pk: r.subject for r in records if r.subject.is_agency}.values():
            recompute(subject=subject, reason="import")
    return len(new), len(records)


def _tell_subjects(records: list[CreditRecord], *, actor: Any) -> None:
    """The subjects with accounts on the platform hear of their published records, as when entered by hand."""
    codes = {r.subject.code for r in records}
    users = list(
        get_user_model()
        ._default_manager.filter(Q(organisation__uscc__in=codes) | Q(party__id_number__in=codes), is_active=True)
        .select_related("organisation", "party")
    )
    if not users:
        return
    for record in records:
        recipients = [
            u
            for u in users
            if (u.organisation and u.organisation.uscc == record.subject.code)
            or (u.party and u.party.id_number == record.subject.code)
        ]
        if recipients:
            tell_published(record, recipients, actor=actor)


def read_rows(handle: io.TextIOBase | Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """The data rows of a CSV file with their line numbers (the header is line 1); refused without the required
    columns."""
    reader = csv.DictReader(handle)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise refused("columns", _("CSV 文件缺少必需的列：%(columns)s"), columns=", ".join(missing))
    for raw in reader:
        yield reader.line_num, {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, str)}


def import_rows(
    rows: Iterable[tuple[int, dict[str, str]]],
    *,
    user: Any = None,
    source: str = "",
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check and write ``rows``; the report counts what was written and lists every rejected row and why."""
    report = ImportReport()
    checker = _Checker()
    batch: list[_Row] = []

    def reject(line: int, code: str, exc: ValidationError) -> None:
        zh, en = _reasons(exc)
        report.rejected.append(Rejected(line, code, zh, en))

    def flush() -> None:
        if not batch:
            return
        good, bad = checker.consistent(batch)
        for row, exc in bad:
            reject(row.line, row.subject["code"], exc)
        if good:
            subjects, records = _write_batch(good, user=user, source=source)
            report.subjects += subjects
            report.records += records
        batch.clear()

    for line, raw in rows:
        report.rows += 1
        try:
            batch.append(checker.check(line, raw))
        except ValidationError as exc:
            reject(line, (raw.get("code") or "").strip(), exc)
        if len(batch) >= batch_size:
            flush()
        if progress is not None:
            progress(1)
    flush()
    report.rejected.sort(key=lambda r: r.line)
    return report


def import_file(
    path: Path, *, user: Any = None, batch_size: int = 1000, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Import a CSV file (see the module's docstring for its columns)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return import_rows(
            read_rows(handle),
            user=user,
            source=f"{path.name} sha256:{digest}",
            batch_size=batch_size,
            progress=progress,
        )
