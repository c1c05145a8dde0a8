"""reform/catalogue.py and catalogue.toml beyond tests/test_catalogue_bands.py (which checks every targeted
KPI at and just short of its target, and the two refusals of a changed real file): the bands of named
KPIs at chosen values, the score's rating scale, what the loader builds from a file and which band
settings it refuses or accepts (down-direction KPIs, the score's good/fair pair, float noise). Expected
values are read by hand from catalogue.toml and the docstrings."""
import pathlib

import pandas as pd
import pytest

from reform import catalogue

CAT = catalogue.load()
NAN = float("nan")


def bug(reason: str, raises=None):
    return pytest.mark.xfail(strict=True, reason=reason, raises=raises)


@pytest.mark.parametrize("code,value,expected", [
    ("F05", 0.5, "good"), ("F05", 0.75, "good"), ("F05", 0.4999, "fair"), ("F05", 0.3, "fair"),
    ("F05", 0.7 - 0.4, "fair"),                       # 0.29999999999999993: float noise still reaches 0.3
    ("F05", 0.3 - 1e-8, "poor"), ("F05", 0.2999, "poor"), ("F05", 0.0, "poor"), ("F05", None, None),
    ("F10", 0.99, "good"), ("F10", 0.98, "fair"), ("F10", 0.95, "fair"), ("F10", 0.9, "poor"),
    ("F14", 1.0, "good"), ("F14", 0.85, "fair"), ("F14", 0.8499, "poor"),
    ("C04", 0.8, "good"), ("C04", 0.79, "fair"), ("C04", 0.49, "poor"),
    ("S01", 0.85, "fair"),
    ("SCORE", 100, "good"), ("SCORE", 80, "good"), ("SCORE", 80 - 1e-12, "good"), ("SCORE", 79.99, "fair"),
    ("SCORE", 65, "fair"), ("SCORE", 64.9, "poor"), ("SCORE", 0, "poor"),
    ("F11o", 0, None), ("F11o", 5, None),             # a target but no bands
    ("F15", 3.0, None), ("C07", 0.5, None), ("I_VIC", 0.99, None), ("F01", 1000, None),
    ("F05", NAN, None), ("F05", pd.NA, None),          # pandas' missing values are no value, not "poor"
])
def test_band_of_a_value(code, value, expected):
    assert CAT.kpis[code].band(value) == expected


@pytest.mark.parametrize("score,expected", [
    (100, "Xuất sắc"), (90, "Xuất sắc"), (89.99, "Tốt"), (80, "Tốt"), (79.99, "Khá"), (65, "Khá"),
    (64.99, "Trung bình"), (50, "Trung bình"), (49.99, "Yếu"), (0, "Yếu"), (None, None),
    (80 - 1e-12, "Tốt"),    # float noise: the badge (SCORE.band, Kpi.reaches) and its label agree
    (NAN, None),
])
def test_score_rating(score, expected):
    band = CAT.score_band(score)
    assert (band and band["name_vi"]) == expected


@pytest.mark.parametrize("get,expected", [
    (lambda: CAT.band_name("good"), "Đạt"),
    (lambda: CAT.band_name("fair", "en"), "Near target"),
    (lambda: CAT.band_name("poor"), "Chưa đạt"),
    (lambda: CAT.band_name(None), None),
    (lambda: CAT.band_name("other", "en"), "other"),
    (lambda: CAT.kpis["F05"].name(), "Tỷ lệ nộp trực tuyến"),
    (lambda: CAT.kpis["F05"].name("en"), "Online share"),
    (lambda: CAT.kpis["F15"].definition("en"), "Mean working days from receipt to effective end "
                                               "(supplement time excluded)"),
    (lambda: CAT.kpis["F15"].definition("fr"), ""),
    (lambda: CAT.kpis["F15"].extra["unit_vi"], "ngày làm việc"),
    (lambda: CAT.kpis["F10"].numerator, ("F07", "F08")),
    (lambda: CAT.kpis["F10"].denominator, ("F07", "F08", "F09")),
    (lambda: CAT.kpis["F11o"].good_from, 0),
    (lambda: CAT.kpis["SCORE"].good_from, 80),
    (lambda: CAT.kpis["F15"].good_from, None),
    (lambda: CAT.score_scale, 100.0),
    (lambda: [b["min"] for b in CAT.score_bands], [90, 80, 65, 50, 0]),
    (lambda: sorted(k.code for k in CAT.reported()), ["I_ASSET_REG", "I_ASSET_UNITS", "I_VIC"]),
    (lambda: "SCORE" in {k.code for k in CAT.computed()}, True),
])
def test_what_the_real_catalogue_holds(get, expected):
    assert get() == expected


# every catalogue says how each of its formats is shown (the real file's [formats])
FORMATS = "".join(f"\n[formats.{f}]\nscale = {s}\ndecimals = {d}\ndelta_decimals = {dd}\n"
                  for f, s, d, dd in (("int", 1, 0, 0), ("pct", 100, 2, 1), ("days", 1, 1, 1))) + "\n"
ONE_KPI = FORMATS + """[kpi.X]
name_vi = "x"
name_en = "x"
kind = "ratio"
source = "dossiers"
format = "pct"
{body}

[score]
[[score.bands]]
name_vi = "A"
name_en = "A"
min = 0
"""


@pytest.mark.parametrize("body,refused,probes", [
    ('direction = "none"\ntarget = 1.0\nbands = { fair = 0.5 }', "up or down needed", {}),
    ('direction = "up"\nbands = { fair = 0.5 }', "need fair and a target", {}),
    ('direction = "up"\nbands = { good = 80 }', "need fair and a target", {}),
    ('direction = "up"\ntarget = 0.5\nbands = { fair = 0.5 }', "short of the target", {}),
    ('direction = "up"\ntarget = 0.5\nbands = { fair = 0.4999999999 }', "short of the target", {}),  # within noise
    ('direction = "down"\ntarget = 5\nbands = { fair = 3 }', "short of the target", {}),
    ('direction = "up"\nbands = { good = 65, fair = 80 }', "short of the target", {}),
    ('direction = "down"\ntarget = 5\nbands = { fair = 10 }', None,
     {5: "good", 4: "good", 5.5: "fair", 10: "fair", 10.01: "poor"}),
    ('direction = "down"\nbands = { good = 2, fair = 5 }', None, {0: "good", 2: "good", 3: "fair", 5: "fair", 6: "poor"}),
    ('direction = "up"\ntarget = 0.5\nbands = { fair = 0.4999 }', None, {0.5: "good", 0.49995: "fair", 0.4998: "poor"}),
    ('direction = "up"\ntarget = 0.5', None, {0.9: None, 0.1: None}),
    ('direction = "none"', None, {1: None}),
])
def test_the_loader_checks_bands(tmp_path, body, refused, probes):
    path = tmp_path / "catalogue.toml"
    path.write_text(ONE_KPI.format(body=body), encoding="utf-8")
    if refused:
        with pytest.raises(ValueError, match=refused):
            catalogue.load(path)
        return
    k = catalogue.load(path).kpis["X"]
    assert {v: k.band(v) for v in probes} == probes


SMALL = FORMATS + """[kpi.A]
name_vi = "Tên A"
name_en = "Name A"
def_vi = "Định nghĩa"
unit_en = "days"
kind = "mean"
source = "dossiers"
format = "days"
direction = "down"
numerator = ["wd_sum"]
denominator = ["F07", "F08"]

[kpi.R]
name_vi = "R"
name_en = "R"
kind = "reported"
source = "indicators"
format = "int"
direction = "up"

[score]
[[score.bands]]
name_vi = "M"
name_en = "Middle"
min = 50
[[score.bands]]
name_vi = "L"
name_en = "Low"
min = 0
[[score.bands]]
name_vi = "H"
name_en = "High"
min = 90
"""


@pytest.mark.parametrize("get,expected", [
    (lambda c: c.kpis["A"].numerator, ("wd_sum",)),           # lists become tuples
    (lambda c: c.kpis["A"].denominator, ("F07", "F08")),
    (lambda c: c.kpis["A"].extra, {"def_vi": "Định nghĩa", "unit_en": "days"}),  # unknown keys: extra
    (lambda c: c.kpis["A"].definition("vi"), "Định nghĩa"),
    (lambda c: c.kpis["A"].definition("en"), ""),
    (lambda c: (c.kpis["A"].target, c.kpis["A"].bands, c.kpis["A"].points, c.kpis["A"].count), (None, {}, None, None)),
    (lambda c: [b["min"] for b in c.score_bands], [90, 50, 0]),  # highest first, whatever the file's order
    (lambda c: c.score_band(89.9)["name_en"], "Middle"),
    (lambda c: c.score_scale, 100.0),                          # no scale: 100
    (lambda c: c.band_name("good", "en"), "good"),             # no [band_names]: the band's own word
    (lambda c: ([k.code for k in c.computed()], [k.code for k in c.reported()]), (["A"], ["R"])),
])
def test_what_the_loader_builds(tmp_path, get, expected):
    path = tmp_path / "catalogue.toml"
    path.write_text(SMALL, encoding="utf-8")
    assert get(catalogue.load(pathlib.Path(path))) == expected


@pytest.mark.parametrize("code", list(CAT.kpis))
def test_every_kpi_uses_the_words_of_the_header(code):
    """catalogue.toml's header: kind, source, direction; counts name a column, ratios and means a
    numerator and denominator, points come with a threshold."""
    k = CAT.kpis[code]
    assert k.kind in ("count", "ratio", "mean", "score", "reported")
    assert k.source in ("dossiers", "procedures", "score", "indicators")
    assert k.format in ("int", "pct", "days", "score")
    assert k.direction in ("up", "down", "none")
    assert (k.count is not None) == (k.kind == "count")
    assert bool(k.numerator and k.denominator) == (k.kind in ("ratio", "mean"))
    assert (k.points is None) == (k.threshold is None)


def test_a_format_without_its_display_rule_is_refused(tmp_path):
    path = tmp_path / "catalogue.toml"
    path.write_text(ONE_KPI.format(body='direction = "up"').replace('format = "pct"', 'format = "permille"'),
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"\[formats\].*permille"):
        catalogue.load(path)
