"""Who may see what and who may write (DESIGN §8): an optional allow-list of accounts, each with an
optional unit scope, and the accounts among them that may import data.

Sign-in is Streamlit's own (st.login, OpenID Connect), configured in .streamlit/secrets.toml; the
allow-list sits beside it:

    [access]
    writers = ["hoa@camau.gov.vn", "vanphong.tpcamau@camau.gov.vn"]   # may import, within their scope

    [access.accounts]
    "lanhdao@camau.gov.vn" = "*"                  # the whole province
    "hoa@camau.gov.vn" = "*"
    "vanphong.tpcamau@camau.gov.vn" = "964"       # UBND TP Cà Mau and the communes under it

A scope is enforced by the database reader (reform.db.Reader), under every query, not by the pages; a
writer's scope by the importer (reform.write_scope), not by the upload form."""
from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping

WHOLE_PROVINCE = "*"
# an operator's explicit opt-in to anonymous uploads, for a dashboard on a closed network without sign-in
OPEN_UPLOADS_ENV = "REFORM_OPEN_UPLOADS"


class NotAllowed(Exception):
    """The signed-in account is not on the allow-list."""


class UploadsOff(Exception):
    """This visitor may not import data; reason is one of REASONS (a label key upload.off.<reason>)."""
    REASONS = ("no_sign_in", "not_signed_in", "not_listed", "read_only", "misconfigured")

    def __init__(self, reason: str):
        assert reason in self.REASONS, reason
        super().__init__(reason)
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class WriteRight:
    by: str | None          # the account the import log names; None for an anonymous (opted-in) upload
    scope: str | None       # the unit every imported row must belong to; None = the whole province


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


def writers(config: Mapping) -> set[str]:
    """[access] writers: the accounts (lower case) that may import data, each listed in [access.accounts]."""
    raw = (config.get("access") or {}).get("writers") or []
    if not isinstance(raw, (list, tuple)):
        raise ValueError("[access] writers must be a list of e-mail addresses, e.g. writers = [\"hoa@camau.gov.vn\"]")
    out = {str(e).strip().lower() for e in raw if str(e).strip()}
    unlisted = sorted(out - set(accounts(config)))
    if unlisted:
        raise ValueError(f"[access] writers: {', '.join(unlisted)} not in [access.accounts]")
    return out


def unit_of(table: Mapping[str, str], email: str | None) -> str | None:
    """The unit code an account is limited to, None for the whole province; NotAllowed if unlisted."""
    scope = table.get((email or "").strip().lower())
    if scope is None:
        raise NotAllowed(email)
    return None if scope == WHOLE_PROVINCE else scope


def verified_email(claims: Mapping) -> str | None:
    """The account's e-mail if its identity provider vouches for it, else None (an e-mail claim alone
    may be anyone's: some providers let a user set it). Vouching is the OpenID Connect claim
    `email_verified` true or, only when the token has no such claim, Microsoft Entra's optional
    `xms_edov` (the address's domain is verified by the tenant; added in the app's token configuration)."""
    email = str(claims.get("email") or "").strip()
    if not email:
        return None
    proof = claims["email_verified"] if "email_verified" in claims else claims.get("xms_edov")
    return email if proof is True or str(proof).strip().lower() == "true" else None


def open_uploads(environ: Mapping[str, str] = os.environ) -> bool:
    """REFORM_OPEN_UPLOADS=1: anyone who reaches the dashboard may import (only without sign-in)."""
    return environ.get(OPEN_UPLOADS_ENV, "").strip() == "1"


def write_right(config: Mapping, signed_in: bool, email: str | None,
                environ: Mapping[str, str] = os.environ) -> WriteRight:
    """Whether this visitor may import, as whom and within which unit; UploadsOff(reason) if not.

    With sign-in configured only the accounts in [access] writers may, each within its own scope
    (REFORM_OPEN_UPLOADS is then ignored); without it nobody may, unless the operator opted in."""
    if "auth" not in config:
        if accounts(config):
            raise UploadsOff("misconfigured")
        if open_uploads(environ):
            return WriteRight(None, None)
        raise UploadsOff("no_sign_in")
    if not signed_in or not email:
        raise UploadsOff("not_signed_in")
    try:
        scope = unit_of(accounts(config), email)
    except NotAllowed:
        raise UploadsOff("not_listed") from None
    if email.strip().lower() not in writers(config):
        raise UploadsOff("read_only")
    return WriteRight(email.strip().lower(), scope)
