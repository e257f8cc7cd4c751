"""`artrights log verify` (exit 1 naming the first problem found) and `artrights log checkpoint`."""

from __future__ import annotations

import base64
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from artrights.ledger import fsck, services
from artrights.ledger.models import _bytes


class Command(BaseCommand):
    help = "公开账本 / the public log: verify | checkpoint [--force]"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="重算全部哈希并核验检查点 / recompute hashes, check checkpoints")
        checkpoint = sub.add_parser("checkpoint", help="立即签发检查点 / publish a checkpoint now")
        checkpoint.add_argument("--force", action="store_true", help="大小未变也签发 / even if unchanged")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            report = fsck.verify_log()
            if not report.ok:
                raise CommandError(report.summary(), returncode=1)
            self.stdout.write(report.summary())
        else:
            checkpoint = services.publish_checkpoint(force=options["force"])
            root = base64.b64encode(_bytes(checkpoint.root_hash)).decode()
            message = _("检查点：大小 %(size)d，根哈希 %(root)s")
            self.stdout.write(message % {"size": checkpoint.size, "root": root})
            self.stdout.write(checkpoint.signed_note(), ending="")
