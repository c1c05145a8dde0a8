"""The Data page's upload: the files go through the same validator and importer as the command line
(`python -m reform validate|import`), run as a child process so a bad file or a crash cannot take the
dashboard down, and the import still builds a new database file that is swapped in atomically."""
from __future__ import annotations

import pathlib
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable

from reform import db
from ui import access

ROOT = pathlib.Path(__file__).resolve().parent.parent
TIMEOUT_S = 3600


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
    with tempfile.TemporaryDirectory(prefix="reform-upload-") as tmp:
        paths = []
        for i, f in enumerate(files):
            # keep the user's file name in the report, made safe for the file system
            name = re.sub(r"[^\w.\-]+", "_", pathlib.Path(f.name).name)[:120] or f"file{i}"
            folder = pathlib.Path(tmp) / f"{i:02d}"  # one folder per file: two uploads may share a name
            folder.mkdir()
            path = folder / name
            path.write_bytes(f.getvalue())
            paths.append(str(path))
        cmd = [sys.executable, "-m", "reform", action, "--db", str(db.db_path())]
        if kind:
            cmd += ["--kind", kind]
        if action == "import":
            cmd.append(f"--by={by}")  # one argument: a value starting with "-" is no option
        if right.scope is not None:
            cmd.append(f"--scope={right.scope}")
        # the child's output is read as it comes, so a wait for another writer's lock shows at once
        proc = subprocess.Popen(cmd + paths, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        watchdog = threading.Timer(TIMEOUT_S, proc.kill)
        watchdog.start()
        lines = []
        try:
            for line in proc.stdout:
                line = re.sub(re.escape(tmp) + r"/\d\d/", "", line)
                lines.append(line)
                if on_line:
                    on_line(line.rstrip("\n"))
            code = proc.wait()
        finally:
            watchdog.cancel()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return code, "".join(lines)
