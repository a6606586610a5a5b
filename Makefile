# Communs des transitions — every command of the README is a target here.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install system-libs run migrate demo test lint format check e2e test-postgres clean bench bench-shortcuts
# WeasyPrint ("Télécharger en PDF") needs pango; Debian package names.
WEASYPRINT_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) system-libs ## Create the virtualenv and install the dependencies

system-libs: $(STAMP) ## WeasyPrint's system libraries (PDF of the fiches): apt-get when missing, as root
	@if $(BIN)/python -c "import weasyprint" >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(WEASYPRINT_LIBS); \
	else \
		echo "PDF des fiches indisponible : installez les bibliothèques de WeasyPrint (en root : apt-get install -y $(WEASYPRINT_LIBS)). Le reste du site fonctionne."; \
	fi

migrate: install ## Apply the database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the demo content (idempotent)
	$(BIN)/python manage.py load_commons

run: demo ## Install, migrate, load the demo content and serve on $(HOST):$(PORT) (French error pages)
	DJANGO_SETTINGS_MODULE=commons.settings.run $(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

.PHONY: dev backup restore
dev: demo ## Same as run, with DEBUG on: Django's debug pages and tracebacks
	DJANGO_SETTINGS_MODULE=commons.settings.dev $(BIN)/python manage.py runserver $(HOST):$(PORT)

backup: install ## Database dump, uploaded media and commons export in backups/<date>/ (or DIR=…)
	$(BIN)/python manage.py backup_site $(DIR)

restore: install ## Put a backup back: make restore DIR=backups/<date> (replaces the database and media)
	@test -n "$(DIR)" || { echo "Indiquez la sauvegarde : make restore DIR=backups/<date>" >&2; exit 1; }
	$(BIN)/python manage.py backup_site --restore $(DIR)

lint: install ## Ruff
	$(BIN)/ruff check .

format: install ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install ## Django system checks and missing migrations
	DJANGO_SETTINGS_MODULE=commons.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=commons.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

test: lint check ## Lint, checks, then the test suite (fails when no test ran)
	$(BIN)/pytest --ignore=tests/e2e -q

e2e: install ## Real-browser journeys (Playwright + Debian chromium at /usr/bin/chromium)
	$(BIN)/pytest tests/e2e -q -p no:cacheprovider

clean: ## Remove the virtualenv, the SQLite database and caches
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache staticfiles

bench: install ## Benchmark at 10,000 methods/2,000 territories (DATABASE_URL=postgres://… for PostgreSQL)
	@command -v wrk >/dev/null 2>&1 || echo "wrk introuvable : apt-get install -y wrk (sinon, générateur de charge Python, moins précis)"
	$(BIN)/python -m bench.run

bench-shortcuts: install ## What each speed shortcut pays, in-process (same database as make bench)
	$(BIN)/python -m bench.shortcuts

.PHONY: loadtest
loadtest: install ## 50 readers and 5 editors for 60 s on gunicorn+PostgreSQL+Redis, then PostgreSQL and Redis faults (figures)
	@command -v wrk >/dev/null 2>&1 || { echo "wrk introuvable : apt-get install -y wrk"; exit 2; }
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/commons_loadtest} $(BIN)/python -m bench.loadtest
