"""python -m reform report: the council pack of a period and scope written to a .pdf or .xlsx file,
and sent by e-mail with --mail-to."""
from __future__ import annotations

import sys

from cli import options


def add(sub) -> None:
    r = sub.add_parser("report", help="write the council pack (indicator review) as PDF or Excel")
    r.add_argument("--db")
    r.add_argument("--period", required=True, help="2025Q3, 2025-07 or 2025 (or a range, without the trend chart)")
    options.scope_args(r, lens=True)
    r.add_argument("--lang", choices=("vi", "en"), default="vi")
    r.add_argument("--out", required=True, help="pack.pdf or pack.xlsx")
    r.add_argument("--number", help="the document's registered number, printed before /BC-UBND (default: blank)")
    options.mail_args(r)


def main(args) -> int:
    from cli import inputs, output  # here: the parser is built for every command, the pack only here
    from present import pack as documents
    from reform import db, review

    period = inputs.period(args.period)
    if period is None:
        return 2
    out = output.target(args.out, (".pdf", ".xlsx"))
    if out is None or not output.mail_check(args):
        return 2
    path = inputs.database(args.db)
    if path is None:
        return 2
    con = db.connect_read_only(path)
    try:
        pack = review.build(con, period, lang=args.lang, **options.scope_of(args))
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    finally:
        con.close()
    data = documents.pdf(pack, args.number) if out.suffix.lower() == ".pdf" else documents.xlsx(pack)
    if not output.write(out, data):
        return 2
    print(f"{out}: {len(data):,} bytes ({pack['period'].label(args.lang)}, {documents.scope_words(pack)})")
    return output.deliver(args, out, documents.about(pack).replace("\n", " · "))
