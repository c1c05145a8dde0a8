"""python -m bench.worker --worker KIND --worker-args JSON: one timed step in a fresh process (started by
bench.harness.worker_cmd); its result as JSON on the last line of stdout."""
from __future__ import annotations

import argparse
import importlib
import json
import sys

WORKERS = {"query": "bench.queries:worker_query", "pandas": "bench.pandas_baseline:worker_pandas",
           "rebuild": "bench.build:worker_rebuild", "refdb": "bench.build:worker_refdb"}


def worker(kind: str):
    module, name = WORKERS[kind].split(":")
    return getattr(importlib.import_module(module), name)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", choices=WORKERS, required=True)
    ap.add_argument("--worker-args", default="{}")
    a = ap.parse_args(argv)
    res = worker(a.worker)(json.loads(a.worker_args))
    print(json.dumps(res, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
