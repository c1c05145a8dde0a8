"""Domain package of the reform KPI dashboard: catalogue, KPI computation, periods, database lifecycle,
sample generator, importer and the command line (python -m reform ...)."""
