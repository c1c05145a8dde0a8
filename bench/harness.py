"""What every step of the benchmark shares: a child process timed with its peak RSS (os.wait4), the
command of a worker and its JSON result, this process's RSS, and the formats of the numbers (ms, s, p95).

Child processes are used so that cold times and peak RSS belong to one step only."""
from __future__ import annotations

import json
import math
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def run_child(cmd: list[str], timeout: float | None = None) -> dict:
    """Run a child process; wall time, exit code, peak RSS (MB, from wait4), stdout and stderr."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=ROOT, stdout=fo, stderr=fe, env=env)
        timer = threading.Timer(timeout, p.kill) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        return {"rc": p.returncode, "wall": wall, "rss_mb": ru.ru_maxrss / 1024,
                "stdout": fo.read().decode("utf-8", "replace"), "stderr": fe.read().decode("utf-8", "replace")}


def report(src: pathlib.Path, work: str | None, prefix: str, out: str | None, measure) -> int:
    """A standalone measurement (bench.storage, bench.national): measure(work) -> lines in a work folder
    (the given one, else a temp folder beside src, removed after), printed and written to out."""
    folder = pathlib.Path(work or tempfile.mkdtemp(prefix=prefix, dir=src.parent))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        lines = measure(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    text = "\n".join(lines) + "\n"
    print(text)
    if out:
        pathlib.Path(out).write_text(text, encoding="utf-8")
    return 0


def child_failure(r: dict) -> str:
    rc = r["rc"]
    why = f"killed by signal {-rc}" + (" (SIGKILL: out of memory?)" if rc == -9 else "") if rc < 0 else f"exit code {rc}"
    tail = " | ".join(line.strip() for line in r["stderr"].strip().splitlines()[-4:])
    return f"{why} after {r['wall']:.1f} s, peak RSS {r['rss_mb']:,.0f} MB; {tail}"


def worker_cmd(kind: str, **kw) -> list[str]:
    return [sys.executable, "-m", "bench.worker", "--worker", kind, "--worker-args", json.dumps(kw)]


def worker_result(r: dict) -> dict:
    if r["rc"] != 0:
        raise RuntimeError(child_failure(r))
    return json.loads(r["stdout"].strip().splitlines()[-1])


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[max(0, math.ceil(0.95 * len(s)) - 1)]


def ms(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x * 1000:,.1f}" if x < 10 else f"{x * 1000:,.0f}"


def secs(x: float) -> str:
    return f"{x:,.1f} s" if x >= 1 else f"{x * 1000:,.0f} ms"


def _status_kb(key: str) -> float:
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss() -> float:
    return _status_kb("VmRSS")


def hwm() -> float:
    return _status_kb("VmHWM")
