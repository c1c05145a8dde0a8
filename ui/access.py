"""Sign-in and the unit scope of this session (reform.access), when .streamlit/secrets.toml has an
[auth] section (Streamlit's st.login, OpenID Connect). Without one the dashboard is open to whoever
reaches it, as a dashboard on a closed network is."""
from __future__ import annotations

import streamlit as st

from reform import access
from reform.safe import md
from ui.labels import t

_SCOPE = "_access_scope"    # set here only: no widget has this key


def _config() -> dict:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:   # no secrets.toml
        return {}


def _signed_in() -> tuple[bool, str | None]:
    """(signed in?, e-mail) from the identity provider (tests replace this: no provider there)."""
    return bool(st.user.is_logged_in), st.user.get("email")


def gate() -> None:
    """Stop the run with a sign-in page unless the visitor is signed in and on the allow-list;
    then remember the account's unit scope for ui.data's reader."""
    config = _config()
    accounts = access.accounts(config)
    if "auth" not in config:
        if accounts:    # an allow-list without sign-in would protect nothing: show nothing
            _only(lambda: st.error(t("auth.misconfigured"), icon=":material/lock:"))
        st.session_state[_SCOPE] = None
        return
    signed_in, email = _signed_in()
    if not signed_in:
        _only(_sign_in_page)
    try:
        scope = access.scope_of(accounts, email)
    except access.NotAllowed:
        _only(lambda: _refused_page(email))
    st.session_state[_SCOPE] = scope
    st.sidebar.caption(t("auth.signed_in", email=md(email)) + (f" · {t('auth.scope', unit=md(scope))}" if scope else ""))
    st.sidebar.button(t("auth.logout"), on_click=st.logout, icon=":material/logout:", key="logout")


def _only(page) -> None:
    """Show one page instead of the dashboard and stop. Its own navigation, hidden, keeps Streamlit
    from listing the pages/ files in the sidebar, and whatever page the link named is not run."""
    st.session_state.pop(_SCOPE, None)
    st.navigation([st.Page(page, title=t("auth.title"), url_path="signin", default=True)],
                  position="hidden").run()
    st.stop()


def _sign_in_page() -> None:
    st.title(t("auth.title"))
    st.write(t("auth.why"))
    st.button(t("auth.login"), on_click=st.login, icon=":material/login:", type="primary")


def _refused_page(email: str | None) -> None:
    st.title(t("auth.title"))
    st.error(t("auth.denied", email=md(email or "?")), icon=":material/block:")
    st.button(t("auth.logout"), on_click=st.logout, icon=":material/logout:")


def scope() -> str | None:
    """The unit this session is limited to, None for the whole province."""
    return st.session_state.get(_SCOPE)


def may_manage_data() -> bool:
    """Uploads and the import log are for accounts that see the whole province."""
    return scope() is None


def uploader() -> str:
    """Who an upload is recorded as in the import log."""
    config = _config()
    if "auth" in config:
        signed_in, email = _signed_in()
        if signed_in and email:
            return email
    return "dashboard"
