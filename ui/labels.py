"""The interface text of present/text.toml in the language chosen by the switch in the sidebar.

    t("filters.level")            -> "Cấp" or "Level", per the language switch
    t("empty.period", period=..)  -> with str.format fields
"""
from __future__ import annotations

from present.text import LANGS, TEXT, text
from ui import state

__all__ = ["LANGS", "TEXT", "lang", "t"]


def lang() -> str:
    """The current language: the switch in the sidebar (kept in the URL as ?lang=en)."""
    value = state.lang()
    return value if value in LANGS else "vi"


def t(key: str, lang_: str | None = None, /, **fields) -> str:
    return text(key, lang_ or lang(), **fields)
