# Two commands on a fresh Debian machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck bench bench-web schema clean

# Debian packages: Tesseract reads profile screenshots (`make run` and the tests); the browser
# tests and the rendered test screenshots use Debian's Chromium. Installed only where missing.
# WeasyPrint (learning certificates) needs Pango.
RUNTIME_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-spa \
	libpango-1.0-0 libpangoft2-1.0-0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends

.PHONY: runtime-packages browser-packages database-packages
runtime-packages:
	@dpkg -s $(RUNTIME_PACKAGES) >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(APT_INSTALL) $(RUNTIME_PACKAGES); }

browser-packages:
	@dpkg -s chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(APT_INSTALL) chromium; }

# The store tests start a throw-away PostgreSQL cluster with Debian's server binaries.
database-packages:
	@dpkg -s postgresql >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(APT_INSTALL) postgresql; }

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever the project definition changes. torch 2.13.0 (the CPU build, which this
# machine keeps as a local file) goes in first, so that the semantic extra does not pull a CUDA
# build from the registry.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet 'torch==2.13.0'
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic,photo,batch,web,scale,bench]'
	touch $(STAMP)

# The main job: assess the bundled examples, then serve the web app at http://127.0.0.1:8000
# (Ctrl+C stops it). Exit codes 0/3/4 report the bands, not failures.
# The photos in examples/photos are real people's, so they are indexed as genuine first: the fake
# persona that reuses one is then caught.
run: $(STAMP) runtime-packages
	@mkdir -p var
	@$(BIN)/linkvet photos add examples/photos --label genuine
	@$(BIN)/linkvet check examples/*.json; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 3 ] || [ $$rc -eq 4 ]
	@$(BIN)/linkvet serve --host 127.0.0.1 --port 8000

# axe-core (npm) is injected into each page by the accessibility tests.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(APT_INSTALL) nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error

test: $(STAMP) runtime-packages browser-packages database-packages node_modules/.package-lock.json
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_assess.py

# Requests per second and p99 of the assess endpoint under wrk (Debian's), 2 server processes.
bench-web: $(STAMP)
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -q && $(APT_INSTALL) wrk; }
	$(BIN)/python -m benchmarks.bench_web --workers 2

# Regenerate the published JSON Schemas in docs/schema/.
schema: $(STAMP)
	$(BIN)/python scripts/write_schemas.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache node_modules
