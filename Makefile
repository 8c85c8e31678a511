# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
export PORT

.PHONY: run test bench install install-dev lint migrate messages clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input

run: install migrate
	$(PY) manage.py import_municipalities
	$(PY) manage.py import_model_projects
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(VENV)/bin/honcho start -f Procfile.dev

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install-dev
	$(PY) -m benchmarks

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var staticfiles
