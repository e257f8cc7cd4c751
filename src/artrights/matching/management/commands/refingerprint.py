"""`artrights refingerprint`: extract again the fingerprints that an older engine (or another descriptor model) made.

The worker does this by itself a little at a time; an operator with a large registry runs this command, in as
many processes as there are cores (`--part 1/4` ... `--part 4/4`), right after an upgrade.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from artrights.matching.fingerprint import engine_id
from artrights.matching.selectors import stale_fingerprints
from artrights.matching.services import refingerprint_stale


class Command(BaseCommand):
    help = (
        "用当前比对引擎重新提取旧引擎生成的作品指纹 / "
        "Extract again the fingerprints of registered works that an older engine made"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="最多处理的样本数 / at most this many samples")
        parser.add_argument(
            "--part", default="1/1", help="第 i 份，共 n 份（多进程分担）/ share i of n, for n processes (e.g. 2/4)"
        )
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--status", action="store_true", help="只显示待更新的数量 / only show how many are out of date"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        match = re.fullmatch(r"(\d+)/(\d+)", opts["part"])
        if not match or not 1 <= int(match[1]) <= int(match[2]):
            raise CommandError(f"--part 须为 i/n，且 1 ≤ i ≤ n / --part must be i/n with 1 <= i <= n: {opts['part']}")
        if opts["limit"] is not None and opts["limit"] < 1:
            raise CommandError("--limit 须为正整数 / --limit must be a positive number")
        stale = stale_fingerprints().count()
        self.stdout.write(f"当前引擎 / current engine: {engine_id()}; 待更新 / out of date: {stale}")
        if opts["status"] or not stale:
            return
        part = (int(match[1]) - 1, int(match[2]))
        total = min(stale // part[1] + 1, opts["limit"] or stale)
        with tqdm(total=total, disable=opts["no_progress"], desc="refingerprint") as bar:
            result = refingerprint_stale(limit=opts["limit"], part=part, on_sample=lambda: bar.update(1))
        self.stdout.write(
            f"已更新 / renewed: {result.renewed}; 无法读取 / unreadable: {result.failed}; "
            f"仍待更新 / still out of date: {result.remaining}"
        )
