from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from artrights.matching.descriptor import DescriptorError, OnnxDescriptor, use_descriptor
from artrights.matching.folders import match_folders
from artrights.matching.index import MAX_REF_KEYPOINTS


class Command(BaseCommand):
    help = (
        "比对两个文件夹（不使用数据库），输出 DISC21 格式的预测 / "
        "Match a folder of queries against a folder of references, writing DISC21 predictions"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--references", required=True)
        parser.add_argument("--queries", required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--keypoints-per-reference",
            type=int,
            default=MAX_REF_KEYPOINTS,
            help="每件参考作品索引的特征点数（省内存）/ keypoints indexed per reference (to save memory)",
        )
        parser.add_argument(
            "--descriptor", default="", help="ONNX 学习型描述子模型 / an ONNX learned descriptor model to add"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        for key in ("references", "queries"):
            if not Path(opts[key]).is_dir():
                raise CommandError(f"不是文件夹 / not a folder: {opts[key]}")
        if opts["descriptor"]:
            try:
                use_descriptor(OnnxDescriptor(opts["descriptor"]))
            except DescriptorError as exc:
                raise CommandError(str(exc)) from exc
        if opts["keypoints_per_reference"] < 1:
            raise CommandError("特征点数须为正数 / --keypoints-per-reference must be positive")
        rows = match_folders(
            opts["references"],
            opts["queries"],
            opts["out"],
            progress=not opts["no_progress"],
            workers=opts["workers"],
            max_keypoints_per_ref=opts["keypoints_per_reference"],
        )
        self.stdout.write(f"已写出 {rows} 行 / wrote {rows} rows to {opts['out']}")
