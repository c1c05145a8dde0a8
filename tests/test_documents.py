"""The documents a secretary hands out (issue 17): the council pack as PDF and XLSX, the one-page brief,
delivery by e-mail. Checked as a reader would: the PDF's own text (pypdf), its pages drawn (PDFium),
the workbook opened (openpyxl), the mail received by a local SMTP server (aiosmtpd); the numbers
against the page's JSON twin and the attention command."""
from __future__ import annotations

import io
import json
import re

import openpyxl
import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from present import a4
from present import brief as brief_doc
from present import pack as documents
from present.text import text
from reform import brief as brief_data
from reform import catalogue, compute, db, periods, review
from tests.conftest import reform_cli
from ui import twin

PERIOD = "2024Q2"
MM = 72 / 25.4      # PDF points per mm
KPIS = catalogue.load().kpis


def words(s: str) -> str:
    """Text without whitespace: a label wrapped over two lines is still found whole."""
    return "".join(s.split())


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def packs(small_db):
    con = db.connect_read_only(small_db)
    try:
        out = {lang: review.build(con, periods.parse(PERIOD), lang=lang) for lang in ("vi", "en")}
        out["unit"] = review.build(con, periods.parse(PERIOD), "964", "vi", lens="restated", channel=2)
    finally:
        con.close()
    return out


# ------------------------------------------------------------------------------------------ the PDF pack
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_chart_label_and_axis_number_is_in_the_pdf_text_in_full(packs, lang):
    pack = packs[lang]
    data = documents.pdf(pack)
    found = words("".join(pdf_text(data)))
    c = pack["computed"]
    # the bar chart: every share that has a value and a target, by its full name (independently chosen)
    shares = [KPIS[k].name(lang) for k, v, t in zip(c["code"], c["value"], c["target"])
              if KPIS[k].format == "pct" and v == v and v is not None and t == t and t is not None]
    assert shares
    for name in shares:
        assert words(name) in found, name
    # its axis: 0 to 100 % in steps of 20
    for v in (0, 20, 40, 60, 80, 100):
        assert words(f"{v} %" if lang == "vi" else f"{v}%") in found
    # the trend: each period of the last 8 in words, and each line's name
    p = periods.parse(PERIOD)
    for _ in range(8):
        assert words(p.label(lang)) in found, p.label(lang)
        p = p.previous()
    for code in ("F10", "F05", "D06"):
        assert words(KPIS[code].name(lang)) in found
    # the headers of the national title, the motto and the signature block
    for key in ("doc.nation", "doc.motto", "doc.recipients"):
        assert words(text(key, lang)) in found


def test_the_trend_axis_is_numbered_at_even_steps(packs):
    """The trend chart's y axis numbers, read from the page with their positions: at least three,
    evenly spaced on the page and in value, covering the lines' values."""
    data = documents.pdf(packs["vi"])
    trend = pdfium.PdfDocument(data)
    page_no = next(i for i, t in enumerate(pdf_text(data)) if words(text("pack.chart_trend")) in words(t))
    page = trend[page_no]
    tp = page.get_textpage()
    height = page.get_height()
    labels = []
    for i in range(tp.count_rects()):
        left, bottom, right, top = tp.get_rect(i)
        s = tp.get_text_bounded(left, bottom, right, top).strip()
        if re.fullmatch(r"\d+(,\d)? %", s) and left < (a4.LEFT + 16) * MM:
            labels.append((height - top, float(s[:-2].replace(",", "."))))
    labels.sort()
    assert len(labels) >= 3, labels
    gaps_y = {round(b[0] - a[0], 1) for a, b in zip(labels, labels[1:])}
    gaps_v = {round(a[1] - b[1], 3) for a, b in zip(labels, labels[1:])}
    assert len(gaps_y) == 1 and len(gaps_v) == 1 and gaps_v.pop() > 0, labels
    values = [v * 100 for r in packs["vi"]["trend"] for v in (r["F10"], r["F05"], r["D06"]) if v is not None]
    assert labels[-1][1] <= min(values) and labels[0][1] >= max(values)


@pytest.mark.parametrize("which", ["pack vi", "pack en", "brief vi", "brief en"])
def test_no_text_or_drawing_outside_the_margins(packs, small_db, which):
    """Every character inside the Decree 30 text area (the page number above it); and drawn at 60 dpi,
    nothing dark in the left and right margins."""
    kind, lang = which.split()
    if kind == "pack":
        data = documents.pdf(packs[lang])
    else:
        con = db.connect_read_only(small_db)
        try:
            data = brief_doc.pdf(brief_data.build(con, periods.parse(PERIOD), lang))
        finally:
            con.close()
    doc = pdfium.PdfDocument(data)
    assert len(doc) >= (2 if kind == "pack" else 1)
    for n in range(len(doc)):
        page = doc[n]
        w, h = page.get_size()
        assert (round(w / MM), round(h / MM)) == (210, 297)
        tp = page.get_textpage()
        for i in range(tp.count_chars()):
            left, bottom, right, top = tp.get_charbox(i)
            if right - left <= 0:
                continue
            assert left >= a4.LEFT * MM - 1 and right <= w - a4.RIGHT * MM + 1, (n, i, tp.get_text_range(i, 1))
            assert bottom >= a4.BOTTOM * MM - 1 and top <= h - 7 * MM, (n, i, tp.get_text_range(i, 1))
        image = page.render(scale=60 / 72, grayscale=True).to_pil().convert("L")
        px = image.load()
        side = {"left": range(0, int((a4.LEFT - 1) * 60 / 25.4)),
                "right": range(int((210 - a4.RIGHT + 1) * 60 / 25.4), image.width)}
        for where, cols in side.items():
            dark = [(x, y) for x in cols for y in range(image.height) if px[x, y] < 200]
            assert not dark, f"page {n + 1}: drawn in the {where} margin at {dark[:3]}"


def test_the_pdf_names_the_scope_in_words(packs):
    found = words("".join(pdf_text(documents.pdf(packs["unit"]))))
    assert words(f"{text('filters.lens')}: {text('lens.restated')}") in found
    assert words(f"{text('filters.channel')}: {text('channel.2')}") in found
    assert words(f"{text('filters.unit')}:") in found and "(964)" in found
    assert "lens=" not in found and "channel=" not in found


@pytest.mark.parametrize("path", sorted(set(a4.font_files().values())))
def test_every_font_has_every_vietnamese_letter(path):
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    tones = "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    need = set(letters + letters.upper() + tones + tones.upper() + "–·…%")
    cmap = TTFont(path).getBestCmap()
    assert not sorted(c for c in need if ord(c) not in cmap), path


def test_no_glyph_is_missing_in_either_language(packs, small_db, caplog):
    """fpdf2 says when a font lacks a character it was asked to draw: nothing, for the pack and the brief."""
    con = db.connect_read_only(small_db)
    try:
        briefs = [brief_data.build(con, periods.parse(PERIOD), lang) for lang in ("vi", "en")]
    finally:
        con.close()
    with caplog.at_level("WARNING"):
        for lang in ("vi", "en"):
            documents.pdf(packs[lang])
        for b in briefs:
            brief_doc.pdf(b)
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]


def test_a4_column_widths_never_split_a_word():
    doc = a4.A4("vi", "t")
    doc.add_page()
    header = ["Mẫu số", "Denominator"]
    rows = [["Tỷ lệ hồ sơ giải quyết đúng hạn và trước hạn", "1.770.068"]]
    widths = a4.column_widths(doc, header, rows, 60, 10, whole=[False, True])
    assert sum(widths) == pytest.approx(60)
    doc.set_font("serif", "B", 10)
    assert widths[1] >= doc.get_string_width("Denominator")
    with pytest.raises(ValueError, match="need"):
        a4.column_widths(doc, ["Supercalifragilistic"] * 4, [], 40, 10)


def test_place_and_date_follow_decree_30():
    import datetime as dt
    assert a4.place_and_date("Cà Mau", dt.date(2026, 2, 5), "vi") == "Cà Mau, ngày 05 tháng 02 năm 2026"
    assert a4.place_and_date("Cà Mau", dt.date(2026, 12, 1), "vi") == "Cà Mau, ngày 01 tháng 12 năm 2026"
    assert a4.place_and_date("Cà Mau", dt.date(2026, 3, 15), "vi") == "Cà Mau, ngày 15 tháng 3 năm 2026"


# ------------------------------------------------------------------------------------------ the workbook
def test_the_workbook_is_ready_to_print_and_matches_the_json_twin(small_db, tmp_path, monkeypatch):
    out = tmp_path / "pack.xlsx"
    reform_cli("report", "--db", str(small_db), "--period", PERIOD, "--unit", "964", "--out", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Tổng hợp", "Chỉ số", "Chỉ số báo cáo", "Xu hướng"]
    for ws in book.worksheets:
        assert ws["A1"].value not in (None, ""), ws.title          # no empty first row
        assert int(ws.page_setup.paperSize) == 9      # A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    sheet = book["Chỉ số"]
    header = [c.value for c in sheet[1]]
    assert header[:10] == [text(f"col.{k}") for k in ("code", "indicator", "definition", "numerator", "denominator",
                                                      "value", "target", "points", "max_points", "band")]
    assert sheet.freeze_panes == "C2" and book["Xu hướng"].freeze_panes == "A2"
    assert all(sheet.column_dimensions[c].width >= 6 for c in "ABCDEFGHIJ")
    assert len(sheet._charts) == 1 and len(book["Xu hướng"]._charts) == 1
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2) if r[0].value}
    assert rows["F05"][5].number_format == "0.00%" and rows["F01"][3].number_format == "#,##0"
    assert rows["F15"][5].number_format == "#,##0.0"

    monkeypatch.setenv("REFORM_DB", str(small_db))
    shown = twin.view(f"/indicators?p={PERIOD}&unit=964", db=small_db)
    review_rows = next(t["rows"] for t in shown["tables"] if t["name"] == "review")
    at = {k: header.index(text(f"col.{k}")) for k in ("numerator", "denominator", "value", "target", "points",
                                                      "max_points")}
    assert len(review_rows) == len([c for c in rows if c != "SCORE"]) or len(review_rows) == len(rows)
    for r in review_rows:
        for k, j in at.items():
            want, got = r[k], rows[r["code"]][j].value
            assert (got is None) == (want is None) and (want is None or got == pytest.approx(want)), (r["code"], k)
    score = next(c for c in shown["cards"] if c["code"] == "SCORE")
    summary = {r[0]: r[1] for r in book["Tổng hợp"].iter_rows(values_only=True)}
    assert summary[text("pack.score")] == pytest.approx(score["value"])
    assert summary[text("score.earned")] == pytest.approx(score["earned"])


# ------------------------------------------------------------------------------------------ the brief
@pytest.fixture(scope="module")
def brief_vi(small_db):
    con = db.connect_read_only(small_db)
    try:
        return brief_data.build(con, periods.parse(PERIOD), "vi")
    finally:
        con.close()


def test_the_brief_is_one_page_with_its_numbers(brief_vi, small_db):
    data = brief_doc.pdf(brief_vi)
    pages = pdf_text(data)
    assert len(pages) == 1
    found = words(pages[0])
    con = db.connect_read_only(small_db)
    try:
        now = compute.kpis(con, periods.parse(PERIOD))[0]
        prev = compute.kpis(con, periods.parse(PERIOD).previous())[0]
        groups = {lvl: compute.kpis(con, periods.parse(PERIOD), by="peer", level=lvl) for lvl in ("province", "commune")}
        names = dict(con.execute("select unit_code, name from units").fetchall())
    finally:
        con.close()
    from present import fmt
    for code in catalogue.load().headline:
        assert words(KPIS[code].name()) in found and words(fmt.value(now[code], KPIS[code])) in found, code
    for code in ("F10", "F05"):     # the trend: its lines and its 8 periods
        assert words(KPIS[code].name()) in found
    p = periods.parse(PERIOD)
    for _ in range(8):
        assert words(p.label()) in found
        p = p.previous()
    d = fmt.delta(now["F05"] - prev["F05"], KPIS["F05"])
    assert words(text("brief.versus", change=d, period=periods.parse(PERIOD).previous().label())) in found
    # each peer group's best and worst on the 766 estimate, found here without the ranking code
    for lvl, rows in groups.items():
        ranked = sorted((r for r in rows if r["SCORE"] is not None), key=lambda r: -round(r["SCORE"], 1))
        if len(ranked) < 2:
            continue
        top = [r for r in ranked if round(r["SCORE"], 1) == round(ranked[0]["SCORE"], 1)]
        assert any(words(f"{names[r['unit_code']]}: {fmt.value(r['SCORE'], KPIS['SCORE'])}") in found for r in top), lvl
        low = round(ranked[-1]["SCORE"], 1)
        assert any(words(f"{names[r['unit_code']]}: {fmt.value(r['SCORE'], KPIS['SCORE'])}") in found
                   for r in ranked if round(r["SCORE"], 1) == low), lvl


def test_the_brief_lists_what_the_attention_command_lists(brief_vi, small_db):
    out = reform_cli("attention", "--db", str(small_db), "--period", PERIOD, "--format", "json")
    worse = [s["sentence"] for s in json.loads(out.stdout)["signals"] if s["worse"]]
    found = words(pdf_text(brief_doc.pdf(brief_vi))[0])
    shown = worse[:brief_doc.SIZES[0][0]]
    for s in shown:
        if words(s) not in found:   # a shorter list when the page would not hold five
            assert any(words(x) in found for x in worse[:brief_doc.SIZES[-1][0]])
            break
    if not worse:
        assert words(text("attention.none", period=periods.parse(PERIOD).label())) in found


def test_the_brief_command_writes_pdf_and_png(small_db, tmp_path):
    png = tmp_path / "brief.png"
    reform_cli("brief", "--db", str(small_db), "--period", PERIOD, "--lang", "en", "--out", str(png))
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG")
    from PIL import Image
    image = Image.open(io.BytesIO(data))
    assert abs(image.width / image.height - 210 / 297) < 0.01 and image.width >= 1200
    for args, message in ((["--period", "2024Q1:2024Q2"], "not a range"), (["--period", PERIOD, "--out", "x.docx"],
                                                                           "--out must end in .pdf or .png")):
        if "--out" not in args:
            args = [*args, "--out", str(tmp_path / "b.pdf")]
        proc = reform_cli("brief", "--db", str(small_db), *args, check=False)
        assert proc.returncode == 2 and message in proc.stderr


# ------------------------------------------------------------------------------------------ delivery
class Recorder:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(tmp_path, monkeypatch):
    """A local SMTP server; [mail] pointing at it in a secrets file the command reads."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    recorder = Recorder()

    def check(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"baocao" and auth_data.password == b"right"
        return AuthResult(success=ok, handled=False, message=None if ok else "535 5.7.8 Authentication rejected")

    import socket
    with socket.socket() as s:      # a free port (the controller's ready check cannot use port 0)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(recorder, hostname="127.0.0.1", port=port, authenticator=check, auth_require_tls=False)
    controller.start()

    def secrets(**more):
        conf = {"host": "127.0.0.1", "port": port, "security": "none", "from": "Báo cáo <bc@example.gov.vn>", **more}
        path = tmp_path / "secrets.toml"
        path.write_text("[mail]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in conf.items()), encoding="utf-8")
        monkeypatch.setenv("REFORM_SECRETS", str(path))
    yield recorder, secrets
    controller.stop()


def test_the_pack_is_mailed_with_its_attachment(small_db, tmp_path, smtp):
    import email
    import email.policy

    recorder, secrets = smtp
    secrets(user="baocao", password="right")
    out = tmp_path / "pack.pdf"
    proc = reform_cli("report", "--db", str(small_db), "--period", PERIOD, "--out", str(out),
                      "--mail-to", "a@example.gov.vn", "b@example.gov.vn")
    assert "sent to a@example.gov.vn, b@example.gov.vn" in proc.stdout
    [envelope] = recorder.messages
    assert sorted(envelope.rcpt_tos) == ["a@example.gov.vn", "b@example.gov.vn"]
    msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
    [part] = list(msg.iter_attachments())
    assert part.get_filename() == "pack.pdf" and part.get_content() == out.read_bytes()
    assert "Quý II/2024" in str(msg["Subject"]) and "Đính kèm" in msg.get_body(("plain",)).get_content()


def test_a_refused_sign_in_says_so_and_keeps_the_file(small_db, tmp_path, smtp):
    recorder, secrets = smtp
    secrets(user="baocao", password="wrong")
    out = tmp_path / "brief.pdf"
    proc = reform_cli("brief", "--db", str(small_db), "--period", PERIOD, "--out", str(out),
                      "--mail-to", "a@example.gov.vn", check=False)
    assert proc.returncode == 4 and "refused the sign-in of baocao" in proc.stderr and "535" in proc.stderr
    assert out.read_bytes().startswith(b"%PDF") and recorder.messages == []


def test_mail_settings_and_addresses_are_checked_before_the_work(small_db, tmp_path, smtp, monkeypatch):
    _, secrets = smtp
    secrets()
    out = tmp_path / "pack.pdf"
    proc = reform_cli("report", "--db", str(small_db), "--period", PERIOD, "--out", str(out),
                      "--mail-to", "x@example.gov.vn\r\nBcc: evil@example.com", check=False)
    assert proc.returncode == 2 and "not an e-mail address" in proc.stderr and not out.exists()
    monkeypatch.setenv("REFORM_SECRETS", str(tmp_path / "none.toml"))
    proc = reform_cli("report", "--db", str(small_db), "--period", PERIOD, "--out", str(out),
                      "--mail-to", "a@example.gov.vn", check=False)
    assert proc.returncode == 2 and "no " in proc.stderr and "[mail]" in proc.stderr and not out.exists()


def test_an_unreachable_server_keeps_the_file(small_db, tmp_path, smtp):
    _, secrets = smtp
    secrets(port=1)     # nothing listens there
    out = tmp_path / "pack.xlsx"
    proc = reform_cli("report", "--db", str(small_db), "--period", PERIOD, "--out", str(out),
                      "--mail-to", "a@example.gov.vn", check=False)
    assert proc.returncode == 4 and "cannot reach 127.0.0.1:1" in proc.stderr and out.exists()
