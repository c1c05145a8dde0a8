"""The score on screen, reconcilable (issue 12, item 5): the points shown per indicator add up to the
points earned, their maxima to the points available, and earned × 100 / available is the score, all
recomputed here from the KPI values and the catalogue file; the page and the packs say so in numbers.
Also item 3's reported indicators: only those of the period under review as current, the others with
their own period and age, by name."""
import io
import json
import tomllib

import openpyxl
import pandas as pd
import pytest

from present import pack as documents
from present import review as shown_review
from present.text import text
from reform import catalogue, db, periods, review
from tests.conftest import reform_cli

RAW = tomllib.loads(catalogue.PATH.read_text(encoding="utf-8"))["kpi"]  # read apart from reform.catalogue
SCORED = {c: d for c, d in RAW.items() if d.get("points")}
FIELD = "Tín ngưỡng, tôn giáo"  # in 2024Q2 two of its six scored indicators have no data
CASES = [("2024Q2", ()), ("2024Q2", (("unit", "964"),)), ("2020-04", ()), ("2026Q3", ()),
         ("2024Q2", (("field", FIELD),))]


def independent(values: dict) -> tuple[dict, float, float]:
    """Per-KPI points, earned and available: Σ Pmax·min(1, R/T) over the KPIs with a value."""
    pts = {c: d["points"] * min(1, values[c] / d["threshold"]) for c, d in SCORED.items() if values.get(c) is not None}
    return pts, sum(pts.values()), sum(SCORED[c]["points"] for c in pts)


def vi_num(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


@pytest.fixture(scope="module")
def packs(small_db):
    con = db.connect_read_only(small_db)
    try:
        yield {(p, f): review.build(con, periods.parse(p), **dict(f)) for p, f in CASES}
    finally:
        con.close()


@pytest.mark.parametrize("period,scope", CASES)
def test_the_shown_points_reproduce_the_score(small_db, packs, period, scope):
    args = [a for k, v in scope for a in (f"--{k}", v)]
    [values] = json.loads(reform_cli("kpi", "--db", str(small_db), "--period", period, *args,
                                     "--format", "json").stdout)
    want_pts, earned, available = independent(values)
    assert len(want_pts) >= 4 and (len(want_pts) == 6) == (dict(scope).get("field") != FIELD)
    pack = packs[(period, scope)]
    r = pack["computed"].set_index("code")
    got_pts = r["points"].dropna().to_dict()
    assert got_pts == pytest.approx(want_pts)
    assert r.loc[list(got_pts), "max_points"].sum() == available
    assert pack["score"]["earned"] == pytest.approx(earned)
    assert pack["score"]["available"] == available
    assert pack["score"]["full"] == sum(d["points"] for d in SCORED.values())
    assert r.at["SCORE", "value"] == pytest.approx(100 * earned / available) == pytest.approx(values["SCORE"])
    assert pack["score"]["score"] == pytest.approx(values["SCORE"])

    # as shown: the column's points (2 decimals) add up to the earned points of the line, and the
    # line's own arithmetic gives its result to the shown precision
    shown = shown_review.display(pack["computed"]).set_index("code")["points"]
    cells = [s.split("/") for s in shown if s]
    assert sum(vi_num(m) for _, m in cells) == sum(d["points"] for d in SCORED.values())
    column_sum = sum(vi_num(p) for p, _ in cells if p != "—")
    line = shown_review.score_line(pack["score"])
    earned_shown = f"{earned:,.2f}".replace(",", "\0").replace(".", ",").replace("\0", ".")
    score_shown = f"{100 * earned / available:.1f}".replace(".", ",")
    assert f"{earned_shown} × 100 / {available:.0f} = {score_shown}" in line
    assert f"trên {available:.0f} điểm" in line
    if dict(scope).get("field") == FIELD:
        assert len(want_pts) == 4 and "(4/6 chỉ số có điểm có dữ liệu; đủ cả 6 là 54 điểm)" in line
        assert shown["D06"] == "—/6" or shown["S01"] == "—/6" or shown["D01"] == "—/6"
    assert column_sum == pytest.approx(vi_num(earned_shown), abs=0.005 * len(cells))
    assert vi_num(earned_shown) * 100 / available == pytest.approx(vi_num(score_shown), abs=0.06)


def test_a_scored_indicator_without_data_shows_its_maximum_and_no_points():
    df = pd.DataFrame([dict(code="D06", name="x", definition="", numerator=None, denominator=0, value=None,
                            target=1.0, points=None, max_points=6, band=None)], columns=review.COLUMNS)
    assert shown_review.display(df)["points"].tolist() == ["—/6"]
    parts = review.score_parts(df)
    assert parts["score"] is None and parts["available"] == 0
    assert shown_review.score_line(parts) == text("score.none", "vi")


def test_the_packs_carry_the_arithmetic(packs, monkeypatch):
    pack = packs[("2024Q2", ())]
    book = openpyxl.load_workbook(io.BytesIO(documents.xlsx(pack)))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["Điểm đạt được"] == pytest.approx(pack["score"]["earned"])
    assert summary["Điểm tối đa có thể tính"] == pack["score"]["available"]
    assert summary["Quy về thang"] == 100
    assert shown_review.score_line(pack["score"]) in {row[1] for row in book["Tổng hợp"].iter_rows(values_only=True)}

    import fpdf
    written = []
    real = fpdf.FPDF.multi_cell
    monkeypatch.setattr(fpdf.FPDF, "multi_cell", lambda self, w, h=None, text="", *a, **k:
                        written.append(text) or real(self, w, h, text, *a, **k))
    assert documents.pdf(pack).startswith(b"%PDF")
    assert shown_review.score_line(pack["score"]) in written


def test_reported_indicators_of_other_periods_are_apart_with_their_age(packs):
    """Q3/2026 review: the sample's 2020 figures are not current; each shows its period and age, by name."""
    rep = packs[("2026Q3", ())]["reported"]
    assert not rep["current"].any()
    current, others = shown_review.reported_display(rep)
    assert current.empty
    by_name = others.set_index("name")
    kpis = catalogue.load().kpis
    assert set(by_name.index) == {kpis[c].name() for c in ("I_VIC", "I_ASSET_REG", "I_ASSET_UNITS")}
    assert not any(c in " ".join(others.astype(str).values.ravel()) for c in ("I_VIC", "I_ASSET_REG"))
    vic = by_name.loc[kpis["I_VIC"].name()]
    assert (vic["period"], vic["age"], vic["value"]) == ("Quý I/2020", "6 năm 6 tháng trước", "97,00 %")
    assert by_name.loc[kpis["I_ASSET_REG"].name(), "period"] == "Tháng 04/2020"


def test_reported_indicators_of_the_period_under_review_are_current(small_db):
    con = db.connect_read_only(small_db)
    try:
        none = review.reported(con, "964", period=periods.parse("2024Q2"))  # a unit reports nothing
        assert none.empty and [list(d.columns) for d in shown_review.reported_display(none)] == [
            ["name", "period", "value", "source", "as_of"], ["name", "period", "age", "value", "source", "as_of"]]
        for code in ("2020Q1", "2020", "2020-03"):
            rep = review.reported(con, period=periods.parse(code)).set_index("indicator_code")
            assert rep.at["I_VIC", "current"], code  # the 2020Q1 figure overlaps each of them
            assert rep.at["I_ASSET_REG", "current"] == (code == "2020"), code
        rep = review.reported(con, lang="en", period=periods.parse("2019Q4")).set_index("indicator_code")
        assert rep.at["I_VIC", "months_before"] == -3
        assert shown_review.reported_display(rep.reset_index(), "en")[1].set_index("name").at[
            catalogue.load().kpis["I_VIC"].name("en"), "age"] == "after the period under review"
    finally:
        con.close()


def test_the_indicators_page_shows_the_arithmetic_and_the_reported_periods(open_app, packs):
    at = open_app("indicators", p="2026Q3")
    assert not at.exception
    pack = packs[("2026Q3", ())]
    line = shown_review.score_line(pack["score"])
    assert line in [c.value for c in at.caption]
    assert at.metric[0].value == line.rsplit("= ", 1)[1].rstrip(".")
    assert any("Quý III/2026" in i.value for i in at.info)  # no reported figure of the period itself
    other = at.dataframe[-1].value
    assert "Độ cũ so với kỳ đánh giá" in other.columns and "Mã" not in other.columns
    assert set(other["Kỳ"]) == {"Quý I/2020", "Tháng 04/2020"}
