"""The PDF certificate: an A4 作品登记证书 / 数字作品备案证书 carrying its own proof, PAdES-signed.

Framework-free: the registry app fills a :class:`CertificateData`, calls :func:`render_certificate`
and then :func:`sign_pdf` with the platform's document-signing key and the built-in TSA.

* Layout follows DOMAIN.md §1.5 (title, 登记号, 作品名称, 作品类别, 作者, 著作权人, 创作完成日期,
  首次发表日期, the "上述事项…予以登记" sentence, 登记日期, issuing body and seal) plus what makes
  it checkable: the ISCC code, the log entry and a QR code to the public ``…/verify/<number>`` page.
* The proof bundle is attached as the embedded file ``certificate.json``; the PAdES signature
  covers it, so ``artrights verify certificate.pdf`` can check everything offline.
* Font: the system Noto CJK fonts (Debian ``fonts-noto-cjk``, installed by ``.ci/run``), or any
  OpenType/TrueType font named by ``ARTRIGHTS_CJK_FONT`` (``path`` or ``path#face-index``). No PyPI
  package ships a CJK font and a subset vendored in the repository could not print arbitrary
  names and titles, so the full font is read at render time and fpdf2 embeds the subset of
  glyphs the certificate uses.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from artrights.core.asyncrun import run_sync
from artrights.core.pki import SigningKey
from artrights.proofs.bundle import Timestamper

if TYPE_CHECKING:
    from fpdf import FPDF
    from pyhanko.sign.timestamps import TimeStamper

CERTIFICATE_ATTACHMENT = "certificate.json"
SIGNATURE_FIELD = "ArtRightsCertificate"

Kind = Literal["registration", "digital_filing"]

# Debian/Ubuntu (fonts-noto-cjk), Fedora (google-noto-*-cjk-fonts), Arch (noto-fonts-cjk).
_FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/google-noto-serif-cjk-fonts",
    "/usr/share/fonts/google-noto-sans-cjk-fonts",
    "/usr/share/fonts/noto-cjk",
)
_FONT_FILES = {
    "regular": ("NotoSerifCJK-Regular.ttc", "NotoSansCJK-Regular.ttc"),
    "bold": ("NotoSerifCJK-Bold.ttc", "NotoSansCJK-Bold.ttc"),
}
# Face order inside the Noto CJK collections is JP, KR, SC, TC, HK: index 2 is Simplified Chinese.
_NOTO_SC_FACE = 2


class FontMissingError(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "找不到中文字体：请安装 Noto CJK 字体（apt-get install fonts-noto-cjk），"
            "或用环境变量 ARTRIGHTS_CJK_FONT 指定字体文件。"
            " / No CJK font found: install Noto CJK (apt-get install fonts-noto-cjk) or point "
            "ARTRIGHTS_CJK_FONT at an OpenType/TrueType font file."
        )


@dataclass(frozen=True)
class FontFace:
    path: Path
    index: int = 0


def find_cjk_font(weight: Literal["regular", "bold"] = "regular", *, configured: str = "") -> FontFace:
    """The font used for Chinese text: ``configured`` (``path`` or ``path#face-index``, the operator's
    ``ARTRIGHTS_CJK_FONT``) or a system Noto CJK font; raises :class:`FontMissingError` (zh + en) when absent."""
    if configured:
        path, _, index = configured.partition("#")
        if not Path(path).is_file():
            raise FontMissingError()
        return FontFace(Path(path), int(index or 0))
    for directory in _FONT_DIRS:
        for name in _FONT_FILES[weight]:
            candidate = Path(directory) / name
            if candidate.is_file():
                return FontFace(candidate, _NOTO_SC_FACE if candidate.suffix == ".ttc" else 0)
    if weight == "bold":
        return find_cjk_font("regular")
    raise FontMissingError()


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateData:
    number: str
    title: str
    work_type: str  # the Chinese label (美术, 摄影 …), not the enum key
    authors: Sequence[str]
    owners: Sequence[str]
    applicant: str
    issuer: str  # 登记机构 / 备案机构
    registered_on: dt.date
    verify_url: str
    log_origin: str
    log_index: int
    bundle_json: bytes
    kind: Kind = "registration"
    created_on: dt.date | None = None
    first_published_on: dt.date | None = None  # None prints 未发表
    iscc: str | None = None
    serial: int = 1  # 1 for the first issue, then one more for every reissue (换发)
    extra_rows: Sequence[tuple[str, str]] = field(default_factory=tuple)


_INK = (35, 31, 32)
_RED = (178, 34, 34)
_GOLD = (168, 128, 48)
_GREY = (110, 110, 110)


def _date(value: dt.date | None, missing: str) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else missing


def render_certificate(data: CertificateData, *, font: str = "") -> bytes:
    """The unsigned certificate PDF, with ``certificate.json`` embedded."""
    from fpdf import FPDF

    regular, bold = find_cjk_font("regular", configured=font), find_cjk_font("bold", configured=font)
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_creator("ArtRights 艺术版权保护与活化平台")
    pdf.set_title(f"{_heading(data.kind)} {data.number}")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    # Fixed creation date: renders of the same data are byte-identical until signed.
    pdf.set_creation_date(dt.datetime.combine(data.registered_on, dt.time(), tzinfo=dt.UTC))
    pdf.add_font("cjk", style="", fname=str(regular.path), collection_font_number=regular.index)
    pdf.add_font("cjk", style="B", fname=str(bold.path), collection_font_number=bold.index)
    pdf.add_page()

    _frame(pdf)
    pdf.set_text_color(*_INK)
    pdf.set_font("cjk", "B", 30)
    pdf.set_xy(0, 34)
    pdf.cell(210, 14, _heading(data.kind), align="C")
    pdf.set_font("cjk", "", 10)
    pdf.set_text_color(*_GREY)
    pdf.set_xy(0, 49)
    english = "Certificate of Work Registration" if data.kind == "registration" else "Digital Work Filing Certificate"
    pdf.cell(210, 6, english, align="C")

    pdf.set_text_color(*_INK)
    pdf.set_font("cjk", "", 12)
    pdf.set_xy(24, 62)
    label = "登记号" if data.kind == "registration" else "备案号"
    pdf.cell(162, 8, f"{label}：{data.number}", align="R")

    rows: list[tuple[str, str]] = [
        ("作品名称", data.title),
        ("作品类别", data.work_type),
        ("作者", "、".join(data.authors) or "—"),
        ("著作权人", "、".join(data.owners) or "—"),
        ("创作完成日期", _date(data.created_on, "—")),
        ("首次发表日期", _date(data.first_published_on, "未发表")),
        *data.extra_rows,
    ]
    if data.kind == "registration":
        sentence = (
            f"上述事项，由{data.applicant}申请，经{data.issuer}审核，根据《作品自愿登记试行办法》规定，予以登记。"
        )
    else:
        sentence = (
            f"上述作品，由{data.applicant}申请，经{data.issuer}审核，"
            "根据《深圳市平面设计作品版权保护办法》规定，予以备案。"
        )
    # Long titles or many authors shrink the body text rather than run into the seal, whose top
    # is 12.5 mm above the issuer line at 188 mm.
    fits = [s for s in (13.0, 12.0, 11.0, 10.0, 9.0) if _body(pdf, rows, sentence, s, dry_run=True) <= 175]
    size = fits[0] if fits else 8.0
    bottom = _body(pdf, rows, sentence, size, dry_run=False)

    # Date and issuing body first, then the seal stamped over them in multiply mode, as ink on paper.
    text_y = min(max(188.0, bottom + 6), 200.0)
    pdf.set_text_color(*_INK)
    pdf.set_font("cjk", "", 13)
    pdf.set_xy(100, text_y)
    pdf.cell(86, 8, data.issuer, align="R")
    pdf.set_xy(100, text_y + 9)
    date_label = "登记日期" if data.kind == "registration" else "备案日期"
    pdf.cell(86, 8, f"{date_label}：{_date(data.registered_on, '—')}", align="R")
    purpose = "作品自愿登记专用章" if data.kind == "registration" else "数字作品备案专用章"
    with pdf.local_context(blend_mode="Multiply", fill_opacity=0.85, stroke_opacity=0.85):
        _seal(pdf, 160.0, text_y + 8.5, data.issuer, purpose)

    _proof_panel(pdf, data)
    pdf.embed_file(
        bytes=data.bundle_json,
        basename=CERTIFICATE_ATTACHMENT,
        desc="证明材料（登记声明、日志包含证明、时间戳）/ proof bundle",
        mime_type="application/json",
        modification_date=dt.datetime.combine(data.registered_on, dt.time(), tzinfo=dt.UTC),
    )
    return bytes(pdf.output())


def _body(pdf: FPDF, rows: Sequence[tuple[str, str]], sentence: str, size: float, *, dry_run: bool) -> float:
    """Draw (or only measure) the field rows and the sentence at ``size`` pt; return the bottom y."""
    line = size * 0.7  # mm per line: 13 pt text on 9 mm lines, as on the paper certificate
    y = 76.0
    for name, value in rows:
        pdf.set_font("cjk", "", size)
        height = line * max(1, _line_count(pdf, 112, line, value))
        if not dry_run:
            pdf.set_font("cjk", "B", size)
            pdf.set_xy(30, y)
            pdf.cell(36, line, name)
            pdf.set_font("cjk", "", size)
            pdf.set_xy(68, y)
            pdf.multi_cell(112, line, value, align="L")
            pdf.set_draw_color(*_GOLD)
            pdf.set_line_width(0.15)
            pdf.line(30, y + height + 1, 180, y + height + 1)
        y += height + 2.5
    pdf.set_font("cjk", "", size)
    y += 6
    count = _line_count(pdf, 150, line, sentence)
    if not dry_run:
        pdf.set_xy(30, y)
        pdf.multi_cell(150, line, sentence)
    return y + line * count


def _line_count(pdf: FPDF, width: float, line: float, text: str) -> int:
    from fpdf.enums import MethodReturnValue

    lines = pdf.multi_cell(width, line, text, dry_run=True, output=MethodReturnValue.LINES)
    return len(lines) if isinstance(lines, list) else 1


def _heading(kind: Kind) -> str:
    return "作品登记证书" if kind == "registration" else "数字作品备案证书"


def _frame(pdf: FPDF) -> None:
    pdf.set_draw_color(*_GOLD)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 190, 277)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, 184, 271)
    # Corner ornaments: short diagonal strokes, enough to read as a certificate border.
    for cx, cy, dx, dy in ((13, 13, 1, 1), (197, 13, -1, 1), (13, 284, 1, -1), (197, 284, -1, -1)):
        pdf.line(cx, cy + 8 * dy, cx + 8 * dx, cy)


def _seal(pdf: FPDF, cx: float, cy: float, issuer: str, purpose: str) -> None:
    """A round red seal: issuer along the upper arc, a star, the seal's purpose below."""
    import math

    pdf.set_draw_color(*_RED)
    pdf.set_text_color(*_RED)
    pdf.set_line_width(1.0)
    radius = 21.0
    pdf.circle(cx, cy, radius, style="D")
    pdf.set_fill_color(*_RED)
    star = []
    for i in range(10):
        r = 4.0 if i % 2 == 0 else 1.6
        angle = -math.pi / 2 + i * math.pi / 5
        star.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    pdf.polygon(star, style="F")
    text = issuer[:16]
    pdf.set_font("cjk", "B", 9 if len(text) > 10 else 10)
    span = min(220.0, 18.0 * len(text))
    for i, char in enumerate(text):
        angle = -span / 2 + (span * (i + 0.5) / len(text))
        rad = math.radians(angle - 90)
        x = cx + (radius - 5) * math.cos(rad)
        y = cy + (radius - 5) * math.sin(rad)
        with pdf.rotation(-angle, x, y):
            pdf.set_xy(x - 2.5, y - 2.5)
            pdf.cell(5, 5, char, align="C")
    pdf.set_font("cjk", "", 6.5)
    pdf.set_xy(cx - radius, cy + 8)
    pdf.cell(2 * radius, 4, purpose, align="C")


def _proof_panel(pdf: FPDF, data: CertificateData) -> None:
    import qrcode

    top = 226.0
    pdf.set_draw_color(*_GOLD)
    pdf.set_line_width(0.3)
    pdf.line(24, top - 3, 186, top - 3)
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=1, box_size=8)
    qr.add_data(data.verify_url)
    qr.make(fit=True)
    png = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(png, format="PNG")
    pdf.image(io.BytesIO(png.getvalue()), x=24, y=top, w=38, h=38)

    pdf.set_text_color(*_INK)
    lines = [
        ("可信存证 / Verifiable record", ""),
        ("ISCC 作品标识", data.iscc or "—"),
        ("公共日志", f"{data.log_origin} 第 {data.log_index} 条"),
        ("核验网址", data.verify_url),
        ("证书版次", f"第 {data.serial} 版"),
    ]
    y = top
    for name, value in lines:
        pdf.set_xy(68, y)
        if not value:
            pdf.set_font("cjk", "B", 10)
            pdf.cell(118, 6, name)
        else:
            pdf.set_font("cjk", "B", 8.5)
            pdf.cell(24, 5.5, name)
            pdf.set_font("cjk", "", 8.5)
            pdf.multi_cell(94, 5.5, value, align="L")
        y = max(pdf.get_y(), y + 5.5) + 0.8
    pdf.set_text_color(*_GREY)
    pdf.set_font("cjk", "", 7.5)
    pdf.set_xy(68, y + 1)
    pdf.multi_cell(
        118,
        4.2,
        "本证书附有证明文件 certificate.json，并经数字签名和可信时间戳保护；"
        "可扫描二维码或运行 artrights verify 离线核验。\n"
        "This certificate embeds certificate.json and is digitally signed and time-stamped; "
        "scan the code or run `artrights verify` to check it offline.",
        align="L",
    )


# --------------------------------------------------------------------------------------------
# PAdES signing
# --------------------------------------------------------------------------------------------


def _pyhanko_timestamper(timestamper: Timestamper) -> TimeStamper:
    from asn1crypto import tsp
    from pyhanko.sign.timestamps import TimeStamper

    class _LocalTimeStamper(TimeStamper):
        """pyHanko asks for tokens through this; ours come from a callable, never the network."""

        async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
            return tsp.TimeStampResp.load(timestamper(req.dump()))

    return _LocalTimeStamper()  # type: ignore[no-untyped-call]  # pyHanko leaves TimeStamper.__init__ unannotated


def sign_pdf(
    pdf_bytes: bytes,
    signer_key: SigningKey,
    signer_cert_chain: Sequence[x509.Certificate],
    timestamper: Timestamper,
    *,
    reason: str = "作品登记证书签发 / certificate issued",
    location: str = "深圳 Shenzhen",
) -> bytes:
    """PAdES B-T: a CAdES signature over the whole file plus an RFC 3161 signature timestamp."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if not signer_cert_chain:
        raise ValueError("the signer certificate chain is empty")
    der_key = signer_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    certs = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in signer_cert_chain]
    signer = signers.SimpleSigner(
        signing_cert=certs[0],
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        # Only intermediates go with the leaf: a relying party brings its own root, and every
        # certificate in the CMS that the signature does not depend on (an extra root, a second
        # copy of the leaf) would be bytes anyone could change without the signature noticing.
        # (pyhanko-certvalidator leaves from_certs unannotated.)
        cert_registry=SimpleCertificateStore.from_certs(certs[1:-1]),  # type: ignore[no-untyped-call]
        embed_roots=False,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=_pyhanko_timestamper(timestamper))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    out = io.BytesIO()
    # A fixed reservation skips pyHanko's dry-run signature used only to measure the CMS size: one
    # CMS encoding fewer, and asn1crypto's re-encoding of a parsed time-stamp token can be very slow.
    # 16 KiB holds an ECDSA or RSA-4096 chain plus the token several times over.
    coro = pdf_signer.async_sign_pdf(writer, output=out, bytes_reserved=16 * 1024)
    run_sync(coro)
    return out.getvalue()
