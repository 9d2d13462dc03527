"""Flow parameters: composed from shared pieces, built once from the settings, and what a
served deployment stores is what the ingest flow validates back."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from flows.params import DigestParams, DropParams, IngestParams, NLPOptions, ServeOptions, WarehouseParams
from presswatch.config import Settings


def _settings(**overrides) -> Settings:
    return Settings(**{"drop": Path("in"), "warehouse": Path("w.duckdb"), "model": "m", "batch_size": 7,
                       "nlp_workers": 0, "sentiment_method": "lexicon", "max_file_bytes": 99, **overrides})


def test_pieces_take_their_defaults_from_the_settings():
    defaults = Settings.model_construct()  # the declared defaults, no environment
    for piece in (WarehouseParams, DropParams, NLPOptions, IngestParams, ServeOptions):
        for name, field in piece.model_fields.items():
            if name in Settings.model_fields and name not in ("settle_seconds", "writer_limit"):
                assert field.default == getattr(defaults, name), (piece.__name__, name)
    assert issubclass(IngestParams, (WarehouseParams, DropParams, NLPOptions))
    assert issubclass(DigestParams, WarehouseParams) and issubclass(ServeOptions, NLPOptions)


def test_ingest_params_from_settings():
    p = IngestParams.from_settings(_settings(writer_limit="lim"))
    assert (p.drop, p.warehouse, p.model, p.batch_size, p.nlp_workers, p.sentiment_method,
            p.max_file_bytes, p.writer_limit) == (Path("in"), Path("w.duckdb"), "m", 7, 0, "lexicon", 99, "lim")
    assert (p.settle_seconds, p.files) == (0.0, None)  # `presswatch run`: one look, every file


@pytest.mark.parametrize("bad", [{"batch_size": 0}, {"nlp_workers": -7}, {"sentiment_method": "fancy"},
                                 {"max_file_bytes": 0}, {"settle_seconds": -1}, {"unknown": 1}])
def test_ingest_params_are_validated(bad):
    with pytest.raises(ValidationError):
        IngestParams(**bad)


def test_serve_builds_the_ingest_and_digest_parameters_once_from_the_settings(tmp_path):
    from flows.digest import digest
    from flows.ingest import ingest
    from flows.serve import ingest_params

    opts = ServeOptions.from_settings(_settings(drop=tmp_path / "in", serve_interval=30.0),
                                      name="n", poll_seconds=None, force_polling=None)
    assert (opts.name, opts.interval, opts.poll_seconds, opts.writer_limit) == ("n", 30.0, 1.0,
                                                                               "presswatch-duckdb-writer")
    sent = ingest_params(opts)
    assert sent == {"drop": str(tmp_path / "in"), "warehouse": str(Path("w.duckdb").resolve()),
                    "model": "m", "batch_size": 7, "nlp_workers": 0, "sentiment_method": "lexicon",
                    "executor": "local", "dask_address": "",
                    "max_file_bytes": 99, "settle_seconds": 1.0, "writer_limit": "presswatch-duckdb-writer",
                    "searches": str(Path("searches.toml").resolve()), "entities": str(Path("entities.toml").resolve()),
                    "spike_sensitivity": 2.0, "spike_min_articles": 5, "alert_max_age_days": 2,
                    "spike_entities": "auto"}
    # What the watcher sends with run_deployment is what the flow validates back.
    watcher = sent | {"settle_seconds": 0.0, "files": {"a.txt": [3, 4]}}
    params = ingest.validate_parameters({"params": watcher})["params"]
    assert isinstance(params, IngestParams) and params.files == {"a.txt": (3, 4)} and params.batch_size == 7
    day = digest.validate_parameters({"params": opts.digest_params().model_dump(mode="json", exclude_none=True)})
    assert day["params"] == DigestParams(warehouse=Path("w.duckdb").resolve())


def test_served_runs_carry_the_alert_rules_and_an_absolute_wire_agencies_file(tmp_path):
    opts = ServeOptions.from_settings(_settings(spike_sensitivity="low", spike_min_articles=9,
                                                wire_agencies=Path("agencies.toml")))
    sent = opts.ingest_params()
    assert (sent.spike_sensitivity, sent.spike_min_articles) == (3.0, 9)
    assert sent.wire_agencies == Path("agencies.toml").resolve()
    assert opts.digest_params().spike_sensitivity == 3.0 and opts.digest_params().spike_min_articles == 9


def test_a_served_run_keeps_the_writer_limit_setting_when_set():
    assert ServeOptions.from_settings(_settings(writer_limit="mine")).writer_limit == "mine"


@pytest.mark.parametrize("cron", ["garbage", "61 25 * * *", "H 2 * * *"])
def test_a_bad_digest_cron_is_refused_with_the_options(cron):
    # was a pydantic traceback from Prefect's CronSchedule, inside serve(), after the server answered
    with pytest.raises(ValidationError, match="PRESSWATCH_DIGEST_CRON"):
        ServeOptions.from_settings(_settings(digest_cron=cron))
    assert ServeOptions.from_settings(_settings(digest_cron="0 6 * * 1-5")).digest_cron == "0 6 * * 1-5"
