"""`artrights inspections`: build the target directory from credit subjects, import the directories from CSV.

    artrights inspections sync --by USERNAME
    artrights inspections import targets|inspectors FILE.csv --by USERNAME [--report REJECTED.csv]

``--by`` names the supervisor recorded as doing it. The columns are in ``inspections/services/imports.py``. Every
rejected row is printed with its line and the reason in Chinese and English (and written to ``--report``); the exit
status is 0 when every row was imported and 1 when some were rejected.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from artrights.core import audit


class Command(BaseCommand):
    help = "双随机抽查 / spot checks: sync | import targets|inspectors FILE.csv"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sync = sub.add_parser("sync", help="从信用主体更新检查对象名录 / build the target directory from credit")
        sync.add_argument("--by", required=True, help="监管人员的用户名 / the supervisor's username")
        imports = sub.add_parser("import", help="从 CSV 导入名录 / import a directory from CSV")
        imports.add_argument("kind", choices=["targets", "inspectors"])
        imports.add_argument("file", help="UTF-8 CSV 文件 / the CSV file")
        imports.add_argument("--by", required=True, help="监管人员的用户名 / the supervisor's username")
        imports.add_argument("--report", help="把被拒绝的行写入这个 CSV 文件 / write the rejected rows here")
        imports.add_argument("--no-progress", action="store_true", help="不显示进度条 / no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model()._default_manager.filter(username=options["by"]).first()
        if user is None:
            raise CommandError(f"用户不存在 / no such user: {options['by']}")
        if options["action"] == "sync":
            from artrights.inspections.services import sync_targets

            with audit.context(actor=user, via="cli"):
                counts = sync_targets(user=user)
            self.stdout.write(f"新增 / added: {counts['created']}; 调整 / changed: {counts['updated']}")
            return
        self._import(user, options)

    def _import(self, user: Any, options: dict[str, Any]) -> None:
        from artrights.inspections.services.imports import COLUMNS, import_rows, read_rows

        path, kind = Path(options["file"]), options["kind"]
        if not path.is_file():
            raise CommandError(f"文件不存在 / no such file: {path}")
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                total = sum(1 for _ in read_rows(handle, kind))
            with path.open(encoding="utf-8-sig", newline="") as handle, audit.context(actor=user, via="cli"):
                bar = tqdm(total=total, unit="行", disable=options["no_progress"], file=sys.stderr)
                done, rejected = import_rows(user=user, kind=kind, rows=read_rows(handle, kind), progress=bar.update)
                bar.close()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        for r in rejected:
            self.stdout.write(f"第 {r.line} 行 / line {r.line}: {r.zh} / {r.en}")
        if options["report"]:
            with open(options["report"], "w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["line", *COLUMNS[kind], "reason_zh", "reason_en"])
                for r in rejected:
                    writer.writerow([r.line, *(r.row.get(c, "") for c in COLUMNS[kind]), r.zh, r.en])
        self.stdout.write(f"导入 / imported: {done}; 拒绝 / rejected: {len(rejected)}")
        if rejected:
            sys.exit(1)
