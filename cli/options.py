"""Option sets several commands share (argparse), kept free of heavy imports: every command's parser is
built on each call of `python -m reform`."""
from __future__ import annotations

SCOPE = ("level", "unit", "field", "procedure", "channel", "lens")


def scope_args(parser, lens: bool = False) -> None:
    """The dashboard's filters as options (kpi, report, brief): the same names as its query parameters."""
    from reform.lookups import CHANNELS, LEVELS
    parser.add_argument("--level", choices=LEVELS)
    parser.add_argument("--unit", help="a unit code (default: the whole province)")
    parser.add_argument("--field", help="a field of procedures, as written in the catalogue")
    parser.add_argument("--procedure", help="a procedure code")
    parser.add_argument("--channel", type=int, choices=CHANNELS, help="1 direct, 2 online, 3 public post")
    if lens:
        parser.add_argument("--lens", choices=("recorded", "restated"),
                            help="units as recorded (default) or in today's structure (after the 2025 merger)")


def scope_of(args) -> dict:
    """The filters given on the command line, as keyword arguments of compute and review."""
    return {k: getattr(args, k) for k in SCOPE if getattr(args, k, None) is not None}


def mail_args(parser) -> None:
    parser.add_argument("--mail-to", nargs="+", metavar="ADDR",
                        help="send the file to these addresses through [mail] in .streamlit/secrets.toml")
