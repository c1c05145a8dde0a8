"""A4 pages in the layout of Vietnamese administrative documents (Decree 30/2020/NĐ-CP, Appendix I), for
every PDF the dashboard hands out: the issuing body and its number at the top left, the national title
and motto with the place and date at the top right, the title, the body, the signature block with the
recipients, page numbers at the top centre from the second page. The issuing body's words are data
(present/letterhead.toml).

Everything is drawn as text (fpdf2, embedded TrueType fonts), so every word can be searched, copied and
checked; tables get column widths from their longest word, so they wrap at word boundaries."""
from __future__ import annotations

import datetime as dt
import functools
import os
import pathlib
import tomllib

from fpdf import FPDF
from fpdf.fonts import FontFace

from present.text import text

# mm. Decree 30: top and bottom 20–25, left 30–35, right 15–20.
LEFT, RIGHT, TOP, BOTTOM = 30, 15, 20, 20
BODY_PT = 13        # the body text (Decree 30: 13–14 pt)
SMALL_PT = 11       # tables and notes
FONT_ROOT = pathlib.Path("/usr/share/fonts/truetype")
# family -> style -> files to try, first found wins. Liberation has Times New Roman's and Arial's
# metrics (Decree 30 names Times New Roman) and Vietnamese; DejaVu is the fallback.
FONTS = {
    "serif": {"": ("liberation2/LiberationSerif-Regular.ttf", "dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSans.ttf"),
              "B": ("liberation2/LiberationSerif-Bold.ttf", "dejavu/DejaVuSerif-Bold.ttf", "dejavu/DejaVuSans-Bold.ttf"),
              "I": ("liberation2/LiberationSerif-Italic.ttf", "dejavu/DejaVuSerif-Italic.ttf", "dejavu/DejaVuSans.ttf"),
              "BI": ("liberation2/LiberationSerif-BoldItalic.ttf", "dejavu/DejaVuSerif-BoldItalic.ttf",
                     "dejavu/DejaVuSans-Bold.ttf")},
    "sans": {"": ("liberation2/LiberationSans-Regular.ttf", "dejavu/DejaVuSans.ttf"),
             "B": ("liberation2/LiberationSans-Bold.ttf", "dejavu/DejaVuSans-Bold.ttf")},
}
LETTERHEAD = pathlib.Path(__file__).resolve().parent / "letterhead.toml"
GREY_LINE = (120, 120, 120)


def font_files() -> dict[tuple[str, str], str]:
    """(family, style) -> the font file used, as found on this machine."""
    found = {}
    for family, styles in FONTS.items():
        for style, names in styles.items():
            path = next((FONT_ROOT / n for n in names if (FONT_ROOT / n).exists()), None)
            if path is None:
                raise RuntimeError(f"no font for {family} {style or 'regular'}: install the Debian package "
                                   "fonts-liberation2 (or fonts-dejavu-core)")
            found[family, style] = str(path)
    return found


def letterhead(lang: str, issuer: str = "province") -> dict:
    """The issuing body's words in one language (REFORM_LETTERHEAD or present/letterhead.toml): the
    province's, or with issuer="council" the appraisal council's keys over them."""
    path = pathlib.Path(os.environ.get("REFORM_LETTERHEAD") or LETTERHEAD)
    return _letterheads(str(path), path.stat().st_mtime)[lang, issuer]


@functools.cache
def _letterheads(path: str, mtime: float) -> dict[tuple[str, str], dict]:
    raw = tomllib.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    out = {}
    for lang in ("vi", "en"):
        base = {k: v for k, v in raw[lang].items() if not isinstance(v, dict)}
        out[lang, "province"] = base
        out[lang, "council"] = {**base, **raw[lang].get("council", {})}
    return out


def place_and_date(place: str, day: dt.date, lang: str) -> str:
    """"Cà Mau, ngày 01 tháng 12 năm 2026": Decree 30 writes days below 10 and months 1 and 2 with a 0."""
    if lang == "vi":
        month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
        return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {day.day} {day:%B} {day.year}"


class A4(FPDF):
    """One document: fonts registered, Decree 30 margins, page numbers from page 2."""

    def __init__(self, lang: str, title: str, issuer: str = "province"):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.lang = lang
        self.issuer = issuer     # whose letterhead (present/letterhead.toml)
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, BOTTOM)
        for (family, style), path in font_files().items():
            self.add_font(family, style, path)
        self.set_title(title)
        self.set_creator("reform KPI dashboard")
        self.numbered = True

    def header(self):
        if self.numbered and self.page_no() >= 2:
            self.set_font("serif", "", BODY_PT)
            self.set_xy(LEFT, 8)
            self.cell(self.epw, 6, str(self.page_no()), align="C")
            self.set_xy(LEFT, TOP)

    # -- blocks ------------------------------------------------------------------------------------------
    def letterhead(self, day: dt.date, number: str | None = None) -> None:
        """The two columns at the top of the first page, then the number and the place and date."""
        lh = letterhead(self.lang, self.issuer)
        # the body's column as wide as its longest line needs (64 to 78 mm), the national title's the rest;
        # a line still too long for its column is set smaller (Decree 30 allows 12-13 pt), never wrapped
        self.set_font("serif", "B", 12.5)
        lines = [*lh["parent"].splitlines(), *lh["body"].splitlines()]
        left_w = min(max(64, max(self.get_string_width(x) for x in lines) + 4), 78)
        right_x, right_w = LEFT + left_w, self.epw - left_w
        y = TOP
        self.set_xy(LEFT, y)
        if lh["parent"]:
            self.set_font("serif", "", self._fit(lh["parent"], "", 12.5, left_w))
            self.multi_cell(left_w, 5.5, lh["parent"], align="C", new_x="LEFT", new_y="NEXT")
        self.set_font("serif", "B", min(self._fit(x, "B", 12.5, left_w) for x in lh["body"].splitlines()))
        self.multi_cell(left_w, 5.5, lh["body"], align="C", new_x="LEFT", new_y="NEXT")
        rule = max(self.get_string_width(line) for line in lh["body"].splitlines()) / 3
        self._rule(LEFT + (left_w - rule) / 2, self.get_y() + 0.8, rule)
        left_end = self.get_y() + 3
        self.set_xy(right_x, y)
        self.set_font("serif", "B", self._fit(text("doc.nation", self.lang), "B", 12, right_w))
        self.cell(right_w, 5.5, text("doc.nation", self.lang), align="C", new_x="LEFT", new_y="NEXT")
        self.set_font("serif", "B", 13)
        motto = text("doc.motto", self.lang)
        self.cell(right_w, 6, motto, align="C", new_x="LEFT", new_y="NEXT")
        width = self.get_string_width(motto)
        self._rule(right_x + (right_w - width) / 2, self.get_y() + 0.5, width)
        line_y = max(left_end, self.get_y() + 3)
        self.set_xy(LEFT, line_y)
        self.set_font("serif", "", BODY_PT)
        self.cell(left_w, 6, text("doc.number", self.lang, number=number or " " * 8, symbol=lh["symbol"]), align="C")
        self.set_xy(right_x, line_y)
        self.set_font("serif", "I", BODY_PT)
        self.cell(right_w, 6, place_and_date(lh["place"], day, self.lang), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(8)

    def masthead(self, day: dt.date) -> None:
        """A one-line head for a brief: the issuing body at the left, the place and date at the right."""
        lh = letterhead(self.lang, self.issuer)
        self.set_font("serif", "B", 11)
        self.cell(self.epw / 2, 5.5, lh["body"].replace("\n", " "))
        self.set_font("serif", "I", 11)
        self.cell(self.epw / 2, 5.5, place_and_date(lh["place"], day, self.lang), align="R",
                  new_x="LMARGIN", new_y="NEXT")
        self._rule(LEFT, self.get_y() + 1, self.epw)
        self.ln(4)

    def title_block(self, kind: str, about: str) -> None:
        self.set_font("serif", "B", 14)
        self.cell(self.epw, 7, kind, align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font("serif", "B", BODY_PT)
        self.multi_cell(self.epw, 6, about, align="C", new_x="LMARGIN", new_y="NEXT")
        self._rule(LEFT + self.epw / 2 - 15, self.get_y() + 1, 30)
        self.ln(6)

    def heading(self, words: str) -> None:
        self.keep(20)
        self.set_font("serif", "B", BODY_PT)
        self.multi_cell(self.epw, 6.5, words, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def para(self, words: str, size: float = BODY_PT, style: str = "", align: str = "J") -> None:
        self.set_font("serif", style, size)
        self.multi_cell(self.epw, size * 0.45, words, align=align, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def facts(self, rows: list[tuple[str, str]], size: float = BODY_PT) -> None:
        """"Label: value" lines, the label in bold, the value wrapping under itself."""
        self.set_font("serif", "B", size)
        label_w = max(self.get_string_width(label + ":") for label, _ in rows) + 3
        for label, value in rows:
            self.set_font("serif", "B", size)
            y = self.get_y()
            self.cell(label_w, size * 0.45, label + ":")
            self.set_font("serif", "", size)
            self.multi_cell(self.epw - label_w, size * 0.45, value, align="L", new_x="LMARGIN", new_y="NEXT")
            self.set_y(max(self.get_y(), y + size * 0.45))
        self.ln(1)

    def grid(self, header: list[str], rows: list[list[str]], align: list[str], size: float = SMALL_PT - 1) -> None:
        """A bordered table, header repeated on each page; widths from the content (words never split)."""
        self.set_font("serif", "", size)
        widths = column_widths(self, header, rows, self.epw, size, whole=[a == "R" for a in align])
        with self.table(col_widths=widths, width=self.epw, text_align=tuple(align), line_height=size * 0.45,
                        padding=(0.8, 1, 0.8, 1), first_row_as_headings=True, v_align="TOP", align="LEFT",
                        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 236, 241)),
                        repeat_headings=1) as t:
            for row in [header, *rows]:
                cells = t.row()
                for v in row:
                    cells.cell(str(v))
        self.ln(2)

    def signature(self, recipients: bool = True, second: str | None = None) -> None:
        """The signature block at the right and, beside it, the recipients ("Nơi nhận") at the left, or
        a second signer (minutes: the secretary beside the chair), kept together on one page."""
        lh = letterhead(self.lang, self.issuer)
        self.keep(62 if recipients and not second else 44)
        self.ln(4)
        y = self.get_y()
        right_x = LEFT + self.epw * 0.45
        right_w = self.epw * 0.55
        self.set_xy(right_x, y)
        self.set_font("serif", "B", BODY_PT)
        self.multi_cell(right_w, 6, lh["signer"], align="C", new_x="LEFT", new_y="NEXT")
        self.set_y(self.get_y() + 24)        # the space for the signature and the seal
        if lh["signer_name"]:
            self.set_x(right_x)
            self.set_font("serif", "B", BODY_PT)
            self.cell(right_w, 6, lh["signer_name"], align="C")
        end = self.get_y() + 8
        if second:
            self.set_xy(LEFT, y)
            self.set_font("serif", "B", BODY_PT)
            self.multi_cell(right_x - LEFT, 6, second, align="C", new_x="LMARGIN", new_y="NEXT")
        elif recipients:
            self.set_xy(LEFT, y)
            self.set_font("serif", "BI", 12)
            self.cell(right_x - LEFT, 5.5, text("doc.recipients", self.lang), new_x="LMARGIN", new_y="NEXT")
            self.set_font("serif", "", SMALL_PT)
            names = lh["recipients"]
            for i, name in enumerate(names):
                self.set_x(LEFT)
                self.multi_cell(right_x - LEFT - 4, 4.8, f"- {name}{'.' if i == len(names) - 1 else ';'}",
                                align="L", new_x="LMARGIN", new_y="NEXT")
            end = max(end, self.get_y())
        self.set_y(end)

    # -- helpers -----------------------------------------------------------------------------------------
    def _fit(self, words: str, style: str, size: float, width: float, smallest: float = 10.5) -> float:
        """The largest size up to `size` (by halves of a point) at which `words` fit in `width` mm."""
        while size > smallest:
            self.set_font("serif", style, size)
            if self.get_string_width(words) <= width - 2:
                break
            size -= 0.5
        return size

    def keep(self, height: float) -> None:
        """A new page when less than `height` mm is left on this one."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def _rule(self, x: float, y: float, width: float) -> None:
        self.set_line_width(0.3)
        self.set_draw_color(0, 0, 0)
        self.line(x, y, x + width, y)


def column_widths(doc: FPDF, header: list[str], rows: list[list[str]], total: float, size: float,
                  whole: list[bool] | None = None) -> list[float]:
    """Each column at least as wide as its longest word (header in bold), or its longest cell where
    `whole` says so (numbers: "97,00 %" stays on one line); the rest of the width is shared in proportion
    to how much more each column's longest cell wants. So no word is ever split."""
    pad = 2.6
    cols = list(zip(header, *rows)) if rows else [(h,) for h in header]
    mins, wants = [], []
    for col in cols:
        doc.set_font("serif", "B", size)
        word = max((doc.get_string_width(w) for w in str(col[0]).split()), default=0)
        longest = doc.get_string_width(str(col[0]))
        doc.set_font("serif", "", size)
        for v in col[1:]:
            s = str(v)
            word = max([word, *(doc.get_string_width(w) for w in s.split())])
            longest = max(longest, doc.get_string_width(s))
        cells = max((doc.get_string_width(str(v)) for v in col[1:]), default=0)
        mins.append((max(word, cells) if whole and whole[len(mins)] else word) + pad)
        wants.append(longest + pad)
    if sum(wants) <= total:
        extra = total - sum(wants)
        return [w + extra * w / sum(wants) for w in wants]
    spare = total - sum(mins)
    if spare < 0:
        raise ValueError(f"a table's words need {sum(mins):.0f} mm, the page has {total:.0f} mm")
    more = [w - m for w, m in zip(wants, mins)]
    return [m + spare * x / sum(more) for m, x in zip(mins, more)]
