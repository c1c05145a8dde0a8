"""The import's report: the problems (file, row, column, reason) and notices of a batch, printed for
the command line and the Data page, and the hidden characters a report never shows as they are (they
are refused in the cells by reform.importer.checks)."""
from __future__ import annotations

import dataclasses
import re
import sys

from reform.limits import MAX_PROBLEMS_SHOWN

# invisible and direction-changing characters: bidi embeddings, overrides and isolates, zero-width
# characters and marks, a byte-order mark inside text, line and paragraph separators. U+202E shows the
# rest of a name reversed, a zero-width space makes two codes look equal: refused in every code and
# text cell (issue 13 item 4), and shown as U+FFFD wherever the report quotes what the file holds
HIDDEN = "\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\u2028\u2029"
_HIDDEN_RE = re.compile(f"[{HIDDEN}]")
_HIDDEN_POINTS = [c for c in range(0x2000, 0x10000) if _HIDDEN_RE.match(chr(c))]
_HIDDEN_SQL = "[" + "".join(f"\\x{{{c:04X}}}" for c in _HIDDEN_POINTS) + "]"    # RE2 syntax


@dataclasses.dataclass
class Report:
    problems: list[tuple] = dataclasses.field(default_factory=list)   # (file, row, column, reason)
    notices: list[str] = dataclasses.field(default_factory=list)
    extra_problems: int = 0     # problems counted but not listed (beyond MAX_PROBLEMS_SHOWN)

    def problem(self, file: str, row, column: str, reason: str) -> None:
        self.problems.append((file, row, column, reason))

    def notice(self, msg: str) -> None:
        self.notices.append(msg)

    @property
    def n_problems(self) -> int:
        return len(self.problems) + self.extra_problems

    def print(self, out=None) -> None:
        out = out or sys.stdout
        for n in self.notices:
            print(visible(f"notice: {n}"), file=out)
        for f, r, c, reason in self.problems:
            print(visible(f"{f}:{r}:{c}: {reason}"), file=out)
        if self.extra_problems:
            print(f"... and {self.extra_problems} more problems not listed "
                  f"(first {MAX_PROBLEMS_SHOWN} shown)", file=out)


def visible(text: str) -> str:
    """The text with every hidden character (HIDDEN) shown as U+FFFD, so a header or a file name from
    the file cannot reorder or hide the report's own words."""
    return _HIDDEN_RE.sub("\ufffd", text)


def _short(e: BaseException) -> str:
    s = str(e).strip().splitlines()
    return (s[0] if s else type(e).__name__)[:200]
