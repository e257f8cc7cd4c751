from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from artrights.core.services import ORPHAN_GRACE, collect_orphan_files


class Command(BaseCommand):
    help = "删除没有记录引用的存储文件 / delete stored files no record refers to (left by interrupted writes)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除 / list them, delete nothing")
        parser.add_argument(
            "--older-than",
            type=float,
            default=ORPHAN_GRACE.total_seconds() / 60,
            help="只处理早于这么多分钟的文件 / only files older than this many minutes (default 60)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["older_than"] < 0:
            raise CommandError("--older-than 不能为负数 / must not be negative")
        orphans = collect_orphan_files(older_than=dt.timedelta(minutes=opts["older_than"]), dry_run=opts["dry_run"])
        verb = "将删除 / would delete" if opts["dry_run"] else "已删除 / deleted"
        for name in orphans:
            self.stdout.write(f"{verb}: {name}")
        self.stdout.write(f"{verb} {len(orphans)}")
