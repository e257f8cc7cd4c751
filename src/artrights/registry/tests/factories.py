"""Test data for the registry: real images drawn in memory and ready-made application inputs."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from artrights.core.services import PartyInput
from artrights.registry.models import FileRole
from artrights.registry.services import SampleInput
from artrights.testing import LIN, WU


def artwork_png(seed: int = 1, size: tuple[int, int] = (320, 240)) -> bytes:
    """A distinct, textured picture (shapes over noise) so fingerprints and ISCC codes differ by seed."""
    rng = np.random.default_rng(seed)
    base = (rng.random((size[1] // 8, size[0] // 8, 3)) * 255).astype("uint8")
    image = Image.fromarray(base).resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = int(rng.integers(0, size[0] - 40)), int(rng.integers(0, size[1] - 40))
        x1, y1 = x0 + int(rng.integers(20, 120)), y0 + int(rng.integers(20, 120))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            draw.rectangle((x0, y0, x1, y1), outline=colour, width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def upload(data: bytes, name: str = "work.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# The identities of the `artist` and `outsider` fixtures (artrights.testing.LIN / WU).
OWNER = PartyInput(**LIN)
OTHER_OWNER = PartyInput(**WU)


def work_fields(**overrides):
    fields = {
        "title": "大芬村的早晨",
        "work_type": "FINE_ART",
        "authors": [{"name": "林画家", "signature": "林"}],
        "completed_on": dt.date(2026, 3, 1),
        "rights": ["reproduction", "distribution", "exhibition", "network"],
        "description": "油画，描绘大芬村清晨的街景。",
    }
    fields.update(overrides)
    return fields


def samples(seed: int = 1) -> list[SampleInput]:
    return [SampleInput(upload(artwork_png(seed)))]


def power_of_attorney(name: str = "授权委托书.pdf") -> SampleInput:
    """The owner's signed power of attorney an agency files with (a scanned PDF)."""
    scan = b"%PDF-1.4\n% power of attorney signed by the owner\n%%EOF\n"
    return SampleInput(upload(scan, name, "application/pdf"), FileRole.POWER_OF_ATTORNEY)


def application_form(seed: int = 51, **overrides: object) -> dict[str, object]:
    """What the web application form posts for a watercolour, as a rights holder filing in their own name fills
    it; an agency adds the ``owner_*`` fields and ``power_of_attorney``."""
    data: dict[str, object] = {
        "title": "南山的云",
        "work_type": "FINE_ART",
        "authors": "林画家/林",
        "creation_nature": "original",
        "completed_on": "2026-05-01",
        "publish_status": "unpublished",
        "obtain_mode": "original",
        "ownership_mode": "individual",
        "rights": ["reproduction", "exhibition"],
        "description": "水彩画。",
        "samples": upload(artwork_png(seed)),
    }
    data.update(overrides)
    return data


def agency_owner_fields(owner: PartyInput = OWNER, **overrides: object) -> dict[str, object]:
    """The client an agency names on the form (the owner) and the power of attorney they signed."""
    fields: dict[str, object] = {
        "owner_kind": "natural",
        "owner_name": owner.name,
        "owner_id_type": owner.id_type,
        "owner_id_number": owner.id_number,
        "power_of_attorney": upload(b"%PDF-1.4 signed by the owner", "授权委托书.pdf", "application/pdf"),
    }
    fields.update(overrides)
    return fields


# Software ---------------------------------------------------------------------------------------------------


def program_source(seed: int = 1, functions: int = 40) -> str:
    """A Python module of ``functions`` distinct small functions; different seeds give unrelated code."""
    rng = np.random.default_rng(seed)
    ops = ["+", "-", "*", "//", "%"]
    parts = [f'"""Module {seed}: inventory and pricing helpers."""', "", "import math", ""]
    for i in range(functions):
        a, b, c = (int(x) for x in rng.integers(2, 97, 3))
        op1, op2 = (ops[int(x)] for x in rng.integers(0, len(ops), 2))
        shape = int(rng.integers(0, 3))
        parts.append(f"def step_{seed}_{i}(value, limit={a}):")
        if shape == 0:
            parts += [
                f"    total = value {op1} {b}",
                "    for index in range(limit):",
                f"        total = (total {op2} index) % {c + 100}",
                "    return total",
            ]
        elif shape == 1:
            parts += [
                f"    if value > {b}:",
                f"        return math.sqrt(value) {op1} {c}",
                "    items = [value, limit]",
                f"    return sum(items) {op2} {a}",
            ]
        else:
            parts += [
                "    result = []",
                f"    while value > {b} and len(result) < limit:",
                f"        value = value {op1} {c}",
                "        result.append(value)",
                f"    return len(result) {op2} {a}",
            ]
        parts.append("")
    return "\n".join(parts) + "\n"


def script_source(seed: int = 1, handlers: int = 30) -> str:
    """A JavaScript event module, built unlike :func:`program_source`: code with nothing in common with it."""
    rng = np.random.default_rng(seed)
    parts = ["'use strict';", "const handlers = {};"]
    for i in range(handlers):
        key, limit = f"evt{seed}x{i}", int(rng.integers(3, 90))
        parts += [
            f"handlers['{key}'] = async (event, ctx) => {{",
            "  switch (event.type) {",
            f"    case 'open': return ctx.store.get(event.id) ?? {{ id: event.id, n: {limit} }};",
            f"    case 'close': {{ const rows = await ctx.db.query('select 1'); return rows.length > {limit}; }}",
            "    default: throw new Error(`unknown ${event.type}`);",
            "  }",
            "};",
        ]
    parts.append("module.exports = handlers;")
    return "\n".join(parts) + "\n"


def zip_tree(files: dict[str, bytes | str]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data.encode() if isinstance(data, str) else data)
    return buffer.getvalue()


def source_zip(seed: int = 1, functions: int = 40, name: str = "src.zip") -> SimpleUploadedFile:
    tree = {f"app/module_{seed}.py": program_source(seed, functions), "README.txt": "说明\n"}
    return upload(zip_tree(tree), name, "application/zip")


def manual(lines: int = 40) -> SimpleUploadedFile:
    text = "\n".join(f"第 {n} 节：操作说明，点击“库存”进入第 {n} 个页面。" for n in range(1, lines + 1))
    return upload(text.encode(), "用户手册.md", "text/markdown")


def software_fields(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "title": "大芬油画库存管理系统",
        "completed_on": dt.date(2026, 6, 1),
        "publish_status": "unpublished",
        "obtain_mode": "original",
        "rights": ["publication", "authorship", "alteration", "reproduction", "distribution", "network"],
        "description": "",
    }
    fields.update(overrides)
    return fields


def software_particulars(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "short_name": "库存系统",
        "version": "V1.0",
        "category": "application",
        "development_mode": "independent",
        "hardware_environment": "x86-64 服务器，4 核 8 GB 内存",
        "software_environment": "Linux，Python 3.11，PostgreSQL 16",
        "languages": "Python",
        "main_functions": "油画库存登记、定价、出入库记录。",
        "technical_features": "按画作尺寸与材料自动定价。",
    }
    fields.update(overrides)
    return fields


def software_application(user, *, seed: int = 1, functions: int = 40, owners=None, **overrides):
    """A software draft filed by ``user`` in its own name (or for ``owners``)."""
    from artrights.registry import services

    version = str(overrides.pop("version", "V1.0"))
    return services.create_software_application(
        user=user,
        fields=software_fields(**overrides),
        software=software_particulars(version=version),
        owners=list(owners or []),
        archive=source_zip(seed, functions),
        documentation=manual(),
    )
