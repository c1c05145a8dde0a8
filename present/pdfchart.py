"""Charts drawn straight onto a PDF page (fpdf2): horizontal bars against targets, and lines over
periods. Every label and axis number is text, measured before it is placed: the label column is as wide
as the longest label needs (up to a share of the width, then wrapped at word boundaries), the value axis
gets numbered ticks, and the legend wraps; nothing is drawn outside the box the chart was given.

No browser is involved, so a pack is made in well under a second; the dashboard's own charts stay Plotly."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fpdf import FPDF

from present import fmt
from present.theme import AXIS_COLOR, GRID_COLOR, INK_COLOR

FONT = "sans"
PT = 8.5                # labels
LINE = PT * 0.42        # mm per label line


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str


def rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


GRID, AXIS, INK = (rgb(c) for c in (GRID_COLOR, AXIS_COLOR, INK_COLOR))


def pct_axis(lang: str):
    """Axis numbers for shares with as many decimals as the tick step needs (70 %, 72,5 %)."""
    def shown(v: float, step: float) -> str:
        decimals = 0 if round(step * 100, 6).is_integer() else 1
        return fmt.pct(v, lang, decimals)
    return shown


def ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values covering [lo, hi]: steps of 1, 2, 2.5 or 5 × 10^k, at most `most` intervals."""
    if hi <= lo:
        hi = lo + (abs(lo) or 1) * 0.1
    raw = (hi - lo) / most
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.floor(lo / step + 1e-9) * step
    out, v = [], first
    while v < hi - 1e-9 * step:
        out.append(round(v, 12))
        v += step
    out.append(round(v, 12))
    return out


def _lines(doc: FPDF, words: str, width: float) -> list[str]:
    return doc.multi_cell(width, LINE, words, dry_run=True, output="LINES", padding=0) or [""]


def _title(doc: FPDF, x: float, y: float, w: float, title: str) -> float:
    doc.set_font(FONT, "B", 10)
    doc.set_text_color(*INK)
    doc.set_xy(x, y)
    doc.multi_cell(w, 5, title, align="L", new_x="LEFT", new_y="NEXT", padding=0)
    return doc.get_y() + 1.5


def _legend(doc: FPDF, x: float, y: float, w: float, items: list[tuple[str, str, str]]) -> float:
    """Legend entries (kind "bar" or "line" or "mark", name, colour) flowing left to right, wrapping."""
    doc.set_font(FONT, "", PT)
    cx, cy = x, y
    for kind, name, colour in items:
        need = 9 + doc.get_string_width(name) + 5
        if cx > x and cx + need > x + w:
            cx, cy = x, cy + LINE + 1.5
        doc.set_fill_color(*rgb(colour))
        doc.set_draw_color(*rgb(colour))
        if kind == "bar":
            doc.rect(cx, cy + 0.6, 6, LINE - 1, style="F")
        elif kind == "mark":
            doc.set_line_width(0.7)
            doc.line(cx + 3, cy, cx + 3, cy + LINE)
        else:
            doc.set_line_width(0.8)
            doc.line(cx, cy + LINE / 2, cx + 6, cy + LINE / 2)
        doc.set_text_color(*INK)
        lines = _lines(doc, name, x + w - cx - 9)
        doc.set_xy(cx + 8, cy)
        doc.multi_cell(x + w - cx - 8, LINE, "\n".join(lines), align="L", padding=0)
        if len(lines) > 1:
            cx, cy = x, cy + LINE * len(lines) + 1.5
        else:
            cx += need
    return cy + LINE + 1


def bars(doc: FPDF, title: str, labels: Sequence[str], values: Sequence[float], targets: Sequence[float | None],
         colours: Sequence[str], shown: Callable[[float], str], axis: Callable[[float, float], str],
         legend: Sequence[tuple[str, str]], top: float = 1.0, dry: bool = False) -> float:
    """Horizontal bars from 0 (one per label, in the given order) with a target mark each, at the
    document's current position across its text width. Returns the height used; dry=True only measures.
    `axis(value, step)` writes a tick's number, `shown(value)` a bar's; `legend` is (name, colour) pairs,
    INK_COLOR for the target mark."""
    x, w, y0 = doc.l_margin, doc.epw, doc.get_y()
    doc.set_font(FONT, "", PT)
    label_w = min(max(doc.get_string_width(s) for s in labels) + 1, w * 0.42)
    wrapped = [_lines(doc, s, label_w) for s in labels]
    value_w = max(doc.get_string_width(shown(v)) for v in values) + 3
    rows = [max(len(lines) * LINE, 4.2) + 2.2 for lines in wrapped]
    doc.set_font(FONT, "B", 10)
    title_h = len(_lines(doc, title, w)) * 5 + 1.5
    plot_h = sum(rows)
    height = title_h + plot_h + 2 + LINE + 2 + LINE + 3
    if dry:
        return height
    y = _title(doc, x, y0, w, title)
    px0, px1 = x + label_w + 3, x + w - value_w
    scale = (px1 - px0) / top
    grid = ticks(0, top, 5)
    doc.set_line_width(0.2)
    doc.set_draw_color(*GRID)
    for t in grid:
        doc.line(px0 + t * scale, y, px0 + t * scale, y + plot_h)
    doc.set_font(FONT, "", PT)
    cy = y
    for lines, value, target, colour, h in zip(wrapped, values, targets, colours, rows):
        doc.set_text_color(*INK)
        text_h = len(lines) * LINE
        doc.set_xy(x, cy + (h - text_h) / 2)
        doc.multi_cell(label_w, LINE, "\n".join(lines), align="R", padding=0)
        bar_h = min(h - 2.2, 5)
        by = cy + (h - bar_h) / 2
        doc.set_fill_color(*rgb(colour))
        doc.rect(px0, by, max(min(value, top), 0) * scale, bar_h, style="F")
        if target is not None:
            doc.set_draw_color(*INK)
            doc.set_line_width(0.7)
            tx = px0 + min(target, top) * scale
            doc.line(tx, by - 1, tx, by + bar_h + 1)
        end = max(min(value, top), 0, min(target if target is not None else 0, top))   # right of bar and mark
        doc.set_xy(px0 + end * scale + 1.2, cy + (h - LINE) / 2)
        doc.cell(value_w, LINE, shown(value))
        cy += h
    doc.set_draw_color(*AXIS)
    doc.set_line_width(0.3)
    doc.line(px0, y, px0, cy)
    doc.line(px0, cy, px1, cy)
    doc.set_text_color(*AXIS)
    for t in grid:
        label = axis(t, grid[1] - grid[0])
        lw = doc.get_string_width(label)
        doc.set_xy(min(max(px0 + t * scale - lw / 2, px0 - 2), x + w - lw), cy + 1)
        doc.cell(lw, LINE, label)
    end = _legend(doc, px0, cy + LINE + 3, w - label_w - 3,
                  [("mark" if colour == INK_COLOR else "bar", name, colour) for name, colour in legend])
    doc.set_text_color(0, 0, 0)
    doc.set_xy(x, end)
    return end - y0


def lines(doc: FPDF, title: str, x_labels: Sequence[str], series: Sequence[Series], axis: Callable[[float, float], str],
          height: float = 62, floor: float | None = None, ceiling: float | None = None, dry: bool = False) -> float:
    """Lines over periods, y axis numbered at round ticks between the data's lowest and highest values
    (held within floor and ceiling), x labels wrapped to their slot, legend below."""
    x, w, y0 = doc.l_margin, doc.epw, doc.get_y()
    known = [v for s in series for v in s.values if v is not None]
    lo, hi = (min(known), max(known)) if known else (0.0, 1.0)
    pad = (hi - lo) * 0.1 or 0.05
    lo, hi = lo - pad, hi + pad
    if floor is not None:
        lo = max(lo, floor)
    if ceiling is not None:
        hi = min(hi, ceiling)
    grid = ticks(lo, hi, 5)
    lo, hi = grid[0], grid[-1]
    doc.set_font(FONT, "", PT)
    step = grid[1] - grid[0]
    axis_w = max(doc.get_string_width(axis(t, step)) for t in grid) + 2
    px0, px1 = x + axis_w, x + w - 2
    slot = (px1 - px0) / max(len(x_labels), 1)
    xl = [_lines(doc, s, slot - 1) for s in x_labels]
    xl_h = max((len(v) for v in xl), default=1) * LINE
    doc.set_font(FONT, "B", 10)
    title_h = len(_lines(doc, title, w)) * 5 + 1.5
    total = title_h + height + 2 + xl_h + 3 + _legend_height(doc, series, w)
    if dry:
        return total
    y = _title(doc, x, y0, w, title)
    py0, py1 = y + 2, y + height
    sy = lambda v: py1 - (v - lo) / (hi - lo) * (py1 - py0)  # noqa: E731
    sx = lambda i: px0 + slot * (i + 0.5)  # noqa: E731
    doc.set_font(FONT, "", PT)
    for t in grid:
        doc.set_draw_color(*GRID)
        doc.set_line_width(0.2)
        doc.line(px0, sy(t), px1, sy(t))
        doc.set_text_color(*AXIS)
        label = axis(t, step)
        doc.set_xy(px0 - 1.5 - doc.get_string_width(label), sy(t) - LINE / 2)
        doc.cell(doc.get_string_width(label), LINE, label)
    doc.set_draw_color(*AXIS)
    doc.set_line_width(0.3)
    doc.line(px0, py0, px0, py1)
    doc.line(px0, py1, px1, py1)
    for i, lab in enumerate(xl):
        doc.set_xy(sx(i) - slot / 2 + 0.5, py1 + 1.5)
        doc.multi_cell(slot - 1, LINE, "\n".join(lab), align="C", padding=0)
    for s in series:
        doc.set_draw_color(*rgb(s.colour))
        doc.set_fill_color(*rgb(s.colour))
        doc.set_line_width(0.7)
        points = [(sx(i), sy(min(max(v, lo), hi))) if v is not None else None for i, v in enumerate(s.values)]
        for a, b in zip(points, points[1:]):
            if a and b:
                doc.line(*a, *b)
        for p in points:
            if p:
                doc.ellipse(p[0] - 0.9, p[1] - 0.9, 1.8, 1.8, style="F")
    end = _legend(doc, x, py1 + 1.5 + xl_h + 3, w, [("line", s.name, s.colour) for s in series])
    doc.set_text_color(0, 0, 0)
    doc.set_xy(x, end)
    return end - y0


def _legend_height(doc: FPDF, series: Sequence[Series], w: float) -> float:
    doc.set_font(FONT, "", PT)
    rows, cx = 1, 0.0
    for s in series:
        need = 9 + doc.get_string_width(s.name) + 5
        if cx and cx + need > w:
            rows, cx = rows + 1, 0.0
        cx += need
    return rows * (LINE + 1.5) + 1
