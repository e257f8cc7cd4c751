"""The documents a registry issues besides the registration certificate, as A4 PDFs in Chinese (framework-free).

The registry app fills one of the data classes below, renders it and signs it with
``certificate_pdf.sign_pdf`` (PAdES B-T: the platform's document-signing key, the built-in TSA), as it does
the registration certificate; fonts, seal, QR code and proof panel are that module's.

* Letters, which record no public statement: 受理通知书 (acceptance receipt), 补正通知书 (correction notice),
  不予登记决定书 / 不予备案决定书 (refusal). An official letter's layout: the issuing body in red over a red
  rule, the title, the document number, the addressee, the text, the particulars, issuer, date and seal, and a
  panel with a QR code to the public verification page. Each embeds ``document.json``
  (``proofs.documents``) so that ``artrights verify`` can say what it is; it never reads as a registration.
* Certificates with a public-log entry: 著作权合同备案证明 and 著作权质权登记证书, in the certificate frame,
  embedding their proof bundle as ``certificate.json`` exactly as the registration certificate does.

What the texts say, and where it comes from (docs DOMAIN.md):

* receipt: the review period in working days after acceptance and its due date (§1.6, R1.6);
* correction notice: the deadline, that the review clock restarts on the answer (§1.6) and that an
  application not corrected in time is deemed withdrawn (R1.6, CPCC notice template);
* refusal: the ground (R1.4, 《作品自愿登记试行办法》 Art. 5 for the first three grounds) and the written reasons
  (§1.6), and of the applicant's remedies only what the sources make certain: registration is voluntary and
  copyright does not depend on it (R1.1), and the applicant may apply again with new materials. The sources
  name no appeal (复议, 诉讼) against a refusal, so the decision states none;
* pledge certificate: the parties, the pledged copyright, the number and date, and "著作权质权自登记之日起设立"
  (§1.8, 《著作权质权登记办法》 Art. 11).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from artrights.proofs.documents import DOCUMENT_ATTACHMENT, DOCUMENT_LABELS, DocumentInfo, DocumentType

from .certificate_pdf import (
    CERTIFICATE_ATTACHMENT,
    GREY,
    INK,
    RED,
    Page,
    centred,
    certificate_page,
    cn_date,
    embed,
    issuer_and_seal,
    log_entry_text,
    new_pdf,
    proof_panel,
    wrap,
)

if TYPE_CHECKING:
    from fpdf import FPDF

Register = Literal["registration", "digital_filing", "software"]

# Seals: the two registers' seals are sourced (DOMAIN.md §1.5, §1.10); the names of the contract-filing and
# pledge seals are not, and follow the same pattern.
SEALS = {
    "registration": "作品自愿登记专用章",
    "digital_filing": "数字作品备案专用章",
    "software": "计算机软件著作权登记专用章",
    "contract": "著作权合同备案专用章",
    "pledge": "著作权质权登记专用章",
}


# --------------------------------------------------------------------------------------------
# Letters: receipt, correction notice, refusal
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Application:
    """What every letter about one application names: who issues it, to whom, about which application."""

    issuer: str
    applicant: str
    flow_number: str
    title: str  # the work's title
    verify_url: str
    register: Register = "registration"

    @property
    def kind(self) -> str:
        return {"registration": "作品登记申请", "digital_filing": "数字作品备案申请"}.get(
            self.register, "计算机软件著作权登记申请"
        )

    def sentence(self, *, submitted_on: dt.date | None = None) -> str:
        """The opening that names the application: "您（于…）提交的作品登记申请（流水号…），作品《…》，"."""
        when = f"于{cn_date(submitted_on, '—')}" if submitted_on else ""
        what = "软件" if self.register == "software" else "作品"
        return f"您{when}提交的{self.kind}（流水号{self.flow_number}），{what}《{self.title}》，"


@dataclass(frozen=True)
class Letter:
    type: DocumentType
    about: Application
    number: str
    issued_on: dt.date
    paragraphs: Sequence[str]
    rows: Sequence[tuple[str, str]]
    quote_title: str = ""  # a block of the registrar's own words (what to correct, the reasons), when there is one
    quote: str = ""
    closing: Sequence[tuple[str, Sequence[str]]] = ()  # titled lists after the particulars (remedies)

    @property
    def title(self) -> str:
        return DOCUMENT_LABELS[self.type][0]

    def info(self) -> DocumentInfo:
        return DocumentInfo(self.type, self.number, self.issued_on, self.about.issuer, self.about.flow_number)


def acceptance_receipt(
    about: Application,
    *,
    number: str,
    work_type: str,
    submitted_on: dt.date,
    accepted_on: dt.date,
    working_days: int,
    due: dt.date,
    provisional: bool,
) -> Letter:
    """受理通知书: the application is complete and accepted; the review ends within ``working_days`` (calendar
    days for software: 《计算机软件著作权登记办法》 counts 60 days)."""
    unit = "日" if about.register == "software" else "个工作日"
    paragraphs = [
        f"{about.sentence(submitted_on=submitted_on)}材料齐全，本机构已于{cn_date(accepted_on, '—')}予以受理。",
        f"本机构将自受理之日起{working_days}{unit}内，即{cn_date(due, '—')}前审查完毕，"
        "作出予以登记或者不予登记的决定，并通知您。审查中需要补正材料的，本机构将另行发出补正通知书。",
    ]
    if provisional:
        paragraphs.append("审查期限按目前已公布的节假日安排计算；国家调整节假日安排的，以调整后的工作日为准。")
    return Letter(
        type=DocumentType.ACCEPTANCE_RECEIPT,
        about=about,
        number=number,
        issued_on=accepted_on,
        paragraphs=paragraphs,
        rows=[
            ("流水号", about.flow_number),
            ("作品类别", work_type),
            ("受理日期", cn_date(accepted_on, "—")),
            ("审查期限", f"{working_days} {unit}"),
            ("审查截止日期", cn_date(due, "—") + ("（暂定）" if provisional else "")),
        ],
    )


def correction_notice(
    about: Application, *, number: str, round: int, notice: str, notified_on: dt.date, due: dt.date
) -> Letter:
    """补正通知书: what to correct, by when, and what follows if the deadline passes."""
    return Letter(
        type=DocumentType.CORRECTION_NOTICE,
        about=about,
        number=number,
        issued_on=notified_on,
        paragraphs=[f"{about.sentence()}经审查，需要补正下列事项："],
        quote_title=f"需要补正的事项（第 {round} 次补正）",
        quote=notice,
        closing=[
            (
                "补正期限及逾期后果",
                [
                    f"请于{cn_date(due, '—')}前（含当日）登录平台，在本申请的页面补正，"
                    "修改有关事项或者补充、更换材料，并提交补正。",
                    "补正提交后，审查期限自补正之日起重新计算。",
                    "逾期未补正的，视为撤回申请。",
                ],
            )
        ],
        rows=[
            ("流水号", about.flow_number),
            ("补正轮次", f"第 {round} 次"),
            ("通知日期", cn_date(notified_on, "—")),
            ("补正期限", cn_date(due, "—")),
        ],
    )


# 《作品自愿登记试行办法》 Art. 5 names these three grounds (DOMAIN.md R1.4); the others have no article there.
_ARTICLE_FIVE = {"not_protected", "term_expired", "banned"}


def refusal_decision(
    about: Application, *, number: str, ground: str, ground_label: str, reason: str, decided_on: dt.date
) -> Letter:
    """不予登记决定书 (不予备案决定书 for a digital filing): the ground, the reasons, the applicant's remedies."""
    registration = about.register != "digital_filing"
    act = "登记" if registration else "备案"
    basis = f"{ground_label}（《作品自愿登记试行办法》第五条）" if ground in _ARTICLE_FIVE else ground_label
    return Letter(
        type=DocumentType.REFUSAL_DECISION if registration else DocumentType.FILING_REFUSAL_DECISION,
        about=about,
        number=number,
        issued_on=decided_on,
        paragraphs=[f"{about.sentence()}经审查，本机构决定不予{act}。", f"依据：{basis}。"],
        quote_title="理由",
        quote=reason,
        closing=[
            (
                "申请人的权利",
                [
                    f"作品{act}实行自愿原则，著作权不以{act}为条件；本决定不影响您依法享有的著作权。",
                    f"您可以补充新的材料（例如权属证明）后，重新提出{about.kind}。",
                ],
            )
        ],
        rows=[("流水号", about.flow_number), ("决定日期", cn_date(decided_on, "—")), ("依据", basis)],
    )


_LEFT, _WIDTH = 25.0, 160.0
_BOTTOM = 272.0  # below this, a letter's text continues on the next page
_PANEL_TOP = 226.0  # the proof panel of the last page (certificate_pdf.proof_panel)
_TEXT, _LINE = 11.5, 6.8  # body text size (pt) and line height (mm)


def render_letter(letter: Letter, *, font: str = "") -> bytes:
    """The unsigned letter PDF, with ``document.json`` embedded; long texts continue on further pages."""
    pdf = new_pdf(f"{letter.title} {letter.number}", letter.issued_on, font=font)
    _letterhead(pdf, letter)
    pdf.set_text_color(*INK)
    pdf.set_font("cjk", "B", _TEXT)
    pdf.set_xy(_LEFT, 64)
    pdf.cell(_WIDTH, _LINE, f"{letter.about.applicant}：")
    y = 64 + _LINE + 1
    for text in letter.paragraphs:
        y = paragraph(pdf, text, y)
    if letter.quote:
        y = _quote(pdf, letter.quote_title, letter.quote, y + 1)
    for heading, items in letter.closing:
        y = heading_line(pdf, heading, y + 1)
        for i, item in enumerate(items, start=1):
            y = paragraph(pdf, item, y, marker=f"{i}.")
    y = particulars(pdf, letter.rows, y + 3)

    # Issuer, date and seal (its top just below the particulars), then the proof panel, all on the last page;
    # a new page when they do not fit above the panel.
    text_y = y + 12
    if text_y + 8.5 + 21 > _PANEL_TOP - 2:
        pdf.add_page()
        # The convention for a page that carries only the seal, so that nothing can be written above it.
        pdf.set_font("cjk", "", _TEXT)
        pdf.set_xy(_LEFT, 24)
        pdf.cell(_WIDTH, _LINE, "（此页无正文）")
        text_y = 44.0
    issuer_and_seal(pdf, letter.about.issuer, cn_date(letter.issued_on, "—"), SEALS[letter.about.register], text_y)
    proof_panel(
        pdf,
        letter.about.verify_url,
        [("文书编号", letter.number), ("流水号", letter.about.flow_number), ("核验网址", letter.about.verify_url)],
        "本文书经数字签名和可信时间戳保护，附有文书说明 document.json；扫描二维码打开核验页面并上传本文件，"
        "或运行 artrights verify 离线核验。本文书不是登记证书，没有记入公开日志。\n"
        "Signed and time-stamped registry document (not a registration certificate); "
        "check it on the verification page or with `artrights verify`.",
        title="文书核验 / Document verification",
    )
    page_numbers(pdf, letter.number)
    embed(
        pdf,
        json.dumps(letter.info().to_json(), ensure_ascii=False, indent=2, sort_keys=True).encode() + b"\n",
        DOCUMENT_ATTACHMENT,
        "文书说明（类型、编号、日期）/ what this document is",
        letter.issued_on,
    )
    return bytes(pdf.output())


def _letterhead(pdf: FPDF, letter: Letter) -> None:
    """The issuing body in red over a double red rule (a 红头 letter), then the title and the number."""
    centred(pdf, letter.about.issuer, y=16, height=12, size=24, bold=True, colour=RED)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.9)
    pdf.line(_LEFT, 31, _LEFT + _WIDTH, 31)
    pdf.set_line_width(0.3)
    pdf.line(_LEFT, 32.6, _LEFT + _WIDTH, 32.6)
    centred(pdf, letter.title, y=37, height=11, size=22, bold=True)
    centred(pdf, DOCUMENT_LABELS[letter.type][1].capitalize(), y=48, height=5, size=9, colour=GREY)
    pdf.set_font("cjk", "", 11)
    pdf.set_xy(_LEFT, 54)
    pdf.cell(_WIDTH, 7, f"编号：{letter.number}", align="R")


def room(pdf: FPDF, y: float, needed: float) -> float:
    if y + needed <= _BOTTOM:
        return y
    pdf.add_page()
    return 24.0


def paragraph(pdf: FPDF, text: str, y: float, *, marker: str = "") -> float:
    """A paragraph with a two-character first-line indent, or an item behind ``marker`` with a hanging indent."""
    pdf.set_font("cjk", "", _TEXT)
    pdf.set_text_color(*INK)
    indent = pdf.get_string_width("中中")
    hang = 6.0 if marker else 0.0
    lines = wrap(pdf, text, _WIDTH - hang, first_indent=0.0 if marker else indent)
    for i, line in enumerate(lines):
        y = room(pdf, y, _LINE)
        if marker and i == 0:
            pdf.set_xy(_LEFT, y)
            pdf.cell(hang, _LINE, marker)
        pdf.set_xy(_LEFT + hang + (indent if i == 0 and not marker else 0.0), y)
        pdf.cell(_WIDTH, _LINE, line)
        y += _LINE
    return y + 1.2


def heading_line(pdf: FPDF, text: str, y: float) -> float:
    y = room(pdf, y, 2 * _LINE)
    pdf.set_font("cjk", "B", _TEXT)
    pdf.set_text_color(*INK)
    pdf.set_xy(_LEFT, y)
    pdf.cell(_WIDTH, _LINE, text)
    return y + _LINE + 0.5


def _quote(pdf: FPDF, title: str, text: str, y: float) -> float:
    """The registrar's own words, indented behind a red bar, line by line so that it may cross a page."""
    y = heading_line(pdf, title, y)
    pdf.set_font("cjk", "", _TEXT - 0.5)
    for line in wrap(pdf, text.strip(), _WIDTH - 8):
        y = room(pdf, y, _LINE)
        pdf.set_draw_color(*RED)
        pdf.set_line_width(0.8)
        pdf.line(_LEFT + 2, y + 0.5, _LEFT + 2, y + _LINE - 0.5)
        pdf.set_xy(_LEFT + 6, y)
        pdf.set_text_color(*INK)
        pdf.cell(_WIDTH - 8, _LINE, line)
        y += _LINE
    return y + 1.5


def particulars(pdf: FPDF, rows: Sequence[tuple[str, str]], y: float) -> float:
    """A two-column table with thin rules: what the letter is about, at a glance."""
    label_w, value_w, line = 34.0, _WIDTH - 34.0, 5.8
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.15)
    y = room(pdf, y, line + 2)
    pdf.line(_LEFT, y, _LEFT + _WIDTH, y)
    for name, value in rows:
        pdf.set_font("cjk", "", 10)
        lines = wrap(pdf, value, value_w - 4)
        height = line * len(lines) + 1.6
        y = room(pdf, y, height)
        pdf.set_font("cjk", "B", 10)
        pdf.set_xy(_LEFT + 2, y + 0.8)
        pdf.cell(label_w - 4, line, name)
        pdf.set_font("cjk", "", 10)
        for i, text in enumerate(lines):
            pdf.set_xy(_LEFT + label_w, y + 0.8 + i * line)
            pdf.cell(value_w - 4, line, text)
        y += height
        pdf.line(_LEFT, y, _LEFT + _WIDTH, y)
    return y


def page_numbers(pdf: FPDF, number: str) -> None:
    total = pdf.pages_count
    if total < 2:
        return
    current = pdf.page
    for page in range(1, total + 1):
        pdf.page = page
        centred(pdf, f"{number}　第 {page} 页 共 {total} 页", y=280, height=5, size=8, colour=GREY)
    pdf.page = current


# --------------------------------------------------------------------------------------------
# Certificates of contract filings and pledges (public-log entries)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoggedProof:
    """What makes a filing certificate checkable: its log entry, its proof bundle and where to verify it."""

    verify_url: str
    log_origin: str
    log_index: int
    bundle_json: bytes


@dataclass(frozen=True)
class ContractCertificate:
    number: str
    contract_type: str  # the Chinese label (转让合同 …)
    works: Sequence[tuple[str, str]]  # (title, registration number)
    assignor: str
    assignee: str
    rights: Sequence[str]  # Chinese labels
    territory: str
    valid_from: dt.date
    valid_until: dt.date | None
    contract_sha256: str
    issuer: str
    filed_on: dt.date
    proof: LoggedProof


@dataclass(frozen=True)
class PledgeCertificate:
    number: str
    works: Sequence[tuple[str, str]]
    pledgor: str
    pledgee: str
    rights: Sequence[str]
    secured_amount: str  # already formatted, e.g. "100,000.00 元"
    debt_term_end: dt.date
    issuer: str
    registered_on: dt.date
    proof: LoggedProof


def _works(works: Sequence[tuple[str, str]]) -> str:
    return "\n".join(f"《{title}》 {number}" for title, number in works) or "—"


def render_contract_certificate(data: ContractCertificate, *, font: str = "") -> bytes:
    """著作权合同备案证明, with its proof bundle embedded as ``certificate.json``."""
    term = f"{cn_date(data.valid_from, '—')} 至 {cn_date(data.valid_until, '未约定终止日期')}"
    rows = [
        ("合同类型", data.contract_type),
        ("作品", _works(data.works)),
        ("转让方/许可方", data.assignor),
        ("受让方/被许可方", data.assignee),
        ("权利种类", "、".join(data.rights) or "—"),
        ("地域范围", data.territory or "—"),
        ("期限", term),
    ]
    if data.contract_sha256:
        # The full digest is in the statement; the certificate shows enough of it to compare by eye.
        rows.append(("合同文件摘要", f"SHA-256 {data.contract_sha256[:16]}…{data.contract_sha256[-8:]}"))
    page = Page(
        heading="著作权合同备案证明",
        english="Certificate of Copyright Contract Filing",
        number_label="备案号",
        number=data.number,
        rows=rows,
        sentence=f"上述著作权合同，经{data.issuer}审核，予以备案。",
        issuer=data.issuer,
        date_label="备案日期",
        issued_on=data.filed_on,
        seal_purpose=SEALS["contract"],
    )
    return _logged_certificate(page, data.proof, font)


def render_pledge_certificate(data: PledgeCertificate, *, font: str = "") -> bytes:
    """著作权质权登记证书 (《著作权质权登记办法》 Art. 11), with its proof bundle embedded as ``certificate.json``."""
    page = Page(
        heading="著作权质权登记证书",
        english="Certificate of Copyright Pledge Registration",
        number_label="质权登记号",
        number=data.number,
        rows=[
            ("出质人", data.pledgor),
            ("质权人", data.pledgee),
            ("出质作品", _works(data.works)),
            ("出质权利", "、".join(data.rights) or "—"),
            ("担保债权数额", data.secured_amount),
            ("债务履行期限", f"至{cn_date(data.debt_term_end, '—')}"),
        ],
        sentence=f"上述著作权质权，经{data.issuer}审核，予以登记。著作权质权自登记之日起设立。",
        issuer=data.issuer,
        date_label="登记日期",
        issued_on=data.registered_on,
        seal_purpose=SEALS["pledge"],
    )
    return _logged_certificate(page, data.proof, font)


def _logged_certificate(page: Page, proof: LoggedProof, font: str) -> bytes:
    pdf = new_pdf(f"{page.heading} {page.number}", page.issued_on, font=font)
    certificate_page(pdf, page)
    proof_panel(
        pdf,
        proof.verify_url,
        [("公共日志", log_entry_text(proof.log_origin, proof.log_index)), ("核验网址", proof.verify_url)],
        "本证明附有证明文件 certificate.json（不含当事人的证件号码），并经数字签名和可信时间戳保护；"
        "扫描二维码打开核验页面并上传本文件，或运行 artrights verify 离线核验。\n"
        "Embeds its proof bundle (certificate.json), digitally signed and time-stamped; "
        "check it on the verification page or with `artrights verify`.",
    )
    embed(
        pdf,
        proof.bundle_json,
        CERTIFICATE_ATTACHMENT,
        "证明材料（声明、日志包含证明、时间戳）/ proof bundle",
        page.issued_on,
    )
    return bytes(pdf.output())
