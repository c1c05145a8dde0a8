"""Sign-in and the account unit of this session (reform.access), when .streamlit/secrets.toml has an
[auth] section (Streamlit's st.login, OpenID Connect). Without one the dashboard is open to whoever
reaches it, as a dashboard on a closed network is."""
from __future__ import annotations

import streamlit as st

from reform import access
from reform.safe import md
from ui import state
from ui.labels import t


def _config() -> dict:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:   # no secrets.toml
        return {}


def _claims() -> dict:
    """What the identity provider says about the visitor (tests replace this or _signed_in)."""
    return st.user.to_dict()


def _signed_in() -> tuple[bool, str | None]:
    """(signed in?, e-mail) from the identity provider; the e-mail only if the provider verified it,
    so an account is looked up in the allow-list by a verified address alone."""
    claims = _claims()
    return bool(claims.get("is_logged_in")), access.verified_email(claims)


def gate() -> None:
    """Stop the run with a sign-in page unless the visitor is signed in and on the allow-list;
    then remember the account's unit for the reader (ui/database.py)."""
    config = _config()
    try:
        accounts = access.accounts(config)
        access.writers(config)
    except ValueError as e:     # a mistake in secrets.toml: say which, show no data
        problem = str(e)
        _only(lambda: st.error(t("auth.bad_config", problem=problem), icon=":material/lock:"))
    if "auth" not in config:
        if accounts:    # an allow-list without sign-in would protect nothing: show nothing
            _only(lambda: st.error(t("auth.misconfigured"), icon=":material/lock:"))
        state.set_account_unit(None)
        return
    signed_in, email = _signed_in()
    if not signed_in:
        _only(_sign_in_page)
    if email is None:   # signed in, but no e-mail the provider vouches for
        _only(lambda: _refused_page(None, "auth.unverified"))
    try:
        unit = access.unit_of(accounts, email)
    except access.NotAllowed:
        _only(lambda: _refused_page(email))
    state.set_account_unit(unit)
    st.sidebar.caption(t("auth.signed_in", email=md(email)) + (f" · {t('auth.scope', unit=md(unit))}" if unit else ""))
    st.sidebar.button(t("auth.logout"), on_click=st.logout, icon=":material/logout:", key="logout")


def _only(page) -> None:
    """Show one page instead of the dashboard and stop. Its own navigation, hidden, keeps Streamlit
    from listing the pages/ files in the sidebar, and whatever page the link named is not run."""
    state.forget_account_unit()
    st.navigation([st.Page(page, title=t("auth.title"), url_path="signin", default=True)],
                  position="hidden").run()
    st.stop()


def _sign_in_page() -> None:
    st.title(t("auth.title"))
    st.write(t("auth.why"))
    st.button(t("auth.login"), on_click=st.login, icon=":material/login:", type="primary")


def _refused_page(email: str | None, why: str = "auth.denied") -> None:
    st.title(t("auth.title"))
    st.error(t(why, email=md(email or "?")), icon=":material/block:")
    st.button(t("auth.logout"), on_click=st.logout, icon=":material/logout:")


def account_unit() -> str | None:
    """The unit this session's account is limited to (and those under it), None for the whole province."""
    return state.account_unit()


def write_right() -> access.WriteRight:
    """Whether this visitor may import now, as whom and within which unit (access.UploadsOff if not),
    read afresh from the identity provider and secrets.toml on every call: the upload checks it again
    when it runs, not only when the form is drawn."""
    signed_in, email = _signed_in() if "auth" in (config := _config()) else (False, None)
    return access.write_right(config, signed_in, email)


def may_manage_data() -> bool:
    """The Data page: for accounts that see the whole province, and for scoped accounts that may import."""
    if account_unit() is None:
        return True
    try:
        write_right()
        return True
    except (access.UploadsOff, ValueError):
        return False


def config() -> dict:
    """secrets.toml as a dict ({} without one): the roles of the appraisal round read it too."""
    return _config()


def email() -> str | None:
    """The signed-in visitor's verified e-mail; None without sign-in configured or signed in."""
    if "auth" not in _config():
        return None
    signed_in, address = _signed_in()
    return address if signed_in else None
