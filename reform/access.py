"""Who may see what (DESIGN §8): an optional allow-list of accounts, each with an optional unit scope.

Sign-in is Streamlit's own (st.login, OpenID Connect), configured in .streamlit/secrets.toml; the
allow-list sits beside it:

    [access.accounts]
    "lanhdao@camau.gov.vn" = "*"                  # the whole province
    "vanphong.tpcamau@camau.gov.vn" = "964"       # UBND TP Cà Mau and the communes under it

A scope is enforced by the database reader (reform.db.Reader), under every query, not by the pages."""
from __future__ import annotations

from collections.abc import Mapping

WHOLE_PROVINCE = "*"


class NotAllowed(Exception):
    """The signed-in account is not on the allow-list."""


def accounts(config: Mapping) -> dict[str, str]:
    """The [access.accounts] table, e-mail addresses in lower case -> "*" or a unit code."""
    table = (config.get("access") or {}).get("accounts") or {}
    out = {}
    for email, scope in table.items():
        scope = str(scope).strip()
        if not scope:
            raise ValueError(f"[access.accounts] {email!r}: empty scope (use \"*\" for the whole province)")
        out[str(email).strip().lower()] = scope
    return out


def scope_of(table: Mapping[str, str], email: str | None) -> str | None:
    """The unit code an account is limited to, None for the whole province; NotAllowed if unlisted."""
    scope = table.get((email or "").strip().lower())
    if scope is None:
        raise NotAllowed(email)
    return None if scope == WHOLE_PROVINCE else scope
