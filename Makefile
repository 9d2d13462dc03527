# The two commands a newcomer needs: `make run` and `make test`. Both set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DROP   ?= seeds

# Ship with the Prefect server's telemetry off.
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: install run test serve clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing presswatch and its dependencies into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/pip install --disable-pip-version-check -e '.[test]' > $(VENV)/install.log 2>&1 \
		|| { tail -n 30 $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

run: install
	$(BIN)/presswatch run $(DROP)

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) warehouse/*.duckdb warehouse/*.duckdb.wal
