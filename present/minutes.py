"""The appraisal round's documents (reform/appraisal/report.minutes' data): the minutes (biên bản thẩm
định) with the results table and the draft announcement, as a PDF in the administrative layout
(present/a4.py, the council's letterhead) and as a Word document with the same text; the scores as an
Excel workbook (the results, then every criterion of every unit)."""
from __future__ import annotations

import datetime as dt
import io

from present import a4, fmt
from present.text import text
from reform import safe


def _t(key: str, lang: str, **fields) -> str:
    return text(f"min.{key}", lang, **fields)


def _n(v, lang: str, d: int = 2) -> str:
    return fmt.number(v, d, lang)


def sections(m: dict, lang: str) -> list[tuple[str, list[str]]]:
    """The minutes' text, heading by heading (the PDF and the DOCX write the same words)."""
    c, rnd = m["criteria"], m["round"]
    peer = text(f"level.{rnd['peer']}", lang)
    who = m["members"] or [fmt.MISSING]
    body = [
        (_t("part_who", lang), [_t("members", lang, names=", ".join(who)),
                                _t("secretary", lang, name=m["secretary"] or fmt.MISSING)]),
        (_t("part_what", lang), [_t("what", lang, n=len(m["units"]), peer=peer, year=c.year, decision=c.decision,
                                    total=_n(m["total"], lang, 0), k=len(m["derivable"]),
                                    codes=", ".join(m["derivable"]))]),
    ]
    changes = []
    for u in m["units"]:
        if not u["changed"]:
            continue
        parts = "; ".join(_t("change", lang, code=x["code"], own=_n(x["own"], lang), council=_n(x["council"], lang),
                                comment=x["comment"] or "") for x in u["changed"])
        changes.append(_t("unit_changes", lang, name=u["name"], own=_n(u["own"], lang), council=_n(u["council"], lang),
                          changes=parts))
    body.append((_t("part_changes", lang), changes or [_t("no_changes", lang)]))
    body.append((_t("part_results", lang), [_t("results_intro", lang, n=len(m["units"]))]))
    body.append((_t("part_announce", lang), [_t("announce", lang, year=c.year, peer=peer, n=len(m["units"]))]))
    return body


def results_rows(m: dict, lang: str) -> tuple[list[str], list[list[str]]]:
    header = [_t(f"col.{k}", lang) for k in ("rank", "unit", "own", "council", "index", "band")]
    rows = [[str(u["rank"]), str(safe.cell(u["name"])), _n(u["own"], lang), _n(u["council"], lang),
             _n(u["index"], lang), (u["band"] or {}).get(f"name_{lang}", fmt.MISSING)] for u in m["units"]]
    return header, rows


def title(m: dict, lang: str) -> str:
    return _t("about", lang, year=m["criteria"].year, peer=text(f"level.{m['round']['peer']}", lang))


def pdf(m: dict, lang: str = "vi", day: dt.date | None = None) -> bytes:
    doc = a4.A4(lang, title(m, lang), issuer="council")
    doc.add_page()
    doc.letterhead(day or dt.date.today())
    doc.title_block(_t("kind", lang), title(m, lang))
    for heading, paras in sections(m, lang):
        doc.heading(heading)
        for p in paras:
            doc.para(safe.cell(p) if isinstance(p, str) else p, size=a4.SMALL_PT + 1)
        if heading == _t("part_results", lang):
            header, rows = results_rows(m, lang)
            doc.grid(header, rows, ["R", "L", "R", "R", "R", "L"])
    doc.signature(recipients=False, second=_t("secretary_sign", lang))
    return bytes(doc.output())


def docx(m: dict, lang: str = "vi", day: dt.date | None = None) -> bytes:
    """The same minutes as a Word document: the letterhead as a two-column table without borders, the
    title, the sections, the results table, the signature; Times New Roman 13 pt (Decree 30)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    lh = a4.letterhead(lang, "council")
    d = Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Mm(a4.LEFT), Mm(a4.RIGHT), Mm(a4.TOP), Mm(a4.BOTTOM)
    style = d.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    head = d.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    _lines(left, [(lh["parent"], False), *((x, True) for x in lh["body"].splitlines()),
                  (text("doc.number", lang, number=" " * 8, symbol=lh["symbol"]), False)])
    _lines(right, [(text("doc.nation", lang), True), (text("doc.motto", lang), True),
                   (a4.place_and_date(lh["place"], day or dt.date.today(), lang), False)], italic_last=True)
    for words, size in ((_t("kind", lang), 14), (title(m, lang), 13)):
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(words)
        run.bold, run.font.size = True, Pt(size)
    for heading, paras in sections(m, lang):
        d.add_paragraph().add_run(heading).bold = True
        for words in paras:
            d.add_paragraph(words).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if heading == _t("part_results", lang):
            header, rows = results_rows(m, lang)
            table = d.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, h in zip(table.rows[0].cells, header):
                cell.text = ""
                cell.paragraphs[0].add_run(h).bold = True
            for row in rows:
                for cell, v in zip(table.add_row().cells, row):
                    cell.text = v
    sign = d.add_table(rows=1, cols=2)
    _lines(sign.rows[0].cells[0], [(_t("secretary_sign", lang), True)])
    _lines(sign.rows[0].cells[1], [(x, True) for x in lh["signer"].splitlines()] + [("", False)] * 4
           + [(lh["signer_name"], True)])
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _lines(cell, lines: list[tuple[str, bool]], italic_last: bool = False, size: float = 13) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    cell.text = ""
    first = True
    for i, (words, bold) in enumerate(lines):
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if size == 13 else WD_ALIGN_PARAGRAPH.LEFT
        run = p.add_run(words)
        run.bold, run.font.size = bold, Pt(size)
        run.italic = italic_last and i == len(lines) - 1


def xlsx(m: dict, lang: str = "vi") -> bytes:
    """The results, then every criterion of every unit (self-assessed, appraised, decision, comment)."""
    from openpyxl import Workbook

    from present import workbook
    book = Workbook()
    ws = book.active
    ws.title = _t("sheet_results", lang)
    header = [_t(f"col.{k}", lang) for k in ("rank", "unit_code", "unit", "own", "council", "index", "band")]
    rows = [([u["rank"], u["unit"], u["name"], u["own"], u["council"], u["index"] / 100,
              (u["band"] or {}).get(f"name_{lang}")], [None, None, None, workbook.POINTS, workbook.POINTS,
                                                       workbook.RATE, None]) for u in m["units"]]
    workbook.table(ws, header, rows, wrap=set())
    workbook.print_setup(ws, landscape=False)
    ws = book.create_sheet(_t("sheet_details", lang))
    header = [_t(f"col.{k}", lang) for k in ("unit_code", "unit", "criterion", "name", "max", "own", "council",
                                             "decision", "comment", "explanation")]
    rows = [([u["unit"], u["name"], x["code"], x["name"], x["max"], x["self_points"], x["council_points"],
              text(f"appr.decision.{x['decision']}", lang) if x["decision"] else None, x["council_comment"],
              x["explanation"]], [None, None, None, None, workbook.POINTS, workbook.POINTS, workbook.POINTS,
                                  None, None, None]) for u in m["units"] for x in u["scores"]]
    workbook.table(ws, header, rows, wrap={3, 8, 9})
    workbook.print_setup(ws, landscape=True)
    return workbook.save(book)
