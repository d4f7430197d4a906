# The two commands of the README: `make book` and `make test`. Everything runs
# inside .venv, built from requirements.txt (exact pins) plus mathdl (editable).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
JB := $(BIN)/jupyter-book
# -n: broken references are warnings; -W: warnings are errors; --keep-going: report them all;
# --all: rebuild every page (an incremental build left the bibliography page without a
# citation added on another page, a dead link the browser tests caught).
BUILD_FLAGS := -n -W --keep-going --all
NOTEBOOK_DIRS := chapters appendices
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg
DEBIAN_PACKAGES := chromium dataset-fashion-mnist fonts-noto-cjk

.PHONY: book test deps execute index lab screenshots venv clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

venv: $(STAMP)

## make book: execute every notebook and build the website into _build/html
book: $(STAMP)
	$(JB) build . $(BUILD_FLAGS)
	@echo "Open _build/html/index.html in a browser."

## make test: unit tests, nbval (strict) over every notebook, the book build with
## warnings as errors, then the checks of the built site
test: $(STAMP)
	$(PY) -m pytest -m "not site"
	$(PY) -m pytest $(NBVAL) $(NOTEBOOK_DIRS)
	$(JB) build . $(BUILD_FLAGS)
	$(PY) -m pytest -m site

## make deps (as root): the Debian packages of DESIGN §2
deps:
	@if [ "$$(id -u)" != 0 ]; then echo "make deps installs Debian packages ($(DEBIAN_PACKAGES)): run it as root"; exit 1; fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEBIAN_PACKAGES)

## make execute: re-execute every notebook top to bottom and save its outputs
execute: $(STAMP)
	@set -e; for nb in $$(find $(NOTEBOOK_DIRS) -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort); do \
	  echo "executing $$nb"; \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.record_timing=False "$$nb"; \
	  $(PY) tools/clean_notebook.py "$$nb"; \
	done

## make index: regenerate the verification index from the saved notebooks
index: $(STAMP)
	$(PY) -m mathdl.index write

## make lab: open the book in JupyterLab
lab: $(STAMP)
	$(BIN)/jupyter lab

## make screenshots: a PNG of every page at desktop and phone width (and dark mode)
screenshots: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) book
	$(PY) tests/browser.py screenshots

clean:
	rm -rf _build .pytest_cache screenshots
