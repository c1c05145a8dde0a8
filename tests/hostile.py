"""A small database whose names are hostile (issue 13): the hand-worked fixture (tests/fixtures/hand)
with every unit, procedure and field name, one procedure code and the reported indicators' sources
replaced by Markdown, HTML, links and images pointing at a local HTTP server, KaTeX, Streamlit
directives and icons, and spreadsheet formulas."""
from __future__ import annotations

import csv
import http.server
import pathlib
import threading

import duckdb

from tests.conftest import ROOT, reform_cli

HAND = ROOT / "tests" / "fixtures" / "hand"
CODE = "<b>3.003</b>"  # a procedure code with markup (1 dossier): codes are data too
FORMULA_UNIT = "C2"    # named =HYPERLINK(...): the council pack of this unit


def units(port: int) -> dict[str, str]:
    h = f"http://127.0.0.1:{port}"
    return {
        "SOA": "**Sở đậm** :red[đỏ] _nghiêng_",
        "D1": f"[liên kết]({h}/link) $x^2$ huyện",
        "D2": f"![]({h}/img.png) :material/home: huyện",
        "C1": f'<a href="{h}/a">xã a</a> <img src="{h}/i.png"> xã',
        FORMULA_UNIT: formula(port),
        "VA": f"+cmd|' /C calc'!A0 www.example.com {h}/auto a@b.com :streamlit:",
    }


def formula(port: int) -> str:
    """The importer refuses a cell starting with = (a formula pasted as a value): this one is written
    into the database afterwards, as a file made before that check, or by another program, holds it."""
    return f'=HYPERLINK("http://127.0.0.1:{port}/x","y")'


def procedures(port: int) -> dict[str, str]:
    h = f"http://127.0.0.1:{port}"
    return {
        "1.001": "-2+3 <b>đậm</b> thủ tục",
        "1.002": "@SUM(A1) :smile: thủ tục",
        "2.001": "$$\\sum x$$ :material/warning: thủ tục",
        "2.002": f"[thủ tục p]({h}/p) mới",
        "3.001": f"![]({h}/p.png) thủ tục",
        "3.002": f"<img src={h}/q.png> thủ tục",
        "3.003": "a -> b -- c >= d <i>x</i> &amp; thủ tục",
    }


def fields(port: int) -> dict[str, str]:
    return {"Đất đai": "**Đất đai** :blue[x]", "Xây dựng": f"@<b>Xây dựng</b> [f](http://127.0.0.1:{port}/f)"}


def sources(port: int) -> list[str]:
    return [f"-1+1 ![](http://127.0.0.1:{port}/src.png)", f"@SUM(A1) [s](http://127.0.0.1:{port}/s)"]


def all_names(port: int) -> list[str]:
    return [*units(port).values(), *procedures(port).values(), *fields(port).values(), *sources(port), CODE]


def _rewrite(src: pathlib.Path, dst: pathlib.Path, fix, delimiter=",") -> None:
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=delimiter))
    with open(dst, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows([rows[0], *[fix(dict(zip(rows[0], r)), r) for r in rows[1:]]])


def build(db: pathlib.Path, port: int) -> pathlib.Path:
    """The hand fixture with hostile names, imported with `python -m reform import` as a user would."""
    d = db.parent / f"{db.stem}-files"
    d.mkdir(parents=True, exist_ok=True)
    un, pn, fn = units(port), procedures(port), fields(port)

    def unit(row, r):
        name = "placeholder" if r[0] == FORMULA_UNIT else un[r[0]]
        return [name if h == "name" else v for h, v in zip(row, r)]

    def proc(row, r):
        out = {**row, "name": pn[row["procedure_code"]], "field": fn[row["field"]]}
        if row["procedure_code"] == "3.003":
            out["procedure_code"] = CODE
        return list(out.values())

    def dossier(row, r):
        return [CODE if v == "3.003" and i == 1 else v for i, v in enumerate(r)]

    _rewrite(HAND / "units.csv", d / "units.csv", unit)
    _rewrite(HAND / "procedures.csv", d / "procedures.csv", proc)
    _rewrite(HAND / "dossiers.csv", d / "dossiers.csv", dossier, delimiter=";")
    src = sources(port)
    with open(d / "indicators.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["indicator_code", "unit_code", "period", "value", "source", "as_of"],
                                 ["I_VIC", "", "2020Q1", "0.97", src[0], "2020-04-30"],
                                 ["I_VIC", FORMULA_UNIT, "2020Q1", "-0.5", src[1], "2020-04-30"]])
    for kind in ("units", "procedures", "dossiers", "indicators"):
        reform_cli("import", "--db", str(db), "--kind", kind, str(d / f"{kind}.csv"))
    con = duckdb.connect(str(db))
    try:
        con.execute("update units set name = ? where unit_code = ?", [un[FORMULA_UNIT], FORMULA_UNIT])
    finally:
        con.close()
    return db


class Sink:
    """A local HTTP server that counts the requests it gets: every hostile link and image points here."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            do_POST = do_HEAD = do_GET

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
