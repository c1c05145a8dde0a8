"""Checks: one SQL query per kind listing every problem of the staged rows as (file, row, column,
reason): empty required cells, cells too long, formulas, hidden characters, bad dates, numbers and
periods, unknown labels, dates out of order, duplicate keys, unknown unit and procedure codes
(against the database plus the batch)."""
from __future__ import annotations

import unicodedata

from reform.headers import COLUMNS, DOMAIN_NAMES, KEYS, LABELS, REFERENCES, REQUIRED
from reform.importer.report import _HIDDEN_POINTS, _HIDDEN_SQL
from reform.importer.staging import _PLAIN, _raw

# longest accepted code and text cells: a longer one is a damaged file (a quote left open swallows
# the rows after it), not a dossier code or a name
MAX_CHARS = {"code": 100, "text": 2000}


def _q(col: str, kind: str) -> str:
    """A SQL expression quoting a raw value for a message (the value itself is data, never SQL); a
    hidden character (HIDDEN) is shown as U+FFFD, so the message reads as it is written."""
    v = f"regexp_replace({_raw(kind, col)}, '{_HIDDEN_SQL}', '\ufffd', 'g')"
    return f"'''' || left(replace(replace({v}, chr(10), ' '), chr(13), ' '), 80) || ''''"


def _hidden_sql(raw: str) -> str:
    """The message for the first hidden character of raw: 'U+202E RIGHT-TO-LEFT OVERRIDE at character 4'."""
    first = f"regexp_extract({raw}, '{_HIDDEN_SQL}')"
    names = " ".join(f"when {c} then '{unicodedata.name(chr(c))}'" for c in _HIDDEN_POINTS)
    return (f"printf('U+%04X ', unicode({first})) || case unicode({first}) {names} end "
            f"|| ' at character ' || instr({raw}, {first})")


def problem_sql(kind: str, absent: dict[str, list[int]]) -> str:
    """One query listing every problem of a kind as (f, r, col, reason). absent[col] = the files
    without that column (already reported as a missing column, so no per-cell report)."""
    t = f"_conv_{kind}"
    parts = []
    for col in REQUIRED[kind]:
        skip = "".join(f" and f <> {int(i)}" for i in absent.get(col, []))
        parts.append(f"select f, r, '{col}', 'empty required cell' from {t} "
                     f"where {_raw(kind, col)} is null{skip}")
    for col, typ in COLUMNS[kind]:
        raw, val = _raw(kind, col), f'"{col}"'
        if typ in _PLAIN:
            limit = MAX_CHARS[typ]
            parts.append(f"select f, r, '{col}', 'too long: ' || length({raw}) || ' characters "
                         f"(at most {limit}): ' || {_q(col, kind)} from {t} where length({raw}) > {limit}")
            parts.append(f"select f, r, '{col}', 'a spreadsheet formula, not a value: ' || {_q(col, kind)} || "
                         f"' (paste the values)' from {t} where starts_with({raw}, '=')")
            parts.append(f"select f, r, '{col}', 'hidden character ' || {_hidden_sql(raw)} || ': ' || "
                         f"{_q(col, kind)} || ' (invisible, or it reverses the text around it: retype the value)' "
                         f"from {t} where regexp_matches({raw}, '{_HIDDEN_SQL}')")
            if typ == "code":
                parts.append(f"select f, r, '{col}', 'a code with a double quote, tab or line break: ' || "
                             f"{_q(col, kind)} || ' (a quote left open in the file?)' from {t} "
                             f"where regexp_matches({raw}, '[\"\\t\\n\\r]')")
        elif typ in ("ts", "date"):
            parts.append(f"select f, r, '{col}', 'unparseable or impossible date ' || {_q(col, kind)} || "
                         f"' (expected dd/mm/yyyy[ HH:MM[:SS]] or yyyy-mm-dd[ HH:MM[:SS]])' "
                         f"from {t} where {raw} is not null "
                         f"and ({val} is null or year({val}) not between 1900 and 2100)")
        elif typ == "num":
            parts.append(f"select f, r, '{col}', 'not a number: ' || {_q(col, kind)} from {t} "
                         f"where {raw} is not null and {val} is null")
            if col in ("legal_days", "fee_amount", "supplement_days"):
                parts.append(f"select f, r, '{col}', 'negative value: ' || {_q(col, kind)} from {t} "
                             f"where {val} < 0")
        elif typ == "period":
            parts.append(f"select f, r, '{col}', 'unknown period ' || {_q(col, kind)} || "
                         f"' (expected yyyy, yyyy-mm or yyyyQn)' from {t} "
                         f"where {raw} is not null and {val} is null")
        elif typ == "bool" or typ.startswith("label:"):
            dom = "bool" if typ == "bool" else typ.split(":", 1)[1]
            allowed = "; expected " + _allowed(dom)
            parts.append(f"select f, r, '{col}', 'unknown {DOMAIN_NAMES[dom]} ' || {_q(col, kind)} || "
                         f"'{allowed}' from {t} where {raw} is not null and {raw} <> '' and {val} is null")
    if kind == "dossiers":
        for col, what in (("due_at", "due date"), ("finished_at", "finish date")):
            parts.append(f"select f, r, '{col}', '{what} ' || {_q(col, kind)} || "
                         f"' is before the received date ' || {_q('received_at', kind)} "
                         f"from {t} where {col}::date < received_at::date")
    if kind in ("units", "procedures"):
        parts.append(f"select f, r, 'valid_to', 'valid_to ' || {_q('valid_to', kind)} || "
                     f"' is before valid_from ' || {_q('valid_from', kind)} from {t} where valid_to < valid_from")
    # duplicate keys within the batch (a null unit_code of an indicator is part of the key)
    key = KEYS[kind]
    kcols = ", ".join(f'"{k}"' for k in key)
    kdesc = " + ".join(key)
    kval = " || ' / ' || ".join(f"coalesce(\"{k}\", '')" for k in key)
    match = " and ".join(f'd."{k}" is not distinct from c."{k}"' for k in key)
    dup = (f"select f, r, '{key[0]}', 'duplicate key {kdesc} ''' || {kval} || ''' (first in row ' "
           f"|| first_r || case when first_f <> f then ' of file #' || (first_f + 1) else '' end || ')' "
           f"from (select f, r, {kcols}, first_value(r) over w as first_r, "
           f"first_value(f) over w as first_f, row_number() over w as n "
           f"from {t} c where \"{key[0]}\" is not null "
           f"and exists (select 1 from (select {kcols} from {t} where \"{key[0]}\" is not null "
           f"group by all having count(*) > 1) d where {match}) "
           f"window w as (partition by {kcols} order by f, r)) where n > 1")
    parts.append(dup)
    # unknown references: neither in the database nor in this batch
    for (k, col), target in REFERENCES.items():
        if k != kind:
            continue
        tk = KEYS[target][0]
        parts.append(f"select f, r, '{col}', 'unknown {target[:-1]} code ' || {_q(col, kind)} "
                     f"from {t} c where c.\"{col}\" is not null "
                     f"and not exists (select 1 from {target} x where x.{tk} = c.\"{col}\") "
                     f"and not exists (select 1 from _conv_{target} y where y.{tk} = c.\"{col}\")")
    return " union all ".join(f"({p})" for p in parts)


def _allowed(dom: str) -> str:
    if dom == "status":
        return "1-10 or a status name"
    labels = sorted(set(LABELS[dom]), key=lambda s: (len(s) > 2, s))
    s = ", ".join(labels[:12]).replace("'", "")
    return s + (", ..." if len(labels) > 12 else "")
