"""A signal (reform/signals.py) in one sentence: what moved, by how much, against which limit, since when.
Group names are data (a unit's name may be Markdown): the dashboard passes them through reform.safe.md."""
from __future__ import annotations

import urllib.parse

from present import fmt
from present.text import text
from reform import catalogue
from reform.signals import Signal


def group_name(s: Signal, names: dict[str, str], lang: str = "vi") -> str:
    """The group as the sentence names it: a unit by its name, a procedure by name and code, a field."""
    name = names.get(s.key, s.key)
    if s.by == "peer":
        return name
    if s.by == "procedure":
        return text("attention.group.procedure", lang, name=f"{name} ({s.key})" if name != s.key else s.key)
    return text("attention.group.field", lang, name=name)


def sentence(s: Signal, group: str, lang: str = "vi") -> str:
    kpi = catalogue.load().kpis[s.kpi]
    v = s.verdict
    k = f"{catalogue.load().signals.get('sigma', 3):g}"
    chart = ("attention.chart.laney" if v.laney else "attention.chart.p") if kpi.kind == "ratio" else \
        ("attention.chart.c_laney" if v.laney else "attention.chart.c")
    first = s.since.label(lang)
    fields = dict(kpi=kpi.name(lang), group=group, period=s.period.label(lang), value=fmt.value(v.value, kpi, lang),
                  centre=fmt.value(v.centre, kpi, lang), delta=fmt.delta(v.value - v.centre, kpi, lang),
                  limit=fmt.value(v.limit, kpi, lang), h=v.history, n=v.length, first=first,
                  first_value=fmt.value(v.first_value, kpi, lang), chart=text(chart, lang, k=k),
                  since=text("attention.since", lang, first=first) if v.length > 1 else "")
    out = text(f"attention.{v.rule}", lang, **fields)
    return out[:1].upper() + out[1:]


def records(s: Signal) -> tuple[str | None, dict[str, str]]:
    """The dossier set behind a signal's KPI and the dashboard's URL keys (ui/filters.py URL_KEYS) of
    its group and quarter: what its "open records" button sets, and the link the command line prints."""
    group = {"peer": {"level": s.level, "unit": s.key}, "procedure": {"proc": s.key},
             "field": {"field": s.key}}[s.by]
    return catalogue.load().records(s.kpi), {"g": "quarter", "p": s.period.code, **group}


def link(s: Signal, lang: str = "vi") -> str:
    """The dashboard link to a signal's records: /dossiers?lang=vi&g=quarter&p=...&unit=...&list=..."""
    set_code, params = records(s)
    return "/dossiers?" + urllib.parse.urlencode({"lang": lang, **params, **({"list": set_code} if set_code else {})})
