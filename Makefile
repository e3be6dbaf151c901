# The two commands of the README: `make run` and `make test`. Everything else
# here is what they need, done once and remembered by stamp files.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The tasks wait in the database, for the db_worker `make run` starts beside the
# server, even where a REDIS_URL in the environment would choose RQ.
DEV_ENV := DEBUG=1 KAMTEAM_TASKS=database

AXE := .ci/axe/node_modules/axe-core/axe.min.js

.PHONY: run test lint format messages makemessages demo clean axe oidc check-port

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

## Compile the translations (the compiled catalogue is also committed, so a
## machine without gettext still gets German).
messages: $(STAMP)
	@if command -v msgfmt >/dev/null; then $(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; \
	else echo "msgfmt not found: using the committed compiled catalogue"; fi

makemessages: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l de --ignore=.venv --ignore=staticfiles --no-obsolete

## The port `make run` serves on: `PORT=8123 make run` (or `make run PORT=8123`).
PORT ?= 8000
ADDRESS := http://127.0.0.1:$(PORT)/

## A wrong port stops before anything is set up, not after the demo has
## printed an address nobody serves.
check-port:
	@case "$(PORT)" in ''|*[!0-9]*) echo "PORT must be a port number (1-65535), got: '$(PORT)'" >&2; exit 2;; esac
	@if [ "$(PORT)" -lt 1 ] || [ "$(PORT)" -gt 65535 ]; then echo "PORT must be a port number (1-65535), got: '$(PORT)'" >&2; exit 2; fi

## Set up and serve the app with demo data on SQLite at http://127.0.0.1:$(PORT)/,
## with the task worker (mails, scheduled work) beside the server: core/devserver.py
## starts `manage.py db_worker` and stops it when the server stops (CTRL-C).
run: check-port messages
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py demo --url $(ADDRESS)
	$(DEV_ENV) $(BIN)/python -m core.devserver $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

demo: check-port $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py demo --url $(ADDRESS)

## axe-core and the Nu HTML Checker (vnu-jar, run with java), both from npm,
## for the accessibility and HTML tests; skipped without npm.
axe:
	@if [ -f $(AXE) ] && [ -f .ci/axe/node_modules/vnu-jar/build/dist/vnu.jar ]; then :; \
	elif command -v npm >/dev/null; then npm install --silent --no-audit --no-fund --prefix .ci/axe axe-core@4 vnu-jar@26.9.27; \
	else echo "npm not found: the accessibility test will be skipped"; fi

## oidc-provider (npm, pinned in tests/oidc_provider/package-lock.json), the real
## OpenID provider of the single sign-on tests (tests/oidc.py); skipped without npm.
OIDC_PROVIDER := tests/oidc_provider/node_modules/oidc-provider/package.json
oidc:
	@if [ -f $(OIDC_PROVIDER) ]; then :; \
	elif command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund --prefix tests/oidc_provider; \
	else echo "npm not found: the single sign-on browser tests will be skipped"; fi

## Set up and run the linters and the whole test suite. Another Python gets a
## venv of its own: make test PYTHON=python3.13 VENV=.venv-3.13 (as CI does).
## The suite runs in TEST_PROCESSES pytest-xdist workers, one per core of the
## 2-core machines; each has its own test database. TEST_PROCESSES=0: one process.
TEST_PROCESSES ?= 2
test: messages axe oidc
	@if [ "$(origin PYTHON)" != file ] && [ "$$($(BIN)/python -c 'import sys; print(sys.version_info[:2])')" != "$$($(PYTHON) -c 'import sys; print(sys.version_info[:2])')" ]; then \
		echo "$(VENV) runs another Python than $(PYTHON): give it a venv of its own, e.g. VENV=.venv-3.13" >&2; exit 2; fi
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

## Load instruments (bench/README.md): benchmark with growth, and load and faults.
## `make bench SCALE=5000` compares 5,000 accounts (50,000 people, 125,000 contacts,
## 1,000,000 touchpoints) with 50 instead of 500 with 50.
SCALE ?= 500
.PHONY: bench soak wrk

wrk:
	@command -v wrk >/dev/null || { echo "Installing Debian package: wrk"; apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench: $(STAMP) wrk
	@# Both run, whichever misses a target; the exit status says if either did.
	$(BIN)/python bench/run_bench.py --volumes $(SCALE),50; pages=$$?; $(BIN)/python bench/import_bench.py && exit $$pages

soak: $(STAMP) wrk
	$(BIN)/python bench/soak.py

## Migrations forward on a populated 500-account database (bench/README.md):
## seconds, locks and table rewrites per migration. SINCE: the git revision
## whose installation upgrades (586ddea: the oldest, tests/data/main-586ddea.*);
## `make migrate-bench SINCE=` rolls each app back by its last migration instead.
.PHONY: migrate-bench
SINCE ?= 586ddea
migrate-bench: $(STAMP)
	$(BIN)/python bench/migrate_populated.py $(if $(SINCE),--since $(SINCE),--back 1)

## Backups (README, "Backups"): DATABASE_URL and MEDIA_ROOT from the environment.
##   make backup [BACKUP_DIR=/var/backups/kamteam]
##   make restore BACKUP=backups/kamteam-<time> DATABASE_URL=postgres://.../new MEDIA_ROOT=/new/folder
.PHONY: backup restore
BACKUP_DIR ?= backups
backup: $(STAMP)
	$(BIN)/python deploy/backup.py backup --dir "$(BACKUP_DIR)"

restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/kamteam-<time> DATABASE_URL=postgres://.../<new database> MEDIA_ROOT=<new folder>" >&2; exit 2; }
	$(BIN)/python deploy/backup.py restore "$(BACKUP)"
