# Evidence Locker. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed
DEVSTAMP = $(VENV)/.installed-dev
DISTSTAMP = $(VENV)/.installed-dist
VERSION := $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' evidence_app/__init__.py)

.PHONY: help run test test-slow lint translations extract-messages screenshots bench clean dist \
	system-packages

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Evidence Locker needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install -q -e .
	@touch $@

$(DEVSTAMP): $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP) $@

translations: $(STAMP) ## compile the .po catalogues into .mo files
	@$(PY) -c "import babel" 2>/dev/null || $(PY) -m pip install -q "babel>=2.14"
	$(PY) -m evidence_app.tools.catalogues compile

run: $(STAMP) translations ## install everything and start the app
	$(VENV)/bin/evidence-app

# The tools the tests drive (age, openssl, poppler, Xvfb...) and Qt's libraries: one list,
# installer/system-packages.txt, that .ci/run installs too. Installs what is missing when it
# can (root or password-less sudo, apt-get); else names the command and stops
# (`make test MISSING_OK=1` goes on without them).
system-packages: ## check (and install when possible) the system packages the tests need
	@MISSING_OK=$(MISSING_OK) sh installer/system-packages.sh --check

# The suite runs on every CPU, at most four workers (pytest-xdist); each test owns its
# folders, vaults and local ports, so the order and the neighbours do not matter.
XDIST = -n auto --maxprocesses 4

test: system-packages $(DEVSTAMP) translations ## install dev extras and run the whole suite offscreen
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(XDIST)

test-slow: system-packages $(DEVSTAMP) translations ## the long crash and tamper runs too
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m '' $(XDIST)

lint: $(DEVSTAMP) ## ruff, then mypy (strict on the Qt-free layers; [tool.mypy] in pyproject.toml)
	$(VENV)/bin/ruff check evidence_app tests benchmarks
	$(PY) -m mypy

extract-messages: $(DEVSTAMP) ## refresh the .pot template and merge it into every .po
	$(PY) -m evidence_app.tools.catalogues extract

screenshots: $(DEVSTAMP) translations ## screenshots of every screen (en, de) under Xvfb
	xvfb-run -a -s "-screen 0 1280x800x24" $(PY) tests/make_screenshots.py docs/screenshots

bench: $(STAMP) ## run the benchmarks (ratios against baselines)
	$(PY) benchmarks/ingest.py --size-mib 256

$(DISTSTAMP): $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install -q -e '.[dist]'
	@touch $(STAMP) $@

dist: $(DISTSTAMP) translations ## build the app folder dist/evidence-app and its Linux .tar.gz
	rm -rf dist/evidence-app build/evidence-app
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build \
		installer/evidence-app.spec
	# libpython from a source-built Python keeps its debug symbols: 17 MB of 23
	strip --strip-unneeded dist/evidence-app/_internal/libpython3*.so*
	cp installer/linux/install.sh dist/evidence-app/
	tar -C dist --sort=name --owner=0 --group=0 --numeric-owner \
		-czf dist/evidence-locker-$(VERSION)-linux-$(shell uname -m).tar.gz evidence-app
	@du -sh dist/evidence-app dist/evidence-locker-$(VERSION)-linux-*.tar.gz

clean: ## remove the virtual environment and build output
	rm -rf $(VENV) build dist
