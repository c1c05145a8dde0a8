"""Text from data leaving the program: one rule per way out (DESIGN §8, issue 13).

    md("**Sở** [x](http://h/)")   -> shown by Streamlit's Markdown (captions, buttons, notices) as typed
    plot("<a href=x>y</a>")       -> shown by Plotly (ticks, legends, hovers, titles) as typed
    cell("=HYPERLINK(...)")       -> "'=HYPERLINK(...)": a spreadsheet takes it for text, not a formula
    cells(df)                     -> every text cell of a table (and its headers) through cell()
    csv(df)                       -> the table as CSV text, cells through cells()
    terminal("x\x1b[2Jy")         -> "x\ufffd[2Jy": a line for a terminal or a cron mail, no control codes

Names of units, procedures and fields, codes, indicator sources and link parameters are data: anyone
who can import a file, or send a link, chooses them. Everything that shows or exports them goes
through these.
"""
from __future__ import annotations

import html
import re

import pandas as pd

# -------------------------------------------------------------------------------------- Markdown
WORD_JOINER = "\u2060"  # zero width, no line break: splits what Streamlit rewrites in plain text
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character (CommonMark escapes)
_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")


def md(text) -> str:
    """Text for st.markdown, st.caption, st.info/warning/error, widget labels (st.button): shown
    literally by Streamlit 1.67, no bold, links, images, HTML, KaTeX, colours, icons or emoji.

    Every ASCII punctuation character gets a backslash (CommonMark shows an escaped character as
    itself): that stops emphasis, links, images, HTML, headings and lists, `$...$` (KaTeX),
    `:red[...]` directives and `:material/x:` icons (Streamlit rewrites ":material/" in the source
    first; the escaped "\\:material\\/" no longer matches). Streamlit also rewrites plain text after
    parsing, which no escape reaches: "http://..", "www." and "a@b.c" become links, ":streamlit:" its
    logo, "->", "--", ">=" arrows and dashes. A word joiner (U+2060, invisible) after each colon, in
    "www.", before "@" and inside those pairs stops that. Line breaks become spaces (one line of text)."""
    s = _PUNCT.sub(r"\\\1", _BREAKS.sub(" ", str(text)))
    s = s.replace("\\:", "\\:" + WORD_JOINER)                            # :emoji:, :streamlit:, scheme://
    s = re.sub(r"(?i)(www)(?=\\\.)", r"\1" + WORD_JOINER, s)              # www.host
    s = s.replace("\\@", WORD_JOINER + "\\@")                             # name@host
    return re.sub(r"(?<=\\[-<>~])(?=\\[-<>=])", WORD_JOINER, s)          # -> <- -- >= <= ~=


def shown(markdown: str) -> str:
    """What a reader sees of md(text): the text back (tests, and the JSON twin)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown.replace(WORD_JOINER, ""))


# -------------------------------------------------------------------------------------- Plotly
def plot(text):
    """Text for a Plotly figure: tick labels, legend names, hover text, titles, annotations. Plotly
    draws a few HTML tags in all of them (<a href>, <b>, <br>, <span style>) and decodes entities, so
    escaping <, > and & shows the text as typed. Anything that is not text is returned as it is."""
    return html.escape(text, quote=False) if isinstance(text, str) else text


def unplot(text):
    """What a reader sees of plot(text): the text back (the JSON twin records what is shown)."""
    return html.unescape(text) if isinstance(text, str) else text


def plot_all(values):
    """plot() over a column or list of labels (numbers and dates pass unchanged)."""
    if values is None or isinstance(values, str):
        return plot(values)
    if isinstance(values, pd.Series | pd.Index):
        if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_datetime64_any_dtype(values.dtype):
            return values
        return [plot(v) for v in values]
    if hasattr(values, "dtype") and values.dtype.kind in "biufcmM":
        return values
    return [plot(v) for v in values]


# -------------------------------------------------------------------------------------- spreadsheets
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A text cell of a CSV/XLSX/PDF table: text starting with =, +, -, @, tab or carriage return gets a
    leading ' so that a spreadsheet takes it for text, not a formula (OWASP, CSV injection). Numbers,
    dates and empty cells are returned as they are: -3 stays the number -3."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cells(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table with cell() on every text cell and header; numeric and date columns are
    left alone, so they are written as numbers and dates."""
    out = df.rename(columns=cell) if any(isinstance(c, str) and c != cell(c) for c in df.columns) else df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype(object)
        elif pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_datetime64_any_dtype(col.dtype) \
                or pd.api.types.is_bool_dtype(col.dtype):
            continue
        if any(isinstance(v, str) and v.startswith(FORMULA_START) for v in col):
            out.isetitem(i, col.map(cell))
    return out


def csv(df: pd.DataFrame) -> str:
    """A table as CSV text (RFC 4180: CRLF line ends), text cells through cells(). With CRLF as the line
    end, a cell holding a carriage return or a line feed anywhere is quoted: a bare CR would otherwise
    end the row in Excel and start the next one with the rest of the cell (\r=1: a formula again)."""
    return cells(df).to_csv(index=False, lineterminator="\r\n")


# -------------------------------------------------------------------------------------- terminal
# C0 and C1 control characters (an escape sequence can clear or retitle a terminal, or hide a line) and
# the invisible, direction-changing ones the importer refuses (reform/importer/report.py HIDDEN)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff\u2028\u2029]")


def terminal(text: str) -> str:
    """A line of text from data for a terminal: every control or hidden character shown as U+FFFD."""
    return _CONTROL.sub("\ufffd", text)
