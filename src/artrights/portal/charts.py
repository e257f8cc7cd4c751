"""Charts the statistics pages draw themselves, as inline SVG (no script, no CDN, no outside font).

Framework-free: a bar chart of labelled counts, every text escaped. The page embeds the markup; the same numbers
are in the table beside it and in the CSV export, so the chart is never the only way to read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH = 640
HEIGHT = 220
PAD_LEFT = 44
PAD_BOTTOM = 40
PAD_TOP = 16


def _nice_top(value: int) -> int:
    """The smallest of 1, 2, 5 × 10^k at or above ``value`` (at least 1): the y axis ends on a round number."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


def bar_chart(labels: Sequence[str], values: Sequence[int], *, title: str, colour: str = "#b3261e") -> str:
    """An SVG bar chart of ``values`` over ``labels``; ``title`` names it for screen readers."""
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    top = _nice_top(max(values, default=0))
    inner_w, inner_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = inner_w / max(len(values), 1)
    bar = min(max(slot * 0.7, 1.0), 48.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" class="chart" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + inner_h}" x2="{WIDTH - 8}" y2="{PAD_TOP + inner_h}" stroke="#999"/>',
    ]
    for fraction in (0.0, 0.5, 1.0) if top > 1 else (0.0, 1.0):
        y = PAD_TOP + inner_h * (1 - fraction)
        parts.append(
            f'<text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#555">'
            f"{int(top * fraction)}</text>"
        )
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = inner_h * value / top
        x = PAD_LEFT + i * slot + (slot - bar) / 2
        y = PAD_TOP + inner_h - height
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" fill="{escape(colour)}">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
        if value:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="10" fill="#222">'
                f"{value}</text>"
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" text-anchor="middle" font-size="11" '
            f'fill="#333">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
