"""The JSON twin of a view (issue 12): every number the page at a link shows, as data.

    python -m reform view "/units?p=2025Q2&peer=district" --format json

runs the page at that link through Streamlit's AppTest: the same entry (dashboard.py), filters, queries
and page code a browser gets. While a twin is asked for, the widgets that show numbers (ui.cards,
ui.tables, ui.charts, ui.dossier_list, the score on the Indicators page) also write what they show here,
so there is no second implementation to drift from the page. Keys follow `kpi --format json`:
unit_code and KPI codes, ratios as fractions, null for no data.

A link the dashboard would answer with a notice (an unknown code, a period without data) gives the
same notice text on stderr and exit code 2.
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
import logging
import math
import os
import re
import sys
import urllib.parse

import numpy as np
import pandas as pd

from reform import safe
from ui import state

KEY = state.TWIN
PAGES = ("overview", "dossiers", "units", "procedures", "indicators", "data")


# -------------------------------------------------------------------------------------- recording
def begin() -> None:
    """At the top of every run of the entry: a rerun records afresh (the last run is the view)."""
    rec = state.twin_record()
    if rec is not None:
        rec.clear()
        rec.update(scope={}, cards=[], tables=[], charts=[], lists=[], notices=[])


def _rec() -> dict | None:
    return state.twin_record()


def scope(s) -> None:
    if (rec := _rec()) is not None and s is not None:
        rec["scope"] = {"period": s.period, "grain": s.grain, "trend_start": s.start, "level": s.level,
                        "unit": s.unit, "field": s.field, "procedure": s.procedure, "channel": s.channel,
                        "lens": s.lens, "lang": s.lang}


def card(code: str, value, previous=None, last_year=None, **more) -> None:
    if (rec := _rec()) is not None:
        rec["cards"].append({"code": code, "value": plain(value), "previous": plain(previous),
                             "last_year": plain(last_year), **{k: plain(v) for k, v in more.items()}})


def table(name: str, rows) -> None:
    """rows: the table as data (a DataFrame or a list of dicts), with code keys where the page has them."""
    if (rec := _rec()) is not None:
        records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else list(rows)
        rec["tables"].append({"name": _name(name), "rows": [{str(k): plain(v) for k, v in r.items()}
                                                            for r in records]})


def chart(key: str | None, fig) -> None:
    """A chart's series as drawn; name = its widget key without the scope suffix charts carry so that a
    drill-down starts a fresh chart (filters.Scope.key), codes = the bars' codes (customdata)."""
    if (rec := _rec()) is not None:
        series = []
        for tr in fig.data:
            # texts as read (the figure holds them escaped for Plotly: reform.safe.plot)
            item = {"name": safe.unplot(getattr(tr, "name", None))}
            for axis in ("x", "y"):
                values = getattr(tr, axis, None)
                item[axis] = [safe.unplot(plain(v)) for v in (values if values is not None else [])]
            custom = getattr(tr, "customdata", None)
            if custom is not None:
                item["codes"] = [plain(c[0] if isinstance(c, (list, tuple)) or hasattr(c, "__len__")
                                       and not isinstance(c, str) else c) for c in custom]
            series.append(item)
        title = safe.unplot(fig.layout.title.text) if fig.layout.title else None
        rec["charts"].append({"name": _name(key), "title": title, "series": series})


def _name(key: str | None) -> str:
    """A widget key without the scope suffix some carry (filters.Scope.key: "vi|quarter|2025Q2|...")."""
    return re.sub(r"-(vi|en)\|.*$", "", key or "")


def listed(code: str, count, weighted=None) -> None:
    """The count behind a dossier list (weighted: the restated count a split shares)."""
    if (rec := _rec()) is not None:
        rec["lists"].append({"code": code, "count": plain(count), "weighted": plain(weighted)})


def notice(message: str) -> None:
    if (rec := _rec()) is not None:
        rec["notices"].append(message)


def plain(v):
    """A value as JSON has it: numbers, text, ISO dates, null for no data."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (list, tuple, np.ndarray)):   # a list cell (a quality flag's example codes)
        return [plain(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalars
        v = v.item()
    if isinstance(v, float):   # a count held in a float column is shown as the integer it is
        return None if math.isnan(v) else int(v) if v.is_integer() and abs(v) < 2**53 else v
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (dt.datetime, dt.date, pd.Timestamp)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


# -------------------------------------------------------------------------------------- running a link
class BadLink(ValueError):
    """A link the dashboard answers with notices (their text) or that names no page."""

    def __init__(self, notices: list[str]):
        super().__init__("\n".join(notices))
        self.notices = notices


def parse_link(link: str) -> tuple[str, dict[str, list[str]]]:
    """("units", {"p": ["2025Q2"], ...}) from "/units?p=2025Q2" or a full address."""
    u = urllib.parse.urlsplit(link.strip())
    page = u.path.strip("/").split("/")[-1] if u.path.strip("/") else "overview"
    if page not in PAGES:
        raise BadLink([f"unknown page {page!r}: one of {', '.join(PAGES)}"])
    return page, urllib.parse.parse_qs(u.query, keep_blank_values=True)


def open_page(page: str | None, params: dict, timeout: float = 180, secrets: dict | None = None,
              record: bool = False):
    """The dashboard at one page and query string, run once through AppTest as a deep link opens it
    (the entry script drawing that page first; record=True also records the twin)."""
    from streamlit.testing.v1 import AppTest

    from reform import db as rdb

    at = AppTest.from_file(str(rdb.ROOT / "dashboard.py"), default_timeout=timeout)
    for k, v in params.items():
        at.query_params[k] = v
    if secrets:
        at.secrets.update(secrets)
    if record:
        at.session_state[KEY] = {}
    if page and page != "overview":
        at.switch_page(f"pages/{page}.py")
    return at.run()


def view(link: str, db: str | os.PathLike | None = None, timeout: float = 300) -> dict:
    """The numbers of the page at `link`, as the page shows them (see the module docstring)."""
    # AppTest's own reads of session state outside a script run warn on stderr; not a user's concern
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    logging.getLogger("streamlit.error_util").setLevel(logging.CRITICAL)  # a page's error: main says it once
    page, params = parse_link(link)
    if db is not None:
        os.environ["REFORM_DB"] = str(db)
    at = open_page(page, {k: values if len(values) > 1 else values[0] for k, values in params.items()},
                   timeout=timeout, record=True)
    if at.exception:
        raise RuntimeError("\n".join(e.message for e in at.exception))
    rec = at.session_state[KEY]
    if rec.get("notices"):
        raise BadLink(list(rec["notices"]))
    return {"link": link, "page": page, "scope": rec["scope"], "cards": rec["cards"], "tables": rec["tables"],
            "charts": rec["charts"], "lists": rec["lists"]}


def main(args) -> int:
    """python -m reform view LINK [--format json] [--db PATH]"""
    try:
        out = view(args.link, args.db)
    except BadLink as e:
        for n in e.notices:
            print(n, file=sys.stderr)
        return 2
    except RuntimeError as e:
        print(f"error: the page failed: {e}", file=sys.stderr)
        return 1
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0
