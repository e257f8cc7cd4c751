"""The mediation agreement (调解协议书) and the referral of a failed mediation (调解不成移送函) as A4 PDFs in Chinese
(framework-free).

The agreement lists what M7 and M16 require: the parties, the main facts and issues, the result with each
obligation (who, how much or what, by when), and who signed when (each party, the mediator, the organisation's
seal). It embeds its canonical text as ``agreement.json`` and its public proof bundle as ``certificate.json``; the
mediation app signs it with ``registry.certificate_pdf.sign_pdf`` (PAdES B-T), so ``artrights verify`` checks the
signature, the log entry and that the text hashes to what the log recorded.

The referral lists the case, the parties, the claims, the reasons mediation failed, the conduct that raised costs
(M20) and the evidence linked to the case; it embeds a ``document.json`` (``proofs.documents``) and no log entry.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from artrights.proofs.documents import DOCUMENT_ATTACHMENT, DocumentInfo, DocumentType
from artrights.registry.certificate_pdf import (
    CERTIFICATE_ATTACHMENT,
    GREY,
    RED,
    centred,
    cn_date,
    embed,
    issuer_and_seal,
    log_entry_text,
    new_pdf,
    proof_panel,
)
from artrights.registry.document_pdf import heading_line, page_numbers, paragraph, particulars

AGREEMENT_ATTACHMENT = "agreement.json"
_PANEL_TOP = 226.0


@dataclass(frozen=True)
class AgreementDocument:
    number: str
    case_number: str
    organisation: str
    mediator: str
    source: str  # the Chinese label of the case's source
    court: str
    parties: Sequence[tuple[str, str]]  # (side label, name)
    facts: str
    terms: str
    obligations: Sequence[str]  # one line each
    signatures: Sequence[tuple[str, str, dt.datetime]]  # (capacity label, name, when)
    effective_on: dt.date
    sha256: str
    content_json: bytes  # the canonical text embedded as agreement.json
    verify_url: str
    log_origin: str
    log_index: int
    bundle_json: bytes


def _title(pdf: object, title: str, english: str, number: str, issuer: str) -> float:
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    centred(pdf, issuer, y=16, height=10, size=18, bold=True, colour=RED)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.8)
    pdf.line(25, 29, 185, 29)
    centred(pdf, title, y=34, height=11, size=22, bold=True)
    centred(pdf, english, y=45, height=5, size=9, colour=GREY)
    pdf.set_font("cjk", "", 11)
    pdf.set_xy(25, 52)
    pdf.cell(160, 7, f"编号：{number}", align="R")
    return 62.0


def render_agreement(doc: AgreementDocument, *, font: str = "") -> bytes:
    """The unsigned agreement PDF with ``agreement.json`` and ``certificate.json`` embedded."""
    pdf = new_pdf(f"调解协议书 {doc.number}", doc.effective_on, font=font)
    y = _title(pdf, "调解协议书", "Mediation Agreement", doc.number, doc.organisation)
    rows = [
        ("案件编号", doc.case_number),
        ("案件来源", doc.source + (f"（{doc.court}）" if doc.court else "")),
        *[(side, name) for side, name in doc.parties],
        ("调解员", doc.mediator),
    ]
    y = particulars(pdf, rows, y)
    y = heading_line(pdf, "一、主要事实和争议事项", y + 3)
    for text in doc.facts.splitlines() or [""]:
        if text.strip():
            y = paragraph(pdf, text.strip(), y)
    y = heading_line(pdf, "二、协议内容", y + 1)
    for text in doc.terms.splitlines():
        if text.strip():
            y = paragraph(pdf, text.strip(), y)
    if doc.obligations:
        y = heading_line(pdf, "三、履行义务", y + 1)
        for i, line in enumerate(doc.obligations, start=1):
            y = paragraph(pdf, line, y, marker=f"{i}.")
    y = heading_line(pdf, "四、协议效力", y + 1)
    for i, text in enumerate(
        [
            "本协议经各方当事人在平台上电子签名、调解员签名并加盖调解组织印章后生效，具有法律约束力，当事人应当按照约定履行。",
            "双方当事人可以自本协议生效之日起三十日内共同向有管辖权的人民法院申请司法确认。",
            "调解过程中当事人为达成协议作出妥协而认可的事实，不得在后续诉讼中作为对其不利的根据，但各方同意的除外。",
        ],
        start=1,
    ):
        y = paragraph(pdf, text, y, marker=f"{i}.")
    y = heading_line(pdf, "签名", y + 1)
    y = particulars(
        pdf,
        [
            (capacity, f"{name}　{when.strftime('%Y-%m-%d %H:%M')}（电子签名）")
            for capacity, name, when in doc.signatures
        ],
        y,
    )
    text_y = y + 12
    if text_y + 30 > _PANEL_TOP - 2:
        pdf.add_page()
        pdf.set_font("cjk", "", 11.5)
        pdf.set_xy(25, 24)
        pdf.cell(160, 7, "（此页无正文）")
        text_y = 44.0
    issuer_and_seal(pdf, doc.organisation, cn_date(doc.effective_on, "—"), "人民调解专用章", text_y)
    proof_panel(
        pdf,
        doc.verify_url,
        [
            ("公共日志", log_entry_text(doc.log_origin, doc.log_index)),
            ("协议摘要", f"SHA-256 {doc.sha256[:16]}…{doc.sha256[-8:]}"),
            ("核验网址", doc.verify_url),
        ],
        "本协议书附有协议文本 agreement.json 和证明文件 certificate.json，经数字签名和可信时间戳保护；"
        "扫描二维码打开核验页面并上传本文件，或运行 artrights verify 离线核验。\n"
        "Embeds its text (agreement.json) and proof bundle (certificate.json), digitally signed and time-stamped; "
        "check it with `artrights verify`.",
    )
    page_numbers(pdf, doc.number)
    embed(pdf, doc.content_json, AGREEMENT_ATTACHMENT, "调解协议文本 / agreement text", doc.effective_on)
    embed(pdf, doc.bundle_json, CERTIFICATE_ATTACHMENT, "证明材料 / proof bundle", doc.effective_on)
    return bytes(pdf.output())


@dataclass(frozen=True)
class ReferralDocument:
    number: str
    case_number: str
    organisation: str
    court: str
    source: str
    court_case_no: str
    parties: Sequence[tuple[str, str]]
    claims: Sequence[str]
    summary: str
    reason: str
    note: str
    cost_conduct: str
    undisputed_facts: Sequence[str]
    evidence: Sequence[str]  # one line each: number, what, where it can be verified
    works: Sequence[str]
    issued_on: dt.date
    verify_url: str


def render_referral(doc: ReferralDocument, *, font: str = "") -> bytes:
    """调解不成移送函: the case summary the court receives when mediation failed (M14, M17, M20)."""
    pdf = new_pdf(f"调解不成移送函 {doc.number}", doc.issued_on, font=font)
    y = _title(pdf, "调解不成移送函", "Referral of a Failed Mediation", doc.number, doc.organisation)
    pdf.set_font("cjk", "B", 11.5)
    pdf.set_xy(25, y)
    pdf.cell(160, 6.8, f"{doc.court or '人民法院'}：")
    y += 8
    y = paragraph(
        pdf,
        f"贵院{doc.source}的纠纷（本会案件编号{doc.case_number}"
        + (f"，贵院案号{doc.court_case_no}" if doc.court_case_no else "")
        + f"）经调解未能达成协议，原因：{doc.reason}。现将案件材料移送贵院，请依法处理。",
        y,
    )
    rows = [*doc.parties, ("调解请求", "\n".join(doc.claims) or "—")]
    y = particulars(pdf, rows, y + 2)
    for heading, lines in (
        ("纠纷概要", [doc.summary]),
        ("调解情况", [doc.note] if doc.note else []),
        ("无争议事实（经双方书面确认）", list(doc.undisputed_facts)),
        ("导致调解成本增加的行为", [doc.cost_conduct] if doc.cost_conduct else ["无"]),
        ("涉及的登记作品", list(doc.works) or ["无"]),
        ("证据（可在平台或以 artrights verify 核验）", list(doc.evidence) or ["无"]),
    ):
        if not lines:
            continue
        y = heading_line(pdf, heading, y + 2)
        for i, line in enumerate(lines, start=1):
            y = paragraph(pdf, line, y, marker=f"{i}." if len(lines) > 1 else "")
    text_y = y + 12
    if text_y + 30 > _PANEL_TOP - 2:
        pdf.add_page()
        text_y = 44.0
    issuer_and_seal(pdf, doc.organisation, cn_date(doc.issued_on, "—"), "人民调解专用章", text_y)
    proof_panel(
        pdf,
        doc.verify_url,
        [("文书编号", doc.number), ("案件编号", doc.case_number)],
        "本文书经数字签名和可信时间戳保护，附有文书说明 document.json；运行 artrights verify 离线核验。"
        "调解中当事人为达成协议作出的让步，不得在诉讼中作为对其不利的根据。\n"
        "Signed and time-stamped; check it with `artrights verify`.",
        title="文书核验 / Document verification",
    )
    page_numbers(pdf, doc.number)
    info = DocumentInfo(DocumentType.MEDIATION_REFERRAL, doc.number, doc.issued_on, doc.organisation, doc.case_number)
    embed(
        pdf,
        json.dumps(info.to_json(), ensure_ascii=False, indent=2, sort_keys=True).encode() + b"\n",
        DOCUMENT_ATTACHMENT,
        "文书说明 / what this document is",
        doc.issued_on,
    )
    return bytes(pdf.output())
