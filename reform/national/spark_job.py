"""The national roll-up's summary job on Apache Spark (docs/national.md): reads every province's Parquet
files (reform/national/layout.py), runs the summaries' statements (reform/national/sparksql.py: DuckDB's
own SQL, transpiled) and writes each summary table the dashboard reads as Parquet, OUT/<table>/, which
`python -m reform national build --summaries OUT` turns into the file the dashboard serves.

On a cluster (the reform package zipped beside it, sqlglot installed on the driver):
    spark-submit --py-files reform.zip reform/national/spark_job.py --data s3a://bucket/national --out s3a://bucket/summaries
On one machine (local mode): python -m reform national spark --data DIR --out DIR
"""
from __future__ import annotations

import argparse
import pathlib
import shutil
import time
from collections.abc import Callable

from reform.national import REFERENCE, sparksql


def run(spark, data: str, out: str, say: Callable[[str], None] = lambda _: None) -> dict[str, float]:
    """Run the job in an existing SparkSession. Tables the statements create are written to Parquet and
    read back (an intermediate one, the dossier facts, under OUT/_work/), views stay views. The seconds
    each statement took."""
    data, out = data.rstrip("/"), out.rstrip("/")
    # the same names DuckDB reads (reform/sql/national.sql); Parquet's timestamps without a time zone
    # are read as such (TIMESTAMP_NTZ), so a date is the same date whatever the session's zone
    for name in REFERENCE:
        spark.read.parquet(f"{data}/{name}").createOrReplaceTempView(f"{name}_all")
    spark.read.parquet(f"{data}/dossiers").createOrReplaceTempView("dossiers")
    seconds = {}
    for st in sparksql.statements():
        t0 = time.perf_counter()
        if st.query is None:
            spark.catalog.dropTempView(st.name)
            continue
        df = spark.sql(sparksql.spark(st, lambda name: spark.table(name).columns))
        if st.table:
            where = f"{out}/{st.name}" if st.name in sparksql.OUTPUTS else f"{out}/_work/{st.name}"
            df.write.mode("overwrite").parquet(where)
            df = spark.read.parquet(where)
        df.createOrReplaceTempView(st.name)
        seconds[st.name] = time.perf_counter() - t0
        say(f"{st.name}: {seconds[st.name]:.1f} s")
    if "://" not in out:            # the intermediate tables, on a local disk (a cluster's store: its own rules)
        shutil.rmtree(pathlib.Path(out) / "_work", ignore_errors=True)
    return seconds


def jvm_peak_mb(spark) -> float | None:
    """The peak RSS of the JVM local mode started (None when it is not this machine's child)."""
    proc = getattr(spark.sparkContext._gateway, "proc", None)
    try:
        status = pathlib.Path(f"/proc/{proc.pid}/status").read_text()
    except (AttributeError, OSError):
        return None
    return next(int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:"))


def session(master: str = "local[*]", memory: str = "4g"):
    """A SparkSession for local mode (a cluster's spark-submit brings its own)."""
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master(master).appName("reform national summaries")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.memory", memory)
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", "8")
            .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="the provinces' Parquet folder (a path or an s3a:// URL)")
    ap.add_argument("--out", required=True, help="where the summary tables go")
    args = ap.parse_args(argv)
    from pyspark.sql import SparkSession
    spark = SparkSession.builder.appName("reform national summaries").getOrCreate()
    run(spark, args.data, args.out, say=print)


if __name__ == "__main__":
    main()
