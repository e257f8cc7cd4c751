"""Charts the statistics pages draw themselves, as inline SVG (no script, no CDN, no outside font).

Framework-free: a bar chart of labelled counts, every text escaped. The page embeds the markup; the same numbers
are in the table beside it and in the CSV export, so the chart is never the only way to read them.

A chart drawn 640 units wide and scaled down to a phone's 340 pixels would print its labels at 6 pixels, one on top
of the next: the page draws each chart twice, the columns for a wide screen (``bar_chart``) and horizontal bars for
a phone (``bar_chart_narrow``: drawn at the phone's own width, so its text keeps its size, each label on its own
line, wrapped when long), and the stylesheet shows the one that fits.
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


NARROW_WIDTH = 340  # a 375-pixel phone's content width: drawn one unit to a pixel
NARROW_LABEL = 13
NARROW_BAR = 14
NARROW_VALUE_ROOM = 48  # room right of the longest bar for its count
NARROW_LABEL_COLUMN = 96  # labels at most this wide sit left of their bar; longer ones go above it


def _text_width(text: str, size: float) -> float:
    """About how wide ``text`` draws at ``size``: a CJK character is a full em, other characters about half."""
    return sum(size if ord(c) > 0x2E7F else size * 0.56 for c in text)


def _wrapped(text: str, size: float, width: float) -> list[str]:
    """``text`` cut into lines no wider than ``width``: at spaces between words, anywhere in Chinese."""
    lines: list[str] = []
    line = ""
    for word in text.replace("\n", " ").split(" "):
        candidate = f"{line} {word}" if line else word
        if _text_width(candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:  # a word (or Chinese phrase) wider than the line is cut where it must be
            if line and _text_width(line + char, size) > width:
                lines.append(line)
                line = ""
            line += char
    if line or not lines:
        lines.append(line)
    return lines


def bar_chart_narrow(labels: Sequence[str], values: Sequence[int], *, title: str, colour: str = "#b3261e") -> str:
    """The same counts as horizontal bars for a phone, at its own width: each label beside its bar (short labels,
    such as months) or above it (wrapped), each count at its bar's end."""
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    top = _nice_top(max(values, default=0))
    beside = all(_text_width(label, NARROW_LABEL) <= NARROW_LABEL_COLUMN - 8 for label in labels)
    left = NARROW_LABEL_COLUMN if beside else 0
    room = NARROW_WIDTH - left - NARROW_VALUE_ROOM
    parts: list[str] = []
    y = 4.0
    for label, value in zip(labels, values, strict=True):
        if beside:
            parts.append(
                f'<text x="{left - 8}" y="{y + NARROW_BAR - 2:.1f}" text-anchor="end" font-size="{NARROW_LABEL}" '
                f'fill="#333">{escape(label)}</text>'
            )
        else:
            for line in _wrapped(label, NARROW_LABEL, NARROW_WIDTH):
                y += NARROW_LABEL + 3
                parts.append(f'<text x="0" y="{y:.1f}" font-size="{NARROW_LABEL}" fill="#333">{escape(line)}</text>')
            y += 5
        width = room * value / top
        parts.append(
            f'<rect x="{left}" y="{y:.1f}" width="{width:.1f}" height="{NARROW_BAR}" fill="{escape(colour)}">'
            f"<title>{escape(label)}: {value}</title></rect>"
            f'<text x="{left + width + 6:.1f}" y="{y + NARROW_BAR - 2:.1f}" font-size="12" fill="#222">{value}</text>'
        )
        y += NARROW_BAR + (8 if beside else 12)
    height = round(y)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {NARROW_WIDTH} {height}" width="100%" role="img" '
        f'class="chart chart-narrow" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<line x1="{left}" y1="0" x2="{left}" y2="{height}" stroke="#999"/>' + "".join(parts) + "</svg>"
    )


def bar_chart(labels: Sequence[str], values: Sequence[int], *, title: str, colour: str = "#b3261e") -> str:
    """An SVG bar chart of ``values`` over ``labels``; ``title`` names it for screen readers."""
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    top = _nice_top(max(values, default=0))
    inner_w, inner_h = WIDTH - PAD_LEFT - 8, HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = inner_w / max(len(values), 1)
    bar = min(max(slot * 0.7, 1.0), 48.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'class="chart chart-wide" aria-label="{escape(title)}"><title>{escape(title)}</title>',
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
