"""Who may import (issue 13, item 2): without sign-in nobody, unless the operator opts in with
REFORM_OPEN_UPLOADS=1; with sign-in only the accounts in [access] writers, a scoped one only rows of its
own units. The form's absence is not the guard: ui.upload.run, which the page calls, checks again, and
the importer (`--scope`) refuses the rows outside a scope by row and column. The identity provider is
replaced, as in tests/test_access.py."""
from __future__ import annotations

import pathlib
import re
import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from reform import access
from tests import reference
from tests.conftest import Uploaded, reform_cli
from ui import access as ui_access
from ui import upload
from ui.twin import open_page

SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                    "client_id": "id", "client_secret": "secret",
                    "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}}
HEAD = "dossier_code,procedure_code,unit_code,channel,received_at,due_at,status_code"




@pytest.fixture(scope="module")
def units(small_db):
    """A district, a commune under it with dossiers, a unit outside it, a procedure, a dossier outside."""
    con = duckdb.connect(str(small_db), read_only=True)
    try:
        district, commune = con.execute(
            "select c.parent_code, c.unit_code from dossiers x join units c using (unit_code) join units d "
            "on d.unit_code = c.parent_code where d.level = 'district' group by all order by count(*) desc "
            "limit 1").fetchall()[0]
        tree = reference.descendants(con.sql("select * from units").df(), district)
        (outside, foreign_dossier), (other, _) = con.execute(
            "select unit_code, min(dossier_code) from dossiers where unit_code not in (select unnest(?)) "
            "group by 1 order by 2 limit 2", [sorted(tree)]).fetchall()
        proc = con.execute("select procedure_code from dossiers where unit_code = ? limit 1", [commune]).fetchall()[0][0]
    finally:
        con.close()
    sibling = sorted(tree - {district, commune})[0]
    return dict(district=district, commune=commune, sibling=sibling, outside=outside, other=other, proc=proc,
                foreign=foreign_dossier)


def accounts_for(u):
    return {"lanhdao@camau.gov.vn": "*", "hoa@camau.gov.vn": "*", "huyen@camau.gov.vn": u["district"],
            "xem.huyen@camau.gov.vn": u["district"]}


def config_for(u):
    return {**SECRETS, "access": {"accounts": accounts_for(u), "writers": ["hoa@camau.gov.vn", "Huyen@camau.gov.vn"]}}


@pytest.fixture
def live(small_db, tmp_path, monkeypatch):
    path = tmp_path / "live.duckdb"
    shutil.copy(small_db, path)
    monkeypatch.setenv("REFORM_DB", str(path))
    monkeypatch.delenv("REFORM_OPEN_UPLOADS", raising=False)
    return path


def as_visitor(monkeypatch, config: dict, email: str | None) -> None:
    """The server-side check reads secrets.toml and the identity provider: both replaced."""
    monkeypatch.setattr(ui_access, "_config", lambda: config)
    monkeypatch.setattr(ui_access, "_signed_in", lambda: (email is not None, email))


def dossiers(path, where="true") -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(f"select dossier_code, unit_code from dossiers where {where} order by 1").fetchall()
    finally:
        con.close()


def log(path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select imported_by, rows_in from import_log order by imported_at").fetchall()
    finally:
        con.close()


def a_file(u, *rows: tuple[str, str]) -> Uploaded:
    lines = [HEAD] + [f"{code},{u['proc']},{unit},2,2026-09-01,2026-09-10,2" for code, unit in rows]
    return Uploaded("new.csv", ("\n".join(lines) + "\n").encode())


def test_the_rule():
    cfg = {**SECRETS, "access": {"accounts": {"a@x.vn": "*", "b@x.vn": "964", "c@x.vn": "*"},
                                 "writers": ["A@x.vn", "b@x.vn"]}}
    assert access.write_right(cfg, True, "a@x.vn", {}) == access.WriteRight("a@x.vn", None)
    assert access.write_right(cfg, True, "b@x.vn", {}) == access.WriteRight("b@x.vn", "964")
    for email, reason in (("c@x.vn", "read_only"), ("d@x.vn", "not_listed"), (None, "not_signed_in")):
        with pytest.raises(access.UploadsOff) as e:
            access.write_right(cfg, email is not None, email, {"REFORM_OPEN_UPLOADS": "1"})  # ignored with sign-in
        assert e.value.reason == reason
    # no sign-in: nobody, unless the operator opted in with exactly REFORM_OPEN_UPLOADS=1
    for env in ({}, {"REFORM_OPEN_UPLOADS": "0"}, {"REFORM_OPEN_UPLOADS": "yes"}):
        with pytest.raises(access.UploadsOff, match="no_sign_in"):
            access.write_right({}, False, None, env)
    assert access.write_right({}, False, None, {"REFORM_OPEN_UPLOADS": "1"}) == access.WriteRight(None, None)
    with pytest.raises(access.UploadsOff, match="misconfigured"):  # an allow-list without sign-in
        access.write_right({"access": {"accounts": {"a@x.vn": "*"}}}, False, None, {"REFORM_OPEN_UPLOADS": "1"})
    with pytest.raises(ValueError, match="z@x.vn not in"):
        access.writers({"access": {"accounts": {"a@x.vn": "*"}, "writers": ["z@x.vn"]}})
    with pytest.raises(ValueError, match="a list"):
        access.writers({"access": {"writers": "a@x.vn"}})


def test_anonymous_and_read_only_cannot_import(live, units, monkeypatch):
    before, log_before = dossiers(live), log(live)
    file = a_file(units, ("ROLE-1", units["commune"]))
    for config, email in (({}, None),                              # no sign-in, no opt-in
                          (config_for(units), None),               # sign-in, not signed in
                          (config_for(units), "lanhdao@camau.gov.vn"),   # province-wide, read-only
                          (config_for(units), "xem.huyen@camau.gov.vn"),  # scoped, read-only
                          (config_for(units), "la@example.com")):        # not on the list
        as_visitor(monkeypatch, config, email)
        for action in ("import", "validate"):
            with pytest.raises(access.UploadsOff):
                upload.run(action, [file])
    assert dossiers(live) == before and log(live) == log_before


def test_a_writer_imports_under_its_own_name(live, units, monkeypatch):
    as_visitor(monkeypatch, config_for(units), "Hoa@CaMau.gov.vn")
    code, report = upload.run("import", [a_file(units, ("ROLE-1", units["commune"]), ("ROLE-2", units["outside"]))],
                              by="someone else")
    assert code == 0, report
    assert dossiers(live, "dossier_code like 'ROLE-%'") == [("ROLE-1", units["commune"]), ("ROLE-2", units["outside"])]
    assert log(live)[-1] == ("hoa@camau.gov.vn", 2)   # the account, not what the caller said


def test_the_operator_opt_in_opens_uploads_without_sign_in(live, units, monkeypatch):
    as_visitor(monkeypatch, {}, None)
    monkeypatch.setenv("REFORM_OPEN_UPLOADS", "1")
    code, report = upload.run("import", [a_file(units, ("ROLE-1", units["commune"]))])
    assert code == 0, report
    assert log(live)[-1] == ("dashboard", 1)


def test_a_scoped_writer_imports_only_its_units(live, units, monkeypatch):
    as_visitor(monkeypatch, config_for(units), "huyen@camau.gov.vn")
    before = dossiers(live)
    # an outside unit, a dossier recorded outside moved inside, no unit: each refused by row and column
    file = a_file(units, ("ROLE-1", units["commune"]), ("ROLE-2", units["outside"]),
                  (units["foreign"], units["commune"]), ("ROLE-4", ""))
    code, report = upload.run("import", [file])
    assert code == 1
    lines = report.splitlines()
    scope = units["district"]
    assert f"new.csv:3:unit_code: unit outside the scope {scope}" in lines
    assert f"new.csv:4:dossier_code: this dossier is already recorded under a unit outside the scope {scope}" in lines
    assert f"new.csv:5:unit_code: unit outside the scope {scope}" in lines
    assert not any(line.startswith("new.csv:2:") for line in lines)
    assert dossiers(live) == before          # all-or-nothing: the row inside was not imported either
    code, report = upload.run("import", [a_file(units, ("ROLE-1", units["commune"]))])
    assert code == 0, report
    assert log(live)[-1] == ("huyen@camau.gov.vn", 1)


def test_the_scope_of_every_kind_of_file(small_db, tmp_path, units):
    """`import --scope`: units, procedures, indicators and mapping rows outside the scope, by row."""
    db = tmp_path / "live.duckdb"
    shutil.copy(small_db, db)
    d, c, out = units["district"], units["commune"], units["outside"]
    files = {
        "units.csv": ("unit_code,name,level,parent_code\n"
                      f"NEW-C,Xã mới,commune,{d}\n"          # new, under the scope: fine
                      f"NEW-X,Xã khác,commune,{out}\n"       # new, under another unit
                      f"{units['other']},Đổi tên,commune,{d}\n"   # a unit of another district pulled in
                      f"{units['sibling']},Chuyển đi,commune,{out}\n"   # one of ours moved out
                      f"{d},Đổi tên huyện,district,{out}\n"),  # the scope's own unit moved
        "procedures.csv": f"procedure_code,name,level\n{units['proc']},Tên mới,commune\n",
        "indicators.csv": f"indicator_code,unit_code,period,value\nVIC,{c},2025Q1,1\nVIC,{out},2025Q1,1\nVIC,,2025Q1,1\n",
        "mapping.csv": ("old_code,new_code,effective_date,share_kind,weight\n"
                        f"{c},NEW-C,2026-01-01,whole,1\n{out},NEW-C,2026-01-01,whole,1\n"),
    }
    paths = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    before = db.read_bytes()
    proc = reform_cli("import", "--db", str(db), "--scope", d, *paths, check=False)
    assert proc.returncode == 1
    refused = set()
    for line in proc.stdout.splitlines():
        m = re.match(r"(.*\.csv):(\d+):(\w+): (.*)", line)
        if m and ("outside the scope" in m[4] or "province-wide" in m[4] or "cannot be moved" in m[4]):
            refused.add((pathlib.Path(m[1]).name, int(m[2]), m[3]))
    want = {("units.csv", 3, "unit_code"), ("units.csv", 4, "unit_code"), ("units.csv", 5, "unit_code"),
            ("units.csv", 6, "parent_code"), ("procedures.csv", 2, "procedure_code"),
            ("indicators.csv", 3, "unit_code"), ("indicators.csv", 4, "unit_code"),
            ("mapping.csv", 3, "old_code")}
    assert refused == want, proc.stdout
    assert db.read_bytes() == before
    # the same files province-wide: none of those refusals
    proc = reform_cli("validate", "--db", str(db), *paths, check=False)
    assert "outside the scope" not in proc.stdout and "province-wide" not in proc.stdout


@pytest.fixture
def data_page(monkeypatch, small_db, app_test_as_served):
    monkeypatch.setenv("REFORM_DB", str(small_db))
    monkeypatch.delenv("REFORM_OPEN_UPLOADS", raising=False)

    def _open(email: str | None, secrets: dict) -> AppTest:
        monkeypatch.setattr(ui_access, "_signed_in", lambda: (email is not None, email))
        return open_page("data", {}, secrets=secrets)
    return _open


def banner(at) -> bool:
    return any("REFORM_OPEN_UPLOADS=1" in w.value for w in at.main.warning)


def uploader_shown(at) -> bool:
    return bool(at.get("file_uploader"))


def test_the_upload_form_is_there_only_for_writers(data_page, units, monkeypatch):
    cfg = config_for(units)
    at = data_page(None, {})                                  # no sign-in, no opt-in
    assert not at.exception and not uploader_shown(at)
    assert any("python -m reform import" in i.value for i in at.info)
    at = data_page("lanhdao@camau.gov.vn", cfg)               # signed in, read-only
    assert not at.exception and not uploader_shown(at) and any("[access] writers" in i.value for i in at.info)
    at = data_page("hoa@camau.gov.vn", cfg)                   # a writer
    assert not at.exception and uploader_shown(at) and not banner(at)
    at = data_page("huyen@camau.gov.vn", cfg)                 # a scoped writer: the page, with its scope said
    assert not at.exception and uploader_shown(at)
    assert any(units["district"] in c.value for c in at.caption)
    monkeypatch.setenv("REFORM_OPEN_UPLOADS", "1")            # the operator's opt-in: a banner while it is on
    at = data_page(None, {})
    assert not at.exception and uploader_shown(at)
    assert banner(at)
