"""Chart recipes with one set of colours for levels, outcomes and channels on every page, and the
click-to-drill-down wiring (a click on a bar or point calls back with the code behind it).

Every figure of the dashboard is made here, and every text in it (tick labels, legend names, hover text,
titles, notes) goes through reform.safe.plot: Plotly draws <a href>, <b> and other tags in all of them,
and unit and procedure names are data. Codes in customdata are not drawn and stay as they are."""
from __future__ import annotations

import functools
import hashlib
import pickle
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from present.theme import ACCENT, CHANNEL_COLORS, LEVEL_COLORS, OUTCOME_COLORS, STOCK_COLORS  # noqa: F401 (pages: charts.*)
from reform import safe
from reform.lookups import MERGER_DAY
from ui import state, twin
from ui.labels import t

FONT = dict(family="Inter, 'Segoe UI', Roboto, Arial, sans-serif", size=14)
CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def _kept(builder):
    """Keep built figures, keyed by the builder's data, options and the language (its labels and number
    separators follow it). Building one is 3-9 ms of plotly objects, redone on every run of every
    session, and most views repeat: a council looks at the same quarter and levels. Nothing changes a
    figure once built (st.plotly_chart copies it), so sessions can share it."""
    def keyed(lang, *args, **kwargs):
        return builder(*args, **kwargs)
    keyed.__qualname__ = f"{builder.__qualname__}.kept"  # one cache per builder: keyed by this name
    cached = st.cache_resource(max_entries=256, show_spinner=False,
                               hash_funcs={pd.DataFrame: _fingerprint})(keyed)

    @functools.wraps(builder)
    def wrapper(*args, **kwargs):
        return cached(state.lang(), *args, **kwargs)
    return wrapper


def _fingerprint(df: pd.DataFrame) -> bytes:
    # Streamlit's own DataFrame hash takes ~4 ms for a chart's few hundred rows; this one ~0.4 ms
    return hashlib.blake2b(pickle.dumps(df, protocol=5), digest_size=16).digest()


def figure() -> go.Figure:
    """An empty figure that skips plotly's validation of every property (about 15 ms a figure, most of
    a warm page's time); the recipes below only pass properties they know to be valid."""
    return go.Figure(_validate=False)


TEXT_PROPS = ("x", "y", "text", "hovertext", "name")  # the trace properties Plotly draws as text


def _trace(fig: go.Figure, kind: str, **props) -> None:
    for k in TEXT_PROPS:
        if props.get(k) is not None:
            props[k] = safe.plot_all(props[k])
    fig.add_trace(dict(type=kind, **props))


def layout(fig: go.Figure, title: str, *, height: int = 360, y_title: str | None = None,
           y_pct: bool = False, legend: bool = True, **extra) -> go.Figure:
    """The common layout, set in one assignment (plotly's update_* calls cost ~10 ms each); `extra`
    is merged in one level deep (e.g. xaxis=dict(tickangle=-45), barmode="stack")."""
    lay = dict(title=dict(text=safe.plot(title), font=dict(size=16), y=0.98, yanchor="top"), height=height,
               font=FONT, margin=dict(l=10, r=10, t=80, b=10), plot_bgcolor="white", paper_bgcolor="white",
               showlegend=legend, legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0),
               hoverlabel=dict(font=dict(size=14)),
               separators=",." if state.lang() == "vi" else ".,",
               clickmode="event+select", dragmode=False,
               yaxis=dict(gridcolor="#e6e9ef", title=dict(text=y_title), rangemode="tozero",
                          **({"tickformat": ".0%"} if y_pct else {})),
               xaxis=dict(showgrid=False))
    for k, v in extra.items():
        lay[k] = {**lay[k], **v} if isinstance(v, dict) and isinstance(lay.get(k), dict) else v
    for k, v in lay.items():   # axis titles, and the notes passed in `extra`
        if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict) and isinstance(v.get("title"), dict):
            lay[k] = {**v, "title": {**v["title"], "text": safe.plot(v["title"].get("text"))}}
    if lay.get("annotations"):
        lay["annotations"] = [{**a, "text": safe.plot(a.get("text"))} for a in lay["annotations"]]
    fig.layout = lay
    return fig


def show(fig: go.Figure, key: str | None = None, on_pick: Callable[[str], None] | None = None) -> None:
    """Draw a figure; with on_pick a click on a bar/point calls on_pick(code) (the bar's customdata[0]),
    which sets a filter before the rerun: one step down the drill-down path."""
    twin.chart(key, fig)
    if on_pick is None:
        st.plotly_chart(fig, width="stretch", config=CONFIG, key=key)
        return
    st.plotly_chart(fig, width="stretch", config=CONFIG, key=key, on_select=lambda: _picked(key, on_pick),
                    selection_mode="points")


def _picked(key: str, on_pick: Callable[[str], None]) -> None:
    points = state.chart_points(key)
    if not points:
        return
    point = points[0]
    custom = point.get("customdata")
    code = custom[0] if isinstance(custom, (list, tuple)) and custom else custom
    if code is None:
        code = point.get("x") if point.get("x") is not None else point.get("y")
    if code is not None:
        on_pick(str(code))


@_kept
def bars(df: pd.DataFrame, *, x: str, y: str, code: str, title: str, colors: dict | None = None,
         color_key: str | None = None, horizontal: bool = False, y_title: str | None = None,
         y_pct: bool = False, height: int = 360, text: str | None = None) -> go.Figure:
    """One bar per row; customdata carries the code a click drills into."""
    color = [colors.get(v, ACCENT) for v in df[color_key]] if colors and color_key else ACCENT
    kwargs = dict(x=df[y], y=df[x], orientation="h") if horizontal else dict(x=df[x], y=df[y])
    fig = figure()
    _trace(fig, "bar", **kwargs, marker_color=color, customdata=df[[code]].to_numpy(),
           text=df[text] if text else None, textposition="auto" if text else None,
           hovertemplate="%{y}<extra></extra>" if not horizontal else "%{x}<extra></extra>")
    if horizontal:
        return layout(fig, title, height=height, legend=False, yaxis=dict(autorange="reversed", gridcolor=None),
                      xaxis=dict(tickformat=".0%") if y_pct else {})
    return layout(fig, title, height=height, y_title=y_title, y_pct=y_pct, legend=False)


@_kept
def stacked(df: pd.DataFrame, *, x: str, series: dict[str, tuple[str, str]], title: str,
            y_title: str | None = None, height: int = 360, relative: bool = False) -> go.Figure:
    """Stacked bars: series = {column: (label, colour)}; relative = shares of each bar's total."""
    fig = figure()
    # a period with nothing received has no shares (NaN leaves a gap), not a division error
    total = df[list(series)].sum(axis=1).astype(float).replace(0.0, float("nan")) if relative else None
    for col, (name, colour) in series.items():
        y = df[col].astype(float) / total if relative else df[col]
        _trace(fig, "bar", x=df[x], y=y, name=name, marker_color=colour, customdata=df[[x]].to_numpy())
    return layout(fig, title, height=height, y_title=y_title, y_pct=relative, barmode="stack")


@_kept
def lines(df: pd.DataFrame, *, x: str, y: str, group: str, labels: dict, colors: dict, title: str,
          y_pct: bool = False, y_title: str | None = None, height: int = 360, target: float | None = None,
          mark_restructure: bool = True) -> go.Figure:
    """One line per group (e.g. per level) over periods; codes in customdata for drill-down."""
    fig = figure()
    for g, part in df.groupby(group, sort=False):
        _trace(fig, "scatter", x=part[x], y=part[y], name=labels.get(g, g), mode="lines+markers",
               line=dict(color=colors.get(g, ACCENT), width=2.5), customdata=part[[group]].to_numpy())
    shapes, notes = _marks(df) if mark_restructure else ([], [])
    if target is not None:
        shapes.append(dict(type="line", xref="paper", x0=0, x1=1, y0=target, y1=target,
                           line=dict(dash="dot", color="#757575")))
        notes.append(dict(xref="paper", x=0, y=target, yanchor="bottom", xanchor="left", showarrow=False,
                          text=t("target"), font=dict(size=12, color="#616161")))
    return layout(fig, title, height=height, y_pct=y_pct, y_title=y_title, shapes=shapes, annotations=notes)


def _marks(df: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Shapes and notes marking the merger day (1/7/2025): a dotted line at the first period starting on
    or after it, when the axis spans it."""
    if "period_start" not in df or not len(df):
        return [], []
    starts = pd.to_datetime(df["period_start"])
    day = pd.Timestamp(MERGER_DAY)   # no district level, new communes and departments from here
    after = df.loc[starts >= day]
    if not len(after) or not (starts < day).any():
        return [], []
    x = after.iloc[0]["label"]
    return ([dict(type="line", x0=x, x1=x, yref="paper", y0=0, y1=1, line=dict(dash="dot", color="#9e9e9e"))],
            [dict(x=x, y=1, yref="paper", showarrow=False, xanchor="left", text=f"{day.day}/{day.month}/{day.year}",
                  font=dict(size=12, color="#616161"))])


@_kept
def trend_lines(df: pd.DataFrame, *, x: str, series: dict[str, tuple[str, str]], title: str,
                y_title: str | None = None, height: int = 360) -> go.Figure:
    """A few KPI columns over periods, one line each: series = {column: (label, colour)}."""
    fig = figure()
    for col, (name, colour) in series.items():
        _trace(fig, "scatter", x=df[x], y=df[col], name=name, mode="lines+markers",
               line=dict(color=colour, width=2.5))
    shapes, notes = _marks(df)
    return layout(fig, title, height=height, y_title=y_title, shapes=shapes, annotations=notes)


@_kept
def times(df: pd.DataFrame, *, title: str, height: int = 460) -> go.Figure:
    """Per procedure: the mean working days taken (F15) beside the legal time; a click drills into it."""
    fig = figure()
    codes = df[["procedure_code"]].to_numpy()
    _trace(fig, "bar", y=df["label"], x=df["F15"], orientation="h", name=t("mean_days"), marker_color=ACCENT,
           customdata=codes)
    _trace(fig, "bar", y=df["label"], x=df["legal_days"], orientation="h", name=t("legal_days"),
           marker_color="#b0bec5", customdata=codes)
    return layout(fig, title, height=height, barmode="group", yaxis=dict(autorange="reversed"),
                  xaxis=dict(title=dict(text=t("axis.days")), showgrid=True, gridcolor="#e6e9ef"))


@_kept
def grouped(df: pd.DataFrame, *, x: str, series: dict[str, tuple[str, str]], title: str, y_pct: bool = False,
            height: int = 360) -> go.Figure:
    """Side-by-side bars, one per series column."""
    fig = figure()
    for col, (name, colour) in series.items():
        _trace(fig, "bar", x=df[x], y=df[col], name=name, marker_color=colour)
    return layout(fig, title, height=height, y_pct=y_pct, barmode="group")


@_kept
def pareto(df: pd.DataFrame, *, x: str, y: str, code: str, title: str, bar_color: str = ACCENT,
           height: int = 440) -> go.Figure:
    """Bars of a count, largest first, with the cumulative share of the total on a second axis."""
    fig = figure()
    hover = df["name"] if "name" in df else None
    _trace(fig, "bar", x=df[x], y=df[y], name=t("axis.dossiers"), marker_color=bar_color,
           customdata=df[[code]].to_numpy(), hovertext=hover,
           hovertemplate="%{x} · %{hovertext}<br>%{y}<extra></extra>" if hover is not None else None)
    _trace(fig, "scatter", x=df[x], y=df["cum_share"], name=t("axis.cum_share"), yaxis="y2", mode="lines+markers",
           line=dict(color="#424242", width=2), customdata=df[[code]].to_numpy())
    return layout(fig, title, height=height, y_title=t("axis.dossiers"),
                  yaxis2=dict(overlaying="y", side="right", tickformat=".0%", range=[0, 1.02],
                              tickvals=[0, 0.25, 0.5, 0.75, 1], showgrid=False),
                  xaxis=dict(tickangle=-45, tickfont=dict(size=11), type="category"))
