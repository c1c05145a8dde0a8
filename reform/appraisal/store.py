"""The appraisal store: one SQLite file in WAL mode (standard library; many readers and one writer at a
time, each change a short transaction that waits for the lock), apart from the KPI database, which an
import replaces whole. Every function takes the Actor doing it and checks its right here, where the data
are read and written, not in the page that shows a button. Every change writes the rows before and after
into the audit trail in the same transaction (replay() rebuilds the state from it). A score carries a
version: an edit made against an older version is refused with who changed it and when (Conflict)."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import pathlib
import sqlite3
from dataclasses import dataclass

from reform.appraisal import criteria as crit

ROLES = ("officer", "council", "secretary", "viewer")
ENTRY_STATUSES = ("draft", "submitted", "under_appraisal", "returned", "appraised", "published")
DECISIONS = ("accepted", "adjusted", "returned")
BUSY_MS = 15_000

SCHEMA = """
create table if not exists rounds (
    id integer primary key, year integer not null, peer text not null, criteria text not null,
    criteria_sha256 text not null,
    status text not null default 'open' check (status in ('open', 'closed', 'published')),
    version integer not null default 1, updated_by text not null, updated_at text not null,
    unique (year, peer));
create table if not exists entries (
    round_id integer not null references rounds (id), unit_code text not null,
    status text not null default 'draft' check (status in
        ('draft', 'submitted', 'under_appraisal', 'returned', 'appraised', 'published')),
    version integer not null default 1, updated_by text not null, updated_at text not null,
    primary key (round_id, unit_code));
create table if not exists scores (
    round_id integer not null, unit_code text not null, criterion text not null,
    self_points real, self_note text, explanation text,
    decision text check (decision in ('accepted', 'adjusted', 'returned')), council_points real,
    council_comment text,
    version integer not null default 1, updated_by text not null, updated_at text not null,
    primary key (round_id, unit_code, criterion),
    foreign key (round_id, unit_code) references entries (round_id, unit_code));
create table if not exists evidence (
    round_id integer not null, unit_code text not null, criterion text not null, sha256 text not null,
    name text not null, kind text not null, size integer not null, added_by text not null, added_at text not null,
    primary key (round_id, unit_code, criterion, sha256),
    foreign key (round_id, unit_code) references entries (round_id, unit_code));
create table if not exists audit (
    id integer primary key autoincrement, at text not null, who text not null, role text not null,
    action text not null, tbl text not null, key text not null, before text, after text);
"""
KEYS = {"rounds": ("id",), "entries": ("round_id", "unit_code"), "scores": ("round_id", "unit_code", "criterion"),
        "evidence": ("round_id", "unit_code", "criterion", "sha256")}


class Refused(PermissionError):
    """The actor may not do this (its role, its unit, or the entry's status)."""


class Conflict(RuntimeError):
    """Someone changed the row since the version the edit was made on."""

    def __init__(self, who: str, when: str, version: int):
        super().__init__(f"changed meanwhile by {who} at {when} (version {version}): reload and edit again")
        self.who, self.when, self.version = who, when, version


@dataclass(frozen=True)
class Actor:
    who: str                    # the signed-in account (e-mail), or the OS user on the command line
    role: str                   # officer, council, secretary or viewer
    unit: str | None = None     # an officer's own unit

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role == "officer" and not self.unit:
            raise ValueError("an officer belongs to a unit")


def default_path() -> pathlib.Path:
    """REFORM_APPRAISAL, or appraisal/appraisal.sqlite beside the repository's code (not a served folder)."""
    return pathlib.Path(os.environ.get("REFORM_APPRAISAL") or pathlib.Path(__file__).resolve().parents[2]
                        / "appraisal" / "appraisal.sqlite")


class Store:
    def __init__(self, path: str | os.PathLike | None = None):
        self.path = pathlib.Path(path or default_path())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect()
        try:
            con.executescript(SCHEMA)       # its own transaction (executescript commits first)
        finally:
            con.close()

    # -- connection -------------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
        con.row_factory = sqlite3.Row
        con.execute("pragma journal_mode = wal")
        con.execute("pragma foreign_keys = on")
        con.execute(f"pragma busy_timeout = {BUSY_MS}")
        con.execute("pragma synchronous = full")
        return con

    @contextlib.contextmanager
    def _tx(self):
        """One write transaction, taken at once (begin immediate): two writers queue, neither fails."""
        con = self._connect()
        try:
            con.execute("begin immediate")
            yield con
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        finally:
            con.close()

    def _read(self, sql: str, params=()) -> list[dict]:
        con = self._connect()
        try:
            return [dict(r) for r in con.execute(sql, params).fetchall()]
        finally:
            con.close()

    # -- audit ------------------------------------------------------------------------------------------
    @staticmethod
    def _row(con, table: str, key: dict) -> dict | None:
        where = " and ".join(f"{k} = ?" for k in key)
        r = con.execute(f"select * from {table} where {where}", tuple(key.values())).fetchone()
        return dict(r) if r else None

    def _write(self, con, actor: Actor, action: str, table: str, key: dict, values: dict | None) -> dict | None:
        """Insert, update (values: the columns to set) or delete (None) one row, and audit it. An empty
        key inserts a round (its id comes from SQLite)."""
        before = self._row(con, table, key) if key else None
        now = _now()
        if values is None:
            con.execute(f"delete from {table} where " + " and ".join(f"{k} = ?" for k in key), tuple(key.values()))
            after = None
        else:
            stamp = {"updated_by": actor.who, "updated_at": now} if table != "evidence" else {}
            if before is None:
                row = {**key, **values, **stamp}
                cur = con.execute(f"insert into {table} ({', '.join(row)}) values ({', '.join('?' * len(row))})",
                                  tuple(row.values()))
                if table == "rounds" and "id" not in key:
                    key = {"id": cur.lastrowid}
            else:
                row = {**values, **stamp}
                if "version" in before:
                    row["version"] = before["version"] + 1
                con.execute(f"update {table} set {', '.join(f'{k} = ?' for k in row)} where "
                            + " and ".join(f"{k} = ?" for k in key), (*row.values(), *key.values()))
            after = self._row(con, table, key)
        con.execute("insert into audit (at, who, role, action, tbl, key, before, after) values (?, ?, ?, ?, ?, ?, ?, ?)",
                    (now, actor.who, actor.role, action, table, json.dumps(key, ensure_ascii=False),
                     None if before is None else json.dumps(before, ensure_ascii=False),
                     None if after is None else json.dumps(after, ensure_ascii=False)))
        return after

    # -- rounds -----------------------------------------------------------------------------------------
    def open_round(self, actor: Actor, criteria: crit.Criteria, units: list[str]) -> int:
        """The secretary opens a round for a year and peer group, with a draft entry for each unit."""
        _need(actor, "secretary")
        with self._tx() as con:
            if con.execute("select 1 from rounds where year = ? and peer = ?", (criteria.year, criteria.peer)).fetchone():
                raise Refused(f"a {criteria.year} round for the {criteria.peer} level exists already")
            row = self._write(con, actor, "open round", "rounds", {},
                              {"year": criteria.year, "peer": criteria.peer, "criteria": criteria.text,
                               "criteria_sha256": criteria.sha256, "status": "open"})
            for unit in units:
                self._write(con, actor, "open round", "entries", {"round_id": row["id"], "unit_code": unit},
                            {"status": "draft"})
            return row["id"]

    def round(self, round_id: int) -> dict:
        rows = self._read("select * from rounds where id = ?", (round_id,))
        if not rows:
            raise KeyError(f"no appraisal round {round_id}")
        return rows[0]

    def rounds(self) -> list[dict]:
        return self._read("select id, year, peer, status, updated_at from rounds order by year desc, peer")

    def criteria(self, round_id: int) -> crit.Criteria:
        """The criteria as the round was opened with (the file may have changed since)."""
        return crit.parse(self.round(round_id)["criteria"], f"round {round_id}")

    # -- reading, within the actor's right --------------------------------------------------------------
    def queue(self, actor: Actor, round_id: int) -> list[dict]:
        """Units × status: every unit for the council and the secretary, an officer's own unit only,
        and for a viewer the units once the round is published."""
        rows = self._read("select unit_code, status, version, updated_by, updated_at from entries where round_id = ? "
                          "order by unit_code", (round_id,))
        return [r for r in rows if _may_read(actor, r["unit_code"], r["status"])]

    def entry(self, actor: Actor, round_id: int, unit: str) -> dict:
        """One unit's entry: its status, its scores by criterion and their evidence."""
        rows = self._read("select * from entries where round_id = ? and unit_code = ?", (round_id, unit))
        if not rows or not _may_read(actor, unit, rows[0]["status"]):
            raise Refused(f"{actor.who} may not read the entry of unit {unit}")   # the same for one that is not
        scores = {r["criterion"]: r for r in self._read(
            "select * from scores where round_id = ? and unit_code = ?", (round_id, unit))}
        evidence: dict[str, list[dict]] = {}
        for r in self._read("select * from evidence where round_id = ? and unit_code = ? order by added_at",
                            (round_id, unit)):
            evidence.setdefault(r["criterion"], []).append(r)
        return {**rows[0], "scores": scores, "evidence": evidence}

    def evidence_file(self, actor: Actor, round_id: int, unit: str, sha256: str, folder) -> tuple[str, bytes]:
        """An evidence file's name and bytes, for whoever may read the unit's entry, and only a file
        linked to that unit (a hash alone opens nothing)."""
        self.entry(actor, round_id, unit)           # refuses whoever may not read the entry
        rows = self._read("select name from evidence where round_id = ? and unit_code = ? and sha256 = ?",
                          (round_id, unit, sha256))
        if not rows:
            raise Refused(f"no such evidence in the entry of unit {unit}")
        from reform.appraisal import evidence
        return rows[0]["name"], evidence.path_of(folder, sha256).read_bytes()

    # -- the unit's own work ----------------------------------------------------------------------------
    def self_assess(self, actor: Actor, round_id: int, unit: str, code: str, points: float, note: str = "",
                    version: int | None = None) -> dict:
        """An officer's score for one criterion of its own unit, while the entry is a draft or returned.
        `version`: the score's version the officer saw (None: a first score)."""
        _own(actor, unit)
        leaf = self.criteria(round_id).leaf(code)
        if not leaf.allowed(points):
            raise ValueError(f"{points!r} points are not possible for criterion {code} ({leaf.method}, max {leaf.max:g})")
        with self._tx() as con:
            _round_open(con, round_id)
            _entry_status(con, round_id, unit, ("draft", "returned"))
            key = {"round_id": round_id, "unit_code": unit, "criterion": code}
            _check_version(self._row(con, "scores", key), version)
            return self._write(con, actor, "self-assess", "scores", key,
                               {"self_points": float(points), "self_note": note})

    def explain(self, actor: Actor, round_id: int, unit: str, code: str, explanation: str,
                version: int | None) -> dict:
        """The unit's written explanation: of a returned criterion, or of a difference the data check found."""
        _own(actor, unit)
        if not explanation.strip():
            raise ValueError("an explanation needs words")
        with self._tx() as con:
            _round_open(con, round_id)
            _entry_status(con, round_id, unit, ("draft", "returned"))
            key = {"round_id": round_id, "unit_code": unit, "criterion": code}
            _check_version(self._row(con, "scores", key), version)
            return self._write(con, actor, "explain", "scores", key, {"explanation": explanation})

    def add_evidence(self, actor: Actor, round_id: int, unit: str, code: str, sha256: str, name: str, kind: str,
                     size: int) -> None:
        """Link a stored evidence file (evidence.store) to a criterion of the officer's own unit."""
        _own(actor, unit)
        self.criteria(round_id).leaf(code)
        with self._tx() as con:
            _round_open(con, round_id)
            _entry_status(con, round_id, unit, ("draft", "returned"))
            self._write(con, actor, "add evidence", "evidence",
                        {"round_id": round_id, "unit_code": unit, "criterion": code, "sha256": sha256},
                        {"name": name, "kind": kind, "size": size, "added_by": actor.who, "added_at": _now()})

    def submit(self, actor: Actor, round_id: int, unit: str) -> None:
        """The officer submits: every criterion scored; the entry is locked for the unit."""
        _own(actor, unit)
        leaves = self.criteria(round_id).leaves
        with self._tx() as con:
            _round_open(con, round_id)
            _entry_status(con, round_id, unit, ("draft", "returned"))
            scored = {r[0] for r in con.execute("select criterion from scores where round_id = ? and unit_code = ? "
                                                "and self_points is not null", (round_id, unit))}
            missing = [c.code for c in leaves if c.code not in scored]
            if missing:
                raise ValueError(f"not scored yet: {', '.join(missing)}")
            returned = [r[0] for r in con.execute("select criterion from scores where round_id = ? and unit_code = ? "
                                                  "and decision = 'returned' and coalesce(explanation, '') = ''",
                                                  (round_id, unit))]
            if returned:
                raise ValueError(f"returned for an explanation, none given: {', '.join(returned)}")
            self._write(con, actor, "submit", "entries", {"round_id": round_id, "unit_code": unit},
                        {"status": "submitted"})

    # -- the council ------------------------------------------------------------------------------------
    def decide(self, actor: Actor, round_id: int, unit: str, code: str, decision: str, version: int,
               points: float | None = None, comment: str = "") -> dict:
        """A council member accepts a score, adjusts it (new points and a comment required) or returns it
        to the unit for an explanation (a comment required). `version` is the score's version the member
        saw: two members deciding the same criterion at once cannot overwrite each other."""
        _need(actor, "council", "secretary")
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
        leaf = self.criteria(round_id).leaf(code)
        if decision != "accepted" and not comment.strip():
            raise ValueError(f"{decision}: a comment is required")
        if decision == "adjusted" and (points is None or not leaf.allowed(points)):
            raise ValueError(f"{points!r} points are not possible for criterion {code} ({leaf.method}, max {leaf.max:g})")
        with self._tx() as con:
            _round_open(con, round_id)
            status = _entry_status(con, round_id, unit, ("submitted", "under_appraisal"))
            key = {"round_id": round_id, "unit_code": unit, "criterion": code}
            before = self._row(con, "scores", key)
            _check_version(before, version)
            if before is None:
                raise ValueError(f"criterion {code} of unit {unit} has no score to decide on")
            council = {"accepted": before["self_points"], "adjusted": points, "returned": None}[decision]
            after = self._write(con, actor, decision, "scores", key,
                                {"decision": decision, "council_points": council, "council_comment": comment})
            new = "returned" if decision == "returned" else "under_appraisal"
            if decision != "returned" and con.execute(
                    "select count(*) from scores where round_id = ? and unit_code = ? and decision = 'returned'",
                    (round_id, unit)).fetchone()[0]:
                new = "returned"
            if new != status:
                self._write(con, actor, decision, "entries", {"round_id": round_id, "unit_code": unit},
                            {"status": new})
            return after

    def appraise(self, actor: Actor, round_id: int, unit: str) -> None:
        """The unit's appraisal is done: every criterion accepted or adjusted."""
        _need(actor, "council", "secretary")
        leaves = self.criteria(round_id).leaves
        with self._tx() as con:
            _round_open(con, round_id)
            _entry_status(con, round_id, unit, ("under_appraisal",))
            done = {r[0] for r in con.execute("select criterion from scores where round_id = ? and unit_code = ? "
                                              "and decision in ('accepted', 'adjusted')", (round_id, unit))}
            missing = [c.code for c in leaves if c.code not in done]
            if missing:
                raise ValueError(f"not decided yet: {', '.join(missing)}")
            self._write(con, actor, "appraise", "entries", {"round_id": round_id, "unit_code": unit},
                        {"status": "appraised"})

    def close(self, actor: Actor, round_id: int) -> None:
        """The secretary closes the round once every unit is appraised: the scores are fixed."""
        _need(actor, "secretary")
        with self._tx() as con:
            _round_open(con, round_id)
            open_ = [r[0] for r in con.execute("select unit_code from entries where round_id = ? and status <> 'appraised'",
                                               (round_id,))]
            if open_:
                raise ValueError(f"not appraised yet: {', '.join(open_)}")
            self._write(con, actor, "close", "rounds", {"id": round_id}, {"status": "closed"})

    def publish(self, actor: Actor, round_id: int) -> None:
        _need(actor, "secretary")
        with self._tx() as con:
            if con.execute("select status from rounds where id = ?", (round_id,)).fetchone()[0] != "closed":
                raise Refused("only a closed round is published")
            self._write(con, actor, "publish", "rounds", {"id": round_id}, {"status": "published"})
            for (unit,) in con.execute("select unit_code from entries where round_id = ?", (round_id,)).fetchall():
                self._write(con, actor, "publish", "entries", {"round_id": round_id, "unit_code": unit},
                            {"status": "published"})

    def results(self, actor: Actor, round_id: int) -> list[dict]:
        """The appraised totals per unit with their competition rank (1, 1, 3) and share of the
        maximum: for the council and secretary once closed, for everyone once published."""
        r = self.round(round_id)
        if r["status"] == "open" or (r["status"] == "closed" and actor.role not in ("council", "secretary")):
            raise Refused("the results are not published")
        total = self.criteria(round_id).total
        rows = self._read("select unit_code, sum(council_points) as points from scores where round_id = ? "
                          "group by unit_code", (round_id,))
        rows.sort(key=lambda x: (-round(x["points"], 6), x["unit_code"]))
        out, rank = [], 0
        for i, x in enumerate(rows):
            if i == 0 or round(x["points"], 6) != round(rows[i - 1]["points"], 6):
                rank = i + 1
            out.append({**x, "rank": rank, "index": 100 * x["points"] / total})
        return out

    def published(self, unit: str) -> list[dict]:
        """A unit's appraised index in every published round, newest first: year, peer, points, index
        (% of the maximum), rank and the number of units ranked. Public: published results are."""
        out = []
        for r in self._read("select id, year, peer, updated_at from rounds where status = 'published' "
                            "order by year desc"):
            results = self.results(Actor("public", "viewer"), r["id"])
            mine = [x for x in results if x["unit_code"] == unit]
            if mine:
                out.append({"year": r["year"], "peer": r["peer"], "published": r["updated_at"][:10],
                            "of": len(results), **mine[0]})
        return out

    # -- the trail --------------------------------------------------------------------------------------
    def audit(self) -> list[dict]:
        return self._read("select * from audit order by id")

    def state(self) -> dict[str, list[dict]]:
        """Every row of every table but the audit, ordered by key: what replay() must rebuild."""
        return {t: self._read(f"select * from {t} order by {', '.join(k)}") for t, k in KEYS.items()}

    def backup(self, target: str | os.PathLike) -> pathlib.Path:
        """A consistent copy of the store (SQLite's online backup), safe while others write."""
        target = pathlib.Path(target)
        src = self._connect()
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return target


def replay(audit: list[dict]) -> dict[str, list[dict]]:
    """The state the audit trail leads to, rebuilt from nothing: each change's row after it (or its
    removal), in order."""
    tables: dict[str, dict[tuple, dict]] = {t: {} for t in KEYS}
    for a in audit:
        key = tuple(json.loads(a["key"]).values())
        if a["after"] is None:
            tables[a["tbl"]].pop(key, None)
        else:
            row = json.loads(a["after"])
            tables[a["tbl"]][tuple(row[k] for k in KEYS[a["tbl"]])] = row
    return {t: [rows[k] for k in sorted(rows)] for t, rows in tables.items()}


# -- rules ---------------------------------------------------------------------------------------------
def _need(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise Refused(f"{actor.who} ({actor.role}) may not do this: it is for the {' or '.join(roles)}")


def _own(actor: Actor, unit: str) -> None:
    if actor.role != "officer" or actor.unit != unit:
        raise Refused(f"{actor.who} may not write the entry of unit {unit}: only its own officer may")


def _may_read(actor: Actor, unit: str, status: str) -> bool:
    if actor.role in ("council", "secretary"):
        return True
    if actor.role == "officer":
        return actor.unit == unit
    return status == "published"


def _round_open(con, round_id: int) -> None:
    row = con.execute("select status from rounds where id = ?", (round_id,)).fetchone()
    if row is None:
        raise KeyError(f"no appraisal round {round_id}")
    if row[0] != "open":
        raise Refused(f"the round is {row[0]}: nothing in it changes any more")


def _entry_status(con, round_id: int, unit: str, allowed: tuple[str, ...]) -> str:
    row = con.execute("select status from entries where round_id = ? and unit_code = ?", (round_id, unit)).fetchone()
    if row is None:
        raise KeyError(f"unit {unit} has no entry in round {round_id}")
    if row[0] not in allowed:
        raise Refused(f"the entry of unit {unit} is {row[0]}: this needs it {' or '.join(allowed)}")
    return row[0]


def _check_version(row: dict | None, version: int | None) -> None:
    if row is None:
        if version not in (None, 0):
            raise Conflict("nobody", "—", 0)
        return
    if version != row["version"]:
        raise Conflict(row["updated_by"], row["updated_at"], row["version"])


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
