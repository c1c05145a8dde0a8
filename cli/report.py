"""python -m reform report: the council pack of a period and scope written to a .pdf or .xlsx file,
and sent by e-mail with --mail-to."""
from __future__ import annotations

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
    from reform import review

    given = inputs.document_inputs(args, (".pdf", ".xlsx"))
    if given is None:
        return 2
    period, out, path = given
    pack = inputs.read(path, lambda con: review.build(con, period, lang=args.lang, **options.scope_of(args)))
    if pack is None:
        return 2
    data = documents.pdf(pack, args.number) if out.suffix.lower() == ".pdf" else documents.xlsx(pack)
    if not output.write(out, data):
        return 2
    print(f"{out}: {len(data):,} bytes ({pack['period'].label(args.lang)}, {documents.scope_words(pack)})")
    return output.deliver(args, out, documents.about(pack).replace("\n", " · "))
