"""The KPI catalogue (catalogue.toml) as data: definitions, targets, bands and the score weights."""
from __future__ import annotations

import functools
import pathlib
import tomllib
from dataclasses import dataclass, field

from reform.rounding import rounded

PATH = pathlib.Path(__file__).resolve().parent / "catalogue.toml"


@dataclass(frozen=True)
class Kpi:
    code: str
    name_vi: str
    name_en: str
    kind: str                      # count | ratio | mean | score
    source: str                    # dossiers | procedures | score
    format: str
    direction: str
    count: str | None = None
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    target: float | None = None
    bands: dict = field(default_factory=dict)
    points: float | None = None
    threshold: float | None = None
    extra: dict = field(default_factory=dict)

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def definition(self, lang: str = "vi") -> str:
        return self.extra.get(f"def_{lang}", "")

    @property
    def good_from(self) -> float | None:
        """Where the good band ("Đạt") starts: the target when there is one (met = at or past it),
        else bands.good (the score, which has no target)."""
        return self.target if self.target is not None else self.bands.get("good")

    def band(self, value: float | None) -> str | None:
        """good | fair | poor: good at or past good_from, fair at or past bands.fair, by the KPI's
        direction (None without bands or value)."""
        if _missing(value) or not self.bands:
            return None
        if self.reaches(value, self.good_from):
            return "good"
        return "fair" if self.reaches(value, self.bands["fair"]) else "poor"

    def reaches(self, value: float, mark: float) -> bool:
        """value at or past mark by the direction (down: at or below); 1e-9 absorbs float noise only."""
        sign = -1 if self.direction == "down" else 1
        return sign * (value - mark) >= -1e-9


@dataclass(frozen=True)
class Catalogue:
    kpis: dict[str, Kpi]
    score_bands: tuple[dict, ...]
    score_scale: float
    band_names: dict = field(default_factory=dict)
    record_sets: tuple[str, ...] = ()   # the dossier list's sets ([records] sets)
    record_of: dict = field(default_factory=dict)  # indicator -> the set of its dossiers
    formats: dict = field(default_factory=dict)    # format -> {scale, decimals, delta_decimals}
    due_days: tuple[int, ...] = (3,)    # the DUE set's horizons in working days ([records] due_days)
    due_default: int = 3
    signals: dict = field(default_factory=dict)   # what needs attention: [signals] (reform/signals.py)
    forecast: dict = field(default_factory=dict)  # [forecast] (reform/forecast.py)
    headline: tuple[str, ...] = ()     # [headline] cards: the Overview's and the brief's indicators

    def records(self, code: str) -> str | None:
        """The dossier set behind an indicator: its own set, or the one [records] names; None if none."""
        return code if code in self.record_sets else self.record_of.get(code)

    def band_name(self, band: str | None, lang: str = "vi") -> str | None:
        return None if band is None else self.band_names.get(band, {}).get(f"name_{lang}", band)

    def score_band(self, score: float | None) -> dict | None:
        """The rating of a score: the first band whose min it reaches (1e-9 absorbs float noise only,
        as Kpi.reaches does, so a badge and its label never disagree)."""
        if _missing(score):
            return None
        return next(b for b in self.score_bands if score - b["min"] >= -1e-9)

    def computed(self) -> list[Kpi]:
        return [k for k in self.kpis.values() if k.kind != "reported"]

    def reported(self) -> list[Kpi]:
        return [k for k in self.kpis.values() if k.kind == "reported"]


def _missing(value) -> bool:
    """None, NaN or pandas' NA/NaT: no value to band."""
    try:
        return value is None or bool(value != value)
    except TypeError:   # pd.NA != pd.NA is NA, which refuses a truth value
        return True


def _check_bands(k: Kpi) -> None:
    """Bands agree with the target: "good" is the target itself (so no bands.good beside a target),
    and "fair" lies short of the good mark, on the KPI's side."""
    if not k.bands:
        return
    if k.direction not in ("up", "down"):
        raise ValueError(f"catalogue: {k.code} has bands but direction {k.direction!r} (up or down needed)")
    if k.target is not None and "good" in k.bands:
        raise ValueError(f"catalogue: {k.code} has a target, so good means at or past it: drop bands.good")
    if k.good_from is None or "fair" not in k.bands:
        raise ValueError(f"catalogue: {k.code} bands need fair and a target (or bands.good)")
    if not k.reaches(k.good_from, k.bands["fair"]) or k.reaches(k.bands["fair"], k.good_from):
        raise ValueError(f"catalogue: {k.code} bands.fair must lie short of the target (direction {k.direction})")


@functools.cache
def load(path: pathlib.Path = PATH) -> Catalogue:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    known = set(Kpi.__dataclass_fields__) - {"code", "extra"}
    kpis = {}
    for code, d in raw["kpi"].items():
        args = {k: (tuple(v) if k in ("numerator", "denominator") else v) for k, v in d.items() if k in known}
        kpis[code] = Kpi(code=code, extra={k: v for k, v in d.items() if k not in known}, **args)
        _check_bands(kpis[code])
    bands = tuple(sorted(raw["score"]["bands"], key=lambda b: -b["min"]))
    rec = raw.get("records", {})
    record_of = rec.get("of", {})
    if set(record_of.values()) - set(rec.get("sets", ())):
        raise ValueError("catalogue: [records] of names a set that [records] sets does not list")
    formats = raw.get("formats", {})
    unknown = {k.format for k in kpis.values()} - set(formats)
    if unknown or any(set(f) != {"scale", "decimals", "delta_decimals"} for f in formats.values()):
        raise ValueError(f"catalogue: [formats] needs scale, decimals, delta_decimals for {sorted(unknown) or 'each'}")
    due_days = tuple(rec.get("due_days", (3,)))
    due_default = rec.get("due_default", due_days[0])
    if due_default not in due_days or any(not isinstance(d, int) or d < 0 for d in due_days):
        raise ValueError("catalogue: [records] due_days must be whole numbers of days holding due_default")
    headline = tuple(raw.get("headline", {}).get("cards", ()))
    if set(headline) - set(kpis):
        raise ValueError(f"catalogue: [headline] cards names unknown indicators {sorted(set(headline) - set(kpis))}")
    return Catalogue(kpis, bands, float(raw["score"].get("scale", 100)), raw.get("band_names", {}),
                     tuple(rec.get("sets", ())), record_of, formats, due_days, due_default, raw.get("signals", {}),
                     raw.get("forecast", {}), headline)


def shown(kpi: Kpi, value) -> float | None:
    """The value as its format shows it (scaled and rounded), for ties and ranks; None for no value."""
    if _missing(value):
        return None
    f = load().formats[kpi.format]
    return float(rounded(f["scale"] * value, f["decimals"]))


def shown_change(kpi: Kpi, delta) -> float | None:
    """A change between two values as its format shows it (a share's in percentage points)."""
    if _missing(delta):
        return None
    f = load().formats[kpi.format]
    return float(rounded(f["scale"] * delta, f["delta_decimals"]))
