"""The databases the benchmark runs on, and the rows that time building them: generation (`python -m
reform generate` in a child process: time, rows/s, peak RSS; a database in --data-dir is reused unless
--rebuild or a generator source is newer), import of a 1 M-row dossier CSV (scale >= 1) and the summary
rebuild alone."""
from __future__ import annotations

import importlib.util
import pathlib
import shutil
import sys
import time

from bench.harness import ROOT, child_failure, run_child, worker_cmd, worker_result

DEFAULT_DATA_DIR = ROOT / "bench" / "data"
ROWS_PER_SCALE = 6.0e6          # dossiers at scale 1, used for "50M" when no generated db tells better


def scale_label(s: float) -> str:
    return f"{s:g}"


def parse_scales(text: str, data_dir: pathlib.Path) -> list[tuple[str, float]]:
    """'0.01,1,10,50M' -> [(label, scale)]; '50M' = the scale giving about 50 million dossiers."""
    out = []
    for part in (p.strip() for p in str(text).split(",")):
        if not part:
            continue
        if part.upper().endswith("M"):
            rows = float(part[:-1]) * 1e6
            s = round(rows / rows_per_scale(data_dir), 2)
            out.append((f"{part.upper()} (scale {s:g})", s))
        else:
            s = float(part)
            if s <= 0:
                raise ValueError(f"scale must be positive: {part!r}")
            out.append((scale_label(s), s))
    return out


def rows_per_scale(data_dir: pathlib.Path) -> float:
    """Dossiers per unit of scale, from the largest database already generated (else ROWS_PER_SCALE)."""
    import duckdb
    best = None
    for p in data_dir.glob("scale-*.duckdb"):
        try:
            s = float(p.stem.removeprefix("scale-"))
        except ValueError:
            continue
        if s >= 0.1 and (best is None or s > best[0]):
            best = (s, p)
    if best is None:
        return ROWS_PER_SCALE
    try:
        con = duckdb.connect(str(best[1]), read_only=True)
        try:
            return con.execute("select count(*) from dossiers").fetchall()[0][0] / best[0]
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - locked or broken file: fall back to the constant
        return ROWS_PER_SCALE


GENERATOR_SOURCES = ("reform/generate.py", "reform/db.py", "reform/kept.py", "reform/sql/*.sql", "sample_data/*.csv")


def stale_reason(path: pathlib.Path) -> str | None:
    """Why an existing database cannot be reused: a generator source or summary SQL is newer."""
    built = path.stat().st_mtime
    newer = [str(f.relative_to(ROOT)) for pat in GENERATOR_SOURCES for f in ROOT.glob(pat)
             if f.stat().st_mtime > built]
    return f"older than {', '.join(sorted(newer))}" if newer else None


def step_generate(path: pathlib.Path, scale: float, rebuild: bool, log) -> dict:
    if path.exists() and not rebuild:
        why = stale_reason(path)
        if why is None:
            log(f"  reusing {path}")
            return {"reused": True}
        log(f"  {path.name} is {why}: regenerating")
    log(f"  generating {path.name} ...")
    r = run_child([sys.executable, "-m", "reform", "generate", "--db", str(path), "--scale", repr(scale)])
    (path.parent / f"{path.stem}.generate.log").write_text(r["stderr"], encoding="utf-8")
    if r["rc"] != 0:
        return {"failed": child_failure(r), "rss_mb": r["rss_mb"], "wall": r["wall"]}
    return {"reused": False, "wall": r["wall"], "rss_mb": r["rss_mb"]}


def step_import(path: pathlib.Path, scale: float, data_dir: pathlib.Path, log) -> dict:
    out: dict = {}
    if importlib.util.find_spec("reform.importer") is None:
        return {"import": "n/a (importer missing)", "rebuild": _rebuild(path, data_dir, log)}
    if scale < 1:
        out["import"] = "n/a (scale < 1: the 1 M-row CSV needs scale ≥ 1)"
    else:
        import duckdb
        csv = data_dir / "dossiers-1M.csv"
        tag = f"{path.stem}"
        log("  writing the 1 M-row CSV ...")
        con = duckdb.connect(str(path), read_only=True)
        try:
            t0 = time.perf_counter()
            con.execute(f"copy (select * from dossiers limit 1000000) to '{csv}' (header, delimiter ',')")
            t_csv = time.perf_counter() - t0
        finally:
            con.close()
        n_csv = sum(1 for _ in csv.open("rb")) - 1
        target = data_dir / f"import-{tag}.duckdb"  # built fresh: the schema may have changed since last time
        target.unlink(missing_ok=True)
        rr = run_child(worker_cmd("refdb", db=str(target)))
        if rr["rc"] != 0:
            return {"import": "failed to build the reference-only database: " + child_failure(rr),
                    "rebuild": _rebuild(path, data_dir, log)}
        log(f"  importing {n_csv:,} rows ...")
        r = run_child([sys.executable, "-m", "reform", "import", "--db", str(target), "--kind", "dossiers", str(csv)],
                      timeout=1800)
        if r["rc"] != 0:
            out["import"] = "failed: " + child_failure(r) + " " + r["stdout"].strip()[-300:]
        else:
            con = duckdb.connect(str(target), read_only=True)
            try:
                n_in = con.execute("select count(*) from dossiers").fetchall()[0][0]
                n_sum = con.execute("select sum(n_received) from kpi_month").fetchall()[0][0]
            finally:
                con.close()
            out["import"] = {"rows": n_csv, "wall": r["wall"], "rss_mb": r["rss_mb"], "rows_in_db": n_in,
                             "summary_rows": n_sum, "csv_write": t_csv, "csv_mb": csv.stat().st_size / 2 ** 20}
        target.unlink(missing_ok=True)
        csv.unlink(missing_ok=True)
    out["rebuild"] = _rebuild(path, data_dir, log)
    from bench.incremental import step_incremental
    out["incremental"] = step_incremental(path, data_dir, log)
    return out


def _rebuild(path: pathlib.Path, data_dir: pathlib.Path, log) -> dict | str:
    copy = data_dir / f"rebuild-{path.name}"
    log("  summary rebuild on a copy ...")
    shutil.copyfile(path, copy)
    try:
        r = run_child(worker_cmd("rebuild", db=str(copy)))
        if r["rc"] != 0:
            return "failed: " + child_failure(r)
        return {"wall": worker_result(r)["time"], "rss_mb": r["rss_mb"]}
    finally:
        copy.unlink(missing_ok=True)



def worker_rebuild(args: dict) -> dict:
    """The summary rebuild alone: reform.db.rebuild with nothing added (copy, sort, summaries, swap)."""
    from reform import db
    t0 = time.perf_counter()
    with db.rebuild(args["db"]):
        pass
    return {"time": time.perf_counter() - t0}


def worker_refdb(args: dict) -> dict:
    """A database with the generator's units and procedures and no dossiers (the import target)."""
    from reform import db, generate
    with db.rebuild(args["db"], copy_existing=False) as con:
        generate.load_reference(con)
    return {}
