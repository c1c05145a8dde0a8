"""python -m reform brief: the quarter on one A4 page (present/brief.py) written to a .pdf or .png file,
and sent by e-mail with --mail-to; for a meeting, or a cron job on the first of each month."""
from __future__ import annotations

import sys

from cli import options


def add(sub) -> None:
    b = sub.add_parser("brief", help="write the one-page brief of a period as PDF or PNG")
    b.add_argument("--db")
    b.add_argument("--period", required=True, help="2025Q3, 2025-07 or 2025")
    options.scope_args(b, lens=True)
    b.add_argument("--lang", choices=("vi", "en"), default="vi")
    b.add_argument("--out", required=True, help="brief.pdf or brief.png")
    options.mail_args(b)


def main(args) -> int:
    from cli import inputs, output  # here: the parser is built for every command, the brief only here
    from present import brief as document
    from reform import brief, db

    period = inputs.period(args.period)
    if period is None:
        return 2
    if period.parts:
        print("error: --period: the brief is about one month, quarter or year, not a range", file=sys.stderr)
        return 2
    out = output.target(args.out, (".pdf", ".png"))
    if out is None or not output.mail_check(args):
        return 2
    path = inputs.database(args.db)
    if path is None:
        return 2
    con = db.connect_read_only(path)
    try:
        data = brief.build(con, period, args.lang, **options.scope_of(args))
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        con.close()
    pdf = document.pdf(data)
    payload = pdf if out.suffix.lower() == ".pdf" else document.png(pdf)
    if not output.write(out, payload):
        return 2
    print(f"{out}: {len(payload):,} bytes ({document.title(data).replace(chr(10), ' · ')})")
    return output.deliver(args, out, document.title(data).replace("\n", " · "))
