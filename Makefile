# Each target sets up .venv itself, so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: play serve test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,report,writers,serve]"
	@touch $(STAMP)

play: $(STAMP)
	$(PY) main.py

# The browser edition for a class: prints the address to open and the class code.
serve: $(STAMP)
	$(PY) -m game serve $(ARGS)

test: $(STAMP)
	$(PY) -m ruff check game tests bench main.py
	$(PY) -m mypy
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check game tests bench main.py
	$(PY) -m game validate

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
