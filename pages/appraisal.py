"""Thẩm định / Appraisal: the council's appraisal round of the year's reform index (reform/appraisal/).
A unit's officer scores its own unit with notes and evidence beside the dossier data's check; council
members work through the queue and accept, adjust or return each score; the secretary opens, closes and
publishes the round. Everyone sees the published results."""
import streamlit as st

from reform.appraisal import criteria as crit
from reform.safe import md
from ui import appraisal as ap
from ui import entry
from ui.labels import t

entry.require()     # opened on its own (not through dashboard.py): one line pointing to the entry
st.title(t("page.appraisal"))
try:
    me = ap.actor()
except ValueError as e:     # a mistake in [appraisal] of secrets.toml: say which, change nothing
    st.error(md(str(e)), icon=":material/lock:")
    st.stop()
st.caption(t("appr.you", who=md(me.who), role=t(f"appr.role.{me.role}")) + (f" · {md(me.unit)}" if me.unit else ""))
if me.role == "secretary":
    ap.open_round_form(me)
rounds = ap.store().rounds()
if not rounds:
    st.info(t("appr.no_round"), icon=":material/info:")
    newest = max(crit.FOLDER.glob("*.toml"), default=None)
    if newest is not None:     # what the next round will score
        ap.criteria_table(crit.load(newest))
    st.stop()
rid = ap.pick_round(rounds)
if me.role == "officer":
    ap.unit_entry(me, rid, me.unit)
elif me.role in ("council", "secretary"):
    unit = ap.queue(me, rid)
    if unit:
        ap.appraise_entry(me, rid, unit)
    if me.role == "secretary":
        ap.round_actions(me, rid)
ap.results(me, rid)
ap.criteria_table(ap.store().criteria(rid))
