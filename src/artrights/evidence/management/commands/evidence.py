"""`artrights evidence capture URL --out FILE.wacz`: the operator captures a page as evidence now.

The capture is recorded like one asked for on the web (a record, its custody log, a public log entry) and sealed
in this process; the package is written to ``--out``. Addresses follow the platform's rules (public only) unless
``--allow-loopback``, the operator's explicit choice to reach a server on this machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from artrights.core import audit
from artrights.core.addresses import AddressPolicy
from artrights.core.fetch import platform_policy


class Command(BaseCommand):
    help = "电子证据固化 / fix electronic evidence: capture URL --out FILE.wacz"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        capture = sub.add_parser("capture", help="截取网页并封存 / capture a web page and seal it")
        capture.add_argument("url", help="网页网址 / the page's address")
        capture.add_argument("--out", required=True, help="证据包 / where to write the WACZ package")
        capture.add_argument("--description", default="", help="说明 / a note kept with the record")
        capture.add_argument(
            "--allow-loopback",
            action="store_true",
            help="网址也可以是本机上的服务器 / let the capture reach a server on this machine",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from artrights.evidence.models import EvidenceStatus
        from artrights.evidence.services import operator_capture

        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"目录不存在 / no such folder: {out.parent}")
        policy = AddressPolicy(any_loopback=True) if options["allow_loopback"] else platform_policy()
        try:
            with audit.context(via="cli"):
                record = operator_capture(url=options["url"], policy=policy, description=options["description"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        if record.status == EvidenceStatus.VOID:
            raise CommandError(
                f"{record.number}: 未能固化 / not captured [{record.reason}]: "
                f"{record.details.get('zh', '')} / {record.details.get('en', '')}"
            )
        if not record.is_sealed:
            raise CommandError(
                f"{record.number}: 尚未封存 / not sealed yet ({record.status}); the sweep will finish it"
            )
        with record.package.open("rb") as fh:
            out.write_bytes(fh.read())
        self.stdout.write(
            f"{record.number}: 已封存 / sealed → {out} ({record.package_size} bytes, "
            f"SHA-256 {record.package_sha256}); 公开日志 / log entry {record.log_index}"
        )
