# The two commands of the README: `make run` (the local shell) and `make test`.
PYTHON ?= python3
VENV ?= .venv
STAMP := $(VENV)/.installed

.PHONY: run test bench catalogs clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "leadcell needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	@echo "Installing leadcell into $(VENV) (first run only)..." >&2
	@$(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check -e ".[test]" >&2
	@touch $(STAMP)

run: $(STAMP)
	@$(VENV)/bin/leadcell shell

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

catalogs: $(STAMP)
	$(VENV)/bin/python -m bot.local.catalogs update

bench: $(STAMP)
	$(VENV)/bin/python bench/call_http.py

clean:
	rm -rf $(VENV) leadcell.db leadcell.db-wal leadcell.db-shm
