# compass-graph: everyday commands. `make help` lists them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install assets build validate run serve-production bench test fuzz load lint format typecheck wheel clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

SWAGGER_UI := api/static/vendor/swagger-ui
SWAGGER_UI_VERSION := 5.35.0
YASGUI := api/static/vendor/yasgui
YASGUI_VERSION := 4.6.2

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e . --group dev
	@# Graphviz draws the pictures; Debian's Chromium runs the browser tests.
	command -v dot >/dev/null && command -v chromium >/dev/null && command -v virtuoso-t >/dev/null || \
	  (apt-get update -qq && apt-get install -y -qq graphviz chromium virtuoso-opensource-7-bin)
	touch $@

$(SWAGGER_UI)/swagger-ui-bundle.js:
	npm install --silent --no-audit --no-fund --prefix build/npm swagger-ui-dist@$(SWAGGER_UI_VERSION)
	mkdir -p $(SWAGGER_UI)
	cp build/npm/node_modules/swagger-ui-dist/swagger-ui-bundle.js \
	   build/npm/node_modules/swagger-ui-dist/swagger-ui.css $(SWAGGER_UI)/

$(YASGUI)/yasgui.min.js:
	npm install --silent --no-audit --no-fund --prefix build/npm @zazuko/yasgui@$(YASGUI_VERSION)
	mkdir -p $(YASGUI)
	cp build/npm/node_modules/@zazuko/yasgui/build/yasgui.min.js \
	   build/npm/node_modules/@zazuko/yasgui/build/yasgui.min.css $(YASGUI)/

assets: $(SWAGGER_UI)/swagger-ui-bundle.js $(YASGUI)/yasgui.min.js ## Install the web assets (Swagger UI, YASGUI) from the npm registry

install: $(STAMP) ## Create .venv and install the project with its dev tools

build: $(STAMP) assets ## Build and validate the graph into dist/
	$(BIN)/compass-graph build

validate: $(STAMP) ## Validate data/ against the shapes without writing dist/
	$(BIN)/compass-graph validate

run: build ## Build, validate and serve the graph on http://127.0.0.1:5000
	$(BIN)/compass-graph serve --host 127.0.0.1 --port 5000

serve-production: build ## Serve with gunicorn, several worker processes
	$(BIN)/compass-graph serve --production --processes 2 --host 127.0.0.1 --port 5000

test: $(STAMP) assets ## Run every test, the linter and the type checker
	$(BIN)/pytest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fuzz: $(STAMP) ## Fuzz the API and the parameter binding for longer (COMPASS_FUZZ_EXAMPLES)
	COMPASS_FUZZ_EXAMPLES=$${COMPASS_FUZZ_EXAMPLES:-300} $(BIN)/pytest -q tests/test_fuzz.py tests/test_properties.py

bench: build ## Measure ours against the Flask floor, oxigraph serve and rdflib-endpoint
	$(BIN)/pip install --quiet --group bench
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.run --connections 1
	$(BIN)/python -m bench.run --connections 8
	$(BIN)/python -m bench.scale

load: build ## Load the production server: N clients for a fixed time, alone and beside a runaway query
	$(BIN)/python -m bench.load --clients 16 --seconds 20

lint: $(STAMP) ## Lint and check formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP) ## Type-check the library (mypy strict)
	$(BIN)/mypy

wheel: $(STAMP) ## Build the wheel into wheelhouse/
	$(BIN)/python -m build --wheel --outdir wheelhouse .

clean: ## Remove the virtual environment and build output
	rm -rf $(VENV) dist dist.builds wheelhouse build .pytest_cache .mypy_cache .ruff_cache
