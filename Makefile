# The two commands a newcomer needs:  make run  (app with demo data)  and  make test  (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := ELEARN_ENV=development $(BIN)/flask --app elearn

.PHONY: run test setup assets check bench clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) content check
	$(FLASK) demo seed
	$(FLASK) run --host 127.0.0.1 --port 5000

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed elearn/static/dist/app.css

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

assets elearn/static/dist/app.css: package.json package-lock.json build-assets.mjs $(wildcard elearn/static/src/*)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build

# HTTP benchmark (Gunicorn + wrk, ratios against a bare Flask endpoint); BENCH_ARGS=--quick for a smoke run.
bench: setup
	$(BIN)/python -m bench.http $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules elearn/static/dist
