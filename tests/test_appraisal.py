"""The council's appraisal round (issue 18), its data layer: criteria as data, the store's roles,
statuses, versions and audit trail, the data check against the dashboard's own numbers, evidence files."""
from __future__ import annotations

import io
import sqlite3
import threading
import zipfile

import pytest

from reform import db
from reform.appraisal import check, evidence
from reform.appraisal import criteria as crit
from reform.appraisal import store as st
from tests.conftest import reform_cli

SAMPLE = crit.path_for(2025, "commune")
SECRETARY = st.Actor("thuky@camau.gov.vn", "secretary")
MEMBER_1 = st.Actor("hoidong1@camau.gov.vn", "council")
MEMBER_2 = st.Actor("hoidong2@camau.gov.vn", "council")
VIEWER = st.Actor("xem@camau.gov.vn", "viewer")
UNITS = ("C25-01", "C25-02", "C25-03")


def officer(unit: str) -> st.Actor:
    return st.Actor(f"canbo.{unit.lower()}@camau.gov.vn", "officer", unit)


# ------------------------------------------------------------------------------------------ criteria
def test_the_sample_criteria_load():
    c = crit.load(SAMPLE)
    assert (c.year, c.peer, c.lens) == (2025, "commune", "restated")
    assert c.total == pytest.approx(sum(x.max for x in c.leaves)) == pytest.approx(17)
    parent = next(x for x in c.criteria if x.code == "3.1")
    assert parent.max == pytest.approx(sum(s.max for s in parent.subs)) and parent.method is None
    assert {x.kpi for x in c.leaves if x.derivable} == {"F10", "F05", "D02", "D01", "D06", "S01"}
    assert any(x.method == "manual" for x in c.leaves) and any(x.method == "yesno" for x in c.leaves)


GOOD = SAMPLE.read_text(encoding="utf-8")


@pytest.mark.parametrize("old,new,message", [
    ('code = "3.3"', 'code = "3.2"', "criterion 3.2: the code is used twice"),
    ('code = "7.4"', 'code = "8.4"', "criterion 8.4: its code must begin with 7."),
    ('kpi = "F05"', 'kpi = "F01"', "criterion 3.3: kpi must be a rate"),
    ("steps = [[0.8, 1.5], [0.6, 1.0], [0.4, 0.5]]", "steps = [[0.4, 1.5], [0.6, 1.0]]", "criterion 3.3: steps' thresholds"),
    ("steps = [[0.8, 1.5], [0.6, 1.0], [0.4, 0.5]]", "steps = [[0.8, 3.0]]", "criterion 3.3: steps' points"),
    ('method = "manual"', 'method = "guess"', "method must be one of"),
    ('max = 0.5\n    method = "yesno"', 'max = -1\n    method = "yesno"', "max must be a number of points above 0"),
    ("year = 2025", "year = 25", "year must be a year"),
    ('name = "Công tác chỉ đạo, điều hành cải cách hành chính"', 'name = 7', "field 1: needs a code and a name"),
])
def test_a_bad_criteria_file_is_refused_with_the_criterion_named(old, new, message):
    assert old in GOOD
    with pytest.raises(crit.CriteriaError, match=message.replace("[", r"\[").replace("(", r"\(")):
        crit.parse(GOOD.replace(old, new, 1))


def test_a_parent_maximum_must_be_the_sum_of_its_subs():
    bad = GOOD.replace('name = "Công khai thủ tục hành chính"', 'name = "Công khai thủ tục hành chính"\n  max = 2.0')
    with pytest.raises(crit.CriteriaError, match="criterion 3.1: max 2 is not the sum"):
        crit.parse(bad)


@pytest.mark.parametrize("value,points", [(1.0, 2.0), (0.99996, 2.0), (0.99994, 1.5), (0.98, 1.5), (0.9799, 1.0),
                                          (0.95, 1.0), (0.9, 0.5), (0.8999, 0.0), (None, None)])
def test_stepped_points_follow_the_value_as_shown(value, points):
    # F10 is shown with 2 decimals of a percent: 99,996 % shows as 100,00 % and earns full marks
    assert crit.load(SAMPLE).leaf("3.2").points(value) == points


def test_the_points_a_criterion_allows():
    c = crit.load(SAMPLE)
    assert c.leaf("1.1").allowed(1.0) and c.leaf("1.1").allowed(0) and not c.leaf("1.1").allowed(0.5)
    assert c.leaf("3.2").allowed(1.5) and not c.leaf("3.2").allowed(1.2) and not c.leaf("3.2").allowed(2.5)
    assert c.leaf("1.2").allowed(1.25) and not c.leaf("1.2").allowed(-0.1)


# ------------------------------------------------------------------------------------------ the data check
def test_the_data_check_is_the_dashboards_number(small_db, monkeypatch):
    """The value the check reads for a commune equals the Indicators page's for the same scope (its JSON
    twin), and its points follow the steps."""
    from ui import twin
    c = crit.load(SAMPLE)
    con = db.connect_read_only(small_db)
    try:
        units = check.peer_units(con, c)
        checked = check.data_points(con, c, "C25-01")
    finally:
        con.close()
    assert "C25-01" in units and all(u.startswith("C25-") for u in units)
    monkeypatch.setenv("REFORM_DB", str(small_db))
    shown = twin.view("/indicators?g=year&p=2025&lens=restated&unit=C25-01", db=small_db)
    cards = {x["code"]: x["value"] for t in shown["tables"] if t["name"] == "review" for x in t["rows"]}
    for code, d in checked.items():
        assert d["value"] == pytest.approx(cards[d["kpi"]]), code
        assert d["points"] == c.leaf(code).points(cards[d["kpi"]])


# ------------------------------------------------------------------------------------------ the store
@pytest.fixture
def round_(tmp_path):
    s = st.Store(tmp_path / "a.sqlite")
    c = crit.load(SAMPLE)
    rid = s.open_round(SECRETARY, c, list(UNITS))
    return s, rid, c


def score_all(s, rid, c, unit, points=None):
    me = officer(unit)
    for leaf in c.leaves:
        s.self_assess(me, rid, unit, leaf.code, (points or {}).get(leaf.code, leaf.max), note=f"đã thực hiện {leaf.code}")


def test_a_whole_round_with_a_return_and_an_explanation(round_, small_db):
    s, rid, c = round_
    con = db.connect_read_only(small_db)
    try:
        checked = check.data_points(con, c, "C25-01")
    finally:
        con.close()
    # the unit gives itself full marks everywhere: where the data earn less, the check flags it
    score_all(s, rid, c, "C25-01")
    entry = s.entry(officer("C25-01"), rid, "C25-01")
    flagged = check.differences(checked, entry["scores"])
    assert flagged == {code: (c.leaf(code).max, d["points"]) for code, d in checked.items()
                       if d["points"] is not None and d["points"] != c.leaf(code).max}
    s.submit(officer("C25-01"), rid, "C25-01")
    with pytest.raises(st.Refused, match="submitted"):      # locked for the unit
        s.self_assess(officer("C25-01"), rid, "C25-01", "1.1", 0.0, version=1)
    entry = s.entry(MEMBER_1, rid, "C25-01")
    first = c.leaves[0].code
    s.decide(MEMBER_1, rid, "C25-01", first, "returned", entry["scores"][first]["version"],
             comment="Đề nghị bổ sung kế hoạch đã ban hành")
    assert s.entry(MEMBER_1, rid, "C25-01")["status"] == "returned"
    with pytest.raises(ValueError, match="returned for an explanation"):
        s.submit(officer("C25-01"), rid, "C25-01")
    v = s.entry(officer("C25-01"), rid, "C25-01")["scores"][first]["version"]
    s.explain(officer("C25-01"), rid, "C25-01", first, "Kế hoạch số 12/KH-UBND ngày 10/01/2025, đính kèm", v)
    s.submit(officer("C25-01"), rid, "C25-01")
    entry = s.entry(MEMBER_1, rid, "C25-01")
    for leaf in c.leaves:
        sc = entry["scores"][leaf.code]
        if leaf.code in flagged:     # the council takes the data's points
            s.decide(MEMBER_1, rid, "C25-01", leaf.code, "adjusted", sc["version"], points=flagged[leaf.code][1],
                     comment="Theo dữ liệu hồ sơ của tỉnh")
        else:
            s.decide(MEMBER_1, rid, "C25-01", leaf.code, "accepted", sc["version"])
    with pytest.raises(ValueError, match="not appraised yet"):
        s.close(SECRETARY, rid)
    s.appraise(MEMBER_1, rid, "C25-01")
    for unit in UNITS[1:]:
        score_all(s, rid, c, unit, {"1.2": 1.0})
        s.submit(officer(unit), rid, unit)
        for code, sc in s.entry(MEMBER_2, rid, unit)["scores"].items():
            s.decide(MEMBER_2, rid, unit, code, "accepted", sc["version"])
        s.appraise(MEMBER_2, rid, unit)
    with pytest.raises(st.Refused, match="not published"):
        s.results(VIEWER, rid)
    s.close(SECRETARY, rid)
    results = {r["unit_code"]: r for r in s.results(MEMBER_1, rid)}
    want_a = sum(c.leaf(code).max if code not in flagged else flagged[code][1] for code in (x.code for x in c.leaves))
    assert results["C25-01"]["points"] == pytest.approx(want_a)
    assert results["C25-02"]["points"] == results["C25-03"]["points"] == pytest.approx(c.total - 1)
    assert results["C25-02"]["rank"] == results["C25-03"]["rank"]      # a tie shares its rank
    s.publish(SECRETARY, rid)
    assert [q["status"] for q in s.queue(VIEWER, rid)] == ["published"] * 3
    assert len(s.results(VIEWER, rid)) == 3
    with pytest.raises(st.Refused, match="published"):
        s.decide(MEMBER_1, rid, "C25-01", first, "accepted", 99)
    # the trail replays to the final state, and a trail with a change missing does not
    trail = s.audit()
    assert st.replay(trail) == s.state()
    assert st.replay(trail[:-1]) != s.state()     # the last unit's publication left out
    assert {a["who"] for a in trail} >= {SECRETARY.who, MEMBER_1.who, officer("C25-01").who}


def test_an_officer_reaches_only_its_own_unit(round_):
    s, rid, c = round_
    me, other = officer("C25-01"), "C25-02"
    score_all(s, rid, c, other)
    with pytest.raises(st.Refused):
        s.entry(me, rid, other)
    with pytest.raises(st.Refused):
        s.self_assess(me, rid, other, "1.1", 1.0)
    with pytest.raises(st.Refused):
        s.explain(me, rid, other, "1.1", "x", 1)
    with pytest.raises(st.Refused):
        s.submit(me, rid, other)
    with pytest.raises(st.Refused):
        s.add_evidence(me, rid, other, "1.1", "0" * 64, "a.pdf", "pdf", 10)
    with pytest.raises(st.Refused):
        s.decide(me, rid, other, "1.1", "accepted", 1)
    assert [q["unit_code"] for q in s.queue(me, rid)] == ["C25-01"]
    assert s.queue(VIEWER, rid) == []
    with pytest.raises(st.Refused):
        s.entry(VIEWER, rid, other)
    with pytest.raises(st.Refused):         # a unit that has no entry answers the same: nothing to learn
        s.entry(me, rid, "C99-99")
    with pytest.raises(st.Refused):
        s.open_round(MEMBER_1, c, ["x"])


def test_two_members_adjusting_one_criterion_lose_no_edit(round_):
    s, rid, c = round_
    score_all(s, rid, c, "C25-01")
    s.submit(officer("C25-01"), rid, "C25-01")
    seen = s.entry(MEMBER_1, rid, "C25-01")["scores"]["1.2"]["version"]
    s.decide(MEMBER_1, rid, "C25-01", "1.2", "adjusted", seen, points=1.5, comment="Thiếu minh chứng quý IV")
    with pytest.raises(st.Conflict, match=MEMBER_1.who) as e:
        s.decide(MEMBER_2, rid, "C25-01", "1.2", "adjusted", seen, points=1.0, comment="Chỉ đạt một nửa")
    assert e.value.who == MEMBER_1.who
    assert s.entry(MEMBER_2, rid, "C25-01")["scores"]["1.2"]["council_points"] == 1.5

    # at the same moment, from two threads: exactly one wins, the other is told who
    seen = s.entry(MEMBER_1, rid, "C25-01")["scores"]["1.1"]["version"]
    outcomes, start = [], threading.Barrier(2)

    def member(actor, points):
        start.wait()
        try:
            s.decide(actor, rid, "C25-01", "1.1", "adjusted", seen, points=points, comment=f"ý kiến của {actor.who}")
            outcomes.append(("ok", actor.who))
        except st.Conflict as err:
            outcomes.append(("conflict", err.who))
    threads = [threading.Thread(target=member, args=(m, p)) for m, p in ((MEMBER_1, 0.0), (MEMBER_2, 1.0))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o[0] for o in outcomes) == ["conflict", "ok"]
    winner = next(w for o, w in outcomes if o == "ok")
    assert next(w for o, w in outcomes if o == "conflict") == winner
    assert s.entry(MEMBER_1, rid, "C25-01")["scores"]["1.1"]["updated_by"] == winner


def test_impossible_points_and_missing_comments_are_refused(round_):
    s, rid, c = round_
    with pytest.raises(ValueError, match="not possible"):
        s.self_assess(officer("C25-01"), rid, "C25-01", "1.1", 0.5)
    score_all(s, rid, c, "C25-01")
    with pytest.raises(st.Conflict):        # a second first score: the officer had not seen the first
        s.self_assess(officer("C25-01"), rid, "C25-01", "1.1", 0.0)
    s.submit(officer("C25-01"), rid, "C25-01")
    v = s.entry(MEMBER_1, rid, "C25-01")["scores"]["3.2"]["version"]
    with pytest.raises(ValueError, match="comment is required"):
        s.decide(MEMBER_1, rid, "C25-01", "3.2", "adjusted", v, points=1.0)
    with pytest.raises(ValueError, match="not possible"):
        s.decide(MEMBER_1, rid, "C25-01", "3.2", "adjusted", v, points=1.2, comment="x")


def test_backup_and_the_audit_command(round_, tmp_path, monkeypatch):
    s, rid, c = round_
    score_all(s, rid, c, "C25-01")
    out = tmp_path / "copy.sqlite"
    reform_cli("appraisal", "backup", "--store", str(s.path), "--out", str(out))
    assert st.Store(out).state() == s.state()
    proc = reform_cli("appraisal", "audit", "--store", str(s.path))
    assert "replay to the store's state" in proc.stdout
    con = sqlite3.connect(s.path)       # a change made around the store, not through it
    con.execute("update scores set self_points = 0 where criterion = '1.1'")
    con.commit()
    con.close()
    proc = reform_cli("appraisal", "audit", "--store", str(s.path), check=False)
    assert proc.returncode == 1 and "does not lead" in proc.stderr


# ------------------------------------------------------------------------------------------ evidence
def _pdf() -> bytes:
    from fpdf import FPDF
    d = FPDF()
    d.add_page()
    return bytes(d.output())


def _office(kind: str, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(evidence.OFFICE[kind], "<x/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def test_good_evidence_is_kept_once_by_its_content(tmp_path):
    pdf = _pdf()
    sha, kind, size = evidence.store(tmp_path, "Kế hoạch CCHC 2025.pdf", pdf)
    assert (kind, size) == ("pdf", len(pdf)) and evidence.path_of(tmp_path, sha).read_bytes() == pdf
    assert evidence.store(tmp_path, "bản sao.pdf", pdf)[0] == sha
    assert len(list(tmp_path.rglob("*"))) == 2      # one folder, one file
    assert evidence.kind_of("bảng.xlsx", _office("xlsx")) == "xlsx"
    assert evidence.kind_of("báo cáo.docx", _office("docx")) == "docx"
    assert evidence.kind_of("ảnh.JPG", b"\xff\xd8\xff\xe0" + b"\0" * 100) == "jpeg"


@pytest.mark.parametrize("name,data,message", [
    ("ke-hoach.pdf", b"=cmd|' /C calc'!A0", "not a PDF, PNG, JPEG, DOCX or XLSX"),
    ("ke-hoach.png", b"%PDF-1.4 ...", "the content is PDF, the name says otherwise"),
    ("script.docx", b"PK\x03\x04" + b"\0" * 30, "damaged zip"),
    ("../../etc/passwd.pdf", b"%PDF-1.4", "holds a path"),
    ("a/b.pdf", b"%PDF-1.4", "holds a path"),
    ("C:\\x.pdf", b"%PDF-1.4", "holds a path"),
    (".hidden.pdf", b"%PDF-1.4", "holds a path"),
    ("a\u202egpj.pdf", b"%PDF-1.4", "hidden characters"),
    ("x" * 200 + ".pdf", b"%PDF-1.4", "1 to 120 characters"),
])
def test_hostile_evidence_is_refused(tmp_path, name, data, message):
    with pytest.raises(evidence.Refused, match=message.replace("(", r"\(")):
        evidence.store(tmp_path, name, data)
    assert not list(tmp_path.rglob("*"))


def test_oversize_and_zip_bombs_are_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("REFORM_MAX_EVIDENCE_MB", "1")
    with pytest.raises(evidence.Refused, match="REFORM_MAX_EVIDENCE_MB"):
        evidence.store(tmp_path, "to.pdf", b"%PDF-" + b"0" * (2 << 20))
    monkeypatch.setenv("REFORM_MAX_EVIDENCE_UNPACKED_MB", "10")
    bomb = _office("docx", {"word/media/zeros.bin": b"\0" * (64 << 20)})
    assert len(bomb) < 1 << 20      # 64 MB of zeros pack into well under 1 MB
    with pytest.raises(evidence.Refused, match="REFORM_MAX_EVIDENCE_UNPACKED_MB"):
        evidence.store(tmp_path, "bom.docx", bomb)
    monkeypatch.setenv("REFORM_MAX_EVIDENCE_PARTS", "5")
    with pytest.raises(evidence.Refused, match="REFORM_MAX_EVIDENCE_PARTS"):
        evidence.store(tmp_path, "nhieu.xlsx", _office("xlsx", {f"xl/p{i}.xml": b"<x/>" for i in range(10)}))
    assert not list(tmp_path.rglob("*"))


def test_a_zip_that_lies_about_its_sizes_is_measured(tmp_path, monkeypatch):
    """A part that declares a small size but unpacks to more: zipfile stops at the declared size with
    an error, so the file is refused as damaged, never read beyond the limit."""
    monkeypatch.setenv("REFORM_MAX_EVIDENCE_UNPACKED_MB", "10")
    data = bytearray(_office("docx", {"word/media/z.bin": b"\0" * (32 << 20)}))
    # rewrite the declared uncompressed size (local header and central directory) to 100 bytes
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = 0
        while (at := data.find(sig, at)) >= 0:
            name_len = int.from_bytes(data[at + (26 if sig == b"PK\x03\x04" else 28):][:2], "little")
            start = at + (30 if sig == b"PK\x03\x04" else 46)
            if bytes(data[start:start + name_len]) == b"word/media/z.bin":
                data[at + off:at + off + 4] = (100).to_bytes(4, "little")
            at += 4
    with pytest.raises(evidence.Refused):
        evidence.store(tmp_path, "gia.docx", bytes(data))


# ------------------------------------------------------------------------------------------ documents
def finish(s, rid, c):
    """Every unit scored, submitted and appraised (C25-01's 3.2 adjusted with a comment), then closed."""
    for unit in UNITS:
        score_all(s, rid, c, unit, {"1.2": 1.5} if unit == "C25-02" else None)
        s.submit(officer(unit), rid, unit)
        for code, sc in s.entry(MEMBER_1, rid, unit)["scores"].items():
            if (unit, code) == ("C25-01", "3.2"):
                s.decide(MEMBER_2, rid, unit, code, "adjusted", sc["version"], points=1.0,
                         comment="Theo dữ liệu hồ sơ: 97,3 %")
            else:
                s.decide(MEMBER_1, rid, unit, code, "accepted", sc["version"])
        s.appraise(MEMBER_1, rid, unit)
    s.close(SECRETARY, rid)


def test_the_minutes_and_scores_say_what_the_store_holds(round_, small_db, tmp_path):
    import docx
    import openpyxl
    from pypdf import PdfReader

    s, rid, c = round_
    with pytest.raises(st.Refused):      # nothing to write while the round is open
        from reform.appraisal import report
        report.minutes(s, SECRETARY, rid, {})
    finish(s, rid, c)
    results = {r["unit_code"]: r for r in s.results(SECRETARY, rid)}
    con = db.connect_read_only(small_db)
    names = dict(con.execute("select unit_code, name from units").fetchall())
    con.close()
    outs = {}
    for suffix in ("pdf", "docx", "xlsx"):
        outs[suffix] = tmp_path / f"bien-ban.{suffix}"
        reform_cli("appraisal", "export", "--store", str(s.path), "--db", str(small_db), "--round", str(rid),
                   "--out", str(outs[suffix]))
    pdf_text = "".join("".join(p.extract_text().split()) for p in PdfReader(outs["pdf"]).pages)
    word = docx.Document(outs["docx"])
    word_text = "".join("".join(p.text.split()) for p in word.paragraphs) + "".join(
        "".join(cell.text.split()) for t in word.tables for row in t.rows for cell in row.cells)
    for found in (pdf_text, word_text):
        for words in ("BIÊN BẢN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                      "HỘI ĐỒNG THẨM ĐỊNH", MEMBER_1.who, MEMBER_2.who, "Theo dữ liệu hồ sơ: 97,3 %",
                      "tiêu chí 3.2 từ 2,00 thành 1,00", "CHỦ TỊCH HỘI ĐỒNG"):
            assert "".join(words.split()) in found, words
        for unit, r in results.items():
            assert "".join(names[unit].split()) in found
            assert f"{r['points']:.2f}".replace(".", ",") in found
    sheet = openpyxl.load_workbook(outs["xlsx"])["Kết quả"]
    got = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(got) == set(UNITS)
    for unit, r in results.items():
        assert got[unit][0] == r["rank"] and got[unit][4] == pytest.approx(r["points"])
        assert got[unit][5] == pytest.approx(r["index"] / 100)
    detail = openpyxl.load_workbook(outs["xlsx"])["Chi tiết tiêu chí"]
    assert detail.max_row - 1 == len(UNITS) * len(c.leaves)


def test_evidence_opens_only_for_who_may_read_the_entry(round_, tmp_path):
    s, rid, c = round_
    folder = tmp_path / "evidence"
    pdf = _pdf()
    sha, kind, size = evidence.store(folder, "ke-hoach.pdf", pdf)
    s.add_evidence(officer("C25-01"), rid, "C25-01", "1.1", sha, "ke-hoach.pdf", kind, size)
    for reader in (officer("C25-01"), MEMBER_1, SECRETARY):
        assert s.evidence_file(reader, rid, "C25-01", sha, folder) == ("ke-hoach.pdf", pdf)
    for reader in (officer("C25-02"), VIEWER):
        with pytest.raises(st.Refused):
            s.evidence_file(reader, rid, "C25-01", sha, folder)
    with pytest.raises(st.Refused):      # the same file is not C25-02's evidence: its entry does not open it
        s.evidence_file(MEMBER_1, rid, "C25-02", sha, folder)
