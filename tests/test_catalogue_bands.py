"""Bands agree with targets (issue 12, item 4): "Đạt" (good) means at or past the target, for every KPI of
the catalogue, on cards, in tables, in the review and in the pack's chart; no change gives no arrow and
no colour."""
import pathlib

import pandas as pd
import pytest

from present import fmt, theme
from present import pack as documents
from reform import catalogue, periods, review

CAT = catalogue.load()
TARGETED = [k for k in CAT.kpis.values() if k.target is not None and k.bands]
BANDED = [k for k in CAT.kpis.values() if k.bands]
SHORT = 1e-6  # "just short": far below any shown precision, far above float noise


def short_of(k: catalogue.Kpi, mark: float) -> float:
    return mark - SHORT if k.direction == "up" else mark + SHORT


def test_the_catalogue_has_targeted_bands():
    assert {"F05", "F10", "F14", "C03", "D01", "D02", "D06", "S01"} <= {k.code for k in TARGETED}


@pytest.mark.parametrize("k", TARGETED, ids=lambda k: k.code)
def test_at_the_target_is_good_and_just_short_is_not(k):
    assert k.band(k.target) == "good"
    assert k.band(short_of(k, k.target)) != "good"
    past = k.target + 0.01 if k.direction == "up" else k.target - 0.01
    assert k.band(past) == "good"


@pytest.mark.parametrize("k", TARGETED, ids=lambda k: k.code)
def test_bands_are_consistent_with_the_target(k):
    good = k.bands.get("good", k.target)
    fair = k.bands["fair"]
    assert k.direction in ("up", "down")
    assert good == k.target  # a good band below the target would call a miss "Đạt"; above it, a hit not
    assert (fair < k.target) if k.direction == "up" else (fair > k.target)
    assert k.band(fair) == "fair" and k.band(short_of(k, fair)) == "poor"


@pytest.mark.parametrize("k", BANDED, ids=lambda k: k.code)
def test_a_better_value_never_gets_a_worse_band(k):
    top = k.good_from if k.good_from else 1.0
    values = sorted({0.0, k.bands["fair"], top, top * 0.999, top * 1.001, k.bands["fair"] * 0.999, 2 * top})
    if k.direction == "down":
        values.reverse()
    rank = {"poor": 0, "fair": 1, "good": 2}
    got = [rank[k.band(v)] for v in values]
    assert got == sorted(got)


def test_the_examples_of_the_issue():
    kpis = CAT.kpis
    assert kpis["D06"].band(0.8911) != "good"  # online payment 89,11 % against 100 %: not "Đạt"
    assert kpis["C03"].band(0.9984) == "fair"  # 99,84 % against 100 %: "Gần đạt"
    assert kpis["C03"].band(1.0) == "good" and kpis["D06"].band(1.0) == "good"
    assert CAT.band_name(kpis["D06"].band(0.8911)) != "Đạt"


def test_the_loader_refuses_bands_that_disagree_with_the_target(tmp_path):
    text = catalogue.PATH.read_text(encoding="utf-8")
    for bad, message in (("bands = { good = 0.8, fair = 0.5 }", "drop bands.good"),
                         ("bands = { fair = 1.2 }", "short of the target")):
        path = tmp_path / f"c{len(message)}.toml"
        path.write_text(text.replace("bands = { fair = 0.5 }", bad, 1), encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            catalogue.load(pathlib.Path(path))


def test_the_pack_chart_colours_follow_the_target():
    """The PDF's bar chart: 89 % online payment against 100 % is not green; 100 % C03 is."""
    rows = [dict(code=c, name=CAT.kpis[c].name(), value=v, target=CAT.kpis[c].target)
            for c, v in (("D06", 0.8911), ("C03", 0.9984), ("F05", 0.5), ("S01", 0.95))]
    pack = dict(lang="vi", computed=pd.DataFrame(rows), trend=[], period=periods.parse("2025Q2"))
    colours = {bar.label: bar.colour for bar in documents.target_bars(pack)}
    green = theme.BAND_COLORS["good"]
    assert colours[CAT.kpis["D06"].name()] != green and colours[CAT.kpis["C03"].name()] != green
    assert colours[CAT.kpis["F05"].name()] == green and colours[CAT.kpis["S01"].name()] == green


def test_the_review_band_follows_the_target(small_db):
    from reform import db
    con = db.connect_read_only(small_db)
    try:
        r = review.computed(con, periods.parse("2024Q2")).set_index("code")
    finally:
        con.close()
    for k in TARGETED:
        v = r.at[k.code, "value"]
        if pd.notna(v):
            assert (r.at[k.code, "band"] == CAT.band_name("good")) == k.reaches(v, k.target), k.code


@pytest.mark.parametrize("code,d,flat", [("F05", 0, True), ("F05", 0.0004, True), ("F05", -0.0004, True),
                                         ("F05", 0.0006, False), ("F01", 0, True), ("F01", 2, False),
                                         ("F15", -0.04, True), ("F15", -0.06, False)])
def test_a_change_that_shows_as_zero_is_flat(code, d, flat):
    k = CAT.kpis[code]
    assert fmt.flat(d, k) is flat
    assert fmt.delta(d, k).startswith("±") is flat
    assert fmt.flat(None, k) is False and fmt.delta(None, k) is None


def _one_card(code, cur, prev):
    import streamlit as st

    from reform import periods
    from ui import cards
    cards.card(st, code, {code: cur}, {code: prev}, None, periods.parse("2025Q2"))


@pytest.mark.parametrize("code,cur,prev,arrow,colour", [
    ("F05", 0.5, 0.5, "NONE", "GRAY"),       # no change: no arrow, no colour
    ("F05", 0.5, 0.49999, "NONE", "GRAY"),   # shows as ±0,0: no arrow, no colour either
    ("F05", 0.5, 0.4, "UP", "GREEN"),
    ("F09", 10, 12, "DOWN", "GREEN"),        # fewer late dossiers is better
    ("F15", 5.0, 4.0, "UP", "RED"),          # a longer mean time is worse
])
def test_a_card_shows_no_arrow_and_no_colour_without_a_change(code, cur, prev, arrow, colour):
    from streamlit.proto.Metric_pb2 import Metric
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_one_card, args=(code, cur, prev), default_timeout=60).run()
    assert not at.exception
    [metric] = at.metric
    assert Metric.MetricDirection.Name(metric.proto.direction) == arrow
    assert Metric.MetricColor.Name(metric.proto.color) == colour
    if arrow == "NONE":
        assert metric.delta.startswith("±")
        assert "không đổi" in at.caption[0].value
