"""``artrights report YEAR``: the yearly report as a PDF (the headline figures, then every series by month)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from artrights.portal.statistics import HEADLINE, this_year, yearly


def render_report(year: int) -> bytes:
    """The report's PDF bytes: A4, the CJK font, a table of the headline counts and a monthly table."""
    from artrights.registry.certificate_pdf import new_pdf

    found = yearly(year)
    headline = [s for key in HEADLINE for s in found if s.key == key]
    pdf = new_pdf(f"{year} 年度报告", dt.date(year, 12, 31), bold_face=False)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.set_xy(15, 18)
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 10, f"{year} 年艺术版权保护与活化工作情况", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=12)
    pdf.ln(4)
    for s in headline:
        value = f"{s.total} 件" if s.available else "未开通"
        pdf.cell(80, 8, str(s.label), border=1)
        pdf.cell(40, 8, value, border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("cjk", size=9)
    pdf.cell(36, 6, "业务 \\ 月", border=1)
    for month in range(1, 13):
        pdf.cell(11, 6, str(month), border=1, align="C")
    pdf.cell(14, 6, "合计", border=1, align="C", new_x="LMARGIN", new_y="NEXT")
    for s in found:
        pdf.cell(36, 6, str(s.label), border=1)
        if not s.available:
            pdf.cell(146, 6, "未开通（平台尚无此项业务）", border=1, align="C", new_x="LMARGIN", new_y="NEXT")
            continue
        for n in s.months:
            pdf.cell(11, 6, str(n), border=1, align="R")
        pdf.cell(14, 6, str(s.total), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


class Command(BaseCommand):
    help = "生成年度报告 PDF / Write the yearly report as PDF"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="年份 / year")
        parser.add_argument("--out", default="", help="输出文件（默认 report-YEAR.pdf）/ output file")

    def handle(self, *args: Any, **opts: Any) -> None:
        year = opts["year"]
        if not 2000 <= year <= this_year():
            raise CommandError(f"年份须在 2000 至 {this_year()} 之间 / the year must be 2000 to {this_year()}")
        with translation.override("zh-hans"):
            data = render_report(year)
        path = Path(opts["out"] or f"report-{year}.pdf")
        path.write_bytes(data)
        self.stdout.write(f"{path}（{len(data)} 字节 / bytes）")
