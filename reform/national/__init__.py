"""The national roll-up (docs/national.md): many provinces' dossiers as one dashboard file.

    layout       each province's database as Parquet, by province / year / month, and a generated set
    build        the national file from those files; summaries by DuckDB, or taken from Spark's output
    sparksql     the summaries' statements of reform/sql/build.sql for Spark: DuckDB's SQL, transpiled
    spark_job    the job Spark runs (spark-submit, or local mode from `python -m reform national spark`)

Only sparksql and spark_job need the optional packages (requirements-spark.lock).
"""

# what every province exports beside its dossiers (reform/sql/national.sql makes each one set)
REFERENCE = ("units", "procedures", "holidays", "unit_mapping")
