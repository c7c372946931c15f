# One command per chore, the same locally and in CI.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PATH, or else as a module of the machine's Python (installed by `make install` if missing).
UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
MANAGE := $(UV) run --frozen python manage.py

# make run: embedded defaults (SQLite file, filesystem broker) unless DATABASE_URL / REDIS_URL are set.
RUN_ENV := DEBUG=$${DEBUG:-true}
# make test: real PostgreSQL and Redis on this machine.
TEST_ENV := DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mianshi} \
	REDIS_URL=$${TEST_REDIS_URL:-redis://127.0.0.1:6379/15} SECRET_KEY=test-only-secret DEBUG=false \
	DJANGO_ALLOW_ASYNC_UNSAFE=true

.PHONY: help install run test lint services browser vendor messages bench bench-load

help:
	@echo "make run   - install, migrate, load the question bank, create demo accounts, serve on http://127.0.0.1:8000/"
	@echo "make test  - the whole suite on real PostgreSQL and Redis (starts them if down)"
	@echo "make lint  - ruff, the dependency contracts (import-linter), mypy and the migrations check"
	@echo "make bench - grading throughput, overhead, prompt tokens; offline judge speed beside the old one"

install:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen

run: install
	@mkdir -p var
	$(RUN_ENV) $(MANAGE) migrate --no-input
	$(RUN_ENV) $(MANAGE) createcachetable
	$(RUN_ENV) $(MANAGE) load_question_bank
	$(RUN_ENV) $(MANAGE) create_demo_accounts
	$(RUN_ENV) $(UV) run --frozen honcho start -f Procfile

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || \
		redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && exit 0; sleep 1; done; \
		echo "PostgreSQL or Redis did not start" >&2; exit 1

browser:
	@test -x /usr/bin/chromium && fc-list 2>/dev/null | grep -qi wqy || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei)

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen lint-imports
	$(TEST_ENV) $(UV) run --frozen mypy .
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run

test: install services browser lint
	$(TEST_ENV) $(UV) run --frozen pytest --create-db --durations=10 $(PYTEST_ARGS)

# Re-copy the pinned front-end files (package.json + package-lock.json) into static/vendor/.
vendor:
	npm ci --no-audit --no-fund
	rm -rf static/vendor/katex && mkdir -p static/vendor/katex/fonts
	cp node_modules/katex/dist/katex.min.css node_modules/katex/dist/katex.min.js node_modules/katex/LICENSE static/vendor/katex/
	cp node_modules/katex/dist/fonts/*.woff2 static/vendor/katex/fonts/
	# Only the woff2 fonts are shipped: drop the CSS's woff/ttf fallbacks, which collectstatic could not find.
	sed -i -E 's/,url\(fonts\/[A-Za-z0-9_-]+\.(woff|ttf)\) format\("(woff|truetype)"\)//g' static/vendor/katex/katex.min.css

# Translations: English message ids, Chinese catalogue; the compiled .mo files are committed.
messages: install
	$(RUN_ENV) $(MANAGE) makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=static/vendor
	$(RUN_ENV) $(MANAGE) compilemessages --ignore=.venv

# Grading benchmark through the real Celery + Redis + PostgreSQL path (prints figures; see bench/grading.py).
bench: install services
	@psql -h 127.0.0.1 -U postgres -tc "select 1 from pg_database where datname = 'mianshi_bench'" | grep -q 1 || \
		psql -h 127.0.0.1 -U postgres -qc "create database mianshi_bench"
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/mianshi_bench REDIS_URL=redis://127.0.0.1:6379/11 \
		SECRET_KEY=bench-only $(UV) run --frozen python bench/grading.py
	OPENBLAS_NUM_THREADS=1 $(UV) run --frozen python bench/judge_speed.py

# Load benchmark: gunicorn + worker + beat + the fake LLM, N simulated candidates (prints figures; bench/load.py).
bench-load: install services
	@psql -h 127.0.0.1 -U postgres -tc "select 1 from pg_database where datname = 'mianshi_load'" | grep -q 1 || \
		psql -h 127.0.0.1 -U postgres -qc "create database mianshi_load"
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/mianshi_load REDIS_URL=redis://127.0.0.1:6379/12 \
		SECRET_KEY=bench-only $(UV) run --frozen python bench/load.py $(BENCH_ARGS)
