# gaps: `make run` serves the tracker with the example assessment; `make test` runs the tests.
# Both set everything up on a fresh machine: the virtualenv, GOV.UK Frontend, the stylesheet.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CSS := gaps/static/build/app.css

.PHONY: setup run serve test bench lint clean

setup: $(PY_STAMP) $(CSS)

$(PY_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q gaps >/dev/null
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CSS): $(NODE_STAMP) assets/app.scss
	npm run --silent build

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask seed --demo
	@echo "Serving on http://127.0.0.1:5000 (Ctrl-C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Production-like serving: gunicorn with several workers against DATABASE_URL, behind one
# TLS-terminating proxy. Refuses to start without a real SECRET_KEY.
GAPS_WORKERS ?= 4
GAPS_BIND ?= 127.0.0.1:8000
# The slowest request by design is a register PDF (at most 500 rows: about 10 s here); a worker
# busier than this is stuck, and is replaced rather than left to hold a client forever.
GAPS_WORKER_TIMEOUT ?= 60
serve: setup
	GAPS_ENV=production $(BIN)/flask db upgrade
	GAPS_ENV=production GAPS_PROXY_COUNT=$${GAPS_PROXY_COUNT:-1} \
	GAPS_SECURE_COOKIES=$${GAPS_SECURE_COOKIES:-1} \
	$(BIN)/gunicorn --workers $(GAPS_WORKERS) --bind $(GAPS_BIND) --timeout $(GAPS_WORKER_TIMEOUT) \
	  --access-logfile - --access-logformat '%(h)s "%(r)s" %(s)s' --forwarded-allow-ips '*' 'app:app'

test: setup
	$(BIN)/pytest
	scripts/test-on-postgres $(BIN)/pytest

# Timings are not tests: `make bench` measures against floors taken in the same run and fails
# when a target is missed (the importer's recall and speed, then the application's pages).
bench: setup
	$(BIN)/python bench/importer.py; importer=$$?; \
	$(BIN)/python bench/run.py; application=$$?; \
	test $$importer -eq 0 -a $$application -eq 0

lint: setup
	$(BIN)/ruff check gaps tests

clean:
	rm -rf $(VENV) node_modules gaps/static/build
