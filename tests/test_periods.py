from datetime import date

import pytest

from reform.periods import parse


@pytest.mark.parametrize("text,start,end,kind", [
    ("2020-04", date(2020, 4, 1), date(2020, 4, 30), "month"),
    ("2020-02", date(2020, 2, 1), date(2020, 2, 29), "month"),
    ("2020Q1", date(2020, 1, 1), date(2020, 3, 31), "quarter"),
    ("2025q4", date(2025, 10, 1), date(2025, 12, 31), "quarter"),
    ("2024", date(2024, 1, 1), date(2024, 12, 31), "year"),
])
def test_parse(text, start, end, kind):
    p = parse(text)
    assert (p.start, p.end, p.kind) == (start, end, kind)


def test_labels_and_neighbours():
    q = parse("2020Q1")
    assert q.label("vi") == "Quý I/2020" and q.label("en") == "Q1 2020"
    assert q.previous().code == "2019Q4" and q.same_last_year().code == "2019Q1"
    assert parse("2020-01").previous().code == "2019-12"
    assert parse("2021").previous().code == "2020"


@pytest.mark.parametrize("bad", ["2020-13", "2020Q5", "20", "abc", "2020-04-01", "'; drop table x; --"])
def test_bad_periods_are_refused_with_a_message(bad):
    with pytest.raises(ValueError, match="unknown period"):
        parse(bad)


def test_ranges():
    r = parse("2019Q1:2026Q3")
    assert (r.start, r.end, r.code) == (date(2019, 1, 1), date(2026, 9, 30), "2019Q1:2026Q3")
    assert r.label("vi") == "Quý I/2019 – Quý III/2026"
    for shift in (r.previous, r.same_last_year):
        with pytest.raises(ValueError, match="no single previous period"):
            shift()
    for bad in ("2020Q2:2020Q1", "2020:2020Q4", "2019Q1:2020Q1:2021Q1"):
        with pytest.raises(ValueError, match="unknown period"):
            parse(bad)
