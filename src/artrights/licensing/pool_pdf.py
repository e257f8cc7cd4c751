"""The receivable pool as a PDF (A4, the CJK font): totals and concentration, then by obligor, industry and month."""

from __future__ import annotations

import datetime as dt
from typing import Any

from artrights.registry.certificate_pdf import new_pdf


def render_pool(pool: Any, *, title: str, cut_off: dt.date) -> bytes:
    """``pool`` is a ``selectors.Pool``; the PDF repeats what the CSV holds, in tables a reader can print."""
    pdf = new_pdf(title, cut_off, bold_face=False)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.set_xy(15, 18)
    pdf.set_font("cjk", size=16)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 6, f"截止日 / cut-off {cut_off.isoformat()}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    figures = [
        ("约定的许可收入合计（元）/ contracted income (CNY)", str(pool.total)),
        ("最大债务人占比 / largest obligor (%)", str(pool.top1_share)),
        ("前五大债务人占比 / five largest (%)", str(pool.top5_share)),
        ("债务人集中度 HHI / obligor HHI", str(pool.hhi)),
        ("加权剩余期限（月）/ weighted remaining term (months)", str(pool.weighted_remaining_months)),
    ]
    for label, value in figures:
        pdf.cell(120, 7, label, border=1)
        pdf.cell(50, 7, value, border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    for heading, rows in (
        ("按债务人 / by obligor", [(n, str(a), f"{s}%") for n, a, s in pool.by_obligor]),
        ("按行业 / by industry", [(n, str(a), f"{s}%") for n, a, s in pool.by_industry]),
        ("按月份 / by month", [(m, str(a), "") for m, a in pool.by_month]),
    ):
        pdf.ln(4)
        pdf.set_font("cjk", size=12)
        pdf.cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=10)
        for name, amount, share in rows:
            pdf.cell(100, 6, name[:40], border=1)
            pdf.cell(45, 6, amount, border=1, align="R")
            pdf.cell(25, 6, share, border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
