# gaps: `make run` serves the tracker with the example assessment; `make test` runs the tests.
# Both set everything up on a fresh machine: the virtualenv, GOV.UK Frontend, the stylesheet.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
APP_LOCK := requirements/app.txt
TEST_LOCK := requirements/test.txt
NODE_STAMP := node_modules/.installed
CSS := gaps/static/build/app.css

.PHONY: setup run serve test bench lint lock clean

# Everything `make test` needs (CI runs `make setup` then `make test`).
setup: $(TEST_STAMP) $(CSS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The application's dependencies, exactly as locked (versions and hashes), then the project
# itself without resolving anything again. `make run` and `make serve` need only this.
$(APP_STAMP): $(APP_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(APP_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/python -m compileall -q gaps >/dev/null
	touch $@

# The test tools on top (pytest, Playwright, schemathesis, …), locked the same way.
$(TEST_STAMP): $(TEST_LOCK) $(APP_STAMP)
	$(BIN)/pip install --quiet --require-hashes -r $(TEST_LOCK)
	touch $@

# After changing the dependencies in pyproject.toml: `make lock`, then review and commit
# requirements/. The test lock is held to the application's versions.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
	  --no-emit-find-links --output-file=$(APP_LOCK) pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
	  --no-emit-find-links --extra=test --constraint=$(APP_LOCK) --output-file=$(TEST_LOCK) \
	  pyproject.toml

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CSS): $(NODE_STAMP) assets/app.scss
	npm run --silent build

run: $(APP_STAMP) $(CSS)
	$(BIN)/flask db upgrade
	$(BIN)/flask seed --demo
	@echo "Serving on http://127.0.0.1:5000 (Ctrl-C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Production-like serving: gunicorn with GAPS_WORKERS workers (4) against DATABASE_URL, behind
# one TLS-terminating proxy at GAPS_TRUSTED_PROXIES (127.0.0.1). Refuses to start without a real
# SECRET_KEY, or with several workers but no shared store for the rate limits (scripts/serve).
serve: $(APP_STAMP) $(CSS)
	GAPS_BIN=$(BIN) scripts/serve

test: $(TEST_STAMP) $(CSS)
	$(BIN)/pytest
	scripts/test-on-postgres $(BIN)/pytest

# Timings are not tests: `make bench` measures against floors taken in the same run and fails
# when a target is missed (the importer's recall and speed, then the application's pages).
bench: $(APP_STAMP) $(CSS)
	$(BIN)/python bench/importer.py; importer=$$?; \
	$(BIN)/python bench/run.py; application=$$?; \
	test $$importer -eq 0 -a $$application -eq 0

lint: $(TEST_STAMP)
	$(BIN)/ruff check gaps tests

clean:
	rm -rf $(VENV) node_modules gaps/static/build
