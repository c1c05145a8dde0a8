"""One year's appraisal criteria for one peer group, as data (reform/appraisal/criteria/<year>-<peer>.toml):
fields, criteria and sub-criteria with their maximum points and how each is scored. Loaded and checked
like the other reference data: every problem named with the criterion's code, nothing half-loaded."""
from __future__ import annotations

import functools
import hashlib
import pathlib
import tomllib
from dataclasses import dataclass, field

from reform import catalogue, periods

FOLDER = pathlib.Path(__file__).resolve().parent / "criteria"
METHODS = ("yesno", "stepped", "manual")
PEERS = ("province", "district", "commune")
EPS = 1e-9


class CriteriaError(ValueError):
    """What is wrong with a criteria file, every problem on its own line."""


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    max: float
    method: str | None = None           # None: scored by its sub-criteria
    kpi: str | None = None              # stepped: the catalogue indicator
    steps: tuple[tuple[float, float], ...] = ()
    subs: tuple[Criterion, ...] = ()
    field: str = ""

    @property
    def derivable(self) -> bool:
        """Scored from the dossier data (the data check computes it)."""
        return self.method == "stepped"

    def allowed(self, points: float) -> bool:
        """Points this criterion can give: 0 or the maximum (yes/no), a step's points or 0 (stepped),
        anything from 0 to the maximum (manual)."""
        if points is None or points != points or points < -EPS or points > self.max + EPS:
            return False
        if self.method == "yesno":
            return abs(points) < EPS or abs(points - self.max) < EPS
        if self.method == "stepped":
            return abs(points) < EPS or any(abs(points - p) < EPS for _, p in self.steps)
        return True

    def points(self, value: float | None) -> float | None:
        """A stepped criterion's points for an indicator value, compared as the dashboard shows it
        (catalogue.shown: 99,996 % shows as 100,00 % and earns what 100 % earns); None for no value."""
        if value is None or value != value:
            return None
        kpi = catalogue.load().kpis[self.kpi]
        shown = catalogue.shown(kpi, value)
        for threshold, pts in self.steps:
            mark = catalogue.shown(kpi, threshold)
            if (shown >= mark - EPS) if kpi.direction != "down" else (shown <= mark + EPS):
                return pts
        return 0.0


@dataclass(frozen=True)
class Criteria:
    year: int
    peer: str
    decision: str
    period: periods.Period
    lens: str | None
    fields: tuple[tuple[str, str], ...]     # (code, name)
    criteria: tuple[Criterion, ...]          # top-level criteria, each with its field code
    text: str = field(repr=False, default="")

    @property
    def leaves(self) -> list[Criterion]:
        """The criteria that are scored (those without sub-criteria), in order."""
        out = []

        def walk(c):
            if c.subs:
                for s in c.subs:
                    walk(s)
            else:
                out.append(c)
        for c in self.criteria:
            walk(c)
        return out

    @property
    def total(self) -> float:
        return sum(c.max for c in self.criteria)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def leaf(self, code: str) -> Criterion:
        for c in self.leaves:
            if c.code == code:
                return c
        raise KeyError(f"no scored criterion {code!r} in the {self.year} {self.peer} criteria")


def path_for(year: int, peer: str) -> pathlib.Path:
    return FOLDER / f"{year}-{peer}.toml"


def load(path: str | pathlib.Path) -> Criteria:
    path = pathlib.Path(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise CriteriaError(f"{path}: cannot read: {e}") from None
    return parse(raw_text, str(path))


@functools.lru_cache(maxsize=32)  # a round's text never changes, and every page run reads it once published
def parse(raw_text: str, where: str = "criteria") -> Criteria:
    try:
        raw = tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as e:
        raise CriteriaError(f"{where}: not TOML: {e}") from None
    problems: list[str] = []
    year, peer = raw.get("year"), raw.get("peer")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(f"year must be a year such as 2025, not {year!r}")
    if peer not in PEERS:
        problems.append(f"peer must be one of {', '.join(PEERS)}, not {peer!r}")
    try:
        period = periods.parse(str(raw.get("period", year)))
    except ValueError as e:
        problems.append(f"period: {e}")
        period = None
    lens = raw.get("lens")
    if lens not in (None, "recorded", "restated"):
        problems.append(f"lens must be recorded or restated, not {lens!r}")
    kpis = catalogue.load().kpis
    seen: set[str] = set()
    fields, top = [], []

    def build(d: dict, parent: str, field_code: str) -> Criterion | None:
        code, name = str(d.get("code", "")), d.get("name")
        at = f"criterion {code or '(no code)'}"
        if not code or not isinstance(name, str) or not name.strip():
            problems.append(f"{at}: needs a code and a name")
            return None
        if code in seen:
            problems.append(f"{at}: the code is used twice")
        seen.add(code)
        if not code.startswith(parent + "."):
            problems.append(f"{at}: its code must begin with {parent}.")
        subs = tuple(c for c in (build(s, code, field_code) for s in d.get("sub", [])) if c is not None)
        method, kpi, steps = d.get("method"), d.get("kpi"), d.get("steps", [])
        maximum = d.get("max")
        if subs:
            if method or kpi or steps:
                problems.append(f"{at}: has sub-criteria, so no method, kpi or steps of its own")
            total = sum(s.max for s in subs)
            if maximum is not None and abs(maximum - total) > EPS:
                problems.append(f"{at}: max {maximum:g} is not the sum of its sub-criteria ({total:g})")
            maximum = total
        else:
            if not isinstance(maximum, int | float) or maximum <= 0:
                problems.append(f"{at}: max must be a number of points above 0")
                maximum = 0.0
            if method not in METHODS:
                problems.append(f"{at}: method must be one of {', '.join(METHODS)}, not {method!r}")
            if method == "stepped":
                k = kpis.get(kpi)
                if k is None or k.kind != "ratio":
                    problems.append(f"{at}: kpi must be a rate of the catalogue (e.g. F10), not {kpi!r}")
                if not steps or any(not (isinstance(s, list) and len(s) == 2) for s in steps):
                    problems.append(f"{at}: steps must be [threshold, points] pairs")
                else:
                    pts = [s[1] for s in steps]
                    marks = [s[0] for s in steps]
                    down = k is not None and k.direction == "down"
                    if any(p > maximum + EPS or p < 0 for p in pts) or pts != sorted(pts, reverse=True):
                        problems.append(f"{at}: steps' points must fall from at most max ({maximum:g}) to above 0")
                    if marks != sorted(marks, reverse=not down) or len(set(marks)) != len(marks):
                        problems.append(f"{at}: steps' thresholds must go from best to worst")
            elif kpi or steps:
                problems.append(f"{at}: only a stepped criterion has kpi and steps")
        return Criterion(code, name.strip(), float(maximum or 0), None if subs else method, kpi,
                         tuple((float(a), float(b)) for a, b in steps if not subs) if not subs else (), subs, field_code)

    for f in raw.get("field", []):
        fcode, fname = str(f.get("code", "")), f.get("name")
        if not fcode or not isinstance(fname, str):
            problems.append(f"field {fcode or '(no code)'}: needs a code and a name")
            continue
        if fcode in seen:
            problems.append(f"field {fcode}: the code is used twice")
        seen.add(fcode)
        fields.append((fcode, fname.strip()))
        crits = f.get("criterion", [])
        if not crits:
            problems.append(f"field {fcode}: has no criterion")
        top += [c for c in (build(d, fcode, fcode) for d in crits) if c is not None]
    if not fields:
        problems.append("no field: the file needs [[field]] tables with [[field.criterion]] in them")
    if problems:
        raise CriteriaError(f"{where}:\n" + "\n".join(f"- {p}" for p in problems))
    return Criteria(year, peer, str(raw.get("decision", "")), period, lens, tuple(fields), tuple(top), raw_text)

