"""`artrights log verify [--against FILE]` (exit 1 naming every kind of problem found), `artrights log checkpoint
[--save FILE]` and `artrights log anchor`. Findings are printed in Chinese and English."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from artrights.core import audit
from artrights.core.messages import LazyMessage
from artrights.ledger import fsck, selectors, services
from artrights.ledger.models import _bytes

# A signed checkpoint is a few hundred bytes; anything far bigger is not one (and is not read into memory).
MAX_CHECKPOINT_FILE = 64 * 1024


class Command(BaseCommand):
    help = "公开账本 / the public log: verify [--against FILE] | checkpoint [--force] [--save FILE] | anchor"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="重算全部哈希，核验检查点和审计日志 / recompute hashes, check checkpoints and the audit log"
        )
        verify.add_argument(
            "--against",
            metavar="CHECKPOINT_FILE",
            help="先前保存的检查点：账本必须延续它（没有回滚或分叉）/ a checkpoint saved earlier the log must extend",
        )
        checkpoint = sub.add_parser("checkpoint", help="立即签发检查点 / publish a checkpoint now")
        checkpoint.add_argument("--force", action="store_true", help="大小未变也签发 / even if unchanged")
        checkpoint.add_argument(
            "--save", metavar="FILE", help="把签名检查点保存到文件 / write the signed checkpoint to FILE"
        )
        sub.add_parser(
            "anchor", help="把审计日志的链头记入账本并签发检查点 / anchor the audit log's head in the log now"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with audit.context(via="cli"):
            if options["action"] == "verify":
                self._verify(options["against"])
            elif options["action"] == "anchor":
                self._anchor()
            else:
                self._checkpoint(force=options["force"], save=options["save"])

    def _verify(self, against: str | None) -> None:
        saved = _read_checkpoint_file(against) if against else None
        report = fsck.verify_log(saved_checkpoint=saved)
        if not report.ok:
            raise CommandError(report.text(), returncode=1)
        self.stdout.write(report.text())

    def _checkpoint(self, *, force: bool, save: str | None) -> None:
        checkpoint = services.publish_checkpoint(force=force)
        root = base64.b64encode(_bytes(checkpoint.root_hash)).decode()
        message = _("检查点：大小 %(size)d，根哈希 %(root)s")
        self.stdout.write(message % {"size": checkpoint.size, "root": root})
        if save:
            try:
                Path(save).write_text(checkpoint.signed_note(), encoding="utf-8")
            except OSError as exc:
                failure = LazyMessage(gettext_lazy("无法写入 %(path)s：%(error)s"), {"path": save, "error": exc})
                raise CommandError(failure.bilingual(), returncode=2) from None
            self.stdout.write(_("已保存到 %(path)s；以后用 artrights log verify --against 核对。") % {"path": save})
        else:
            self.stdout.write(checkpoint.signed_note(), ending="")

    def _anchor(self) -> None:
        entry = services.anchor_audit_log()
        if entry is None:
            self.stdout.write(_("审计日志自上次锚定以来没有新事件。"))
            return
        checkpoint = services.publish_checkpoint()
        count, head = selectors.audit_anchor_of(entry)
        message = _("审计日志前 %(count)d 条事件（链头 %(head)s）已记入第 %(index)d 条记录，检查点大小 %(size)d。")
        self.stdout.write(message % {"count": count, "head": head, "index": entry.index, "size": checkpoint.size})


def _read_checkpoint_file(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CHECKPOINT_FILE + 1)
    except OSError as exc:
        message = LazyMessage(gettext_lazy("无法读取 %(path)s：%(error)s"), {"path": path, "error": exc})
        raise CommandError(message.bilingual(), returncode=2) from None
    if len(data) > MAX_CHECKPOINT_FILE:
        message = LazyMessage(gettext_lazy("%(path)s 太大，不是签名检查点。"), {"path": path})
        raise CommandError(message.bilingual(), returncode=2)
    return data
