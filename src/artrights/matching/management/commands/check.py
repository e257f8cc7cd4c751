"""`artrights check IMAGE...` matches suspect images (files or http(s) URLs); without them it is Django's own
`check`.

The platform's command name was chosen by users (`artrights check photo.jpg`); Django's system check keeps
working as before (`artrights check --deploy`), because image paths are told apart from app labels. A URL is
fetched under the same rules as the platform's (public addresses only); ``--allow-loopback`` is the operator's
explicit choice to reach a server on this machine as well, and exists only here, on the command line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.core.management.commands.check import Command as DjangoCheck

from artrights.core.addresses import AddressPolicy
from artrights.core.fetch import FetchError, fetch, platform_policy
from artrights.core.images import ImageRejected, load_image
from artrights.matching.fingerprint import extract


class Command(DjangoCheck):
    help = (
        "比对疑似侵权图片与已登记作品：check IMAGE... / Match suspect images against the registry. "
        "Without image files: Django's system check (e.g. --deploy)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--allow-loopback",
            action="store_true",
            help="图片网址也可以是本机上的服务器 / let image URLs reach a server on this machine",
        )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        images = [str(a) for a in app_labels if _is_url(str(a)) or Path(str(a)).is_file() or "." in Path(str(a)).name]
        if not images:
            return super().handle(*app_labels, **options)
        policy = AddressPolicy(any_loopback=True) if options["allow_loopback"] else platform_policy()
        self._match(images, policy)
        return None

    def _read(self, name: str, policy: AddressPolicy) -> bytes | Path:
        if not _is_url(name):
            return Path(name)
        try:
            return fetch(name, max_bytes=settings.ARTRIGHTS_MAX_UPLOAD_BYTES, policy=policy).body
        except FetchError as exc:
            raise CommandError(f"{name}: {exc.bilingual()}") from None

    def _match(self, names: list[str], policy: AddressPolicy) -> None:
        from artrights.matching.services import search

        failures = 0
        for path in names:
            try:
                found = search(extract(load_image(self._read(path, policy)), query=True))
            except ImageRejected as exc:
                self.stderr.write(f"{path}: {exc.bilingual()}")
                failures += 1
                continue
            except CommandError as exc:
                self.stderr.write(str(exc))
                failures += 1
                continue
            if not found:
                self.stdout.write(f"{path}: 未发现已登记作品 / no registered work found")
            for f in found:
                xs = [x for x, _ in f.region]
                ys = [y for _, y in f.region]
                self.stdout.write(
                    f"{path}: {f.work.number} 《{f.work.title}》 score={f.score:.3f} "
                    f"region=({min(xs):.0f},{min(ys):.0f})-({max(xs):.0f},{max(ys):.0f})"
                )
        if failures:
            raise CommandError(f"{failures} 个文件无法读取 / file(s) could not be read")


def _is_url(name: str) -> bool:
    return name.startswith(("http://", "https://"))
