"""The domain's SQL files by name (reform/sql/<name>.sql), read as package resources so that they are
found inside a zip too (the national roll-up's Spark job ships this package as one: docs/national.md).
Nothing here imports DuckDB."""
from __future__ import annotations

from importlib import resources


def text(name: str) -> str:
    return resources.files(__name__).joinpath(f"{name}.sql").read_text(encoding="utf-8")


def facts(source: str) -> str:
    """The dossier facts (facts.sql) of the table or view named source."""
    return text("facts").replace("{dossiers}", source)
