"""The software deposit (鉴别材料) the platform makes for the applicant from the source tree they upload.

Framework-free: limits come in as arguments, refusals are :class:`BilingualError`.

* :func:`read_archive` opens a zip or tar(.gz) archive defensively: a path that climbs out of the tree or is
  absolute, a link or device, more entries or more uncompressed bytes than allowed (a zip bomb, counted while
  reading, never trusting the sizes the archive declares), a duplicated path: each refuses the whole archive.
* :func:`tree_hash` is the canonical hash of the whole tree, committed in the public log: SHA-256 over the
  lines ``<sha256 of the file> <path>\\n`` of every file, sorted by the UTF-8 bytes of its path. Anyone holding
  the tree recomputes it with :func:`tree_hash` (or ``find . -type f | sort | xargs sha256sum``-like tools).
* :func:`source_listing` puts the text source files one after another (each headed by its path), without blank
  lines; :func:`paginate` cuts it into pages of ``LINES_PER_PAGE`` lines and picks the pages the rules ask for
  (《计算机软件著作权登记办法》 Art. 10: the first and last 30 consecutive pages, all of them under 60 pages,
  at least 50 lines a page); :func:`render_deposit` prints them, each page headed with the software's name and
  version and numbered with its place in the whole listing. The exceptional deposit (Art. 12 (1)) blacks out
  the lines the applicant names, at most half of the deposited lines; their text is never written to the PDF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import posixpath
import stat
import tarfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from artrights.core.errors import BilingualError

from .certificate_pdf import GREY, INK, add_cjk_font, find_cjk_font, new_pdf

LINES_PER_PAGE = 50  # source (Art. 10: at least 50 lines a page)
DOC_LINES_PER_PAGE = 30  # documentation (at least 30 lines a page)
PAGES_EACH_END = 30
MAX_REDACTED_SHARE = 0.5  # Art. 12 (1): the covered part may not exceed half of the deposited source
# Art. 12 (2): the first 10 consecutive pages of source, plus any 50 consecutive pages of it.
EXCERPT_HEAD_PAGES = 10
EXCERPT_PAGES = 50
_CHUNK = 64 * 1024

# Files whose text counts as source code; anything else in the tree is hashed but not deposited.
SOURCE_SUFFIXES = frozenset(
    """
    .c .h .cc .cpp .cxx .hpp .hh .m .mm .cs .java .kt .kts .scala .groovy .go .rs .swift .py .pyi .rb .php .pl .pm
    .js .jsx .mjs .cjs .ts .tsx .vue .svelte .html .htm .css .scss .less .sql .sh .bash .ps1 .bat .lua .r .dart
    .erl .ex .exs .hs .ml .fs .clj .f90 .f .pas .asm .s .v .sv .vhd .vhdl .xml .xaml .gradle .cmake .proto .wxml
    .wxss
    """.split()
)


def _refuse(code: str, zh: str, en: str) -> BilingualError:
    return BilingualError(code, zh, en)


@dataclass(frozen=True)
class SourceFile:
    path: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def text(self) -> str | None:
        """The file as text (UTF-8, else GB18030), or None for a binary file."""
        if b"\0" in self.data:
            return None
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return self.data.decode(encoding)
            except UnicodeDecodeError:
                continue
        return None

    @property
    def is_source(self) -> bool:
        return posixpath.splitext(self.path.lower())[1] in SOURCE_SUFFIXES and self.text() is not None


@dataclass(frozen=True)
class Limits:
    max_entries: int
    max_bytes: int


def _clean_path(raw: str) -> str:
    """The entry's path inside the tree; refuses absolute paths, drive letters and ``..`` (path traversal)."""
    path = raw.replace("\\", "/")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if path.startswith("/") or (parts and len(parts[0]) == 2 and parts[0][1] == ":") or ".." in parts:
        raise _refuse(
            "archive_traversal",
            f"压缩包中的路径“{raw[:80]}”指向源程序目录之外，已拒绝整个压缩包。",
            f"The archive's path '{raw[:80]}' points outside the source tree; the whole archive was refused.",
        )
    return "/".join(parts)


class _Budget:
    def __init__(self, limits: Limits) -> None:
        self.limits, self.entries, self.bytes = limits, 0, 0

    def entry(self) -> None:
        self.entries += 1
        if self.entries > self.limits.max_entries:
            raise _refuse(
                "archive_entries",
                f"压缩包中的文件超过 {self.limits.max_entries} 个，已拒绝。",
                f"The archive holds more than {self.limits.max_entries} entries; it was refused.",
            )

    def read(self, stream: IO[bytes]) -> bytes:
        """Read an entry, counting every decompressed byte against the tree's budget (a zip bomb stops here)."""
        out = bytearray()
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                return bytes(out)
            self.bytes += len(chunk)
            if self.bytes > self.limits.max_bytes:
                raise _refuse(
                    "archive_too_large",
                    f"压缩包解压后超过 {self.limits.max_bytes // (1024 * 1024)} MB（可能是压缩炸弹），已拒绝。",
                    f"The archive unpacks to more than {self.limits.max_bytes // (1024 * 1024)} MB "
                    "(possibly a zip bomb); it was refused.",
                )
            out += chunk


def _link_refused(path: str) -> BilingualError:
    return _refuse(
        "archive_link",
        f"压缩包中的“{path[:80]}”是符号链接、硬链接或设备文件，请只打包普通文件。",
        f"'{path[:80]}' in the archive is a symbolic link, hard link or device; pack regular files only.",
    )


def _zip_entries(data: bytes, budget: _Budget) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            budget.entry()
            path = _clean_path(info.filename)
            if info.is_dir():
                continue
            kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the archiver recorded no Unix file type
            if kind not in (0, stat.S_IFREG):
                raise _link_refused(info.filename)
            with archive.open(info) as stream:
                yield path, budget.read(stream)


def _tar_entries(data: bytes, budget: _Budget) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
        for member in archive:
            budget.entry()
            path = _clean_path(member.name)
            if member.isdir():
                continue
            if not member.isfile():
                raise _link_refused(member.name)
            stream = archive.extractfile(member)
            if stream is None:
                raise _link_refused(member.name)
            yield path, budget.read(stream)


def read_archive(data: bytes, *, limits: Limits) -> list[SourceFile]:
    """The files of a zip or tar(.gz/.bz2/.xz) archive, sorted by path; refuses unsafe or unreadable archives."""
    budget = _Budget(limits)
    try:
        if zipfile.is_zipfile(io.BytesIO(data)):
            entries = list(_zip_entries(data, budget))
        else:
            entries = list(_tar_entries(data, budget))
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError, NotImplementedError):
        raise _refuse(
            "archive_unreadable",
            "源程序须为 zip 或 tar.gz 压缩包，这个文件无法解开。",
            "The source must be a zip or tar.gz archive; this file could not be unpacked.",
        ) from None
    seen: set[str] = set()
    for path, _data in entries:
        if path in seen:
            raise _refuse(
                "archive_duplicate",
                f"压缩包中“{path[:80]}”出现了不止一次。",
                f"'{path[:80]}' appears more than once in the archive.",
            )
        seen.add(path)
    files = sorted((SourceFile(path, blob) for path, blob in entries), key=lambda f: f.path.encode())
    if not files:
        raise _refuse("archive_empty", "压缩包中没有文件。", "The archive holds no files.")
    return files


def tree_hash(files: Sequence[SourceFile]) -> str:
    """The canonical SHA-256 of the whole tree (every file, source or not): see the module's docstring."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.path.encode()):
        digest.update(f"{f.sha256} {f.path}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Line:
    path: str
    number: int  # line number in its file (0 for the heading line naming the file)
    text: str


def source_listing(files: Sequence[SourceFile]) -> list[Line]:
    """The source files' non-blank lines one after another, each file headed by its path; refuses a tree with no
    source code (only binaries, or only files that are not program text)."""
    listing: list[Line] = []
    for f in files:
        text = f.text() if f.is_source else None
        if text is None:
            continue
        body = [Line(f.path, n, line.rstrip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        if body:
            listing.append(Line(f.path, 0, f"==== {f.path} ===="))
            listing += body
    if not listing:
        raise _refuse(
            "no_source",
            "压缩包中没有可识别的源程序文本（只有二进制或其他文件），不能作为源程序鉴别材料。",
            "The archive holds no recognisable source code (only binaries or other files); it cannot be deposited.",
        )
    return listing


@dataclass(frozen=True)
class Deposit:
    """The pages chosen for deposit: ``pages`` holds (page number in the whole listing, its lines)."""

    total_pages: int
    pages: list[tuple[int, list[Line]]]
    lines_per_page: int

    @property
    def page_numbers(self) -> list[int]:
        return [n for n, _lines in self.pages]

    @property
    def line_count(self) -> int:
        return sum(len(lines) for _n, lines in self.pages)


def paginate(
    lines: Sequence[Line],
    *,
    lines_per_page: int = LINES_PER_PAGE,
    what: str = "source",
    excerpt_from: int | None = None,
) -> Deposit:
    """Pages of ``lines_per_page`` lines; the first and last ``PAGES_EACH_END`` of them, or all under 60 pages.
    A listing shorter than one full page is refused (the deposit must hold at least one page). ``excerpt_from``:
    the exceptional deposit of Art. 12 (2), the first 10 pages and the 50 consecutive pages from that page."""
    if len(lines) < lines_per_page:
        zh, en = ("源程序", "source") if what == "source" else ("文档", "documentation")
        raise _refuse(
            "deposit_too_short",
            f"{zh}只有 {len(lines)} 行（不含空行），不足一页（每页至少 {lines_per_page} 行），不能作为鉴别材料。",
            f"The {en} has only {len(lines)} non-blank lines, less than one page of {lines_per_page}; "
            "it cannot be deposited.",
        )
    all_pages = [list(lines[i : i + lines_per_page]) for i in range(0, len(lines), lines_per_page)]
    # A short last page is joined to the one before, so every deposited page holds at least lines_per_page lines.
    if len(all_pages) > 1 and len(all_pages[-1]) < lines_per_page:
        short = all_pages.pop()
        all_pages[-1] = all_pages[-1] + short
    numbered = list(enumerate(all_pages, 1))
    if excerpt_from is not None:
        return Deposit(
            total_pages=len(all_pages), pages=_excerpt(numbered, excerpt_from), lines_per_page=lines_per_page
        )
    if len(numbered) > 2 * PAGES_EACH_END:
        numbered = numbered[:PAGES_EACH_END] + numbered[-PAGES_EACH_END:]
    return Deposit(total_pages=len(all_pages), pages=numbered, lines_per_page=lines_per_page)


def _excerpt(numbered: list[tuple[int, list[Line]]], start: int) -> list[tuple[int, list[Line]]]:
    total = len(numbered)
    if total <= 2 * PAGES_EACH_END:
        raise _refuse(
            "excerpt_not_allowed",
            f"源程序共 {total} 页，不足 {2 * PAGES_EACH_END + 1} 页的应全部交存，"
            "不适用“前 10 页加连续 50 页”的例外交存。",
            f"The source has {total} pages; up to {2 * PAGES_EACH_END} pages it is deposited whole, so the exceptional "
            "deposit of the first 10 pages plus 50 consecutive pages does not apply.",
        )
    last_start = total - EXCERPT_PAGES + 1
    if not (EXCERPT_HEAD_PAGES < start <= last_start):
        raise _refuse(
            "excerpt_range",
            f"连续 50 页的起始页须在第 {EXCERPT_HEAD_PAGES + 1} 页至第 {last_start} 页之间（源程序共 {total} 页）。",
            f"The 50 consecutive pages must start between page {EXCERPT_HEAD_PAGES + 1} and page {last_start} "
            f"(the source has {total} pages).",
        )
    return numbered[:EXCERPT_HEAD_PAGES] + numbered[start - 1 : start - 1 + EXCERPT_PAGES]


def document_lines(text: str) -> list[Line]:
    """A documentation text (plain text or Markdown) as deposit lines, long lines cut to ``_WRAP`` characters."""
    out: list[Line] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line.strip():
            continue
        for start in range(0, len(line), _WRAP):
            out.append(Line("", n, line[start : start + _WRAP]))
    return out


def decode_document(data: bytes) -> str:
    text = SourceFile("doc.txt", data).text()
    if text is None:
        raise _refuse(
            "documentation_not_text",
            "软件文档须为 PDF、纯文本或 Markdown 文件（UTF-8 或 GB18030 编码）。",
            "The documentation must be a PDF, plain-text or Markdown file (UTF-8 or GB18030).",
        )
    return text


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


MAX_DOC_PDF_PAGES = 3000
HEADER_BAND = 0.05  # of the page height, freed at the top of each documentation page for its heading


@dataclass(frozen=True)
class PdfDocumentation:
    """A documentation the applicant gave as a PDF: its pages are deposited as they are, headed and numbered."""

    data: bytes
    total_pages: int
    page_numbers: list[int]


def pdf_documentation(data: bytes) -> PdfDocumentation:
    """The pages of a PDF documentation to deposit: the first and last 30, or all of a document of 60 or fewer.
    Refuses a PDF that cannot be read, is encrypted or has no page."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    unreadable = _refuse(
        "documentation_pdf_unreadable",
        "软件文档 PDF 无法读取（已损坏或已加密），请上传未加密的 PDF。",
        "The documentation PDF cannot be read (damaged or encrypted); upload an unencrypted PDF.",
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise unreadable
        total = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError):
        raise unreadable from None
    if total < 1:
        raise unreadable
    if total > MAX_DOC_PDF_PAGES:
        raise _refuse(
            "documentation_pdf_too_long",
            f"软件文档 PDF 有 {total} 页，超过 {MAX_DOC_PDF_PAGES} 页的上限。",
            f"The documentation PDF has {total} pages, over the limit of {MAX_DOC_PDF_PAGES}.",
        )
    numbers = list(range(1, total + 1))
    if total > 2 * PAGES_EACH_END:
        numbers = numbers[:PAGES_EACH_END] + numbers[-PAGES_EACH_END:]
    return PdfDocumentation(data=data, total_pages=total, page_numbers=numbers)


def render_pdf_documentation(doc: PdfDocumentation, heading: Heading, *, made_on: dt.date, font: str = "") -> bytes:
    """The documentation deposit from a PDF: each chosen page shrunk a little to free a band at its top, where the
    software's name, version and ``第 n 页 / 共 N 页`` are printed, as on a deposit built from text."""
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.errors import PyPdfError

    reader = PdfReader(io.BytesIO(doc.data), strict=False)
    pages = [reader.pages[n - 1] for n in doc.page_numbers]
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in pages]
    face = find_cjk_font("regular", configured=font)
    headings = FPDF(unit="pt")
    headings.set_auto_page_break(False)
    headings.set_creation_date(dt.datetime.combine(made_on, dt.time(), tzinfo=dt.UTC))
    add_cjk_font(headings, face)
    for number, (width, height) in zip(doc.page_numbers, sizes, strict=True):
        headings.add_page(format=(width, height))
        band = height * HEADER_BAND
        size = max(6.0, min(10.0, band * 0.45))
        headings.set_text_color(*INK)
        headings.set_font("cjk", "", size)
        headings.set_xy(width * 0.06, band * 0.2)
        headings.cell(width * 0.6, band * 0.6, f"{heading.name} {heading.version}  {heading.kind}")
        headings.set_xy(width * 0.6, band * 0.2)
        headings.cell(width * 0.34, band * 0.6, f"第 {number} 页 / 共 {doc.total_pages} 页", align="R")
        headings.set_draw_color(*GREY)
        headings.set_line_width(0.5)
        headings.line(width * 0.06, band, width * 0.94, band)
    overlays = PdfReader(io.BytesIO(bytes(headings.output()))).pages
    writer = PdfWriter()
    try:
        for page, overlay, (width, _height) in zip(pages, overlays, sizes, strict=True):
            scale = 1 - HEADER_BAND
            added = writer.add_page(page)  # pypdf changes a page's contents only once a writer holds it
            added.add_transformation(Transformation().scale(scale, scale).translate(width * (1 - scale) / 2, 0))
            added.merge_page(overlay)
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError):
        raise _refuse(
            "documentation_pdf_unreadable",
            "软件文档 PDF 无法读取（已损坏或已加密），请上传未加密的 PDF。",
            "The documentation PDF cannot be read (damaged or encrypted); upload an unencrypted PDF.",
        ) from None
    writer.add_metadata({"/Title": f"{heading.name} {heading.version} {heading.kind}", "/Creator": "ArtRights"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_WRAP = 100  # characters a deposited line shows; the rest of a longer line is marked with …


def check_redactions(deposit: Deposit, ranges: Sequence[tuple[int, int]]) -> set[int]:
    """The deposited line positions (1-based, counted over the deposited pages) to black out; refuses ranges
    outside the deposit and covering more than half of it (Art. 12 (1))."""
    covered: set[int] = set()
    total = deposit.line_count
    for first, last in ranges:
        if not (1 <= first <= last <= total):
            raise _refuse(
                "redaction_range",
                f"覆盖范围 {first}-{last} 不在交存的第 1-{total} 行之内。",
                f"The range {first}-{last} to black out is outside the deposited lines 1-{total}.",
            )
        covered.update(range(first, last + 1))
    if len(covered) > total * MAX_REDACTED_SHARE:
        raise _refuse(
            "redaction_too_much",
            f"例外交存覆盖了 {len(covered)} 行，超过交存源程序 {total} 行的一半。",
            f"The exceptional deposit blacks out {len(covered)} lines, more than half of the {total} deposited.",
        )
    return covered


@dataclass(frozen=True)
class Heading:
    name: str
    version: str
    kind: str  # 源程序 / 文档


def render_deposit(
    deposit: Deposit,
    heading: Heading,
    *,
    made_on: dt.date,
    redacted: frozenset[int] | set[int] = frozenset(),
    font: str = "",
) -> bytes:
    """The deposit PDF: one A4 page per deposited page, headed with the software's name, version and what it is,
    and numbered ``第 n 页 / 共 N 页`` with its place in the whole listing. Blacked-out lines are boxes only."""
    pdf = new_pdf(f"{heading.name} {heading.version} {heading.kind}", made_on, font=font, bold_face=False)
    top, bottom = 20.0, 282.0
    step = (bottom - top) / max(deposit.lines_per_page, max(len(lines) for _n, lines in deposit.pages))
    size = min(9.0, step / 0.3528 * 0.85)
    position = 0
    for index, (number, lines) in enumerate(deposit.pages):
        if index:
            pdf.add_page()
        pdf.set_text_color(*INK)
        pdf.set_font("cjk", "", 9)
        pdf.set_xy(12, 8)
        pdf.cell(130, 6, f"{heading.name} {heading.version}  {heading.kind}")
        pdf.set_font("cjk", "", 9)
        pdf.set_xy(140, 8)
        pdf.cell(58, 6, f"第 {number} 页 / 共 {deposit.total_pages} 页", align="R")
        pdf.set_draw_color(*GREY)
        pdf.set_line_width(0.2)
        pdf.line(12, 15, 198, 15)
        for row, line in enumerate(lines):
            position += 1
            y = top + row * step
            if position in redacted:
                pdf.set_fill_color(0, 0, 0)
                pdf.rect(12, y + step * 0.1, 186, step * 0.8, style="F")
                continue
            text = line.text if len(line.text) <= _WRAP else line.text[: _WRAP - 1] + "…"
            pdf.set_font("cjk", "", size)
            pdf.set_xy(12, y)
            pdf.cell(186, step, text.expandtabs(4))
    return bytes(pdf.output())
