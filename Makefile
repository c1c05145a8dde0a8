# One command each (README "Quick start"): `make run` serves the dashboard on the sample data,
# `make test` runs the whole test suite. Both create .venv from requirements.txt on first use.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test sample bench lint

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m streamlit run dashboard.py

test: $(VENV)/.installed
	$(PY) -m pytest

sample: $(VENV)/.installed
	$(PY) -m reform generate

bench: $(VENV)/.installed
	$(PY) -m bench
