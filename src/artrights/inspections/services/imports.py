"""Import of the directories from CSV (D3: both directories are managed dynamically).

Targets come from credit subjects; a file sets what credit does not know, by the subject's code::

    code,sector,region,type          (type: enterprise, farm_coop, individual, foreign_rep)

Inspectors are accounts with the inspector role, put in the directory by username::

    username,dept,qualification,specialties,region      (specialties separated by ';')

Each row is checked and written in its own transaction, like a person's form: a rejected row changes nothing and is
reported with its line number and the reason in Chinese and English.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from artrights.accounts.access import require
from artrights.core.errors import BilingualError

from ..models import Inspector, Target
from ._common import refused
from .directories import add_inspector, update_target

COLUMNS = {
    "targets": ("code", "sector", "region", "type"),
    "inspectors": ("username", "dept", "qualification", "specialties", "region"),
}


@dataclass(frozen=True)
class Rejected:
    line: int
    row: dict[str, str]
    zh: str
    en: str


def read_rows(handle: IO[str], kind: str) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's rows with their line numbers; a header without the kind's columns is refused at once."""
    reader = csv.DictReader(handle)
    missing = [c for c in COLUMNS[kind] if c not in (reader.fieldnames or [])]
    if missing:
        raise refused("columns", _("CSV 文件缺少列：%(columns)s"), columns=", ".join(missing))
    for row in reader:
        yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def _both(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, BilingualError):
        return exc.message_zh, exc.message_en
    texts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):  # a ValidationError renders its lazy message when read
            texts.append("; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    return texts[0], texts[1]


def _target(user: Any, row: dict[str, str]) -> None:
    target = Target.objects.select_related("subject").filter(subject__code=row["code"].upper()).first()
    if target is None:
        raise refused(
            "unknown", _("名录中没有代码为 %(code)s 的主体（先登记信用主体并更新名录）。"), code=row["code"] or "—"
        )
    update_target(user=user, target=target, sector=row["sector"], region=row["region"], entity_class=row["type"])


def _inspector(user: Any, row: dict[str, str]) -> None:
    account = get_user_model()._default_manager.filter(username=row["username"]).first()
    if account is None:
        raise refused("unknown_user", _("没有用户名为 %(name)s 的账户。"), name=row["username"] or "—")
    add_inspector(
        user=user,
        account=account,
        dept=row["dept"],
        qualification=row["qualification"],
        specialties=row["specialties"].split(";"),
        region=row["region"],
    )


def import_rows(
    *,
    user: Any,
    kind: str,
    rows: Iterable[tuple[int, dict[str, str]]],
    progress: Callable[[], None] = lambda: None,
) -> tuple[int, list[Rejected]]:
    """Write every good row (each in its own transaction); the count written and the rejected rows."""
    require(user, "manage", Target if kind == "targets" else Inspector)
    write = _target if kind == "targets" else _inspector
    done, rejected = 0, []
    for line, row in rows:
        try:
            with transaction.atomic():
                write(user, row)
            done += 1
        except (ValidationError, BilingualError, PermissionDenied) as exc:
            rejected.append(Rejected(line, row, *_both(exc)))
        progress()
    return done, rejected
