"""Names are text (issue 13, item 4): a database whose unit, procedure and field names, a procedure code
and the reported indicators' sources are Markdown, HTML, links and images (pointing at a local HTTP server
that counts requests), KaTeX, Streamlit colour directives, icons and emoji (tests/hostile.py).

- Every page through dashboard.py in AppTest: what reaches Streamlit's Markdown (breadcrumb buttons,
  captions, notices, labels) holds the names escaped (reform.safe.md), the figure JSON holds them escaped
  for Plotly (reform.safe.plot), tables hold them as they are; read back, each is the name as typed.
- The council pack (`python -m reform report`, PDF and XLSX) holds them as typed.
- In Chromium: the pages with those names, a drill-down by clicks, the unit picker opened: no request
  reaches the local server, no link, image, formula, colour or icon made from a name, and the breadcrumb,
  the chart labels and the tables read as the names.
"""
from __future__ import annotations

import html
import io
import json
import re

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from present.text import text
from reform import safe
from tests import hostile
from tests.conftest import reform_cli
from ui.twin import open_page


@pytest.fixture(scope="module")
def sink():
    s = hostile.Sink()
    yield s
    s.close()


@pytest.fixture(scope="module")
def hostile_db(sink, tmp_path_factory):
    return hostile.build(tmp_path_factory.mktemp("hostile") / "h.duckdb", sink.port)


@pytest.fixture
def open_view(monkeypatch, hostile_db, app_test_as_served):
    monkeypatch.setenv("REFORM_DB", str(hostile_db))

    def _open(page: str, **params) -> AppTest:
        at = open_page(page, params)
        assert not at.exception, [e.message for e in at.exception]
        return at
    return _open


# what would show a name as something else than its text, if it reached Markdown or Plotly raw
DANGER = ("](http", "<a ", "<a>", "<img", "<b>", "<i>", ":red[", ":blue[", ":material/", "$x", "$$", "**Sở",
          "**Đất", "_nghiêng_", "www.example", "http://127", "a@b.com", ":streamlit:", ":smile:", " -> ", " -- ")
MD_PROTOS = {"Markdown", "Alert", "Heading", "Toast"}   # elements whose body Streamlit renders as Markdown
ESCAPED = r"\\[!-/:-@\[-`{-~]"   # a backslash escape: the character shows as itself
# what Streamlit 1.67 rewrites in parsed text, which escapes do not reach (regular expressions of its
# Markdown bundle): links from http:// and www., e-mail links, emoji and its logo, arrows and dashes
REWRITES = [r"(?i)(https?://|www(?=\.))", r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", r":[\w+-][\w_+-]*:",
            r":streamlit:", r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"]


def text_node(markdown: str) -> str:
    """The text Streamlit's parser leaves of a Markdown text: escapes resolved (word joiners kept)."""
    return re.sub(ESCAPED, lambda m: m.group(0)[1], markdown)


def markdown_texts(at: AppTest) -> list[str]:
    """Every text Streamlit renders as Markdown: bodies of markdown, captions, alerts, headings; labels
    and help of every widget and metric (buttons, the breadcrumb, pickers)."""
    out = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "DESCRIPTOR"):
            continue
        fields = {f.name for f in proto.DESCRIPTOR.fields}
        if proto.DESCRIPTOR.name in MD_PROTOS and "body" in fields:
            out.append(proto.body)
        out += [getattr(proto, f) for f in ("label", "help") if f in fields and isinstance(getattr(proto, f), str)]
    return [t for t in out if t]


def figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def figure_texts(fig: dict) -> list[str]:
    """Every text Plotly draws: the traces' x, y, text, hovertext and name; titles; notes."""
    out = []
    for tr in fig.get("data", []):
        for k in ("x", "y", "text", "hovertext", "name"):
            v = tr.get(k)
            out += [v] if isinstance(v, str) else [x for x in v if isinstance(x, str)] if isinstance(v, list) else []
    lay = fig.get("layout", {})
    for k, v in lay.items():
        if (k == "title" or k.startswith(("xaxis", "yaxis"))) and isinstance(v, dict):
            title = v if k == "title" else v.get("title") or {}
            if isinstance(title, dict) and isinstance(title.get("text"), str):
                out.append(title["text"])
    out += [a["text"] for a in lay.get("annotations", []) if isinstance(a.get("text"), str)]
    return out


def table_texts(at: AppTest) -> list[str]:
    out = []
    for df in at.dataframe:
        value = df.value
        frame = value.data if hasattr(value, "data") else value   # a Styler or a DataFrame
        out += [str(v) for col in frame.columns for v in frame[col].tolist() if isinstance(v, str)]
    return out


def check_view(at: AppTest, port: int, expect: list[str]) -> None:
    texts, figs = markdown_texts(at), figures(at)
    raw = [t for t in texts for d in DANGER if d in re.sub(ESCAPED, "\0", t)]
    assert not raw, f"markup reaches Markdown: {raw[:5]}"
    rewritten = [(r, t) for t in texts for r in REWRITES if re.search(r, text_node(t))]
    assert not rewritten, f"text Streamlit rewrites: {rewritten[:5]}"
    drawn = [s for f in figs for s in figure_texts(f)]
    assert not [s for s in drawn if "<" in s or ">" in s], "a tag reaches Plotly"
    # a drawn text is escaped once: unescaping it shows no entity (an & from a name shows as &amp; in JSON)
    assert not [s for s in drawn if re.search(r"&(?!amp;|lt;|gt;)", s)]
    for df in at.dataframe:   # no link or Markdown columns: table cells are text
        assert '"link"' not in df.proto.columns and '"markdown"' not in df.proto.columns
    shown = [safe.shown(t) for t in texts] + [html.unescape(s) for s in drawn] + table_texts(at)
    missing = [e for e in expect if not any(e in s for s in shown)]
    assert not missing, f"not shown as typed: {missing}"


def test_every_page_shows_the_names_as_text(open_view, sink):
    port = sink.port
    un, pn, fn = hostile.units(port), hostile.procedures(port), hostile.fields(port)
    views = [
        ("overview", {"p": "2020Q1"}, []),
        ("overview", {"p": "2020Q1", "level": "commune"},          # the bars: the communes by name
         [un["C1"][:45], un["C2"][:45]]),
        ("overview", {"p": "2020Q1", "level": "commune", "unit": "C1"},   # breadcrumb; bars: procedures
         [un["C1"], pn["3.001"][:45]]),
        ("overview", {"p": "2019Q4", "level": "commune", "unit": "C2", "proc": hostile.CODE},
         [un["C2"], hostile.CODE]),
        ("overview", {"p": "2020Q1", "unit": "D2"}, [un["D2"], pn["2.001"][:45]]),
        ("overview", {"p": "2020Q1", "unit": "SOA"}, [un["SOA"], pn["1.001"][:45], pn["1.002"][:45]]),
        ("overview", {"p": "2020Q1", "unit": "VA"}, [un["VA"]]),
        ("dossiers", {"p": "2020Q1"}, [f"1.001 · {pn['1.001'][:38]}", f"2.001 · {pn['2.001'][:38]}"]),
        ("dossiers", {"p": "2020Q1", "unit": "D1", "list": "F01"}, [un["D1"]]),
        ("units", {"p": "2020Q1", "peer": "district"}, [un["D1"], un["D2"]]),
        ("units", {"p": "2020Q1", "peer": "province"}, [un["SOA"]]),
        ("units", {"p": "2020Q1", "peer": "commune"}, [un["C1"], un["C2"]]),
        ("units", {"p": "2020Q1", "unit": "SOA"}, [un["SOA"], pn["1.001"], pn["1.002"]]),
        ("procedures", {"p": "2019Q4"}, [hostile.CODE, pn["3.003"]]),
        ("procedures", {"p": "2020Q1"}, [*fn.values(), pn["2.001"], pn["1.002"]]),
        ("procedures", {"p": "2020Q1", "field": fn["Đất đai"]}, [fn["Đất đai"]]),
        ("indicators", {"p": "2020Q1"}, [hostile.sources(port)[0]]),
        ("indicators", {"p": "2020Q1", "unit": hostile.FORMULA_UNIT},
         [f"{un[hostile.FORMULA_UNIT]} ({hostile.FORMULA_UNIT})", hostile.sources(port)[1]]),
        ("indicators", {"p": "2020Q1", "field": fn["Xây dựng"]}, [f"{text('filters.field')}: {fn['Xây dựng']}"]),
        ("data", {}, []),
        # a link whose value is an image: the notice quotes it as text
        ("overview", {"unit": f"![](http://127.0.0.1:{port}/notice.png)"},
         [f"unit=![](http://127.0.0.1:{port}/notice.png)"]),
    ]
    for page, params, expect in views:
        at = open_view(page, **params)
        try:
            check_view(at, port, expect)
        except AssertionError as e:
            raise AssertionError(f"/{page}?{params}: {e}") from None
    assert sink.hits == []   # AppTest renders nothing, but no server-side fetch either


def test_the_breadcrumb_is_the_names_as_typed(open_view, sink):
    un = hostile.units(sink.port)
    at = open_view("overview", p="2019Q4", level="commune", unit="C2", proc=hostile.CODE)
    crumbs = [at.button(key=f"crumb-{i}").label for i in range(4)]
    assert crumbs == [safe.md(x) for x in ("Toàn tỉnh", "Cấp xã", un["C2"], hostile.CODE)]
    assert [safe.shown(c) for c in crumbs] == ["Toàn tỉnh", "Cấp xã", un["C2"], hostile.CODE]


def test_the_markdown_escape_is_exact():
    """md() keeps the text: read back (backslashes and word joiners removed) it is the text. Every ASCII
    punctuation character is escaped, and what Streamlit rewrites in parsed text (its own regular
    expressions, in its Markdown bundle) finds nothing in the text nodes md() leaves."""
    for name in [*hostile.all_names(8501), "a\\b", "`x`", "~~s~~", "# h", "- i", "1. x", "> q", "|a|b|",
                 "mail x.y@z.vn", "WWW.X.VN", "https://x", ":+1:"]:
        m = safe.md(name)
        assert safe.shown(m) == name
        assert not re.search(r"[!-/:-@\[-`{-~]", re.sub(ESCAPED, "", m)), m  # all escaped
        assert not [r for r in REWRITES if re.search(r, text_node(m))], (name, text_node(m))
    assert safe.md("a\nb\r\nc") == "a b c"


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("unit", [None, "C1", hostile.FORMULA_UNIT])
def test_the_council_pack_holds_the_names_as_typed(hostile_db, sink, tmp_path, unit):
    port = sink.port
    un = hostile.units(port)
    scope = f"{text('filters.unit')}: {un[unit]} ({unit})" if unit else "Toàn tỉnh"
    source = hostile.sources(port)[1 if unit == hostile.FORMULA_UNIT else 0]
    unit_args = ["--unit", unit] if unit else []
    pdf, xlsx = tmp_path / "pack.pdf", tmp_path / "pack.xlsx"
    reform_cli("report", "--db", str(hostile_db), "--period", "2020Q1", *unit_args, "--out", str(pdf))
    reform_cli("report", "--db", str(hostile_db), "--period", "2020Q1", *unit_args, "--out", str(xlsx))
    pdf_text = _pdf_text(pdf.read_bytes())   # whitespace removed: table cells wrap
    assert "".join(f"Phạm vi: {scope}".split()) in pdf_text
    if unit != "C1":   # the unit's own reported figures (C1 has none)
        assert "".join(safe.cell(source).split()) in pdf_text
    wb = openpyxl.load_workbook(xlsx)
    texts = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert safe.cell(scope) in texts
    if unit != "C1":
        assert safe.cell(source) in texts
    assert sink.hits == []


# ------------------------------------------------------------------------------------------ Chromium
DOM = """(port) => {
    const main = document.querySelector('[data-testid="stApp"]');
    const q = (s) => [...main.querySelectorAll(s)];
    const md = (s) => q('[data-testid="stMarkdownContainer"] ' + s);
    return {
        links: q('a[href]').map(a => a.getAttribute('href'))
            .filter(h => h.includes(':' + port) || h.startsWith('mailto:') || h.includes('example.com')),
        images: q('img[src]').map(i => i.getAttribute('src')).filter(s => !s.startsWith('data:') && !s.startsWith('/')
            && !s.startsWith(location.origin)),
        katex: q('.katex').length,
        colours: md('.stMarkdownColoredText').length,
        icons: md('span[role="img"]').map(e => e.getAttribute('aria-label')),
        emphasis: md('strong, em, del, code').map(e => e.textContent)
            .filter(t => /Sở đậm|nghiêng|Đất đai|đậm|^x$/.test(t)),
        plotly_links: q('.js-plotly-plot svg a').length,
        // Streamlit's theme makes chart titles bold itself: look at the texts drawn from data
        plotly_bold: q('.js-plotly-plot :is(.xtick, .ytick, .legendtext, .hoverlayer) tspan[style*="font-weight"]').length,
        ticks: q('.js-plotly-plot .xtick text, .js-plotly-plot .ytick text').map(e => e.textContent),
        crumbs: q('[class*="st-key-crumb-"] button [data-testid="stMarkdownContainer"]')
            .map(b => b.innerText.replaceAll('\\u2060', '').trim()),
    };
}"""


def _dom(page, port: int) -> dict:
    got = page.evaluate(DOM, port)
    bad = {k: v for k, v in got.items() if k not in ("ticks", "crumbs") and v}
    assert not bad, f"{page.url}: {bad}"
    return got


def test_in_chromium_no_request_leaves_and_the_names_read_as_typed(hostile_db, sink, tmp_path, browser):
    """The pages with hostile names and a drill-down by clicks in Debian's chromium: the local server that
    every hostile link and image points at gets no request, and nothing is fetched from anywhere but
    the dashboard itself."""
    import urllib.parse

    from tests.browser.conftest import serve
    from tests.browser.helpers import settle

    port = sink.port
    un, pn = hostile.units(port), hostile.procedures(port)
    views = [{"p": "2020Q1", "level": "commune"}, {"p": "2020Q1", "unit": "D2"}, {"p": "2020Q1", "unit": "VA"}]
    paths = [f"/?{urllib.parse.urlencode(v)}" for v in views] + [
        "/dossiers?p=2020Q1", "/dossiers?p=2020Q1&unit=D1&list=F01", "/units?p=2020Q1&peer=commune",
        "/units?p=2020Q1&unit=SOA", "/procedures?p=2019Q4", "/procedures?p=2020Q1",
        f"/indicators?p=2020Q1&unit={hostile.FORMULA_UNIT}", "/indicators?p=2020Q1", "/data",
        "/?" + urllib.parse.urlencode({"unit": f"![](http://127.0.0.1:{port}/notice.png)"})]
    elsewhere = []
    with serve(hostile_db, tmp_path / "streamlit.log") as url:
        ctx = browser.new_context(viewport={"width": 1440, "height": 1800})   # the run's one chromium
        try:
            page = ctx.new_page()
            page.set_default_timeout(60_000)
            page.on("request", lambda r: None if r.url.startswith((url, "data:", "blob:")) else elsewhere.append(r.url))
            seen = {}
            for path in paths:
                page.goto(url + path)
                settle(page)
                seen[path] = _dom(page, port)
            # the communes' bars are labelled with their names as typed (Plotly draws the text)
            ticks = seen[paths[0]]["ticks"]
            assert un["C1"][:45] in ticks and un["C2"][:45] in ticks, ticks
            assert seen[paths[1]]["crumbs"] == ["Toàn tỉnh", un["D2"]]
            assert hostile.CODE in seen["/procedures?p=2019Q4"]["ticks"]

            # a drill-down by clicks: province → communes → the first commune → its first procedure
            page.goto(f"{url}/?p=2020Q1")
            settle(page)
            page.locator(".js-plotly-plot").first.locator(".bars path").nth(2).click(force=True)
            settle(page)
            page.locator(".js-plotly-plot").first.locator(".bars path").nth(0).click(force=True)
            settle(page)
            crumbs = _dom(page, port)["crumbs"]
            assert crumbs[:2] == ["Toàn tỉnh", "Cấp xã"] and crumbs[2] in (un["C1"], un["C2"]), crumbs
            page.locator(".js-plotly-plot").first.locator(".bars path").nth(0).click(force=True)
            settle(page)
            crumbs = _dom(page, port)["crumbs"]
            assert len(crumbs) == 4 and crumbs[3] in ("3.001", "3.002", hostile.CODE), crumbs
            # hover a bar of the procedures' Pareto: the hover label holds the name as typed
            page.goto(f"{url}/procedures?p=2020Q1")
            settle(page)
            page.locator('[class*="st-key-pareto-F01"] .js-plotly-plot .bars path').nth(0).hover(force=True)
            page.wait_for_selector(".hoverlayer .hovertext", timeout=10_000)
            hover = page.locator(".hoverlayer .hovertext").first.text_content()
            assert any(n[:30] in hover for n in pn.values()), hover
            _dom(page, port)
            # the unit picker opened: the options are the names as typed, nothing drawn from them
            page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text="Đơn vị").first.click()
            options = page.get_by_role("option").all_inner_texts()
            assert any(un["C1"] in o for o in options) and any(un["SOA"] in o for o in options), options
            assert page.locator('[role="listbox"] img, [role="listbox"] a').count() == 0
            page.keyboard.press("Escape")
            page.wait_for_timeout(500)
        finally:
            ctx.close()
    assert sink.hits == [], sink.hits
    # Streamlit's browser tab icon (page_icon=":material/monitoring:") is the one request to elsewhere
    assert [u for u in elsewhere if "/materialsymbolsrounded/monitoring/" not in u] == []
