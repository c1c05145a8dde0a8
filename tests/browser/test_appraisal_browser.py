"""A whole appraisal round in Chromium with three signed-in accounts (issue 18): the secretary opens the
2025 round for the communes, a commune's officer scores a criterion with evidence and sees the data check
flag it, a council member returns it, the officer explains and submits again, the member adjusts it and
finishes the unit, the secretary closes and publishes and downloads the minutes. Sign-in is Streamlit's
own st.login against a local OpenID Connect provider (tests/browser/idp.py)."""
from __future__ import annotations

import io
import json

from reform import db
from reform.appraisal import check
from reform.appraisal import criteria as crit
from reform.appraisal import store as st_
from tests.browser.conftest import SHOTS, free_port, need_chromium, serve
from tests.browser.helpers import choose, settle
from tests.browser.idp import IdP

SECRETARY, MEMBER, OFFICER = "thuky@camau.gov.vn", "hoidong1@camau.gov.vn", "canbo.a@camau.gov.vn"
UNIT, CODE = "C25-01", "3.2"
MAIN = '[data-testid="stMain"]'


def _toml(d: dict, prefix: str = "") -> str:
    out, tables = [], []
    for k, v in d.items():
        if isinstance(v, dict):
            tables.append((k, v))
        else:
            out.append(f"{json.dumps(k)} = {json.dumps(v, ensure_ascii=False)}")
    text = "\n".join(out) + "\n"
    for k, v in tables:
        name = f"{prefix}.{k}" if prefix else k
        text += f"\n[{name}]\n" + _toml(v, name)
    return text


def test_a_whole_round_with_three_accounts(browser, small_db, tmp_path):
    from docx import Document
    from pypdf import PdfReader

    need_chromium()
    store_path = tmp_path / "appraisal.sqlite"
    c = crit.load(crit.path_for(2025, "commune"))
    con = db.connect_read_only(small_db)
    try:
        units = check.peer_units(con, c)
        data = check.data_points(con, c, UNIT)
        names = dict(con.execute("select unit_code, name from units").fetchall())
    finally:
        con.close()
    assert data[CODE]["points"] < c.leaf(CODE).max, "the sample's data must earn less than full marks here"
    with IdP() as idp:
        port = free_port()
        secrets = {"auth": idp.secrets(f"http://127.0.0.1:{port}/oauth2callback"),
                   "access": {"accounts": {SECRETARY: "*", MEMBER: "*", OFFICER: UNIT}},
                   "appraisal": {"secretaries": [SECRETARY], "council": [MEMBER], "officers": [OFFICER]}}
        (tmp_path / "secrets.toml").write_text(_toml(secrets), encoding="utf-8")
        with serve(small_db, tmp_path / "streamlit.log", port=port, env={"REFORM_APPRAISAL": str(store_path)},
                   args=("--secrets.files", str(tmp_path / "secrets.toml"))) as server:
            contexts = []

            def signed_in(email: str, role: str):
                ctx = browser.new_context(viewport={"width": 1440, "height": 2200}, accept_downloads=True)
                contexts.append(ctx)
                ctx.add_cookies([{"name": "user", "value": email, "url": idp.url}])
                pg = ctx.new_page()
                pg.set_default_timeout(60_000)
                pg.goto(server)
                settle(pg)
                pg.get_by_role("button", name="Đăng nhập").click()     # to the provider and back
                pg.wait_for_selector('[data-testid="stSidebarNav"]')
                settle(pg)
                pg.goto(f"{server}/appraisal")
                settle(pg)
                assert role in pg.inner_text("body")
                return pg

            try:
                # the secretary opens the round on the page
                sec = signed_in(SECRETARY, "Thư ký Hội đồng")
                sec.get_by_text("Mở đợt thẩm định mới").click()
                sec.get_by_role("button", name="Mở đợt").click()
                settle(sec)
                assert f"Đã mở đợt thẩm định cho {len(units)} đơn vị" in sec.inner_text("body")
                s = st_.Store(store_path)
                [rnd] = s.rounds()
                rid = rnd["id"]

                # the officer: every criterion but one already scored; that one on the page, with evidence
                me = st_.Actor(OFFICER, "officer", UNIT)
                for leaf in c.leaves:
                    if leaf.code != CODE:
                        s.self_assess(me, rid, UNIT, leaf.code, leaf.max, "đạt")
                off = signed_in(OFFICER, "Cán bộ đơn vị")
                choose(off, "Tiêu chí", f"{CODE} · {c.leaf(CODE).name}", MAIN)
                settle(off)
                choose(off, "Điểm", "2,00", '[data-testid="stForm"]')
                off.get_by_role("textbox", name="Thuyết minh").fill("100 % hồ sơ đúng hạn theo sổ theo dõi của xã")
                off.get_by_role("button", name="Lưu").click()
                settle(off)
                pdf = tmp_path / "so-theo-doi.pdf"
                from fpdf import FPDF
                doc = FPDF()
                doc.add_page()
                pdf.write_bytes(bytes(doc.output()))
                off.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(pdf))
                settle(off)
                off.get_by_role("button", name="Đính kèm").click()
                settle(off)
                body = off.inner_text("body")
                assert "khác với điểm tính từ dữ liệu hồ sơ ở tiêu chí: 3.2" in body
                assert "so-theo-doi.pdf" in body
                off.screenshot(path=str(SHOTS / "appraisal-officer-data-check.png"), full_page=True)
                off.get_by_role("button", name="Gửi Hội đồng thẩm định").click()
                settle(off)
                assert s.entry(me, rid, UNIT)["status"] == "submitted"

                # the council member returns it for an explanation
                mem = signed_in(MEMBER, "Thành viên Hội đồng thẩm định")
                mem.goto(f"{server}/appraisal?round={rid}&au={UNIT}")
                settle(mem)
                mem.screenshot(path=str(SHOTS / "appraisal-member-queue.png"), full_page=True)
                with mem.expect_download() as dl:     # the unit's evidence, opened by the member
                    mem.get_by_role("button", name="Tải về").click()
                assert open(dl.value.path(), "rb").read() == pdf.read_bytes()

                def decide(decision: str, comment: str, points: str | None = None):
                    choose(mem, "Tiêu chí", f"{CODE} · {c.leaf(CODE).name}", MAIN)
                    settle(mem)
                    form = mem.locator('[data-testid="stForm"]')
                    form.get_by_text(decision, exact=True).click()
                    if points is not None:
                        form.locator("input[type=number]").fill(points)
                    form.get_by_role("textbox", name="Ý kiến").fill(comment)
                    form.get_by_role("button", name="Ghi quyết định").click()
                    settle(mem)
                decide("Trả lại", "Đề nghị giải trình: dữ liệu hồ sơ của tỉnh cho thấy thấp hơn")
                assert s.entry(me, rid, UNIT)["status"] == "returned"

                # the officer explains and submits again
                off.reload()
                settle(off)
                choose(off, "Tiêu chí", f"{CODE} · {c.leaf(CODE).name}", MAIN)
                settle(off)
                off.get_by_role("textbox", name="Giải trình").fill(
                    "Có 12 hồ sơ liên thông bị tính quá hạn do phần mềm; xin giữ điểm")
                off.get_by_role("button", name="Lưu").click()
                settle(off)
                off.get_by_role("button", name="Gửi Hội đồng thẩm định").click()
                settle(off)
                assert s.entry(me, rid, UNIT)["status"] == "submitted"

                # the member adjusts it to the data's points, accepts the rest and finishes the unit
                mem.reload()
                settle(mem)
                decide("Điều chỉnh", "Theo dữ liệu hồ sơ của hệ thống một cửa", str(data[CODE]["points"]))
                member = st_.Actor(MEMBER, "council")
                for code, sc in s.entry(member, rid, UNIT)["scores"].items():
                    if code != CODE:
                        s.decide(member, rid, UNIT, code, "accepted", sc["version"])
                mem.reload()
                settle(mem)
                mem.get_by_role("button", name="Hoàn thành thẩm định đơn vị").click()
                settle(mem)
                assert s.entry(member, rid, UNIT)["status"] == "appraised"
                assert s.entry(member, rid, UNIT)["scores"][CODE]["council_points"] == data[CODE]["points"]

                # the other communes, through the store as their officers and the member
                for unit in units:
                    if unit == UNIT:
                        continue
                    them = st_.Actor(f"canbo.{unit}@camau.gov.vn", "officer", unit)
                    for leaf in c.leaves:
                        s.self_assess(them, rid, unit, leaf.code, leaf.max)
                    s.submit(them, rid, unit)
                    for code, sc in s.entry(member, rid, unit)["scores"].items():
                        s.decide(member, rid, unit, code, "accepted", sc["version"])
                    s.appraise(member, rid, unit)

                # the secretary closes, publishes and downloads the minutes
                sec.reload()
                settle(sec)
                sec.get_by_role("button", name="Chốt kết quả").click()
                settle(sec)
                sec.get_by_role("button", name="Công bố kết quả").click()
                settle(sec)
                assert s.round(rid)["status"] == "published"
                sec.screenshot(path=str(SHOTS / "appraisal-secretary-results.png"), full_page=True)
                with sec.expect_download() as dl:
                    sec.get_by_role("button", name="Biên bản (PDF)").click()
                pdf_text = "".join("".join(p.extract_text().split()) for p in PdfReader(dl.value.path()).pages)
                (SHOTS / "appraisal-minutes.pdf").write_bytes(open(dl.value.path(), "rb").read())
                with sec.expect_download() as dl:
                    sec.get_by_role("button", name="Biên bản (Word)").click()
                word = Document(io.BytesIO(open(dl.value.path(), "rb").read()))
                word_text = "".join("".join(p.text.split()) for p in word.paragraphs)
                for found in (pdf_text, word_text):
                    for words in ("BIÊN BẢN", "Theo dữ liệu hồ sơ của hệ thống một cửa", names[UNIT], MEMBER):
                        assert "".join(words.split()) in found, words
                mine = next(r for r in s.results(member, rid) if r["unit_code"] == UNIT)
                assert mine["rank"] == len(units)       # the only unit below full marks
                assert f"{mine['points']:.2f}".replace(".", ",") in pdf_text
                trail = s.audit()
                assert st_.replay(trail) == s.state()
                assert {a["who"] for a in trail} >= {SECRETARY, MEMBER, OFFICER}
            finally:
                for ctx in contexts:
                    ctx.close()
