"""The Data page's upload: the files go through the same validator and importer as the command line
(`python -m reform validate|import`), run as a child process so a bad file or a crash cannot take the
dashboard down, and the import still builds a new database file that is swapped in atomically.

The child is bounded (reform.limits): it sets its own memory limits at its start (the command line does
the same; a preexec_fn is not safe in a server with threads), and it is stopped after
REFORM_IMPORT_TIMEOUT_S seconds. The uploaded copies live in a folder named after this server's process,
deleted when the child ends, whatever its end; one left by a server that died is removed later."""
from __future__ import annotations

import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable

from reform import db, importer, limits, writelock
from ui import access

ROOT = pathlib.Path(__file__).resolve().parent.parent
PREFIX = "reform-upload-"    # + the server's process id + "-": the folder of one upload's copies


def run(action: str, files: list, kind: str | None = None, by: str | None = None,
        on_line: Callable[[str], None] | None = None) -> tuple[int, str]:
    """action = validate | import; files = Streamlit UploadedFile objects; on_line sees each line of the
    report as the child writes it. Returns (exit code, report).

    The visitor's right to import is checked here, again, whatever the page drew: access.UploadsOff if
    there is none. A signed-in writer is recorded in the import log as its account and its rows are
    held to its unit scope (the child's --scope); `by` names only an anonymous upload (REFORM_OPEN_UPLOADS)."""
    if action not in ("validate", "import"):
        raise ValueError(action)
    right = access.write_right()
    by = right.by or by or "dashboard"
    try:
        timeout = limits.get("timeout_s")
        most = limits.get("upload_files")
        # the child waits for another writer at most half of its time, so a long wait ends with the
        # lock's own message (whose import it waited for) rather than the timeout's
        wait = min(writelock.timeout_s(), timeout / 2)
    except ValueError as e:     # a limit's variable that is not a number
        return 2, f"{e}\n"
    if len(files) > most:
        return 2, f"{limits.over('upload_files', f'{limits.n(len(files))} files in one upload')}; nothing done\n"
    clean_stale()
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-") as tmp:
        paths = []
        try:
            for i, f in enumerate(files):
                # keep the user's file name in the report, made safe for the file system
                name = re.sub(r"[^\w.\-]+", "_", pathlib.Path(f.name).name)[:120] or f"file{i}"
                folder = pathlib.Path(tmp) / f"{i:02d}"  # one folder per file: two uploads may share a name
                folder.mkdir()
                path = folder / name
                path.write_bytes(f.getvalue())
                paths.append(str(path))
        except OSError as e:    # a full temporary folder: said on the page, the partial copies deleted
            return 2, f"cannot keep the uploaded files for the {action}: {e.strerror or e}; nothing done\n"
        live = db.db_path()
        cmd = [sys.executable, "-m", "reform", action, "--db", str(live)]
        if kind:
            cmd += ["--kind", kind]
        if action == "import":
            cmd.append(f"--by={by}")  # one argument: a value starting with "-" is no option
        if right.scope is not None:
            cmd.append(f"--scope={right.scope}")
        # the child's output is read as it comes, so a wait for another writer's lock shows at once
        proc = subprocess.Popen(cmd + paths, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, env={**os.environ, "REFORM_LOCK_TIMEOUT": f"{wait:g}"})
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            proc.kill()
        watchdog = threading.Timer(timeout, stop)
        watchdog.start()
        lines = []
        try:
            for line in proc.stdout:
                # the page shows file names, never the server's folders
                line = re.sub(re.escape(tmp) + r"/\d\d/", "", line).replace(str(live), live.name)
                lines.append(line)
                if on_line:
                    on_line(line.rstrip("\n"))
            code = proc.wait()
        finally:
            watchdog.cancel()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    if expired.is_set() or code < 0:
        # a killed child leaves its half-built database file: removed now that its process is gone
        importer._clean_stale_tmp(db.db_path())
        if expired.is_set():
            why = f"stopped: {limits.over('timeout_s', f'the {action} ran for {limits.n(timeout)} s')}"
        else:
            why = f"stopped by signal {-code}" + (" (out of memory?)" if code == -9 else "")
        lines.append(f"{why}; nothing {'imported' if action == 'import' else 'done'}\n")
        code = 2
    return code, "".join(lines)


def clean_stale() -> None:
    """Delete the copies of uploads whose server died mid-import: a folder whose process is gone, or
    older than the timeout (then no import can still be reading it, whoever now has that process id)."""
    try:
        oldest = time.time() - limits.get("timeout_s") - 60
    except limits.BadLimit:
        return
    for p in pathlib.Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        m = re.match(rf"{PREFIX}(\d+)-", p.name)
        if not m or not p.is_dir():
            continue
        try:
            young = p.stat().st_mtime > oldest
        except OSError:
            continue
        if young and _alive(int(m.group(1))):
            continue
        shutil.rmtree(p, ignore_errors=True)


_cleaned = False


def clean_stale_once() -> None:
    """clean_stale() at the start of a server process (the dashboard's entry calls it on every run)."""
    global _cleaned
    if not _cleaned:
        _cleaned = True
        clean_stale()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:     # another user's process
        return True
    return True
