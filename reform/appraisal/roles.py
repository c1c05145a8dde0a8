"""Who does what in an appraisal round, from secrets.toml (the same sign-in as the rest of the dashboard):

    [appraisal]
    secretaries = ["thuky@camau.gov.vn"]
    council = ["hoidong1@camau.gov.vn", "hoidong2@camau.gov.vn"]
    officers = ["canbo.xa01@camau.gov.vn"]      # each limited to one unit in [access.accounts]

Every other account (and everyone when there is no sign-in) is a viewer: it sees published results
only. The store checks the role on every read and write (store.py); this only names it."""
from __future__ import annotations

from collections.abc import Mapping

from reform import access
from reform.appraisal.store import Actor


def actor(config: Mapping, email: str | None) -> Actor:
    """The Actor of a signed-in account (viewer when it has no appraisal role or is not signed in)."""
    if not email:
        return Actor("anonymous", "viewer")
    email = email.strip().lower()
    table = config.get("appraisal") or {}
    lists = {}
    for key in ("secretaries", "council", "officers"):
        raw = table.get(key) or []
        if not isinstance(raw, list | tuple):
            raise ValueError(f"[appraisal] {key} must be a list of e-mail addresses")
        lists[key] = {str(e).strip().lower() for e in raw}
    both = (lists["secretaries"] | lists["council"]) & lists["officers"]
    if both:
        raise ValueError(f"[appraisal] {', '.join(sorted(both))}: a unit's officer cannot also appraise")
    if email in lists["secretaries"]:
        return Actor(email, "secretary")
    if email in lists["council"]:
        return Actor(email, "council")
    if email in lists["officers"]:
        unit = access.unit_of(access.accounts(config), email)
        if unit is None:
            raise ValueError(f"[appraisal] officers: {email} sees the whole province; an officer needs its unit "
                             "in [access.accounts]")
        return Actor(email, "officer", unit)
    return Actor(email, "viewer")
