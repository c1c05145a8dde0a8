# One command each (README "Quick start"): `make run` serves the dashboard on the sample data,
# `make test` runs the whole test suite, `make sample` builds the sample database, `make lint` runs ruff.
# Each first makes .venv with $(PYTHON) (≥ 3.11, checked) from requirements.lock, every package pinned
# with its hashes; .venv is made anew when $(PYTHON) is another version than the one it was made with.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
LOCK := requirements.lock
SPARK_LOCK := requirements-spark.lock
# extra arguments for `make run`, e.g. make run ARGS="--server.port 8765"
ARGS ?=

.PHONY: run test sample bench lint lock venv spark

# The interpreter check, then .venv: $(VENV)/.python records the version and path of the interpreter it
# was made with; another one (python3 upgraded, a different PYTHON=) removes .venv and makes it again,
# as does a .venv left without that record (an earlier failed attempt). The lock's packages are installed
# again whenever the lock is newer than the last install.
venv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  found="$$(command -v $(PYTHON) >/dev/null && $(PYTHON) --version 2>&1 | head -n 1)"; \
	  echo "Cần Python ≥ 3.11, $(PYTHON) là $${found:-không có} · Needs Python ≥ 3.11, $(PYTHON) is $${found:-missing}; e.g. make PYTHON=python3.12 $(MAKECMDGOALS)" >&2; \
	  exit 1; }
	@want="$$($(PYTHON) -c 'import os, platform, sys; print(platform.python_version(), os.path.realpath(sys.executable))')"; \
	if [ -e $(VENV) ] && [ "$$(cat $(VENV)/.python 2>/dev/null)" != "$$want" ]; then \
	  echo "$(VENV) was made with $$(cat $(VENV)/.python 2>/dev/null || echo 'an unknown Python'), not $$want: making it again" >&2; \
	  rm -rf $(VENV); \
	fi; \
	if [ ! -e $(VENV)/.python ]; then \
	  $(PYTHON) -m venv $(VENV) && echo "$$want" > $(VENV)/.python || { rm -rf $(VENV); exit 1; }; \
	fi; \
	if [ ! -e $(VENV)/.installed ] || [ $(LOCK) -nt $(VENV)/.installed ]; then \
	  $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK) && touch $(VENV)/.installed; \
	fi

run: venv
	$(PY) -m streamlit run dashboard.py $(ARGS)

test: venv
	$(PY) -m pytest

sample: venv
	$(PY) -m reform generate

lint: venv
	$(PY) -m ruff check .

# requirements.lock from requirements.txt (edit that one, then run this): every transitive dependency,
# for any platform and Python ≥ 3.11, with the hashes of every file on the index; the same for the
# optional Spark packages, held to the versions of requirements.lock
lock: venv
	$(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock  (= uv pip compile --universal --python-version 3.11 --generate-hashes -o requirements.lock requirements.txt)" \
	  -o $(LOCK) requirements.txt
	$(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes -c $(LOCK) \
	  --custom-compile-command "make lock  (= uv pip compile --universal --python-version 3.11 --generate-hashes -c requirements.lock -o requirements-spark.lock requirements-spark.txt)" \
	  -o $(SPARK_LOCK) requirements-spark.txt

# the national roll-up's optional packages (pyspark, sqlglot) into .venv; Spark also needs Java ≥ 17
spark: venv
	@if [ ! -e $(VENV)/.installed-spark ] || [ $(SPARK_LOCK) -nt $(VENV)/.installed-spark ]; then \
	  $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(SPARK_LOCK) && touch $(VENV)/.installed-spark; \
	fi
	@command -v java >/dev/null || echo "Spark needs Java ≥ 17: e.g. apt-get install openjdk-17-jre-headless" >&2

bench: venv
	$(PY) -m bench
