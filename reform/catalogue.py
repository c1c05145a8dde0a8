"""The KPI catalogue (catalogue.toml) as data: definitions, targets, bands and the score weights."""
from __future__ import annotations

import functools
import pathlib
import tomllib
from dataclasses import dataclass, field

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

    def band(self, value: float | None) -> str | None:
        """good | fair | poor by the catalogue bands (None without bands or value)."""
        if value is None or not self.bands:
            return None
        sign = -1 if self.direction == "down" else 1
        if sign * value >= sign * self.bands["good"]:
            return "good"
        if sign * value >= sign * self.bands["fair"]:
            return "fair"
        return "poor"


@dataclass(frozen=True)
class Catalogue:
    kpis: dict[str, Kpi]
    score_bands: tuple[dict, ...]
    score_scale: float
    band_names: dict = field(default_factory=dict)

    def band_name(self, band: str | None, lang: str = "vi") -> str | None:
        return None if band is None else self.band_names.get(band, {}).get(f"name_{lang}", band)

    def score_band(self, score: float | None) -> dict | None:
        if score is None:
            return None
        return next(b for b in self.score_bands if score >= b["min"])

    def computed(self) -> list[Kpi]:
        return [k for k in self.kpis.values() if k.kind != "reported"]

    def reported(self) -> list[Kpi]:
        return [k for k in self.kpis.values() if k.kind == "reported"]


@functools.cache
def load(path: pathlib.Path = PATH) -> Catalogue:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    known = set(Kpi.__dataclass_fields__) - {"code", "extra"}
    kpis = {}
    for code, d in raw["kpi"].items():
        args = {k: (tuple(v) if k in ("numerator", "denominator") else v) for k, v in d.items() if k in known}
        kpis[code] = Kpi(code=code, extra={k: v for k, v in d.items() if k not in known}, **args)
    bands = tuple(sorted(raw["score"]["bands"], key=lambda b: -b["min"]))
    return Catalogue(kpis, bands, float(raw["score"].get("scale", 100)), raw.get("band_names", {}))
