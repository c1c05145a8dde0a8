"""Reporting periods: a month (2020-04), a quarter (2020Q1) or a year (2020)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    kind: str          # month | quarter | year | range
    start: date        # first day
    last_month: date   # first day of the last month
    end: date          # last day
    parts: tuple[Period, Period] | None = None  # a range: its first and last period

    @property
    def code(self) -> str:
        if self.parts:
            return f"{self.parts[0].code}:{self.parts[1].code}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def label(self, lang: str = "vi") -> str:
        if self.parts:
            return f"{self.parts[0].label(lang)} – {self.parts[1].label(lang)}"
        y, m = self.start.year, self.start.month
        if self.kind == "month":
            return f"Tháng {m:02d}/{y}" if lang == "vi" else f"{self.start:%b} {y}"
        if self.kind == "quarter":
            q = (m - 1) // 3 + 1
            return f"Quý {_ROMAN[q]}/{y}" if lang == "vi" else f"Q{q} {y}"
        return f"Năm {y}" if lang == "vi" else str(y)

    def previous(self) -> Period:
        return parse(_shift(self, -1))

    def next(self) -> Period:
        return parse(_shift(self, 1))

    def same_last_year(self) -> Period:
        return parse(_shift(self, -{"month": 12, "quarter": 4, "year": 1}.get(self.kind, 0)))


def _month_end(first: date) -> date:
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _shift(p: Period, steps: int) -> str:
    if p.parts:
        raise ValueError(f"a range ({p.code}) has no single previous period")
    if p.kind == "year":
        return str(p.start.year + steps)
    months = {"month": 1, "quarter": 3}[p.kind] * steps
    idx = p.start.year * 12 + p.start.month - 1 + months
    first = date(idx // 12, idx % 12 + 1, 1)
    return parse_first(first, p.kind).code


def parse_first(first: date, kind: str) -> Period:
    span = {"month": 0, "quarter": 2, "year": 11}[kind]
    idx = first.year * 12 + first.month - 1 + span
    last = date(idx // 12, idx % 12 + 1, 1)
    return Period(kind, first, last, _month_end(last))


def quarter_of(day: date) -> Period:
    return parse_first(date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), "quarter")


def parse(text: str) -> Period:
    """'2020-04' | '2020Q1' | '2020', or a range of one kind '2019Q1:2026Q3' -> Period;
    ValueError with a readable message otherwise."""
    s = str(text).strip().upper()
    if ":" in s:
        first, last = (parse(x) for x in s.split(":", 1))
        if first.parts or last.parts or first.kind != last.kind or last.start < first.start:
            raise ValueError(f"unknown period {text!r}: a range joins two periods of one kind in order, "
                             "e.g. 2019Q1:2026Q3")
        return Period("range", first.start, last.last_month, last.end, (first, last))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", s):
        y, mo = int(m[1]), int(m[2])
        if 1 <= mo <= 12:
            return parse_first(date(y, mo, 1), "month")
    elif m := re.fullmatch(r"(\d{4})-?Q([1-4])", s):
        return parse_first(date(int(m[1]), 3 * int(m[2]) - 2, 1), "quarter")
    elif re.fullmatch(r"\d{4}", s):
        return parse_first(date(int(s), 1, 1), "year")
    raise ValueError(f"unknown period {text!r}: use a month (2020-04), a quarter (2020Q1) or a year (2020)")
