# Two commands on a fresh machine (Python 3.11 and make): `make run` and `make test`. See README.md.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
KTS_BASE_URL ?= http://127.0.0.1:$(PORT)
export PORT KTS_BASE_URL

.PHONY: run test bench loadtest install install-dev lint migrate prepare messages clean

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade pip
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable

# Everything `make run` needs before the processes start; each step is idempotent.
prepare: migrate
	$(PY) manage.py import_municipalities
	$(PY) manage.py import_model_projects
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py seed_demo

run: prepare
	@echo ""
	@echo "Transferstelle CRM läuft gleich auf $(KTS_BASE_URL)/  (Strg-C beendet Webserver, Worker und Beat)"
	@echo "  Anmeldung:        $(KTS_BASE_URL)/anmelden/"
	@echo "  Verwaltung:       $(KTS_BASE_URL)/admin/"
	@echo "  API:              $(KTS_BASE_URL)/api/v1/"
	@echo "  API-Doku:         $(KTS_BASE_URL)/api/docs/"
	@echo "  Demo-Logins:      koordination (Koordination), leitung (Leitung), difu, iese, ccc, iao (Partner)"
	@echo "                    Passwort jeweils Demo-Passwort-2026"
	@echo ""
	$(VENV)/bin/honcho start -f Procfile.dev

# pytest's exit code 5 means "no tests collected" (e.g. a PYTEST_ARGS filter that matches nothing): not a failure.
# pytest-xdist: one worker per core (each with its own test database); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
test: install-dev
	@$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest: keine Tests ausgewählt (exit 5), gilt als bestanden"; exit 0; fi; exit $$rc

bench: install-dev
	$(PY) -m benchmarks

# The public submission under wrk at 4, 8 and 16 clients beside a floor view, on PostgreSQL (DATABASE_URL,
# default its own database kts_loadtest) and Redis (REDIS_URL, default db 9). LOADTEST_ARGS e.g. --cases 100000.
LOADTEST_ARGS ?= --cases 100
loadtest: install
	$(PY) -m benchmarks.loadtest $(LOADTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) var staticfiles
