"""The PDF certificate: an A4 作品登记证书 / 数字作品备案证书 carrying its own proof, PAdES-signed.

Framework-free: the registry app fills a :class:`CertificateData`, calls :func:`render_certificate`
and then :func:`sign_pdf` with the platform's document-signing key and the built-in TSA.

* Layout follows DOMAIN.md §1.5 (title, 登记号, 作品名称, 作品类别, 作者, 著作权人, 创作完成日期,
  首次发表日期, the "上述事项…予以登记" sentence, 登记日期, issuing body and seal) plus what makes
  it checkable: the ISCC code, the log entry and a QR code to the public ``…/verify/<number>`` page.
  A picture of the work (the sample, as a small JPEG or PNG the caller made) stands beside the particulars.
* The proof bundle is attached as the embedded file ``certificate.json``; the PAdES signature
  covers it, so ``artrights verify certificate.pdf`` can check everything offline.
* Font: any OpenType/TrueType font named by ``ARTRIGHTS_CJK_FONT`` (``path`` or ``path#face-index``), else
  the system Noto CJK fonts (Debian ``fonts-noto-cjk``, with a bold weight), else Noto Serif SC from the
  ``pylopdf-fonts-zh-cn`` Python package (regular weight only), so a fresh machine prints certificates with
  nothing but the Python dependencies. A subset vendored in the repository could not print arbitrary names
  and titles, so the full font is read at render time and fpdf2 embeds the subset of glyphs it uses.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from artrights.core.asyncrun import run_sync
from artrights.core.errors import BilingualError
from artrights.core.pki import SigningKey
from artrights.proofs.bundle import Timestamper

if TYPE_CHECKING:
    from fpdf import FPDF
    from fpdf.fonts import TTFFont
    from pyhanko.sign.timestamps import TimeStamper

CERTIFICATE_ATTACHMENT = "certificate.json"
SIGNATURE_FIELD = "ArtRightsCertificate"

Kind = Literal["registration", "digital_filing", "software"]

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
            "找不到中文字体：ARTRIGHTS_CJK_FONT 指定的文件不存在，或 Python 依赖 pylopdf-fonts-zh-cn 未安装"
            "（pip install -e .）；也可以安装 Noto CJK 字体（apt-get install fonts-noto-cjk）。"
            " / No CJK font found: the file ARTRIGHTS_CJK_FONT names is missing, or the Python dependency "
            "pylopdf-fonts-zh-cn is not installed (pip install -e .); installing Noto CJK "
            "(apt-get install fonts-noto-cjk) also works."
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
    packaged = _packaged_font()
    if packaged is None:
        raise FontMissingError()
    return packaged


@functools.lru_cache(maxsize=4)
def _code_points(face: FontFace) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(face.path), fontNumber=face.index, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def undrawable(text: str, *, configured: str = "") -> list[str]:
    """The characters of ``text`` the certificate font has no glyph for: they would vanish from the certificate
    (an emoji, a rare character outside the font). Empty when no font is installed: printing says so itself."""
    try:
        points = _code_points(find_cjk_font(configured=configured))
    except FontMissingError:
        return []
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in points})


def _packaged_font() -> FontFace | None:
    """Noto Serif SC shipped as a Python dependency (SIL OFL 1.1); None when the package is absent."""
    try:
        from pylopdf_fonts_zh_cn import serif_path
    except ImportError:
        return None
    path = serif_path()
    return FontFace(path) if path.is_file() else None


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
    picture: bytes | None = None  # a thumbnail of the work (JPEG or PNG), printed beside the particulars
    # Software (kind "software"): ``number`` is the registration number (YYYYSR…), printed as a particular; the
    # certificate's own number (软著登字第…号) heads it; the tree hash replaces the ISCC in the proof panel.
    certificate_number: str = ""
    tree_sha256: str | None = None


Colour = tuple[int, int, int]
INK: Colour = (35, 31, 32)
RED = (178, 34, 34)
GOLD = (168, 128, 48)
GREY = (110, 110, 110)


def cn_date(value: dt.date | None, missing: str) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else missing


def new_pdf(title: str, issued_on: dt.date, *, font: str = "", bold_face: bool = True) -> FPDF:
    """An empty A4 document with the CJK font loaded as ``cjk`` (regular and, unless ``bold_face`` is false,
    bold: loading and subsetting a CJK face is most of a render's time) and one page."""
    from fpdf import FPDF

    regular = find_cjk_font("regular", configured=font)
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_creator("ArtRights 艺术版权保护与活化平台")
    pdf.set_title(title)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    # Fixed creation date: renders of the same data are byte-identical until signed.
    pdf.set_creation_date(dt.datetime.combine(issued_on, dt.time(), tzinfo=dt.UTC))
    add_cjk_font(pdf, regular)
    if bold_face:
        add_cjk_font(pdf, find_cjk_font("bold", configured=font), style="B")
    pdf.add_page()
    return pdf


def add_cjk_font(pdf: FPDF, face: FontFace, *, style: str = "") -> None:
    """``pdf.add_font("cjk", style, ...)`` for ``face`` without parsing it again. fpdf2 parses a CJK face (its
    character map and the metrics of some 65,000 glyphs) for every document, about a second each; the parse is
    kept for the process (:func:`_parsed_face`) and each document gets its own copy of what a document changes, as
    fpdf2's ``TTFFont.__deepcopy__`` draws the line: the widths, glyph ids and subset map filled while text is
    drawn, and the fontTools font, which the subsetter prunes in place when the document is written. The bytes
    written are the same as after ``add_font`` (test_certificate_pdf checks it)."""
    from fpdf.fonts import SubsetMap

    stat = face.path.stat()
    parsed, pickled = _parsed_face(str(face.path), face.index, style, (stat.st_mtime_ns, stat.st_size))
    font = copy.copy(parsed)
    font.i = len(pdf.fonts) + 1
    font.ttfont = pickle.loads(pickled)  # bytes this process made (_parsed_face), never read from outside
    # Keep the face's own bounding box in the subset rather than work out the subset's: recalculating it runs
    # every glyph's outline program, twice per font as fpdf2 writes a CFF font (a third of a render), and the
    # whole face's box still holds the glyphs kept. fontTools' own subsetter does not recalculate it by default.
    font.ttfont.recalcBBoxes = False
    font.cw = copy.copy(parsed.cw)  # a defaultdict: the copy keeps the missing glyph's width as its default
    font.glyph_ids = dict(parsed.glyph_ids)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font
    if font.is_cff and font.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")  # as add_font does for a CID-keyed CFF font (Noto CJK is one)


@functools.lru_cache(maxsize=8)
def _parsed_face(path: str, index: int, style: str, stamp: tuple[int, int]) -> tuple[TTFFont, bytes]:
    """fpdf2's parse of one face, made on a scratch document that is never written, and its fontTools font
    pickled (fontTools pickles a lazily read font by its file name: unpickling opens the file again), without its
    CFF outlines: a copy reads them from the file when the subsetter asks, as a freshly opened font does, and
    unpickles in a tenth of the time it takes with them. ``stamp`` (the file's modification time and size) makes a
    replaced font file parsed anew."""
    from fpdf import FPDF
    from fpdf.fonts import TTFFont as TTFFontClass

    scratch = FPDF()
    scratch.add_font("cjk", style=style, fname=path, collection_font_number=index)
    font = scratch.fonts["cjk" + style]
    assert isinstance(font, TTFFontClass)
    tables = font.ttfont.tables
    # Not a TrueType "glyf" table: fpdf2 may have drawn a missing .notdef glyph into it, which the file lacks.
    outlines = {tag: tables.pop(tag) for tag in ("CFF ", "CFF2") if tag in tables}
    pickled = pickle.dumps(font.ttfont, protocol=pickle.HIGHEST_PROTOCOL)
    tables.update(outlines)
    return font, pickled


def embed(pdf: FPDF, data: bytes, name: str, description: str, issued_on: dt.date) -> None:
    """Attach ``data`` as the embedded file ``name``: the signature that follows covers it."""
    pdf.embed_file(
        bytes=data,
        basename=name,
        desc=description,
        mime_type="application/json",
        modification_date=dt.datetime.combine(issued_on, dt.time(), tzinfo=dt.UTC),
    )


@dataclass(frozen=True)
class Page:
    """The parts every certificate shares: heading, number, particulars, the granting sentence, issuer and seal."""

    heading: str
    english: str
    number_label: str
    number: str
    rows: Sequence[tuple[str, str]]
    sentence: str
    issuer: str
    date_label: str
    issued_on: dt.date
    seal_purpose: str
    picture: bytes | None = None


def certificate_page(pdf: FPDF, page: Page) -> None:
    """Draw ``page`` in the certificate frame; the proof panel below it is the caller's."""
    _frame(pdf)
    centred(pdf, page.heading, y=34, height=14, size=30, bold=True)
    centred(pdf, page.english, y=49, height=6, size=10, colour=GREY)
    pdf.set_text_color(*INK)
    pdf.set_font("cjk", "", 12)
    pdf.set_xy(24, 62)
    pdf.cell(162, 8, f"{page.number_label}：{page.number}", align="R")

    picture_bottom = _picture(pdf, page.picture) if page.picture else 0.0
    # Long titles or many authors shrink the body text rather than run into the seal, whose top
    # is 12.5 mm above the issuer line at 188 mm.
    sizes = (13.0, 12.0, 11.0, 10.0, 9.0, 8.0)
    fits = [s for s in sizes if _body(pdf, page, s, picture_bottom, dry_run=True) <= 175]
    if not fits:
        # The registry's length limits (registry.models.MAX_TITLE, MAX_NAMES_TEXT) keep this from happening.
        raise BilingualError(
            "certificate_overflow",
            "证书内容过长，一页排不下。",
            "The certificate's particulars are too long to fit on one page.",
        )
    size = fits[0]
    bottom = _body(pdf, page, size, picture_bottom, dry_run=False)

    # Date and issuing body first, then the seal stamped over them in multiply mode, as ink on paper.
    text_y = min(max(188.0, bottom + 6), 200.0)
    issuer_and_seal(pdf, page.issuer, f"{page.date_label}：{cn_date(page.issued_on, '—')}", page.seal_purpose, text_y)


def centred(
    pdf: FPDF, text: str, *, y: float, height: float, size: float, bold: bool = False, colour: Colour = INK
) -> None:
    """One line centred across the page."""
    pdf.set_text_color(*colour)
    pdf.set_font("cjk", "B" if bold else "", size)
    pdf.set_xy(0, y)
    pdf.cell(210, height, text, align="C")
    pdf.set_text_color(*INK)


def issuer_and_seal(pdf: FPDF, issuer: str, date_line: str, purpose: str, text_y: float) -> None:
    """The issuing body and the date, right-aligned at ``text_y``, with the round seal stamped over them."""
    pdf.set_text_color(*INK)
    pdf.set_font("cjk", "", 13)
    pdf.set_xy(100, text_y)
    pdf.cell(86, 8, issuer, align="R")
    pdf.set_xy(100, text_y + 9)
    pdf.cell(86, 8, date_line, align="R")
    with pdf.local_context(blend_mode="Multiply", fill_opacity=0.85, stroke_opacity=0.85):
        _seal(pdf, 160.0, text_y + 8.5, issuer, purpose)


# The work's picture: a box at the right of the particulars, the rows beside it narrower.
_PICTURE_BOX = (140.0, 76.0, 40.0, 50.0)  # x, y, width, height (mm)


def _picture(pdf: FPDF, image: bytes) -> float:
    """Draw the picture fitted into its box, framed, with a caption; return the bottom of the caption."""
    from PIL import Image

    x, y, width, height = _PICTURE_BOX
    with Image.open(io.BytesIO(image)) as im:
        ratio = im.width / im.height
    w, h = (width, width / ratio) if ratio >= width / height else (height * ratio, height)
    left, top = x + (width - w) / 2, y
    pdf.image(io.BytesIO(image), x=left, y=top, w=w, h=h)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.3)
    pdf.rect(left - 1, top - 1, w + 2, h + 2)
    pdf.set_text_color(*GREY)
    pdf.set_font("cjk", "", 8)
    pdf.set_xy(x - 4, top + h + 2)
    pdf.cell(width + 8, 4, "作品样图 / sample of the work", align="C")
    pdf.set_text_color(*INK)
    return top + h + 7


def render_certificate(data: CertificateData, *, font: str = "") -> bytes:
    """The unsigned certificate PDF, with ``certificate.json`` embedded."""
    pdf = new_pdf(f"{_heading(data.kind)} {data.number}", data.registered_on, font=font)
    if data.kind == "software":
        return _software_certificate(pdf, data)
    rows: list[tuple[str, str]] = [
        ("作品名称", data.title),
        ("作品类别", data.work_type),
        ("作者", "、".join(data.authors) or "—"),
        ("著作权人", "、".join(data.owners) or "—"),
        ("创作完成日期", cn_date(data.created_on, "—")),
        ("首次发表日期", cn_date(data.first_published_on, "未发表")),
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
    registration = data.kind == "registration"
    page = Page(
        heading=_heading(data.kind),
        english="Certificate of Work Registration" if registration else "Digital Work Filing Certificate",
        number_label="登记号" if registration else "备案号",
        number=data.number,
        rows=rows,
        sentence=sentence,
        issuer=data.issuer,
        date_label="登记日期" if registration else "备案日期",
        issued_on=data.registered_on,
        seal_purpose="作品自愿登记专用章" if registration else "数字作品备案专用章",
        picture=data.picture,
    )
    return _finish(
        pdf,
        page,
        data,
        ("ISCC 作品标识", data.iscc or "—"),
        "本证书附有证明文件 certificate.json（著作权人仅以承诺值表示，不含证件号码），"
        "并经数字签名和可信时间戳保护；可扫描二维码或运行 artrights verify 离线核验。\n"
        "This certificate embeds certificate.json (the owner appears only as a commitment) and is digitally "
        "signed and time-stamped; scan the code or run `artrights verify` to check it offline.",
    )


def _finish(pdf: FPDF, page: Page, data: CertificateData, identifier: tuple[str, str], note: str) -> bytes:
    """Draw ``page``, the proof panel (the work's identifier, the log entry, the address, the serial) and attach
    the bundle: what every kind of certificate ends with."""
    certificate_page(pdf, page)
    proof_panel(
        pdf,
        data.verify_url,
        [
            identifier,
            ("公共日志", log_entry_text(data.log_origin, data.log_index)),
            ("核验网址", data.verify_url),
            ("证书版次", f"第 {data.serial} 版"),
        ],
        note,
    )
    embed(
        pdf,
        data.bundle_json,
        CERTIFICATE_ATTACHMENT,
        "证明材料（登记声明、日志包含证明、时间戳）/ proof bundle",
        data.registered_on,
    )
    return bytes(pdf.output())


def _software_certificate(pdf: FPDF, data: CertificateData) -> bytes:
    """计算机软件著作权登记证书: the software's particulars, its registration number, the tree hash in the proof."""
    rows: list[tuple[str, str]] = [
        ("软件名称", data.title),
        *data.extra_rows,
        ("著作权人", "、".join(data.owners) or "—"),
        ("开发完成日期", cn_date(data.created_on, "—")),
        ("首次发表日期", cn_date(data.first_published_on, "未发表")),
        ("登记号", data.number),
    ]
    page = Page(
        heading=_heading("software"),
        english="Certificate of Computer Software Copyright Registration",
        number_label="证书号",
        number=data.certificate_number,
        rows=rows,
        sentence=(
            f"根据《计算机软件保护条例》和《计算机软件著作权登记办法》的规定，经{data.issuer}审核，"
            f"对{data.applicant}申请的以上事项予以登记。"
        ),
        issuer=data.issuer,
        date_label="登记日期",
        issued_on=data.registered_on,
        seal_purpose="计算机软件著作权登记专用章",
    )
    return _finish(
        pdf,
        page,
        data,
        ("源程序树哈希", data.tree_sha256 or "—"),
        "本证书附有证明文件 certificate.json（著作权人仅以承诺值表示，不含证件号码；源程序仅以哈希值表示），"
        "并经数字签名和可信时间戳保护；可扫描二维码或运行 artrights verify 离线核验。\n"
        "This certificate embeds certificate.json (the owner appears only as a commitment, the source code only "
        "as its hash) and is digitally signed and time-stamped; scan the code or run `artrights verify` to check "
        "it offline.",
    )


def log_entry_text(origin: str, index: int) -> str:
    """The entry as people count: the first entry of a log is 第 1 条 (its index is 0)."""
    return f"{origin} 第 {index + 1} 条（序号 {index}）"


def _body(pdf: FPDF, page: Page, size: float, picture_bottom: float, *, dry_run: bool) -> float:
    """Draw (or only measure) the field rows and the sentence at ``size`` pt; return the bottom y.

    Rows that start beside the picture (above ``picture_bottom``) are narrower so that they stay clear of it.
    """
    line = size * 0.7  # mm per line: 13 pt text on 9 mm lines, as on the paper certificate
    y = 76.0
    for name, value in page.rows:
        beside = y < picture_bottom
        width, right = (_PICTURE_BOX[0] - 4 - 68, _PICTURE_BOX[0] - 4) if beside else (112.0, 180.0)
        pdf.set_font("cjk", "", size)
        lines = wrap(pdf, value, width)
        height = line * len(lines)
        if not dry_run:
            pdf.set_font("cjk", "B", size)
            pdf.set_xy(30, y)
            pdf.cell(36, line, name)
            pdf.set_font("cjk", "", size)
            _lines_at(pdf, lines, 68, y, line)
            pdf.set_draw_color(*GOLD)
            pdf.set_line_width(0.15)
            pdf.line(30, y + height + 1, right, y + height + 1)
        y += height + 2.5
    pdf.set_font("cjk", "", size)
    y = max(y + 6, picture_bottom + 2)
    lines = wrap(pdf, page.sentence, 150)
    if not dry_run:
        _lines_at(pdf, lines, 30, y, line)
    return y + line * len(lines)


def _lines_at(pdf: FPDF, lines: Sequence[str], x: float, y: float, height: float) -> None:
    for i, text in enumerate(lines):
        pdf.set_xy(x, y + i * height)
        pdf.cell(0, height, text)


# A run of Latin letters, digits and the punctuation inside numbers and addresses stays on one line; every other
# character may end a line, except that closing punctuation never starts one (Chinese line-breaking rule 避头).
_TOKENS = re.compile(r"[A-Za-z0-9@:/._\-+#%]+|.", re.S)
_NO_LINE_START = set("，。、；：？！）》」』”’%…·")


def wrap(pdf: FPDF, text: str, width: float, *, first_indent: float = 0.0) -> list[str]:
    """Break ``text`` into lines of at most ``width`` mm in the current font (explicit newlines kept)."""
    lines: list[str] = []
    for raw in text.split("\n"):
        line, room = "", width - (first_indent if not lines else 0.0)
        for token in _TOKENS.findall(raw):
            pieces = list(token) if pdf.get_string_width(token) > width else [token]
            for piece in pieces:
                if not line or pdf.get_string_width(line + piece) <= room or piece in _NO_LINE_START:
                    line += piece
                    continue
                lines.append(line.rstrip())
                line, room = piece.lstrip(), width
        lines.append(line.rstrip())
    return lines


def _heading(kind: Kind) -> str:
    return {
        "registration": "作品登记证书",
        "digital_filing": "数字作品备案证书",
        "software": "计算机软件著作权登记证书",
    }[kind]


def _frame(pdf: FPDF) -> None:
    pdf.set_draw_color(*GOLD)
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

    pdf.set_draw_color(*RED)
    pdf.set_text_color(*RED)
    pdf.set_line_width(1.0)
    radius = 21.0
    pdf.circle(cx, cy, radius, style="D")
    pdf.set_fill_color(*RED)
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


def qr_png(url: str) -> bytes:
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=1, box_size=8)
    qr.add_data(url)
    qr.make(fit=True)
    png = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(png, format="PNG")
    return png.getvalue()


def proof_panel(
    pdf: FPDF, url: str, rows: Sequence[tuple[str, str]], note: str, *, title: str = "可信存证 / Verifiable record"
) -> None:
    """The bottom panel: a QR code to ``url``, the ``rows`` that make the document checkable, and ``note``."""
    top = 226.0
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.3)
    pdf.line(24, top - 3, 186, top - 3)
    pdf.image(io.BytesIO(qr_png(url)), x=24, y=top, w=38, h=38)

    pdf.set_text_color(*INK)
    lines = [(title, ""), *rows]
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
            wrapped = wrap(pdf, value, 94)
            _lines_at(pdf, wrapped, 92, y, 5.5)
            y += 5.5 * (len(wrapped) - 1)
        y += 5.5 + 0.8
    pdf.set_text_color(*GREY)
    pdf.set_font("cjk", "", 7.5)
    _lines_at(pdf, wrap(pdf, note, 118), 68, y + 1, 4.2)


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
