"""python -m reform report: the council pack of a period (and unit) written to a .pdf or .xlsx file."""
from __future__ import annotations

import contextlib
import pathlib
import sys

from cli import inputs
from present import pack as documents
from reform import db, review


def main(args) -> int:
    period = inputs.period(args.period)
    if period is None:
        return 2
    out = pathlib.Path(args.out)
    if out.suffix.lower() not in (".pdf", ".xlsx"):
        print("error: --out must end in .pdf or .xlsx", file=sys.stderr)
        return 2
    if out.is_dir() or not out.parent.is_dir():     # said before the pack is built, not after
        print(f"error: --out {out}: " + ("a folder of that name exists" if out.is_dir()
                                         else f"there is no folder {out.parent}"), file=sys.stderr)
        return 2
    with contextlib.suppress(OSError):     # a half pack left by a run killed while writing it
        out.with_name(out.name + ".part").unlink(missing_ok=True)
    path = inputs.database(args.db)
    if path is None:
        return 2
    con = db.connect_read_only(path)
    try:
        pack = review.build(con, period, args.unit, args.lang)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        con.close()
    data = documents.pdf(pack) if out.suffix.lower() == ".pdf" else documents.xlsx(pack)
    tmp = out.with_name(out.name + ".part")  # a cron job never leaves half a file under the real name
    try:
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as e:    # a full disk, a folder named like the pack: one line, no half file left
        tmp.unlink(missing_ok=True)
        print(f"error: cannot write {out}: {e.strerror or e}", file=sys.stderr)
        return 2
    print(f"{out}: {len(data):,} bytes ({pack['period'].label(args.lang)}, {documents.scope_words(pack)})")
    return 0
