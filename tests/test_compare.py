"""reform/compare.py: changes between periods, better or worse by the KPI's direction, ranks within a peer
group (1 = best by the direction, ties share the smallest rank, no value = no rank and listed last), the
places gained since the previous period, Pareto shares of the whole total and the top rows by a sum.
Expected values are worked out by hand from those rules."""
import pandas as pd
import pytest

from reform import compare
from reform.catalogue import Kpi

NAN = float("nan")


def kpi(direction: str) -> Kpi:
    return Kpi(code="X", name_vi="x", name_en="x", kind="ratio", source="dossiers", format="pct",
               direction=direction)


UP, DOWN, NONE = kpi("up"), kpi("down"), kpi("none")


@pytest.mark.parametrize("func,args,expected", [
    ("change", (5, 3), 2),
    ("change", (3, 5), -2),
    ("change", (0, 0), 0),
    ("change", (0.3, 0.1), pytest.approx(0.2)),
    ("change", (1e12, -1e12), 2e12),
    ("change", (None, 3), None),
    ("change", (3, None), None),
    ("change", (NAN, 1), None),
    ("change", (1, pd.NA), None),
    ("change", (None, None), None),
    ("better", (0.1, UP), True),
    ("better", (-0.1, UP), False),
    ("better", (2, DOWN), False),       # more late dossiers: worse
    ("better", (-2, DOWN), True),
    ("better", (0, UP), None),          # no change: neither
    ("better", (0, DOWN), None),
    ("better", (None, UP), None),
    ("better", (5, NONE), None),        # a volume has no better side
    ("better", (-5, NONE), None),
])
def test_change_and_better(func, args, expected):
    got = getattr(compare, func)(*args)
    assert got is None if expected is None else got == expected


RANKINGS = [
    # values by unit, kpi, worst_first -> [(unit, rank)] in the order listed
    ({"a": .5, "b": .7, "c": .2}, UP, False, [("b", 1), ("a", 2), ("c", 3)]),
    ({"a": .5, "b": .7, "c": .7, "d": .2}, UP, False, [("b", 1), ("c", 1), ("a", 3), ("d", 4)]),
    ({"a": .5, "b": .7, "c": .7, "d": .2}, UP, True, [("d", 4), ("a", 3), ("b", 1), ("c", 1)]),
    ({"a": 10, "b": 2, "c": 5}, DOWN, False, [("b", 1), ("c", 2), ("a", 3)]),
    ({"a": 0, "b": 0, "c": 3}, DOWN, True, [("c", 3), ("a", 1), ("b", 1)]),
    ({"a": None, "b": .4, "c": NAN, "d": .9}, UP, False, [("d", 1), ("b", 2), ("a", None), ("c", None)]),
    ({"a": None, "b": .4, "c": NAN, "d": .9}, UP, True, [("b", 2), ("d", 1), ("a", None), ("c", None)]),
    ({"b": None, "a": None}, UP, False, [("a", None), ("b", None)]),
    ({"a": "n/a", "b": 3}, UP, False, [("b", 1), ("a", None)]),        # text is no value
    ({"z": 1, "y": 1, "x": 1}, UP, False, [("x", 1), ("y", 1), ("z", 1)]),  # a tie lists by code
    ({"a": -1, "b": 1}, UP, False, [("b", 1), ("a", 2)]),
    ({"a": 1e15, "b": 1e15 + 1}, UP, False, [("b", 1), ("a", 2)]),
    ({"a": 10, "b": 30}, NONE, False, [("b", 1), ("a", 2)]),           # no direction: largest first (F01)
    ({"a": .3}, DOWN, True, [("a", 1)]),
    ({}, UP, False, []),
    # ranks are on the value as shown (a share to 0,01 %): shown alike is a tie, whatever the digits below
    ({"a": .949495, "b": .949501, "c": .9494}, UP, False, [("a", 1), ("b", 1), ("c", 3)]),
    ({"a": .94954, "b": .94956}, UP, False, [("b", 1), ("a", 2)]),
    ({"a": .0000499, "b": 0}, DOWN, False, [("a", 1), ("b", 1)]),      # 0,00 % both
]


@pytest.mark.parametrize("values,k,worst_first,expected", RANKINGS)
def test_ranking(values, k, worst_first, expected):
    df = compare.ranking([{"unit": u, "X": v} for u, v in values.items()], "unit", k, worst_first=worst_first)
    assert {"unit", "X", "rank"} <= set(df.columns)
    assert [(u, None if pd.isna(r) else int(r)) for u, r in zip(df["unit"], df["rank"])] == expected


def _ranked(pairs, start=0):
    return pd.DataFrame({"unit": [u for u, _ in pairs], "rank": pd.array([r for _, r in pairs], dtype="Int64")},
                        index=range(start, start + len(pairs)))


@pytest.mark.parametrize("current,previous,expected", [
    ([("a", 1), ("b", 2)], [("a", 2), ("b", 1)], [1, -1]),
    ([("a", 1), ("b", 2)], [("b", 2), ("a", 1)], [0, 0]),
    ([("a", 1), ("b", 1), ("c", 3)], [("c", 1), ("a", 2), ("b", 3)], [1, 2, -2]),
    ([("a", 1), ("new", 2)], [("a", 1)], [0, None]),               # not ranked before: no change
    ([("a", None), ("b", 1)], [("a", 1), ("b", 2)], [None, 1]),    # no value now
    ([("a", 1), ("b", 2)], [("a", None), ("b", 1)], [None, -1]),   # no value then
    ([("a", 1)], [], [None]),
    ([("a", 1), ("b", 20)], [("a", 20), ("b", 1)], [19, -19]),
])
def test_rank_change(current, previous, expected):
    cur = _ranked(current, start=10)   # not 0..n-1: the result must follow current's own index
    got = compare.rank_change(cur, _ranked(previous), "unit")
    assert list(got.index) == list(cur.index)
    assert [None if pd.isna(v) else int(v) for v in got] == expected


@pytest.mark.parametrize("counts,code,top,expected", [
    ({"a": 50, "b": 30, "c": 20}, "F09", 20, [("a", 50, .5), ("b", 30, .8), ("c", 20, 1.0)]),
    ({"c": 1, "a": 3}, "F09", 20, [("a", 3, .75), ("c", 1, 1.0)]),
    ({"d": 5, "a": 5, "b": 0, "c": -2}, "F09", 20, [("a", 5, .5), ("d", 5, 1.0)]),  # tie by code; 0, -2 dropped
    ({"a": 40, "b": 30, "c": 20, "d": 10}, "F09", 2, [("a", 40, .4), ("b", 30, .7)]),  # share of the whole
    ({"a": None, "b": 4}, "F09", 20, [("b", 4, 1.0)]),
    ({"a": 0, "b": 0}, "F09", 20, []),
    ({"a": 3}, "F09", 0, []),
    ({"a": 3}, "F01", 20, []),                                   # no such count in the rows
    ({}, "F09", 20, []),
])
def test_pareto(counts, code, top, expected):
    rows = [{"p": k, "F09": v} for k, v in counts.items()]
    df = compare.pareto(rows, "p", code, top=top)
    got = [(p, n, pytest.approx(s)) for p, n, s in zip(df["p"], df[code], df["cum_share"])]
    assert got == expected
    assert {"p", code, "cum_share"} <= set(df.columns)


@pytest.mark.parametrize("counts,n,expected", [
    ({"a": (1, 2, 3), "b": (0, 0, 0), "c": (5, 0, 0)}, 5, [("a", 6), ("c", 5)]),
    ({"x": (1, 1, 1), "w": (3, 0, 0)}, 1, [("w", 3)]),                  # a tie goes by code
    ({"a": (1, 0, 0), "b": (2, 0, 0), "c": (0, 0, 3)}, 2, [("c", 3), ("b", 2)]),
    ({"a": (None, 2, 0), "b": (1, 0, 0)}, 5, [("a", 2), ("b", 1)]),     # a missing count adds nothing
    ({"a": (-1, 0, 0)}, 5, []),
    ({}, 5, []),
])
def test_top(counts, n, expected):
    rows = [{"p": k, "early": e, "ontime": o, "late": lt} for k, (e, o, lt) in counts.items()]
    df = compare.top(rows, "p", ("early", "ontime", "late"), n)
    got = [(p, int(t)) for p, t in zip(df["p"], df["total"])] if len(df) else []
    assert got == expected


def test_a_tie_as_shown_never_changes_rank():
    """Two units shown alike in both periods share their rank in both: neither moves, whatever the
    digits below the shown precision do (issue 16: "+56 places" on 94,9 against 94,7 was such noise)."""
    now = compare.ranking([{"u": "a", "X": .949501}, {"u": "b", "X": .949499}], "u", UP)
    before = compare.ranking([{"u": "a", "X": .949497}, {"u": "b", "X": .949503}], "u", UP)
    assert list(compare.rank_change(now, before, "u")) == [0, 0]


CHANGES = {"a": (.90, .80), "b": (.50, .70), "c": (.60, .60), "d": (.95, None), "e": (.70, .6995)}


@pytest.mark.parametrize("k,improved", [(UP, True), (UP, False), (DOWN, True), (DOWN, False)])
def test_sorted_by_change_matches_a_recount(k, improved):
    now = [{"u": u, "X": v} for u, (v, _) in CHANGES.items()]
    then = [{"u": u, "X": w} for u, (_, w) in CHANGES.items() if w is not None]
    ranked = compare.ranking(now, "u", k)
    ranked["d"] = compare.value_change(ranked, then, "u", k)
    got = compare.by_change(ranked, "d", k, improved)
    # the recount: the change in points to 0,1 (as shown), signed so that better is larger
    sign = 1 if k.direction == "up" else -1
    points = {u: round(100 * (v - w), 1) * sign for u, (v, w) in CHANGES.items() if w is not None}
    rank = dict(zip(ranked["u"], ranked["rank"]))
    want = sorted(points, key=lambda u: (-points[u] if improved else points[u], rank[u]))
    assert list(got["u"]) == [*want, "d"]          # no change known: last
    assert got.loc[got["u"] == "a", "d"].item() == pytest.approx(.10)
    assert pd.isna(got.loc[got["u"] == "d", "d"].item())
