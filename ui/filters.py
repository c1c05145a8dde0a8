"""The global filters: language, period and scope, in the sidebar of every page and in the URL.

Each filter is an entrypoint widget whose value is kept in the URL as a code (ui/url.py), so a copied
link, a reload or the back button restores the same view; a bad value in a link gives a notice and the
default. Pages read the result as a Scope: `filters.current()`.
"""
from __future__ import annotations

import collections
import datetime as dt
from dataclasses import asdict, dataclass

import streamlit as st

from reform import periods
from reform.lookups import CHANNELS, LEVELS, MERGER_DAY
from ui import entry, fetch, state, url
from ui.cache import per_file
from ui.labels import LANGS, t

GRAINS = ("quarter", "month", "year")
LENSES = ("recorded", "restated")   # units as recorded, or restated to today's structure (issue 6)
LAST_DISTRICT_DAY = MERGER_DAY - dt.timedelta(days=1)  # no district level from the merger on
SCOPE_KEYS = ("level", "unit", "field", "proc", "ch")
ALL = ""  # the "all" choice of a scope filter (None would show as an empty picker)
# every global URL key: the Scope field it fills and the query parameter it becomes (None: not a filter).
# Pages register their own keys (url.register); a link's other keys get a notice and are dropped.
URL_KEYS = {"lang": ("lang", None), "g": ("grain", None), "p": ("period", None), "p0": ("start", None),
            "lens": ("lens", "lens"), "level": ("level", "level"), "unit": ("unit", "unit"),
            "field": ("field", "field"), "proc": ("procedure", "procedure"), "ch": ("channel", "channel")}
GLOBAL_KEYS = tuple(URL_KEYS)


@dataclass(frozen=True)
class Scope:
    lang: str
    grain: str
    period: str          # the period shown on cards and tables
    start: str           # the first period of the trend charts
    level: str | None
    unit: str | None
    field: str | None
    procedure: str | None
    channel: int | None
    lens: str = "recorded"

    @property
    def p(self) -> periods.Period:
        return periods.parse(self.period)

    @property
    def trend(self) -> str:
        """The range code of the trend charts, start..period."""
        return f"{self.start}:{self.period}"

    def filters(self, **override) -> dict:
        """The scope as compute/query filters (level, unit, field, procedure, channel, lens: URL_KEYS)."""
        f = {param: getattr(self, field) for field, param in URL_KEYS.values() if param}
        f.update(override)
        return f

    def key(self) -> str:
        """A short text that changes with the scope (chart keys, so a drill-down starts a fresh chart)."""
        return "|".join(str(v) for v in asdict(self).values())



def language_switch() -> str:
    """The language switch, first in the sidebar (page titles depend on it)."""
    # read before anything is written back: did a page switch clear the URL? (sidebar() reuses it)
    nav = url.cleared(GLOBAL_KEYS)
    state.set_nav_cleared(nav)
    url.adopt("lang", url.one_of(LANGS), "vi", cleared_by_navigation=nav)
    st.sidebar.segmented_control(t("filters.lang"), LANGS, default="vi", key="lang", format_func=str.upper,
                                 on_change=url.clear_notices, required=True)
    url.publish("lang", state.lang(), "vi")
    return state.lang()


def sidebar() -> Scope | None:
    """Draw the global filters and return the chosen scope (None when the database is empty)."""
    nav = state.nav_cleared()
    # option labels are bound to the language now: a format_func must not read session state later
    lg = state.lang()
    sb = st.sidebar
    sb.header(t("filters.header"))
    url.adopt("g", url.one_of(GRAINS), "quarter", cleared_by_navigation=nav)
    grain = sb.segmented_control(t("filters.grain"), GRAINS, default="quarter", key="g",
                                 format_func=lambda g: t(f"grain.{g}", lg),
                                 on_change=_grain_changed, required=True) or "quarter"
    url.publish("g", grain, "quarter")
    options = fetch.period_options(grain)
    if not options:
        state.set_view(None)
        return None
    url.adopt("p", url.one_of(options), options[0], cleared_by_navigation=nav)
    if state.widget("p") not in options:
        state.set_widget("p", options[0])
    period = sb.selectbox(t("filters.period"), options, key="p", format_func=lambda c: periods.parse(c).label(lg),
                          on_change=url.clear_notices)
    url.publish("p", period, None)  # always in the URL: "the latest" moves when new data arrives
    older = options[options.index(period):]  # the trend starts at or before the period shown
    url.adopt("p0", url.one_of(options), older[-1], cleared_by_navigation=nav)
    if state.widget("p0") not in older:
        if state.widget("p0") in options:
            url.notice("notice.range", start=_period_label(state.widget("p0")))
        state.set_widget("p0", older[-1])
    start = sb.selectbox(t("filters.from"), older, key="p0", format_func=lambda c: periods.parse(c).label(lg),
                         on_change=url.clear_notices)
    url.publish("p0", start, older[-1])

    url.adopt("lens", url.one_of(LENSES), "recorded", cleared_by_navigation=nav)
    lens = sb.segmented_control(t("filters.lens"), LENSES, default="recorded", key="lens", required=True,
                                format_func=lambda v: t(f"lens.{v}", lg), on_change=url.clear_notices,
                                help=t("filters.lens_help", lg)) or "recorded"
    url.publish("lens", lens, "recorded")

    # the pickers know time: units in operation in the period (today's units when restated), and no
    # district level for a period wholly after 30/6/2025 or in today's structure
    p = periods.parse(period)
    no_district = lens == "restated" or p.start > LAST_DISTRICT_DAY
    specs = _choices(lg, lens, p.start, p.end, no_district)
    values = {}
    for key, (opts, label) in specs.items():
        parse = (lambda s: s if s == ALL else url.one_of(CHANNELS)(int(s))) if key == "ch" else url.one_of(opts)
        url.adopt(key, parse, ALL, cleared_by_navigation=nav)
        if state.widget(key) not in opts:  # e.g. set to None by a breadcrumb step
            state.set_widget(key, ALL)
        chosen = sb.selectbox(t(LABEL_KEYS[key]), opts, key=key, on_change=url.clear_notices,
                              format_func=label.__getitem__)
        if key == "level" and no_district:
            sb.caption(t("filters.no_district" if lens == "recorded" else "filters.no_district_restated"))
        url.publish(key, chosen, ALL)
        values[key] = None if chosen == ALL else chosen
    sb.button(t("filters.reset"), on_click=clear, args=SCOPE_KEYS, icon=":material/filter_alt_off:")
    scope = Scope(state.lang(), grain, period, start, values["level"], values["unit"],
                  values["field"], values["proc"], values["ch"], lens)
    state.set_view(scope)
    return scope


def _choices(lg: str, lens: str, first: dt.date, last: dt.date,
             no_district: bool) -> dict[str, tuple[tuple, dict]]:
    """Each scope picker's options and their labels: levels and units depend on the period and lens,
    the rest only on the file version and language."""
    return {**_choices_in_time(lg, lens, first, last, no_district), **_choices_fixed(lg)}


@per_file(max_entries=128, shared=True)
def _choices_in_time(lg: str, lens: str, first: dt.date, last: dt.date, no_district: bool) -> dict:
    """Levels and units of one period and lens (shared, read-only): the units in operation at some day
    of first..last, or today's units (restated); no district level when there is none."""
    units = fetch.units()
    units = units[fetch.in_operation(units, None, None) if lens == "restated" else
                  fetch.in_operation(units, first, last)]
    names = units["name"].tolist()
    # a selectbox keeps its value by label across reruns and page switches: two units of one name (a
    # department and its post-merger successor, "Sở Công Thương") would swap, so those carry their code
    twice = {n for n, k in collections.Counter(names).items() if k > 1}
    unit_labels = ["· " * int(d) + (f"{n} ({c})" if n in twice else n)
                   for d, n, c in zip(units["depth"].tolist(), names, units["unit_code"].tolist())]
    levels = tuple(v for v in LEVELS if not (no_district and v == "district"))
    return _with_all({"level": (levels, [t(f"level.{v}", lg) for v in levels]),
                      "unit": (units["unit_code"].tolist(), unit_labels)}, lg)


@per_file(max_entries=8, shared=True)
def _choices_fixed(lg: str) -> dict:
    """Fields, procedures and channels (shared, read-only), made once per file version and language:
    the procedure picker alone has thousands of options, labelled on every run otherwise."""
    procs = fetch.procedures()
    proc_codes = procs["procedure_code"].tolist()
    proc_labels = [f"{c} · {n[:70]}" for c, n in zip(proc_codes, procs["name"].tolist())]
    fields = sorted(procs["field"].dropna().unique().tolist())
    return _with_all({"field": (fields, fields), "proc": (proc_codes, proc_labels),
                      "ch": (CHANNELS, [t(f"channel.{v}", lg) for v in CHANNELS])}, lg)


def _with_all(specs: dict, lg: str) -> dict[str, tuple[tuple, dict]]:
    all_ = t("filters.all", lg)
    return {k: ((ALL, *opts), {ALL: all_, **dict(zip(opts, labels))}) for k, (opts, labels) in specs.items()}


LABEL_KEYS = {"level": "filters.level", "unit": "filters.unit", "field": "filters.field",
              "proc": "filters.procedure", "ch": "filters.channel"}


def current() -> Scope | None:
    """The view the sidebar chose on this run (a page's first call; it must run inside dashboard.py)."""
    entry.require()
    return state.view()


def set_filter(key: str, value) -> None:
    """A drill-down step (a callback): one filter set, the deeper ones cleared."""
    state.set_widget(key, value)
    deeper = SCOPE_KEYS[SCOPE_KEYS.index(key) + 1:] if key in ("level", "unit") else ()
    for k in deeper:
        if k not in ("field", "ch"):
            state.set_widget(k, ALL)
    url.clear_notices()


def clear(*keys: str) -> None:
    """Reset filters to their default (a breadcrumb step up, the clear button)."""
    for k in keys:
        state.set_widget(k, ALL)
    url.clear_notices()


def global_params() -> dict[str, str]:
    """The URL's global keys as they are now: what a jump to another page keeps."""
    return {k: v for k, v in st.query_params.to_dict().items() if k in URL_KEYS}


def _period_label(code: str) -> str:
    return periods.parse(code).label(state.lang())


def _grain_changed() -> None:
    # the period pickers of the new grain start at their defaults
    for k in ("p", "p0"):
        state.forget(k)
    url.clear_notices()
