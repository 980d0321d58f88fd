# Teńdik — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: run test lint install install-dev messages lock bench clean

run: install
	PORT=$(PORT) bash scripts/run.sh

test: install-dev
	bash scripts/test.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy tendik

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $@

# Extract interface strings into the catalogues (needs GNU gettext) and compile them.
messages: install-dev
	cd tendik && ../$(PY) ../manage.py makemessages --no-obsolete -l ru -l kk -l en --ignore 'static/*'
	$(PY) manage.py compile_catalogues

# Re-pin every dependency after changing pyproject.toml.
lock: install-dev
	$(PY) -m pip freeze --exclude-editable --exclude tendik | sed '/^-e /d' > requirements.lock

bench: install-dev
	$(PY) bench/startup.py
	$(PY) bench/run.py
	$(PY) bench/plan_report.py
	$(PY) bench/access_map.py
	$(PY) bench/proactive.py
	$(PY) bench/portal.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
