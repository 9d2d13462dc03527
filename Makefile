# The two commands a newcomer needs: `make run` and `make test`. Both set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DROP   ?= seeds

# Ship with the Prefect server's telemetry off, and its database vacuumed: flow runs (with
# their logs and artifacts) are deleted 30 days after they end, events after 7 (the default).
# flows/localserver.py SERVER_SETTINGS holds the same for `presswatch serve --start-server`.
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED := events,flow_runs
export PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD := 2592000

# `make server` / `make serve`: the long-running mode (README "Running as a service").
SERVE_DROP   ?= drop
PREFECT_PORT ?= 4200

.PHONY: install run test check lint schema server serve clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing presswatch and its dependencies into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/pip install --disable-pip-version-check -e '.[test,transformer]' > $(VENV)/install.log 2>&1 \
		|| { tail -n 30 $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

run: install
	$(BIN)/presswatch run $(DROP)

# The whole suite (CI runs exactly this); the 15 slowest tests are listed at the end.
test: install
	$(BIN)/python -m pytest --durations=15

# The fast loop while editing: lint, then every test not marked slow or quality (a few minutes).
check: install lint
	$(BIN)/python -m pytest -q -m "not slow and not quality" --durations=15

lint: install
	$(BIN)/ruff check .

# Regenerate warehouse/schema.sql after a migration or view change (a test fails while it is stale).
schema: install
	$(BIN)/python -m warehouse.schema

# A Prefect server on 127.0.0.1 (UI at http://127.0.0.1:$(PREFECT_PORT)), SQLite in ~/.prefect.
server: install
	PREFECT_UI_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api \
		$(BIN)/prefect server start --host 127.0.0.1 --port $(PREFECT_PORT)

# Serve the ingest + digest deployments and watch $(SERVE_DROP)/; starts a server if none answers.
serve: install
	@mkdir -p $(SERVE_DROP)
	PREFECT_API_URL=$${PREFECT_API_URL:-http://127.0.0.1:$(PREFECT_PORT)/api} \
		$(BIN)/presswatch serve $(SERVE_DROP) --start-server

clean:
	rm -rf $(VENV) warehouse/*.duckdb warehouse/*.duckdb.wal
