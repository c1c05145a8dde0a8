"""Every number shown goes through present/fmt.py: vi "1.960" and "23,06 %", en "1,960" and "23.06%",
dates dd/mm/yyyy in both languages, a missing value "—", a signed change ("+1,2 điểm %", "±0" when it
shows as zero). Each row's expected text was worked out by hand from those rules."""
import datetime as dt

import pandas as pd
import pytest

from present import fmt
from reform.catalogue import Kpi


def kpi(format_: str) -> Kpi:
    return Kpi(code="X", name_vi="x", name_en="x", kind="ratio", source="dossiers", format=format_, direction="up")


INT, PCT, DAYS, SCORE = kpi("int"), kpi("pct"), kpi("days"), kpi("score")
NAN = float("nan")


def bug(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


CASES = [
    # number(x, decimals, lang): thousands "." and decimal "," in vi, the other way round in en
    ("number", (1960,), "1.960"),
    ("number", (1960, 0, "en"), "1,960"),
    ("number", (1234.5, 1), "1.234,5"),
    ("number", (1234.5, 1, "en"), "1,234.5"),
    ("number", (0, 2), "0,00"),
    ("number", (999.996, 2), "1.000,00"),              # rounding carries into a new thousands group
    ("number", (-1234567.75, 1, "en"), "-1,234,567.8"),  # a half: away from zero and to even agree
    ("number", (-1234567.26, 1), "-1.234.567,3"),
    ("number", (1e20,), "100.000.000.000.000.000.000"),
    ("number", (123456789012.5, 1, "en"), "123,456,789,012.5"),
    ("number", (1.5,), "2"),                           # half: up and to-even agree here
    ("number", (1.26, 1), "1,3"),
    ("number", (1.24, 1), "1,2"),
    # halves away from zero, as a reader and Excel round (Python's format rounds a binary half to even)
    ("number", (2.5,), "3"),
    ("number", (0.5,), "1"),
    ("number", (-2.5,), "-3"),
    ("number", (0.125, 2), "0,13"),
    ("number", (1.005, 2), "1,01"),                    # the decimal 1.005, not its binary 1.00499...
    ("number", (-0.4,), "0"),                          # never "-0"
    ("number", (NAN,), fmt.MISSING),
    ("number", (None,), fmt.MISSING),
    # pct(share, lang, decimals): × 100, "23,06 %" with a space in vi, "23.06%" without in en
    ("pct", (0.2306,), "23,06 %"),
    ("pct", (0.2306, "en"), "23.06%"),
    ("pct", (1,), "100,00 %"),
    ("pct", (0,), "0,00 %"),
    ("pct", (0.5, "en", 0), "50%"),
    ("pct", (0.0123, "vi", 1), "1,2 %"),
    ("pct", (-0.05,), "-5,00 %"),
    ("pct", (12.3456,), "1.234,56 %"),
    ("pct", (12.3456, "en"), "1,234.56%"),
    ("pct", (0.99999,), "100,00 %"),                    # shows 100 % though short of a 100 % target
    ("pct", (None,), "—"),
    ("pct", (NAN,), "—"),
    ("pct", (pd.NA, "en"), "—"),
    # value(v, kpi, lang): pct as pct, days and score with one decimal, counts whole
    ("value", (1960, INT), "1.960"),
    ("value", (1959.6, INT, "en"), "1,960"),
    ("value", (0.5, PCT), "50,00 %"),
    ("value", (0.5, PCT, "en"), "50.00%"),
    ("value", (3.26, DAYS), "3,3"),
    ("value", (12345.67, DAYS, "en"), "12,345.7"),
    ("value", (87.44, SCORE), "87,4"),
    ("value", (0, SCORE), "0,0"),
    ("value", (None, INT), "—"),
    ("value", (NAN, DAYS), "—"),
    ("value", (pd.NA, PCT), "—"),
    ("value", (2.25, DAYS), "2,3"),
    # delta(d, kpi, lang): signed; shares in percentage points; "±0" when it shows as zero; None unknown
    ("delta", (0.0123, PCT), "+1,2 điểm %"),
    ("delta", (0.0123, PCT, "en"), "+1.2 pts"),
    ("delta", (-0.0123, PCT), "-1,2 điểm %"),
    ("delta", (0.0004, PCT), "±0,0 điểm %"),
    ("delta", (-0.00049, PCT, "en"), "±0.0 pts"),
    ("delta", (1234, INT), "+1.234"),
    ("delta", (1234, INT, "en"), "+1,234"),
    ("delta", (-5, INT), "-5"),
    ("delta", (0, INT), "±0"),
    ("delta", (-0.4, INT), "±0"),
    ("delta", (1e9, INT), "+1.000.000.000"),
    ("delta", (-0.26, DAYS), "-0,3"),
    ("delta", (0.04, SCORE), "±0,0"),
    ("delta", (None, INT), None),
    ("delta", (NAN, PCT), None),
    ("delta", (pd.NA, DAYS), None),
    # flat(d, kpi): a known change that shows as zero
    ("flat", (0.049, DAYS), True),
    ("flat", (-0.06, SCORE), False),
    ("flat", (0.00049, PCT), True),
    ("flat", (0.0006, PCT), False),
    ("flat", (0.4, INT), True),
    ("flat", (-1, INT), False),
    ("flat", (NAN, INT), False),
    ("flat", (pd.NA, PCT), False),
    # date(d, lang): dd/mm/yyyy in both languages; ISO text or a timestamp's day
    ("date", (dt.date(2025, 6, 30),), "30/06/2025"),
    ("date", (dt.date(2025, 6, 30), "en"), "30/06/2025"),
    ("date", ("2025-01-05",), "05/01/2025"),
    ("date", ("2025-01-05T23:59:59",), "05/01/2025"),
    ("date", (dt.datetime(2024, 2, 29, 23, 59),), "29/02/2024"),
    ("date", (pd.Timestamp("2024-12-31 10:00"),), "31/12/2024"),
    ("date", (None,), "—"),
    ("date", (pd.NaT,), "—"),
    ("date", (NAN,), "—"),
]


@pytest.mark.parametrize("func,args,expected", CASES)
def test_shown_text(func, args, expected):
    got = getattr(fmt, func)(*args)
    assert got == expected and type(got) is type(expected)

