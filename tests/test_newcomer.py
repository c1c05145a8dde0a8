"""A newcomer's first hour: the first build says every stage in the chosen language; temp files of an
interrupted build are removed, never those of a write still running; the kpi table is plain (locale
numbers, — for no data) and a closed pipe ends it quietly; every path the README and docs/ cite is in the
repository, every command they give runs inside .venv as typed, and the lock holds every direct pin."""
from __future__ import annotations

import fnmatch
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest

from cli import kpi as kpi_cli
from present import fmt, progress
from present import text as labels
from reform import db, generate, writelock
from tests.conftest import ROOT

# --------------------------------------------------------------------------------- the first build


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, list[str]]:
    """The progress lines of a tiny build in each language."""
    out = {}
    for lang in ("vi", "en"):
        lines: list[str] = []
        generate.generate(tmp_path_factory.mktemp(lang) / "s.duckdb", scale=0.002, progress=progress.to(lang, lines.append))
        out[lang] = lines
    return out


def _pattern(key: str, lang: str, **fields: str) -> str:
    """A label as a regular expression: its fields (unless given) match any text."""
    raw = labels.TEXT[key][labels.LANGS.index(lang)]
    parts = re.split(r"(\{\w+(?::[^}]*)?\})", raw)
    return "".join(fields.get(p[1:-1].split(":")[0], ".+") if p.startswith("{") else re.escape(p) for p in parts)


STAGES = ["reference", "plan", "pools", *["year"] * 8, "returns", "sort", "summaries", "restate", "kept", "checkpoint", "swap"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_first_build_says_every_stage_in_its_language(built, lang):
    """One line as each stage starts, through the last (the summaries, the write to disk and the swap ran
    without a word before), every one in the language asked for, then the end."""
    lines = built[lang]
    assert re.fullmatch(_pattern("gen.start", lang), lines[0]), lines[0]
    assert re.fullmatch(_pattern("gen.done", lang), lines[-1]), lines[-1]
    said = []
    for line in lines[1:-1]:
        keys = [k for k in dict.fromkeys(STAGES) if re.fullmatch(
            _pattern("gen.line", lang, elapsed=r"\s*\d+[.,]\d", what=_pattern(f"gen.{k}", lang)), line)]
        assert len(keys) == 1, (line, keys)
        said += keys
    assert said == STAGES


def test_the_first_run_screen_follows_the_language(monkeypatch, tmp_path):
    """The dashboard's first run, opened in English: the status box's lines are English through the last
    stage, and it ends folded, saying how long the build took."""
    from streamlit.testing.v1 import AppTest
    first = tmp_path / "first.duckdb"
    monkeypatch.setattr(db, "DEFAULT_DB", first)
    monkeypatch.delenv("REFORM_DB", raising=False)
    monkeypatch.setenv("REFORM_SAMPLE_SCALE", "0.002")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception and first.exists()
    [status] = at.status
    assert status.state == "complete"
    assert re.fullmatch(r"The sample database was built in \d+ s\.", status.label), status.label
    text = [m.value for m in status.markdown]
    assert any("sorting" in v for v in text) and any("putting the new file in place" in v for v in text), text
    assert text[-1].startswith("Done in"), text
    assert not any("giây" in v for v in text)


# ---------------------------------------------------------------------------- stale temporary files


def _plant(live: pathlib.Path, pid: int) -> list[pathlib.Path]:
    files = [live.with_name(f".{live.name}.{pid}.0badcafe.tmp"), live.with_name(f".{live.name}.{pid}.0badcafe.tmp.wal")]
    for f in files:
        f.write_bytes(b"\0" * 4096)
    return files


def test_a_stale_temp_file_is_removed(tmp_path):
    live = tmp_path / "r.duckdb"
    assert db.remove_stale_temps(live) == [] and not writelock.lock_path(live).exists()  # nothing: no lock file made
    files = _plant(live, 99999999)
    other = tmp_path / ".other.duckdb.99999999.0badcafe.tmp"   # another database's: not this one's
    other.write_bytes(b"x")
    assert sorted(db.remove_stale_temps(live)) == sorted((f.name, 4096) for f in files)
    assert not any(f.exists() for f in files) and other.exists()


def test_the_temp_file_of_a_lock_holder_stays(tmp_path):
    """A writer at work (another process holding the write lock) keeps its temp file; once it is gone, the
    file is stale and removed."""
    live = tmp_path / "r.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from reform import writelock
            with writelock.hold({str(live)!r}, "test holder"):
                print("held", flush=True)
                sys.stdin.read()
        """)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        files = _plant(live, holder.pid)
        assert db.remove_stale_temps(live) == []
        assert all(f.exists() for f in files)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert len(db.remove_stale_temps(live)) == 2 and not any(f.exists() for f in files)


def test_a_build_removes_what_an_interrupted_build_left(tmp_path):
    """The next write (here the sample's build, as the dashboard's first run does it) removes the temp
    files of a killed one and says so, in its language."""
    live = tmp_path / "r.duckdb"
    files = _plant(live, 99999999)
    lines: list[str] = []
    generate.generate(live, scale=0.002, progress=progress.to("vi", lines.append))
    assert not any(f.exists() for f in files)
    assert any("đã xóa 2 tệp tạm" in line for line in lines), lines
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".wal"))) == []


# ------------------------------------------------------------------------------------- the kpi table


def test_the_kpi_table_is_plain():
    rows = [{"level": "province", "F01": 62754, "F05": 0.2306, "F15": 5.4873, "C03": None, "X": 3.14159},
            {"level": "unassigned", "F01": 7478, "F05": 0.0, "F15": float("nan"), "C03": float("nan"), "X": None}]
    vi = kpi_cli.table(rows, grouped=True, lang="vi")
    assert vi.splitlines() == ["level          F01      F05  F15  C03     X",
                               "province    62.754  23,06 %  5,5    —  3,14",
                               "unassigned   7.478   0,00 %    —    —     —"]
    en = kpi_cli.table(rows[:1], grouped=False, lang="en")
    assert "62,754" in en and "23.06%" in en and "Dossiers received" in en
    assert fmt.cell(None) == fmt.cell(float("nan")) == "—"


def test_the_kpi_command_prints_locale_numbers(small_db):
    out = subprocess.run([sys.executable, "-m", "reform", "kpi", "--db", str(small_db), "--period", "2020Q2",
                          "--by", "level"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and out.stderr == ""
    assert not re.search(r"NaN|\d\.\d{6}", out.stdout), out.stdout
    assert re.search(r"\d,\d\d %", out.stdout) and "—" in out.stdout   # unassigned has no procedures: C03 is —
    out = subprocess.run([sys.executable, "-m", "reform", "kpi", "--db", str(small_db), "--period", "2020Q2",
                          "--lang", "en"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and "Online share" in out.stdout and re.search(r"\d\.\d\d%", out.stdout)


@pytest.mark.parametrize("fmt_", ["table", "json", "csv"])
def test_a_closed_pipe_ends_quietly(small_db, fmt_):
    """The reader is gone before the command writes anything (as `| head` is after its lines): no traceback,
    the exit code a shell reports for a tool stopped by a closed pipe."""
    proc = subprocess.Popen([sys.executable, "-m", "reform", "kpi", "--db", str(small_db), "--period", "2020Q2",
                             "--by", "unit", "--format", fmt_], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141 and err == ""


def test_head_reads_three_lines_and_nothing_is_said(small_db):
    cmd = (f"{sys.executable} -m reform kpi --db {small_db} --period 2020Q2 --by unit --format json | head -3; "
           "exit ${PIPESTATUS[0]}")
    out = subprocess.run(["bash", "-c", cmd], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.splitlines() == ["[", " {", '  "unit_code": ' + out.stdout.splitlines()[2].split(": ")[1]]
    assert out.stderr == "" and out.returncode in (0, 141)


# ------------------------------------------------------------------------------- README and docs/

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOP = {p.name for p in ROOT.iterdir()}


def _ignored(path: str) -> bool:
    """Made at run time or by the user (.gitignore), so a fresh clone need not have it."""
    path = path.rstrip("/")
    for pat in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines():
        pat = pat.strip().rstrip("/")
        if pat and not pat.startswith(("#", "!")) and (
                fnmatch.fnmatch(path, pat) or fnmatch.fnmatch(path.rsplit("/", 1)[-1], pat)
                or path.startswith(pat + "/")):
            return True
    return False


def _cited(doc: pathlib.Path) -> list[tuple[str, pathlib.Path]]:
    """(what the text says, the file it names) for every relative Markdown link, and every code span that
    is a path inside the repository (its first part a top-level file or folder, or `..`)."""
    text = doc.read_text(encoding="utf-8")
    out = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if not re.match(r"[a-z]+:|#", target):
            out.append((target, doc.parent / target.split("#")[0]))
    for span in re.findall(r"`([^`\s]+)`", text):
        first = span.split("/")[0]
        if "/" in span and (first in TOP or first == ".."):
            out.append((span, ROOT / span.split("::")[0]))   # a test's node id: its file
    return out


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_path_the_docs_cite_is_in_the_repository(doc):
    missing = []
    for said, path in _cited(doc):
        rel = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else None
        if rel is None:
            missing.append(f"{said} (outside the repository)")
        elif any(c in str(rel) for c in "*?"):
            if not list(ROOT.glob(str(rel))):
                missing.append(said)
        elif not path.exists() and not _ignored(str(rel)) and not path.with_suffix(".py").exists():
            missing.append(said)   # (ui/upload.run: a function of ui/upload.py)
    assert not missing, f"{doc.name} cites what a clone does not have: {missing}"
    assert len(_cited(doc)) >= (20 if doc.name == "README.md" else 1)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_the_docs_cite_no_document_outside_the_repository(doc):
    text = doc.read_text(encoding="utf-8")
    found = re.findall(r"(?:DESIGN|(?:domain|tech|style|peers)[- ]notes)\s*§\s*[\w.]+|\.\./shared\S*", text)
    assert not found, f"{doc.name}: {found}"


def _commands(text: str) -> list[str]:
    """The commands a reader would type: the lines of ```sh blocks and, outside tables, code spans that
    start with a program (after any VAR=value)."""
    out = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        out += [line.split("  #")[0].strip() for line in block.splitlines()
                if line.strip() and not line.lstrip().startswith(("#", "["))]
    for line in text.splitlines():
        if not line.startswith("|"):
            out += [s for s in re.findall(r"`([^`]+)`", line)
                    if re.match(r"(\w+=\S+ )*(python3?|pytest|streamlit|pip|\.venv/\S*|make) ", s)]
    return out


def test_every_readme_command_runs_inside_the_venv_as_typed():
    commands = _commands((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(commands) >= 15
    wrong = [c for c in commands
             if not re.match(r"(\w+=\S+ )*(\.venv/bin/|make\b|python3 -m venv \.venv)", c)]
    assert not wrong, wrong
    targets = set(re.findall(r"(?m)^([a-z]+):", (ROOT / "Makefile").read_text(encoding="utf-8")))
    for c in commands:
        if c.startswith("make "):
            assert c.split()[1].split("=")[0] in targets | {"PYTHON"}, c


# --------------------------------------------------------------------------------------- the lock


@pytest.mark.parametrize("name", ["requirements", "requirements-spark"])
def test_the_lock_holds_every_direct_pin_with_hashes(name):
    pins = dict(re.findall(r"(?m)^([A-Za-z0-9_.-]+)==(\S+)", (ROOT / f"{name}.txt").read_text(encoding="utf-8")))
    lock = (ROOT / f"{name}.lock").read_text(encoding="utf-8")
    locked = dict(re.findall(r"(?m)^([a-z0-9_.-]+)==(\S+)", lock))
    norm = {re.sub(r"[-_.]+", "-", k).lower(): v for k, v in locked.items()}
    assert {re.sub(r"[-_.]+", "-", k).lower(): v for k, v in pins.items()}.items() <= norm.items(), \
        f"{name}.lock is older than {name}.txt: run `make lock`"
    assert len(locked) > len(pins)   # the transitive ones too
    entries = re.split(r"(?m)^(?=[a-z0-9])", lock.split("\n", 2)[2])
    assert all("--hash=sha256:" in e for e in entries if "==" in e)
    assert "make lock" in lock.splitlines()[1]
