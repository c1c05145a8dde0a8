"""Every piece of interface text, Vietnamese first then English, from present/text.toml (KPI names come
from the catalogue): one table for the dashboard (ui/labels.t, which follows the language switch), the
documents and the command line.

    text("filters.level", "en") -> "Level"
"""
from __future__ import annotations

import pathlib
import tomllib

LANGS = ("vi", "en")
PATH = pathlib.Path(__file__).resolve().parent / "text.toml"
TEXT: dict[str, tuple[str, str]] = {k: tuple(v) for k, v in tomllib.loads(PATH.read_text(encoding="utf-8")).items()}


def text(key: str, lang: str = "vi", /, **fields) -> str:
    vi, en = TEXT[key]
    out = vi if lang == "vi" else en
    return out.format(**fields) if fields else out
