"""`artrights check IMAGE...` matches suspect images; without image files it is Django's own `check`.

The platform's command name was chosen by users (`artrights check photo.jpg`); Django's system check keeps
working as before (`artrights check --deploy`), because image paths are told apart from app labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as DjangoCheck

from artrights.core.images import ImageRejected, load_image
from artrights.matching.fingerprint import extract


class Command(DjangoCheck):
    help = (
        "比对疑似侵权图片与已登记作品：check IMAGE... / Match suspect images against the registry. "
        "Without image files: Django's system check (e.g. --deploy)."
    )

    def handle(self, *app_labels: Any, **options: Any) -> None:
        files = [str(a) for a in app_labels if Path(str(a)).is_file() or "." in Path(str(a)).name]
        if not files:
            return super().handle(*app_labels, **options)
        self._match(files)
        return None

    def _match(self, names: list[str]) -> None:
        from artrights.matching.services import search

        failures = 0
        for name in names:
            path = Path(name)
            try:
                found = search(extract(load_image(path), query=True))
            except ImageRejected as exc:
                self.stderr.write(f"{path}: {exc.bilingual()}")
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
