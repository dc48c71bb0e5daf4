# The two commands a newcomer needs:  make run  (app with demo data)  and  make test  (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := ELEARN_ENV=development $(BIN)/flask --app elearn

.PHONY: run test setup assets check bench clean lock

run: setup
	$(FLASK) db upgrade
	$(FLASK) content check
	$(FLASK) demo seed
	$(FLASK) run --host 127.0.0.1 --port 5000

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed elearn/static/dist/app.css

# Exact versions with hashes from requirements.lock (refresh: see README), then the app itself.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Re-pin every dependency with hashes after changing pyproject.toml: runtime and test (requirements.lock,
# for development and CI), and runtime only at the same versions (requirements-runtime.lock, for the image).
lock:
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --extra test --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	cp requirements.lock requirements-runtime.lock
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o requirements-runtime.lock pyproject.toml

assets elearn/static/dist/app.css: package.json package-lock.json build-assets.mjs $(wildcard elearn/static/src/*)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build

# HTTP benchmark (Gunicorn + wrk, ratios against a bare Flask endpoint); BENCH_ARGS=--quick for a smoke run.
bench: setup
	$(BIN)/python -m bench.http $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules elearn/static/dist
