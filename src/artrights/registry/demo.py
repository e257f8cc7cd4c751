"""The registry's part of the demo data (``artrights demo``): works at every step a newcomer should see.

Everything goes through the services, as the people would do it, so the log, the audit trail, the screening, the
notifications and the documents are the real ones: a filed painting with its certificate and a licence, a
registration granted, one waiting for the applicant's correction, an agency's application in the queue, and a
copy of the filed painting that screening held for a registrar; and a registered computer software (the gallery's
point-of-sale program, its deposit built from a source tree).
"""

from __future__ import annotations

import datetime as dt
import io
import mimetypes
from collections.abc import Mapping
from typing import Any

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from artrights.accounts.models import Role
from artrights.core.audit import context as audit_context
from artrights.core.identifiers import compose_uscc, resident_id_check_char
from artrights.core.services import PartyInput

from . import services
from .models import ContractType, FileRole, Work

_ECONOMIC = ["reproduction", "distribution", "exhibition", "network"]


def _resident(name: str, body: str) -> PartyInput:
    return PartyInput(name=name, id_type="resident_id", id_number=body + resident_id_check_char(body))


# The demo licensee's unified social credit code (a valid check character, GB 32100).
_DEMO_LICENSEE_USCC = compose_uscc("9", "1", "440300", "MA5D7K05")
# The agency's clients (resident IDs of Shenzhen districts, valid check characters).
SCULPTOR = _resident("周雕塑", "44030519850315201")
COPIER = _resident("吴路人", "44030419880101001")


def painting(seed: int, size: tuple[int, int] = (960, 640)) -> bytes:
    """A landscape drawn from ``seed``: a sky, a sun, layered hills and a village, with a painter's texture."""
    rng = np.random.default_rng(seed)
    width, height = size
    top, bottom = rng.integers(40, 220, 3), rng.integers(150, 255, 3)
    ramp = np.linspace(0.0, 1.0, height)[:, None, None]
    sky = (top[None, None, :] * (1 - ramp) + bottom[None, None, :] * ramp).repeat(width, axis=1)
    image = Image.fromarray(sky.astype("uint8"), "RGB")
    draw = ImageDraw.Draw(image)
    sun_x, sun_y, radius = int(rng.integers(100, width - 100)), int(rng.integers(60, height // 3)), 45
    draw.ellipse((sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=(250, 214, 120))
    for layer in range(4):
        base = height * (0.45 + 0.13 * layer)
        phase, amplitude = rng.random() * 6.28, 30 + 25 * rng.random()
        xs = np.arange(0, width + 8, 8)
        ys = base + amplitude * np.sin(xs / (90 + 60 * rng.random()) + phase) + rng.normal(0, 4, xs.size)
        colour = tuple(int(c) for c in rng.integers(20, 150, 3) // (1 + layer // 2))
        draw.polygon([(0, height), *zip(xs.tolist(), ys.tolist(), strict=True), (width, height)], fill=colour)
    for _house in range(int(rng.integers(5, 10))):
        x, y = int(rng.integers(0, width - 60)), int(rng.integers(int(height * 0.62), height - 50))
        wall = tuple(int(c) for c in rng.integers(170, 250, 3))
        draw.rectangle((x, y, x + 44, y + 34), fill=wall, outline=(60, 50, 40), width=2)
        draw.polygon([(x - 6, y), (x + 22, y - 22), (x + 50, y)], fill=(150, 40, 30))
    texture = rng.normal(0, 9, (height, width, 1)).repeat(3, axis=2)
    textured = np.clip(np.asarray(image, dtype="float32") + texture, 0, 255).astype("uint8")
    return _png(Image.fromarray(textured).filter(ImageFilter.SMOOTH))


def cropped_copy(original: bytes) -> bytes:
    """What a copier does to a painting: crop it, brighten it, shift the colours, save it as a JPEG."""
    image = Image.open(io.BytesIO(original)).convert("RGB")
    width, height = image.size
    image = image.crop((int(width * 0.06), int(height * 0.05), int(width * 0.94), int(height * 0.96)))
    image = ImageEnhance.Color(ImageEnhance.Brightness(image).enhance(1.12)).enhance(1.3)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _sample(data: bytes, name: str, role: str = FileRole.SAMPLE) -> services.SampleInput:
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return services.SampleInput(SimpleUploadedFile(name, data, content_type=content_type), role)


def _letter(client: str) -> services.SampleInput:
    # A stand-in for the scanned letter: a one-page PDF naming the client and the agency's powers.
    text = f"Power of attorney signed by {client}: apply for copyright registration and filing.".encode()
    pdf = b"%PDF-1.4\n% " + text + b"\n%%EOF\n"
    return _sample(pdf, f"{client}-授权委托书.pdf", FileRole.POWER_OF_ATTORNEY)


def _fields(title: str, author: str, description: str, completed_on: dt.date, **more: Any) -> dict[str, Any]:
    return {
        "title": title,
        "work_type": "FINE_ART",
        "authors": [{"name": author, "signature": author[:1]}],
        "completed_on": completed_on,
        "creation_city": "深圳",
        "rights": _ECONOMIC,
        "description": description,
        **more,
    }


_GOODS = ["油画", "画框", "画布", "颜料", "画笔", "画架", "装裱", "临摹", "写生", "版画", "水彩", "素描"]


def gallery_source() -> bytes:
    """The demo software's source tree (a zip): a small point-of-sale program for a Dafen gallery."""
    import zipfile

    modules: dict[str, str] = {}
    for m, goods in enumerate(_GOODS):
        lines = [f'"""{goods}的定价、库存与收银。"""', "", "from decimal import Decimal", ""]
        lines += [f"BASE_PRICE = Decimal('{120 + 35 * m}')", f"STOCK_LIMIT = {40 + 7 * m}", ""]
        lines += [
            f"class {goods.encode().hex()[:6].upper()}Item:",
            f'    """一件{goods}商品：尺寸、材料与售价。"""',
            "",
            "    def __init__(self, width_cm, height_cm, material):",
            "        self.width_cm = width_cm",
            "        self.height_cm = height_cm",
            "        self.material = material",
            "",
            "    def area(self):",
            "        return Decimal(self.width_cm * self.height_cm) / 10000",
            "",
            "    def price(self, discount=None):",
            f"        price = BASE_PRICE + self.area() * {18 + m}",
            "        if self.material == 'linen':",
            f"            price *= Decimal('1.{m + 1}')",
            "        if discount:",
            "            price -= price * Decimal(discount) / 100",
            "        return price.quantize(Decimal('0.01'))",
            "",
            "",
            "def restock(inventory, item_id, count):",
            "    current = inventory.get(item_id, 0)",
            "    if current + count > STOCK_LIMIT:",
            f"        raise ValueError('{goods}库存超过上限')",
            "    inventory[item_id] = current + count",
            "    return inventory[item_id]",
            "",
            "",
            "def checkout(cart, payments):",
            "    total = sum(item.price() for item in cart)",
            "    paid = sum(payments.values())",
            f"    change = paid - total  # 找零（{goods}柜台）",
            "    if change < 0:",
            "        return {'ok': False, 'missing': -change}",
            "    return {'ok': True, 'change': change, 'receipt': len(cart)}",
        ]
        modules[f"pos/goods_{m:02d}.py"] = "\n".join(lines) + "\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in modules.items():
            archive.writestr(path, text)
        archive.writestr("README.md", "大芬画廊收银系统\n")
    return buffer.getvalue()


def gallery_manual() -> bytes:
    steps = ["登录", "选择商品", "录入尺寸", "计算售价", "加入购物车", "收款", "找零", "打印小票", "盘点库存"]
    lines = ["# 大芬画廊收银系统 用户手册", ""]
    for n, step in enumerate(steps * 4, 1):
        lines.append(f"{n}. {step}：在主界面点击“{step}”，按屏幕提示完成操作。")
    return "\n".join(lines).encode()


def load_software(artist: Any, registrar: Any) -> Work:
    """The artist's registered software: filed with its source tree and manual, accepted, reviewed, registered."""
    with audit_context(actor=artist, via="cli"):
        software = services.create_software_application(
            user=artist,
            fields={
                "title": "大芬画廊收银系统",
                "completed_on": dt.date(2026, 7, 1),
                "publish_status": "published",
                "first_published_on": dt.date(2026, 8, 1),
                "obtain_mode": "original",
                "rights": ["publication", "authorship", "alteration", "reproduction", "distribution", "network"],
            },
            software={
                "short_name": "收银系统",
                "version": "V1.0",
                "category": "application",
                "development_mode": "independent",
                "hardware_environment": "开发：x86-64 台式机；运行：收银一体机（4 GB 内存）",
                "software_environment": "开发：Linux、Python 3.11；运行：Linux 或 Windows 10，Python 3.11",
                "languages": "Python",
                "main_functions": "画作与画材的定价、库存、收银找零和小票打印。",
                "technical_features": "按画幅面积和材料自动定价；库存上限校验；离线收银。",
            },
            owners=[],
            archive=SimpleUploadedFile("gallery-pos.zip", gallery_source(), content_type="application/zip"),
            documentation=SimpleUploadedFile("用户手册.md", gallery_manual(), content_type="text/markdown"),
        )
        services.submit(work=software, user=artist)
    with audit_context(actor=registrar, via="cli"):
        services.accept(work=software, registrar=registrar)
        services.start_review(work=software, registrar=registrar)
        return services.register(work=software, registrar=registrar)


def load(users: Mapping[str, Any]) -> list[Work]:
    """Create the registry's demo works for the demo accounts (``users`` by role); returns them."""
    artist, agent, registrar = users[Role.ARTIST], users[Role.AGENCY], users[Role.REGISTRAR]
    dawn = painting(2101)
    with audit_context(actor=artist, via="cli"):
        filed = services.file_digital_work(
            user=artist,
            fields=_fields("大芬村的清晨", artist.party.name, "", dt.date(2026, 3, 8)),
            owners=[],
            files=[_sample(dawn, "大芬村的清晨.png")],
            issue_now=True,
        )
        services.file_contract(
            user=artist,
            contract_type=ContractType.NON_EXCLUSIVE_LICENCE,
            works=[filed],
            rights=["reproduction", "network"],
            territory="中国大陆",
            valid_from=dt.date(2026, 6, 1),
            valid_until=dt.date(2028, 5, 31),
            assignor=services.first_owner(filed),
            assignee=PartyInput(
                kind="organisation", name="深圳市示例文创有限公司", id_type="uscc", id_number=_DEMO_LICENSEE_USCC
            ),
            price_terms="每年许可使用费 20000 元",
        )
        granted = services.create_application(
            user=artist,
            fields=_fields(
                "莲花山的黄昏",
                artist.party.name,
                "布面油画，60×90 厘米。写生于莲花山顶，以暖色表现黄昏时的城市天际线。",
                dt.date(2026, 5, 20),
            ),
            owners=[],
            files=[_sample(painting(2102), "莲花山的黄昏.png")],
        )
        services.submit(work=granted, user=artist)
        awaiting = services.create_application(
            user=artist,
            fields=_fields(
                "梧桐山日出", artist.party.name, "水彩画。描绘梧桐山顶日出时分的云海。", dt.date(2026, 8, 2)
            ),
            owners=[],
            files=[_sample(painting(2103), "梧桐山日出.png")],
        )
        services.submit(work=awaiting, user=artist)
    with audit_context(actor=agent, via="cli"):
        queued = services.create_application(
            user=agent,
            fields=_fields(
                "前海的风", SCULPTOR.name, "不锈钢雕塑，高 2.4 米，表现海风吹过前海的形态。", dt.date(2026, 9, 15)
            ),
            owners=[SCULPTOR],
            files=[_sample(painting(2104), "前海的风.png"), _letter(SCULPTOR.name)],
        )
        services.submit(work=queued, user=agent)
        held = services.file_digital_work(
            user=agent,
            fields=_fields("晨光小镇", COPIER.name, "", dt.date(2026, 10, 1)),
            owners=[COPIER],
            files=[_sample(cropped_copy(dawn), "晨光小镇.jpg"), _letter(COPIER.name)],
            issue_now=True,
        )
    with audit_context(actor=registrar, via="cli"):
        for work in (granted, awaiting):
            services.accept(work=work, registrar=registrar)
            services.start_review(work=work, registrar=registrar)
        services.register(work=granted, registrar=registrar)
        services.request_correction(
            work=awaiting,
            registrar=registrar,
            notice="作品说明书过于简略，请补充创作过程和独创性说明；样本请上传完整画面的高清照片。",
        )
    return [filed, granted, awaiting, queued, held, load_software(artist, registrar)]
