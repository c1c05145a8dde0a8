"""Output into a pipe whose reader stops early (`| head`) ends quietly, as with any Unix tool, following
the Python documentation's note on SIGPIPE (the signal module)."""
from __future__ import annotations

import os
import select
import sys
from collections.abc import Callable
from typing import NoReturn


def _stdout_closed() -> bool:
    """Whether standard output is a pipe that nobody reads any more (poll reports an error on it)."""
    try:
        poll = select.poll()
        poll.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poll.poll(0))
    except (AttributeError, OSError, ValueError):
        return False


def run(main: Callable[[], int]) -> NoReturn:
    try:
        code = main()
        sys.stdout.flush()   # here, inside the try: a closed pipe shows now rather than at exit
    except BrokenPipeError:
        if not _stdout_closed():
            raise            # another pipe (a child process, a socket): a real failure, with its traceback
        # nothing more reaches the reader; what is left goes nowhere, so the flush at exit cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 141           # 128 + SIGPIPE: what a shell reports for a tool stopped by a closed pipe
    raise SystemExit(code)
