"""The appraisal page's parts (pages/appraisal.py): who the visitor is in the round, the round picker,
a unit's entry as its officer edits it (scores, notes, evidence, the data check, explanations), the
council's queue and decisions, the secretary's actions, and the results. Every write goes through
reform.appraisal.store, which checks the visitor's right itself; what a role may not do is not drawn,
but hiding it is not the protection."""
from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from present import fmt
from reform.appraisal import check, evidence, roles
from reform.appraisal import criteria as crit
from reform.appraisal import store as st_
from reform.safe import md
from ui import access, database, state, tables, url
from ui.labels import t

UNIT_KEY = "au"     # the URL key of the unit open in the council's queue


def actor() -> st_.Actor:
    """This visitor in the appraisal (roles from [appraisal] in secrets.toml; a viewer without sign-in)."""
    return roles.actor(access.config(), access.email())


@functools.cache
def store() -> st_.Store:
    return st_.Store()


def evidence_folder() -> str:
    return str(store().path.parent / "evidence")


def names() -> dict[str, str]:
    from ui import fetch
    return fetch.unit_names()


def pick_round(rounds: list[dict]) -> int:
    ids = [r["id"] for r in rounds]
    labels = {r["id"]: t("appr.round_label", year=r["year"], peer=t(f"level.{r['peer']}"),
                         status=t(f"appr.round.{r['status']}")) for r in rounds}
    url.adopt("round", lambda v: ids[ids.index(int(v))], ids[0])
    rid = st.selectbox(t("appr.round"), ids, key="round", format_func=labels.get)
    url.publish("round", rid, ids[0])
    return rid


def open_round_form(me: st_.Actor) -> None:
    files = sorted(p.name for p in crit.FOLDER.glob("*.toml"))
    with st.expander(t("appr.open"), icon=":material/add_circle:"):
        name = st.selectbox(t("appr.criteria_file"), files, key="appr-file")
        if st.button(t("appr.open_button"), key="appr-open", type="primary") and name:
            try:
                c = crit.load(crit.FOLDER / name)
                units = check.peer_units(database.reader(), c)
                rid = store().open_round(me, c, units)
                state.set_widget("round", rid)
                st.success(t("appr.opened", n=len(units)))
            except (crit.CriteriaError, st_.Refused, ValueError) as e:
                st.error(md(str(e)))


def data_check(rid: int, unit: str) -> dict[str, dict]:
    c = store().criteria(rid)
    return check.data_points(database.reader(), c, unit)


def _points(v) -> str:
    return fmt.MISSING if v is None or v != v else fmt.number(v, 2, state.lang())


def entry_table(rid: int, unit: str, entry: dict, checked: dict[str, dict]) -> pd.DataFrame:
    """One row per scored criterion: its maximum, the unit's points and note, the data's value and
    points, the difference, the council's decision."""
    c = store().criteria(rid)
    kpis_lang = state.lang()
    rows = []
    for leaf in c.leaves:
        sc = entry["scores"].get(leaf.code, {})
        d = checked.get(leaf.code)
        differs = d is not None and (sc.get("self_points") is None or d["points"] is None
                                     or abs(sc["self_points"] - d["points"]) > crit.EPS)
        rows.append({"criterion": leaf.code, "name": leaf.name, "max": _points(leaf.max),
                     "self": _points(sc.get("self_points")), "note": sc.get("self_note") or "",
                     "data_value": "" if d is None else fmt.pct(d["value"], kpis_lang),
                     "data_points": "" if d is None else _points(d["points"]),
                     "flag": "⚠" if differs else "", "explanation": sc.get("explanation") or "",
                     "decision": t(f"appr.decision.{sc['decision']}") if sc.get("decision") else "",
                     "council": _points(sc.get("council_points")), "comment": sc.get("council_comment") or "",
                     "evidence": ", ".join(e["name"] for e in entry["evidence"].get(leaf.code, []))})
    return pd.DataFrame(rows)


def show_entry(me: st_.Actor, rid: int, unit: str, key: str, file_name: str) -> dict:
    """A unit's entry as a table beside the data check, the differences named (for the officer and
    the council alike). Returns the entry (store.entry: the actor's right is checked there)."""
    entry = store().entry(me, rid, unit)
    checked = data_check(rid, unit)
    st.subheader(t("appr.entry", unit=md(names().get(unit, unit)), status=t(f"appr.status.{entry['status']}")))
    df = entry_table(rid, unit, entry, checked)
    tables.table(df.rename(columns=lambda k: t(f"appr.col.{k}")), file_name, key=key, data=df)
    flagged = check.differences(checked, entry["scores"])
    if flagged:
        st.warning(t("appr.flagged", codes=md(", ".join(flagged))), icon=":material/difference:")
    files = [(code, e) for code, items in sorted(entry["evidence"].items()) for e in items]
    if files:       # open an evidence file: read through the store, which checks the right again
        a, b = st.columns([3, 1], vertical_alignment="bottom")
        i = a.selectbox(t("appr.evidence_open"), range(len(files)), key=f"{key}-ev",
                        format_func=lambda j: f"{files[j][0]} · {files[j][1]['name']}")
        code, e = files[i]
        b.download_button(t("appr.download"), key=f"{key}-ev-get", on_click="ignore", icon=":material/download:",
                          data=lambda: store().evidence_file(me, rid, unit, e["sha256"], evidence_folder())[1],
                          file_name=e["name"])
    return entry


def unit_entry(me: st_.Actor, rid: int, unit: str) -> None:
    """The officer's own entry: scores, notes, evidence, the data check, explanations, submit."""
    s = store()
    c = s.criteria(rid)
    entry = show_entry(me, rid, unit, "appr-entry", f"tu-cham-{unit}")
    if entry["status"] not in ("draft", "returned"):
        st.info(t("appr.locked"), icon=":material/lock:")
        return
    leaf = c.leaf(st.selectbox(t("appr.criterion"), [x.code for x in c.leaves], key="appr-leaf",
                               format_func=lambda k: f"{k} · {c.leaf(k).name}"))
    sc = entry["scores"].get(leaf.code, {})
    with st.form("appr-score"):
        if leaf.method == "manual":
            pts = st.number_input(t("appr.points", max=_points(leaf.max)), 0.0, leaf.max,
                                  float(sc.get("self_points") or 0.0), step=0.25)
        else:
            options = sorted({0.0, leaf.max, *(p for _, p in leaf.steps)}, reverse=True)
            pts = st.selectbox(t("appr.points", max=_points(leaf.max)), options, format_func=_points,
                               index=options.index(sc["self_points"]) if sc.get("self_points") in options else 0)
        note = st.text_area(t("appr.note"), sc.get("self_note") or "", max_chars=2000)
        explanation = st.text_area(t("appr.explanation"), sc.get("explanation") or "", max_chars=4000)
        saved = st.form_submit_button(t("appr.save"), type="primary")
    if saved:
        try:
            row = s.self_assess(me, rid, unit, leaf.code, pts, note, version=sc.get("version"))
            if explanation.strip() and explanation != (sc.get("explanation") or ""):
                s.explain(me, rid, unit, leaf.code, explanation, row["version"])
            st.rerun()
        except st_.Conflict as e:
            st.error(t("appr.conflict", who=md(e.who), when=e.when[:19].replace("T", " ")))
        except (ValueError, st_.Refused) as e:
            st.error(md(str(e)))
    file = st.file_uploader(t("appr.evidence", code=leaf.code), type=["pdf", "png", "jpg", "jpeg", "docx", "xlsx"],
                            key=f"appr-file-{leaf.code}")
    if file is not None and st.button(t("appr.attach"), key="appr-attach"):
        try:
            sha, kind, size = evidence.store(evidence_folder(), file.name, file.getvalue())
            s.add_evidence(me, rid, unit, leaf.code, sha, file.name, kind, size)
            st.rerun()
        except (evidence.Refused, st_.Refused, ValueError) as e:
            st.error(md(str(e)))
    if st.button(t("appr.submit"), key="appr-submit", icon=":material/send:"):
        try:
            s.submit(me, rid, unit)
            st.rerun()
        except (ValueError, st_.Refused) as e:
            st.error(md(str(e)))


def queue(me: st_.Actor, rid: int) -> str | None:
    """Units × status for the council and the secretary; a row click opens that unit."""
    rows = store().queue(me, rid)
    df = pd.DataFrame([{"unit_code": r["unit_code"], "name": names().get(r["unit_code"], r["unit_code"]),
                        "status": t(f"appr.status.{r['status']}"), "updated_by": r["updated_by"],
                        "updated_at": r["updated_at"][:16].replace("T", " ")} for r in rows])
    codes = [r["unit_code"] for r in rows]
    url.adopt(UNIT_KEY, lambda v: codes[codes.index(v)], None)
    st.subheader(t("appr.queue"))
    if df.empty:
        st.info(t("appr.queue_empty"))
        return None

    def pick():
        picked = state.selected_rows("appr-queue")
        state.set_widget(UNIT_KEY, codes[picked[0]] if picked else None)
    tables.table(df.rename(columns=lambda k: t(f"appr.col.{k}")), f"hang-doi-{rid}", key="appr-queue",
                 on_select=pick, data=pd.DataFrame(rows))
    unit = state.widget(UNIT_KEY)
    url.publish(UNIT_KEY, unit, None)
    return unit


def appraise_entry(me: st_.Actor, rid: int, unit: str) -> None:
    """One unit's scores with evidence and the data check, and the member's decision on a criterion."""
    s = store()
    c = s.criteria(rid)
    entry = show_entry(me, rid, unit, "appr-review", f"tham-dinh-{unit}")
    if entry["status"] not in ("submitted", "under_appraisal"):
        return
    code = st.selectbox(t("appr.criterion"), [x.code for x in c.leaves], key="appr-decide-leaf",
                        format_func=lambda k: f"{k} · {c.leaf(k).name}")
    sc = entry["scores"].get(code, {})
    with st.form("appr-decide"):
        decision = st.radio(t("appr.decision"), st_.DECISIONS, format_func=lambda d: t(f"appr.decision.{d}"),
                            horizontal=True)
        pts = st.number_input(t("appr.points", max=_points(c.leaf(code).max)), 0.0, c.leaf(code).max,
                              float(sc.get("self_points") or 0.0), step=0.25)
        comment = st.text_area(t("appr.comment"), max_chars=2000)
        done = st.form_submit_button(t("appr.decide"), type="primary")
    if done:
        try:
            s.decide(me, rid, unit, code, decision, sc.get("version"), points=pts if decision == "adjusted" else None,
                     comment=comment)
            st.rerun()
        except st_.Conflict as e:
            st.error(t("appr.conflict", who=md(e.who), when=e.when[:19].replace("T", " ")))
        except (ValueError, st_.Refused) as e:
            st.error(md(str(e)))
    if st.button(t("appr.appraise"), key="appr-appraise", icon=":material/task_alt:"):
        try:
            s.appraise(me, rid, unit)
            st.rerun()
        except (ValueError, st_.Refused) as e:
            st.error(md(str(e)))


def round_actions(me: st_.Actor, rid: int) -> None:
    status = store().round(rid)["status"]
    row = st.container(horizontal=True)
    for action, allowed in (("close", "open"), ("publish", "closed")):
        if status == allowed and row.button(t(f"appr.{action}"), key=f"appr-{action}"):
            try:
                getattr(store(), action)(me, rid)
                st.rerun()
            except (ValueError, st_.Refused) as e:
                st.error(md(str(e)))


def results(me: st_.Actor, rid: int) -> None:
    try:
        rows = store().results(me, rid)
    except st_.Refused:
        st.caption(t("appr.not_published"))
        return
    st.subheader(t("appr.results"))
    export(me, rid)
    df = pd.DataFrame([{"rank": r["rank"], "unit_code": r["unit_code"], "name": names().get(r["unit_code"], r["unit_code"]),
                        "points": _points(r["points"]), "index": fmt.number(r["index"], 2, state.lang())} for r in rows])
    tables.table(df.rename(columns=lambda k: t(f"appr.col.{k}")), f"ket-qua-{rid}", key="appr-results",
                 data=pd.DataFrame(rows))


def criteria_table(c: crit.Criteria) -> None:
    """The criteria a round scores, for everyone: what each is worth and how it is scored."""
    st.subheader(t("appr.criteria", year=c.year, peer=t(f"level.{c.peer}")))
    st.caption(md(c.decision))
    fields = dict(c.fields)
    df = pd.DataFrame([{"field": fields.get(x.field, x.field), "criterion": x.code, "name": x.name, "max": _points(x.max),
                        "method": t(f"appr.method.{x.method}") + (f" ({x.kpi})" if x.kpi else "")} for x in c.leaves])
    tables.table(df.rename(columns=lambda k: t(f"appr.col.{k}")), f"tieu-chi-{c.year}-{c.peer}", key="appr-criteria",
                 data=df)


def export(me: st_.Actor, rid: int) -> None:
    """The minutes (PDF, DOCX) and the scores (XLSX) of a closed or published round, made when asked."""
    from present import minutes
    from reform.appraisal import report
    lang = state.lang()

    def made(kind):
        return lambda: getattr(minutes, kind)(report.minutes(store(), me, rid, names()), lang)
    row = st.container(horizontal=True)
    for kind, mime, icon in (("pdf", "application/pdf", ":material/picture_as_pdf:"),
                             ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                              ":material/description:"),
                             ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                              ":material/table_view:")):
        row.download_button(t(f"appr.export.{kind}"), data=made(kind), file_name=f"bien-ban-tham-dinh-{rid}.{kind}"
                            if kind != "xlsx" else f"diem-tham-dinh-{rid}.xlsx", mime=mime, icon=icon,
                            on_click="ignore", key=f"appr-export-{kind}")


def published_metric(container, unit: str | None, year: int) -> None:
    """The council's published index of a unit for a year (or its latest before), beside the local
    766 estimate: a reported figure, not computed here."""
    if unit is None or not st_.default_path().exists():     # no round ever: do not make the store here
        return
    found = [r for r in store().published(unit) if r["year"] <= year]
    if not found:
        return
    r = found[0]
    from ui import twin
    twin.card("PAR", r["index"] / 100, year=r["year"], rank=r["rank"], of=r["of"])
    container.metric(t("appr.published_metric", year=r["year"]), fmt.number(r["index"], 2, state.lang()) + " %",
                     help=t("appr.published_help", rank=r["rank"], of=r["of"], peer=t(f"level.{r['peer']}"),
                            day=fmt.date(r["published"])))
