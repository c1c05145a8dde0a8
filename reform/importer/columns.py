"""Columns: a file's headers (canonical or Vietnamese, see reform.headers) mapped to the columns of
its kind, the kind guessed when not given, personal-data columns dropped (never staged), unknown
columns noted, missing required columns reported."""
from __future__ import annotations

from reform.headers import HEADER_MAP, REQUIRED, guess_kind, is_pii, norm, vietnamese_names
from reform.importer.read import Loaded
from reform.importer.report import Report


def map_columns(lf: Loaded, kind_opt: str | None, rep: Report) -> bool:
    kind = kind_opt or guess_kind(lf.headers)
    if kind is None:
        rep.problem(lf.name, 1, "-", "cannot tell what this file holds (no dossier_code/Mã hồ sơ, "
                    "procedure_code/Mã TTHC, unit_code/Mã đơn vị, indicator_code/Mã chỉ số or "
                    "old_code/Mã đơn vị cũ column); "
                    "check the header row or pass --kind")
        return False
    lf.kind = kind
    hmap = HEADER_MAP[kind]
    ok = True
    for pos, h in enumerate(lf.headers):
        key = norm(h)
        if not key:
            continue
        col = hmap.get(key)
        if col is not None:
            if col in lf.columns:
                rep.problem(lf.name, 1, h, f"second column for {col} (already given by "
                            f"{lf.headers[lf.columns[col]]!r})")
                ok = False
            else:
                lf.columns[col] = pos
        elif is_pii(h):
            rep.notice(f"{lf.name}: column {h!r} looks like personal data: dropped, never stored")
        else:
            rep.notice(f"{lf.name}: column {h!r} is not a {kind} column: ignored")
    for col in REQUIRED[kind]:
        if col not in lf.columns:
            vi = vietnamese_names(kind, col)
            alt = f" (or {' / '.join(repr(v.capitalize()) for v in vi)})" if vi else ""
            rep.problem(lf.name, 1, col, f"missing required column {col}{alt}")
            ok = False
    return ok
