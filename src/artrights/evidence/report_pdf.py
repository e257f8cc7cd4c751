"""The evidence report: an A4 PDF in Chinese (English beside the headings) that a court clerk reads (no Django).

It names what was fixed, how, when and from where, lists every artifact with its SHA-256 and SM3, and says how to
check each by hand with tools nobody at the platform wrote (``sha256sum``, ``openssl``). It embeds the log
statement's proof bundle as ``certificate.json``, so ``artrights verify report.pdf`` checks it like a certificate,
and the registry app's signer signs it (PAdES B-T) like every document the platform issues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from fpdf import FPDF

SEAL = "电子数据存证专用章"
KIND_LABELS = {"web_page": "网页截取固化", "files": "文件上传固化", "match_report": "比对结果固化"}


@dataclass(frozen=True)
class ReportArtifact:
    path: str
    mime: str
    size: int
    sha256: str
    sm3: str


@dataclass(frozen=True)
class EvidenceReport:
    issuer: str
    number: str
    kind: str
    issued_on: dt.date
    requester: str
    source_url: str
    final_url: str
    page_title: str
    description: str
    started: str
    finished: str
    environment_lines: Sequence[str]
    requests_line: str
    manifest_sha256: str
    manifest_sm3: str
    manifest_time: str
    log_origin: str
    log_index: int
    verify_url: str
    artifacts: Sequence[ReportArtifact]
    bundle_json: bytes


def render_report(data: EvidenceReport, *, font: str = "") -> bytes:
    """The unsigned report PDF with its proof bundle embedded; long lists continue on further pages."""
    pdf = new_pdf(f"电子证据固化报告 {data.number}", data.issued_on, font=font)
    centred(pdf, data.issuer, y=16, height=12, size=20, bold=True, colour=RED)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.9)
    pdf.line(25, 31, 185, 31)
    centred(pdf, "电子证据固化报告", y=36, height=11, size=22, bold=True)
    centred(pdf, "Electronic evidence fixation report", y=47, height=5, size=9, colour=GREY)
    centred(pdf, f"编号：{data.number}", y=53, height=7, size=11)
    y = paragraph(
        pdf,
        f"应 {data.requester} 的申请，本平台以{KIND_LABELS.get(data.kind, data.kind)}的方式固定了下列电子数据。"
        "固化过程在隔离的环境中自动完成：每个文件的 SHA-256 与 SM3 哈希值写入证据清单（manifest.json），"
        "清单经 RFC 3161 可信时间戳签署，其哈希值记入本平台的公开日志；本报告经数字签名。"
        "任何人可以不依赖本平台，用通用工具逐项核对。",
        64,
    )
    rows = [
        ("证据编号", data.number),
        ("固化方式", KIND_LABELS.get(data.kind, data.kind)),
        ("申请人", data.requester),
    ]
    if data.source_url:
        rows.append(("目标网址", data.source_url))
    if data.final_url and data.final_url != data.source_url:
        rows.append(("最终网址", data.final_url))
    if data.page_title:
        rows.append(("页面标题", data.page_title))
    if data.description:
        rows.append(("说明", data.description))
    rows += [
        ("固化时间", f"{data.started} 至 {data.finished}（UTC）"),
        *(("固化环境", line) for line in data.environment_lines),
    ]
    if data.requests_line:
        rows.append(("网络请求", data.requests_line))
    rows += [
        ("清单 SHA-256", data.manifest_sha256),
        ("清单 SM3", data.manifest_sm3),
        ("清单时间戳", data.manifest_time),
        ("公开日志", log_entry_text(data.log_origin, data.log_index)),
    ]
    y = particulars(pdf, rows, y + 2)
    y = heading_line(pdf, "证据文件及哈希值 / Files and their hashes", y + 3)
    for i, item in enumerate(data.artifacts, start=1):
        y = paragraph(
            pdf,
            f"{item.path}（{item.mime}，{item.size} 字节）\nSHA-256 {item.sha256}\nSM3 {item.sm3}",
            y,
            marker=f"{i}.",
        )
    y = heading_line(pdf, "如何自行核验 / How to check it yourself", y + 2)
    for i, step in enumerate(_steps(data), start=1):
        y = paragraph(pdf, step, y, marker=f"{i}.")
    _closing(pdf, data, y)
    page_numbers(pdf, data.number)
    embed(
        pdf,
        data.bundle_json,
        CERTIFICATE_ATTACHMENT,
        "证明材料（声明、日志包含证明、时间戳）/ proof bundle",
        data.issued_on,
    )
    return bytes(pdf.output())


def _steps(data: EvidenceReport) -> list[str]:
    example = data.artifacts[0].path if data.artifacts else "evidence/screenshot.png"
    return [
        f"解压证据包：unzip {data.number}.wacz（WACZ 即 ZIP 文件；可用 `wacz validate -f {data.number}.wacz` "
        "检查其目录与哈希值）。",
        f"逐个计算文件哈希值并与上表比对：sha256sum {example}；SM3：openssl dgst -sm3 {example}。",
        "核验清单的可信时间戳：openssl ts -verify -data evidence/manifest.json -in evidence/manifest.tsr "
        "-CAfile tsa-root.pem -untrusted evidence/tsa-chain.pem（tsa-root.pem 为本平台公布的时间戳根证书，"
        "见信任文件 trust.json 的 tsa_roots）。",
        "确认清单已记入公开日志：sha256sum evidence/manifest.json 应等于 evidence/proof.json 中"
        " statement.evidence.manifest_sha256；该声明的日志包含证明与检查点签名可用 artrights verify 核验。",
        f"一次核验全部：artrights verify {data.number}.wacz --trust trust.json（离线，不需要联网）。",
    ]


def _closing(pdf: FPDF, data: EvidenceReport, y: float) -> None:
    """Issuer, date and seal, then the proof panel, on the last page (a new one when they do not fit)."""
    text_y = y + 10
    if text_y + 30 > 224:
        pdf.add_page()
        pdf.set_font("cjk", "", 11.5)
        pdf.set_xy(25, 24)
        pdf.cell(160, 6.8, "（此页无正文）")
        text_y = 44.0
    issuer_and_seal(pdf, data.issuer, cn_date(data.issued_on, "—"), SEAL, text_y)
    proof_panel(
        pdf,
        data.verify_url,
        [
            ("证据编号", data.number),
            ("公共日志", log_entry_text(data.log_origin, data.log_index)),
            ("核验网址", data.verify_url),
        ],
        "本报告附有证明文件 certificate.json，并经数字签名和可信时间戳保护；扫描二维码打开核验页面并上传本报告或"
        "证据包，或运行 artrights verify 离线核验。\n"
        "Signed and time-stamped; embeds the proof bundle of the log entry. Check the report or the whole package "
        "on the verification page or with `artrights verify`.",
        title="证据核验 / Evidence verification",
    )
