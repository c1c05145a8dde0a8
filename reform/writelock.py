"""One writer at a time (issue 13, DESIGN §8 rev 2).

Every write builds a new file from the live one and swaps it in (reform.db.rebuild). Two writers that
overlap would each start from the same live file, and the last swap would silently drop the other's
rows. So every write first takes an exclusive OS lock (flock) on a small file beside the database,
`.<name>.lock`. The kernel releases it when the holder exits, however it exits, so a killed import
never leaves a stale lock. The holder writes what it is doing into the lock file, so a writer that has
to wait can say for whom ("waiting for the import of units.csv by hoa since 14:02:11").

The lock file is never deleted: removing it while another process waits on it would let two writers
each hold a lock on a different file.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import pathlib
import time
from collections.abc import Callable, Iterator

# how long a writer waits for the one before it; an import of the default sample takes about a minute
DEFAULT_TIMEOUT_S = 1800.0
POLL_S = 0.1


class LockTimeout(Exception):
    """Another writer held the database for longer than this writer was willing to wait."""


def lock_path(live: str | os.PathLike) -> pathlib.Path:
    live = pathlib.Path(live)
    return live.with_name(f".{live.name}.lock")


def timeout_s() -> float:
    """$REFORM_LOCK_TIMEOUT seconds, else DEFAULT_TIMEOUT_S."""
    raw = os.environ.get("REFORM_LOCK_TIMEOUT")
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT_S
    except ValueError:
        raise ValueError(f"REFORM_LOCK_TIMEOUT={raw!r} is not a number of seconds") from None


def holder(fd: int) -> str:
    """What the current holder wrote into the lock file, in words."""
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
    except (ValueError, OSError):
        info = {}
    if not info:
        return "another writer"
    return f"the {info.get('task', 'write')} (process {info.get('pid', '?')}) since {info.get('since', '?')}"


@contextlib.contextmanager
def hold(live: str | os.PathLike, task: str, timeout: float | None = None,
         say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the database's write lock for the body; task says what the holder does ("import of a.csv by
    hoa"). A writer that has to wait says so once through `say`; after `timeout` seconds it raises
    LockTimeout naming the holder, having changed nothing."""
    timeout = timeout_s() if timeout is None else timeout
    path = lock_path(live)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if not _try(fd):
            if say:
                say(f"waiting for {holder(fd)} to finish ...")
            deadline = time.monotonic() + timeout
            while not _try(fd):
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"gave up after {timeout:g} s waiting for {holder(fd)}; nothing changed")
                time.sleep(POLL_S)
        since = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"task": task, "pid": os.getpid(), "since": since}).encode("utf-8"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _try(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
