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
    from reform import brief

    given = inputs.document_inputs(args, (".pdf", ".png"))
    if given is None:
        return 2
    period, out, path = given
    if period.parts:
        print("error: --period: the brief is about one month, quarter or year, not a range", file=sys.stderr)
        return 2
    data = inputs.read(path, lambda con: brief.build(con, period, args.lang, **options.scope_of(args)))
    if data is None:
        return 2
    pdf = document.pdf(data)
    payload = pdf if out.suffix.lower() == ".pdf" else document.png(pdf)
    if not output.write(out, payload):
        return 2
    print(f"{out}: {len(payload):,} bytes ({document.title(data).replace(chr(10), ' · ')})")
    return output.deliver(args, out, document.title(data).replace("\n", " · "))
