"""The seeded Cà Mau sample: reference CSVs from sample_data/ plus dossiers generated in DuckDB SQL
(reform/sql/generate.sql), calibrated so that April 2020 reproduces the article (DESIGN §3)."""
from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date, datetime

import duckdb

from reform import db, restructure

AS_OF = datetime(2026, 9, 30, 23, 59, 59)  # the sample ends here
FIRST_YEAR = 2019

# Which department (before the 2025 merger) handles a province-level procedure, by words in its field.
# First match wins; the merged departments follow from units.successor_code.
FIELD_DEPARTMENT = [
    ("khu kinh tế", "BQLKKT"), ("dân tộc", "BDT"),
    ("khiếu nại|tố cáo|tiếp công dân|thanh tra", "TTRA"),
    ("khoa học|sở hữu trí tuệ|tiêu chuẩn|đo lường|năng lượng nguyên tử|công nghệ", "SKHCN"),
    ("giáo dục nghề nghiệp|việc làm|lao động|người có công|bảo trợ|trẻ em|phòng, chống tệ nạn", "SLDTBXH"),
    ("giáo dục|đào tạo|văn bằng", "SGDDT"),
    ("đất đai|môi trường|tài nguyên|khoáng sản|đo đạc|biển|khí tượng|thủy văn", "STNMT"),
    ("xây dựng|quy hoạch|nhà ở|bất động sản|hạ tầng|kiến trúc", "SXD"),
    ("đầu tư|doanh nghiệp|hợp tác xã|kinh tế tập thể", "SKHDT"),
    ("giao thông|đường bộ|đường thủy|đăng kiểm|vận tải", "SGTVT"),
    ("dược|khám bệnh|y tế|mỹ phẩm|dân số|trang thiết bị", "SYT"),
    ("văn hóa|du lịch|thể thao|gia đình|di sản|nghệ thuật|quảng cáo", "SVHTTDL"),
    ("tư pháp|công chứng|luật sư|hộ tịch|chứng thực|quốc tịch|trợ giúp pháp lý|giám định|đấu giá|"
     "hòa giải|trọng tài|thừa phát lại|bồi thường", "STP"),
    ("trồng trọt|thú y|thủy sản|lâm nghiệp|nông nghiệp|thủy lợi|chăn nuôi|thực vật|nông thôn|phòng chống thiên tai", "SNNPTNT"),
    ("thông tin|truyền thông|báo chí|xuất bản|bưu chính|viễn thông|phát thanh", "STTTT"),
    ("công nghiệp|thương mại|điện|hóa chất|xúc tiến|lưu thông|an toàn thực phẩm|xăng dầu|vật liệu nổ", "SCT"),
    ("nội vụ|thi đua|khen thưởng|tôn giáo|công chức|viên chức|văn thư|lưu trữ|tổ chức|thanh niên", "SNV"),
    ("tài chính|giá|công sản|tài sản|ngân sách", "STC"),
]


def department_for(field: str | None) -> str:
    text = (field or "").lower()
    for pattern, dept in FIELD_DEPARTMENT:
        if re.search(pattern, text):
            return dept
    return "VPUB"


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """units, procedures, reported indicators and the 2025 unit mapping from the reviewable CSVs in
    sample_data/ (holidays come with every new file). A mapping that breaks its rules stops the build."""
    for table in ("units", "procedures", "indicators", "unit_mapping"):
        con.execute(f"insert into {table} by name select * from read_csv(?, header = true, all_varchar = false)",
                    [str(db.SAMPLE_DIR / f"{table}.csv")])
    problems = restructure.check(con)
    if problems:
        raise ValueError("sample_data/unit_mapping.csv breaks the mapping rules:\n"
                         + "\n".join(map(str, problems)))


def _steps(text: str):
    parts = re.split(r"^-- step: (\w+)\n", text, flags=re.M)
    return zip(parts[1::2], parts[2::2])


def generate(path=None, scale: float = 1.0, seed: int = 2020, progress: Callable[..., None] | None = None) -> None:
    """Build the sample database at `path` (default: $REFORM_DB or sample_data/reform.duckdb).

    progress(event, elapsed=seconds, **facts) is called as each stage starts, so whatever shows it says
    what is running until the next one: "start" (name, scale, seed), the stages (reference, plan, pools,
    year with year and n so far, returns, then db.rebuild's stale with files, sort, summaries, restate,
    kept, checkpoint, swap, each with n), "waiting" (message: another writer holds the database) and "done"
    (n, name). The words are the caller's (present/progress.py); facts are plain values."""
    tell = progress or (lambda event, **facts: None)
    target = db.db_path(path)
    started = time.perf_counter()
    n = 0

    def stage(event: str, **facts) -> None:
        tell(event, elapsed=time.perf_counter() - started, **facts)

    def step(name: str, files=()) -> None:   # the stages of db.rebuild
        stage(name, files=list(files), n=n)

    tell("start", name=target.name, scale=scale, seed=seed)
    with db.rebuild(target, copy_existing=False, task=f"generation of the sample (scale {scale:g})",
                    say=lambda message: tell("waiting", message=message), sample=True, step=step) as con:
        stage("reference")
        load_reference(con)
        fields = [r[0] for r in con.execute("select distinct field from procedures where field is not null").fetchall()]
        con.execute("create temp table field_department (field varchar, department varchar)")
        con.executemany("insert into field_department values (?, ?)", [(f, department_for(f)) for f in fields])
        con.execute("set variable seed = ?", [int(seed)])
        con.execute("set variable scale = ?", [float(scale)])
        con.execute("set variable as_of = ?", [AS_OF])
        con.execute(db.sql_text("calendar"))  # due dates need working days
        steps = dict(_steps(db.sql_text("generate")))
        for name in ("plan", "pools"):
            stage(name)
            con.execute(steps[name])
        # dossiers are made one year at a time, so memory does not grow with the scale
        for year in range(FIRST_YEAR, AS_OF.year + 1):
            stage("year", year=year, n=n)
            con.execute("set variable chunk_from = ?", [date(year, 1, 1)])
            con.execute("set variable chunk_to = ?", [date(year + 1, 1, 1)])
            for name in ("dossiers", "timeline", "outcomes", "finish", "write"):
                con.execute(steps[name])
            n = con.execute("select count(*) from dossiers").fetchone()[0]
        stage("returns", n=n)
        con.execute(steps["returns"])
    stage("done", n=n, name=target.name)
