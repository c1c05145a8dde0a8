"""The dashboard in Debian's chromium: deep links on a fresh server, every page, a filter change, a
click-to-drill-down and back up, the language switch and a CSV download; full-page screenshots of
every page go to screenshots/ (git-ignored) to be looked at."""
from __future__ import annotations

import csv
import io
import urllib.parse

import pytest

from reform import periods
from tests import reference
from tests.browser.conftest import SHOTS
from tests.browser.helpers import card, choose, settle

PAGES = {"overview": "Tổng quan", "dossiers": "Hồ sơ", "units": "Đơn vị", "procedures": "Thủ tục",
         "indicators": "Chỉ số", "data": "Dữ liệu"}


def vi_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def params(page) -> dict:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlparse(page.url).query))


@pytest.fixture(scope="module")
def ref(small_db):
    return reference.load(small_db)


def expected(ref, period: str, **filters) -> dict:
    d, units, _ = ref
    m = d["unit_code"].notna() | d["unit_code"].isna()
    if filters.get("level"):
        m &= d["level"] == filters["level"]
    if filters.get("unit"):
        m &= d["unit_code"].isin(reference.descendants(units, filters["unit"]))
    p = periods.parse(period)
    return reference.kpis_from_counts(reference.dossier_counts(d[m], p.start, p.end, reference.data_end(d)))


def test_a_deep_link_is_the_fresh_servers_first_request(page, server, ref):
    # Streamlit starts in its legacy pages/ mode until the first st.navigation: the dossier page must
    # still come with its filters and list
    page.goto(f"{server}/dossiers?p=2024Q2&unit=964&list=F11o")
    settle(page)
    want = expected(ref, "2024Q2", unit="964")
    texts = page.locator('[data-testid="stMarkdownContainer"]').all_inner_texts()
    assert any(t.endswith(f"Quý II/2024 · {vi_int(want['F11o'])} hồ sơ") for t in texts), texts
    assert params(page) == {"p": "2024Q2", "unit": "964", "list": "F11o"}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_opens(page, server, name):
    page.goto(f"{server}/{'' if name == 'overview' else name}?p=2024Q2")
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == PAGES[name]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_filter_change_updates_the_url_and_the_cards(page, server, ref):
    page.goto(f"{server}/?p=2024Q2")
    settle(page)
    assert card(page, "Hồ sơ tiếp nhận") == vi_int(expected(ref, "2024Q2")["F01"])
    choose(page, "Cấp", "Cấp xã")
    settle(page)
    assert params(page) == {"p": "2024Q2", "level": "commune"}
    assert card(page, "Hồ sơ tiếp nhận") == vi_int(expected(ref, "2024Q2", level="commune")["F01"])
    choose(page, "Kỳ", "Quý III/2023")
    settle(page)
    assert params(page) == {"p": "2023Q3", "level": "commune"}
    assert card(page, "Hồ sơ tiếp nhận") == vi_int(expected(ref, "2023Q3", level="commune")["F01"])
    page.reload()
    settle(page)
    assert card(page, "Hồ sơ tiếp nhận") == vi_int(expected(ref, "2023Q3", level="commune")["F01"])


def test_click_a_bar_to_drill_down_and_the_breadcrumb_to_go_back(page, server, ref):
    page.goto(f"{server}/?p=2024Q2")
    settle(page)
    bars = page.locator(".js-plotly-plot").first.locator(".bars path")
    # the by-level bars: province, district, commune, unassigned
    bars.nth(2).click(force=True)
    settle(page)
    assert params(page) == {"p": "2024Q2", "level": "commune"}
    crumbs = page.locator('[data-testid="stButton"] button')
    assert "Cấp xã" in crumbs.all_inner_texts()
    assert card(page, "Hồ sơ tiếp nhận") == vi_int(expected(ref, "2024Q2", level="commune")["F01"])
    # the next view: communes, largest first; a click opens the first one
    page.locator(".js-plotly-plot").first.locator(".bars path").nth(0).click(force=True)
    settle(page)
    unit = params(page).get("unit")
    assert unit is not None
    assert card(page, "Hồ sơ tiếp nhận") == vi_int(expected(ref, "2024Q2", level="commune", unit=unit)["F01"])
    page.go_back()
    settle(page)
    assert params(page) == {"p": "2024Q2", "level": "commune"}
    page.get_by_role("button", name="Toàn tỉnh").click()
    settle(page)
    assert params(page) == {"p": "2024Q2"}
    assert card(page, "Hồ sơ tiếp nhận") == vi_int(expected(ref, "2024Q2")["F01"])


def test_a_ranking_row_opens_the_unit(page, server):
    page.goto(f"{server}/units?p=2024Q2&peer=district")
    settle(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.locator("canvas").first.wait_for()
    box = grid.bounding_box()
    # the first data row's selection checkbox: 35 px header, rows of 35 px, checkbox column on the left
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    settle(page)
    assert "unit" in params(page)
    assert page.get_by_text("Thủ tục của đơn vị").count() == 1


def test_the_language_switch_is_kept_in_the_url(page, server):
    page.goto(f"{server}/units?p=2024Q2")
    settle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("EN", exact=True).click()
    settle(page)
    assert params(page).get("lang") == "en"
    assert page.locator("h1").first.inner_text().strip() == "Units"
    page.get_by_role("link", name="Overview").click()
    settle(page)
    assert params(page) == {"lang": "en", "p": "2024Q2"}
    assert page.locator("h1").first.inner_text().strip() == "Overview"
    # the page's own caption (the sidebar holds the sample-data note)
    assert "Q2 2024" in page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()


def test_download_the_dossier_list_as_csv(page, server, ref):
    page.goto(f"{server}/dossiers?p=2024Q2&unit=964&list=F09")
    settle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải toàn bộ danh sách").click()
    text = info.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    want = expected(ref, "2024Q2", unit="964")["F09"]
    assert len(rows) == want
    d = ref[0]
    late = set(d.loc[d["outcome"] == "late", "dossier_code"])
    assert {r["dossier_code"] for r in rows} <= late


def test_which_commune_had_the_most_overdue_dossiers_and_which_were_they(page, server, ref):
    """The issue's question, answered by clicking; the final view is a link that can be sent."""
    d, units, _ = ref
    p = periods.parse("2025Q2")
    communes = d[d["level"] == "commune"]
    overdue = {u: reference.dossier_counts(g, p.start, p.end, reference.data_end(d))["F11o"]
               for u, g in communes.groupby("unit_code")}
    most = max(overdue.values())
    worst = sorted(u for u, n in overdue.items() if n == most)[0]  # ties: by code, as the table lists them

    page.goto(f"{server}/units?p=2025Q2")
    settle(page)
    choose(page, "Xếp hạng theo", "Đang xử lý quá hạn", where='[data-testid="stMain"]')
    settle(page)
    choose(page, "Thứ tự", "Kém nhất trước", where='[data-testid="stMain"]')
    settle(page)
    assert params(page) == {"p": "2025Q2", "kpi": "F11o", "order": "worst"}
    grid = page.locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)  # the first row's selection box
    settle(page)
    assert params(page)["unit"] == worst
    assert card(page, "Đang xử lý quá hạn") == vi_int(most)
    page.locator('[data-testid="stMetric"]').filter(has_text="Đang xử lý quá hạn").first \
        .locator("xpath=ancestor::div[@data-testid='stVerticalBlock'][1]").get_by_role("button", name="Hồ sơ ›").click()
    settle(page)
    assert page.url.split("?")[0].endswith("/dossiers")
    assert params(page)["unit"] == worst and params(page)["list"] == "F11o" and params(page)["p"] == "2025Q2"
    texts = page.locator('[data-testid="stMarkdownContainer"]').all_inner_texts()
    assert any(t.endswith(f"Quý II/2025 · {vi_int(most)} hồ sơ") for t in texts), texts
    shared = page.url
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "answer.png"), full_page=True)
    # the link, opened afresh, shows the same list
    page.goto("about:blank")
    page.goto(shared)
    settle(page)
    texts = page.locator('[data-testid="stMarkdownContainer"]').all_inner_texts()
    assert any(t.endswith(f"Quý II/2025 · {vi_int(most)} hồ sơ") for t in texts), texts


def test_a_signal_opens_its_records(page, server, small_db):
    """The Overview's "Cần chú ý": the first worse signal's button opens the Dossiers page on that group,
    quarter and set (the link the attention command prints for it)."""
    import json

    from tests.conftest import reform_cli
    cli = json.loads(reform_cli("attention", "--db", str(small_db), "--period", "2025Q2", "--format", "json").stdout)
    first = next(r for r in cli["signals"] if r["worse"])
    page.goto(f"{server}/?p=2025Q2")
    settle(page)
    page.get_by_role("link", name="Mở hồ sơ").first.click()
    settle(page)
    want = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(first["records"]).query))
    got = params(page)
    assert page.locator("h1").first.inner_text().strip() == "Hồ sơ"
    assert {k: got.get(k) for k in ("p", "list", "unit", "field", "proc") if k in want} == \
        {k: want[k] for k in ("p", "list", "unit", "field", "proc") if k in want}
    assert not page.locator('[data-testid="stException"]').count()


def test_the_overview_hands_out_the_one_page_brief(page, server, small_db):
    """The Overview's brief button downloads the same one A4 page `python -m reform brief` writes: its
    title, scope and headline numbers."""
    from pypdf import PdfReader

    from tests.conftest import reform_cli
    page.goto(f"{server}/?p=2024Q2&level=commune")
    settle(page)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Bản tóm tắt 1 trang (PDF)").click()
    got = PdfReader(dl.value.path())
    assert dl.value.suggested_filename == "tom-tat-2024Q2.pdf" and len(got.pages) == 1
    out = SHOTS / "brief-cli.pdf"
    SHOTS.mkdir(exist_ok=True)
    reform_cli("brief", "--db", str(small_db), "--period", "2024Q2", "--level", "commune", "--out", str(out))
    mine = "".join(got.pages[0].extract_text().split())
    cli = "".join(PdfReader(out).pages[0].extract_text().split())
    assert "Cấp:Cấpxã" in mine and mine[:400] == cli[:400]     # the same head, cards and attention lines
