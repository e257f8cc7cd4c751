"""`artrights credit`: import subjects and records from CSV, export the feeds, run the sweep now.

    artrights credit import FILE.csv [--report REJECTED.csv] [--by USERNAME]
    artrights credit export records|listings --format csv|json --out FILE [--since ISO-TIME]
    artrights credit sweep

The import checks every row like a person's form and writes the good ones in batches (see
``credit/services/imports.py`` for the columns); it prints every rejected row with its line and the reason in
Chinese and English, and writes them to ``--report`` as CSV. The exit status is 0 when every row was imported and
1 when some were rejected.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from artrights.core import audit


class Command(BaseCommand):
    help = "知识产权信用 / IP credit: import FILE.csv | export records|listings | sweep"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imports = sub.add_parser("import", help="导入信用主体和记录 / import subjects and records from CSV")
        imports.add_argument("file", help="UTF-8 CSV 文件 / the CSV file")
        imports.add_argument("--report", help="把被拒绝的行写入这个 CSV 文件 / write the rejected rows here")
        imports.add_argument("--by", default="", help="录入人的用户名 / the username recorded as entering them")
        imports.add_argument("--batch", type=int, default=1000, help="每批写入的行数 / rows per transaction")
        imports.add_argument("--no-progress", action="store_true", help="不显示进度条 / no progress bar")
        export = sub.add_parser("export", help="导出共享数据 / export a feed (artrights-credit-feed/v1)")
        export.add_argument("kind", choices=["records", "listings"])
        export.add_argument("--format", choices=["csv", "json"], default="json")
        export.add_argument("--out", required=True, help="输出文件 / the file to write")
        export.add_argument("--since", default="", help="只导出此后变更的 / only items changed since (ISO 8601)")
        sub.add_parser("sweep", help="立即处理到期的记录、名单和等级 / expire due records and listings now")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(options)
        elif action == "export":
            self._export(options)
        else:
            from artrights.credit.services import sweep

            with audit.context(via="cli"):
                done = sweep()
            self.stdout.write(
                f"停止公示 / expired records: {done['records']}; 移出名单 / listings ended: {done['listings']}; "
                f"等级变化 / grades changed: {done['grades']}"
            )

    def _import(self, options: dict[str, Any]) -> None:
        from artrights.credit.services.imports import import_file, read_rows

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在 / no such file: {path}")
        user = None
        if options["by"]:
            user = get_user_model()._default_manager.filter(username=options["by"]).first()
            if user is None:
                raise CommandError(f"用户不存在 / no such user: {options['by']}")
        with path.open(encoding="utf-8-sig", newline="") as handle:
            try:
                total = sum(1 for _ in read_rows(handle))
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
        with (
            tqdm(total=total, unit="行", disable=options["no_progress"], file=sys.stderr) as bar,
            audit.context(via="cli", actor=user),
        ):
            report = import_file(path, user=user, batch_size=options["batch"], progress=bar.update)
        for row in report.rejected:
            self.stdout.write(f"第 {row.line} 行 / line {row.line} [{row.code or '—'}]: {row.zh} / {row.en}")
        if options["report"]:
            with Path(options["report"]).open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["line", "code", "reason_zh", "reason_en"])
                writer.writerows([r.line, r.code, r.zh, r.en] for r in report.rejected)
        self.stdout.write(
            f"共 {report.rows} 行 / rows: {report.rows}; 新登记主体 / subjects created: {report.subjects}; "
            f"公示记录 / records published: {report.records}; 拒绝 / rejected: {len(report.rejected)}"
        )
        if report.rejected:
            raise SystemExit(1)

    def _export(self, options: dict[str, Any]) -> None:
        from artrights.credit import feeds

        since = None
        if options["since"]:
            try:
                since = dt.datetime.fromisoformat(options["since"])
            except ValueError:
                raise CommandError(f"时间格式不正确 / not an ISO 8601 time: {options['since']}") from None
            if timezone.is_naive(since):
                since = timezone.make_aware(since)
        rows = list(feeds.items(options["kind"], since))
        out = Path(options["out"])
        if options["format"] == "json":
            out.write_text(json.dumps(feeds.document(options["kind"], rows, since), ensure_ascii=False, indent=2))
        else:
            out.write_text(feeds.csv_text(options["kind"], rows), encoding="utf-8")
        self.stdout.write(f"{len(rows)} 条 / items → {out}")
