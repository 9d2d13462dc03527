"""Flow parameters: validated pydantic models composed from shared pieces.

Each piece declares its fields once, with the type and default of the setting it mirrors
(presswatch/config.py), so IngestParams, ServeOptions and DigestParams never repeat a default.
Composed by inheritance, so a parameter object stays one flat dict: that is what Prefect's
deployment form shows and what `run_deployment(parameters={"params": ...})` sends.
`from_settings` builds each from the Settings loaded once at the edge.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from flows.limits import WRITER_LIMIT
from presswatch.config import (
    BatchSize,
    Executor,
    MaxFileBytes,
    ModelName,
    NLPWorkers,
    SentimentMethod,
    Settings,
    SpikeSensitivity,
    default,
)


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WarehouseParams(_Params):
    warehouse: Path = default("warehouse")


class DropParams(_Params):
    drop: Path = default("drop")
    max_file_bytes: MaxFileBytes = default("max_file_bytes")


class NLPOptions(_Params):
    model: ModelName = default("model")
    nlp_workers: NLPWorkers = default("nlp_workers")
    sentiment_method: SentimentMethod = default("sentiment_method")
    batch_size: BatchSize = default("batch_size")
    executor: Executor = default("executor")
    dask_address: str = default("dask_address")


class FeedOptions(_Params):
    """The feed poller's file and the limits of each of its requests."""

    feeds: Path = default("feeds")
    feed_host_interval: float = Field(default("feed_host_interval"), ge=0)
    feed_timeout: float = Field(default("feed_timeout"), gt=0)
    feed_max_bytes: int = Field(default("feed_max_bytes"), ge=1)


class SearchOptions(_Params):
    """The saved searches run after each ingest (searches.toml)."""

    searches: Path = default("searches")


class LoadOptions(_Params):
    """What the load step needs besides the warehouse: the user's extra wire agencies (docs/dedup.md),
    the entity watchlist a run that grew the archive re-resolves with (docs/entities.md)."""

    wire_agencies: Path | None = default("wire_agencies")
    entities: Path = default("entities")


class AlertOptions(_Params):
    """What makes a spike worth an alert after each ingest (docs/alerts.md)."""

    spike_sensitivity: SpikeSensitivity = default("spike_sensitivity")
    spike_min_articles: int = Field(default("spike_min_articles"), ge=3)
    alert_max_age_days: int = Field(default("alert_max_age_days"), ge=0)
    spike_entities: Literal["auto", "watchlist", "all"] = default("spike_entities")


def _feed_pieces(settings: Settings) -> dict:
    return {name: getattr(settings, name) for name in FeedOptions.model_fields}


def _pieces(settings: Settings) -> dict:
    """The fields the shared pieces take from the settings."""
    names = (*WarehouseParams.model_fields, *DropParams.model_fields, *NLPOptions.model_fields,
             *SearchOptions.model_fields, *AlertOptions.model_fields, *LoadOptions.model_fields)
    return {name: getattr(settings, name) for name in names}


class IngestParams(NLPOptions, WarehouseParams, DropParams, SearchOptions, AlertOptions, LoadOptions):
    """Everything an ingest run needs."""

    # Served runs: take a file only if unchanged across two looks this far apart (0: one look).
    settle_seconds: float = Field(default=0.0, ge=0)
    # Runs the watcher starts: the files it saw settle, path -> (size, mtime_ns); only these are taken.
    files: dict[str, tuple[int, int]] | None = None
    # Global concurrency limit held for the whole run (empty: none); see flows/limits.py.
    writer_limit: str = default("writer_limit")

    @classmethod
    def from_settings(cls, settings: Settings) -> IngestParams:
        return cls(**_pieces(settings), writer_limit=settings.writer_limit)


class FeedParams(FeedOptions, WarehouseParams):
    """A feed poll: the feeds file, the drop folder its items go to, the warehouse's memory."""

    drop: Path = default("drop")

    @classmethod
    def from_settings(cls, settings: Settings) -> FeedParams:
        return cls(**_feed_pieces(settings), drop=settings.drop, warehouse=settings.warehouse)


class DigestParams(WarehouseParams, AlertOptions):
    # The UTC day whose arrivals are digested; None: today (the cron runs late in the day).
    day: date | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> DigestParams:
        return cls(warehouse=settings.warehouse,
                   **{name: getattr(settings, name) for name in AlertOptions.model_fields})


class ServeOptions(NLPOptions, WarehouseParams, DropParams, FeedOptions, SearchOptions, AlertOptions,
                   LoadOptions):
    """`presswatch serve`: the deployments, their schedules and the ingest runs' parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field("drop-folder", min_length=1)  # the ingest deployment's name: ingest/<name>
    interval: float = Field(default("serve_interval"), gt=0)  # seconds between scheduled ingest runs
    settle_seconds: float = Field(default("settle_seconds"), ge=0)  # between a file's two looks
    digest_cron: str = Field(default("digest_cron"), min_length=1)  # UTC
    feed_interval: float = Field(default("feed_interval"), gt=0)  # seconds between feed polls
    poll_seconds: float = Field(1.0, gt=0)  # how often the runner asks the server for runs to start
    writer_limit: str = Field(WRITER_LIMIT, min_length=1)  # served runs always hold the writer slot
    force_polling: bool | None = None  # watchfiles: poll instead of inotify (network mounts)

    @field_validator("digest_cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        """Prefect's own check, here: in serve() it was a traceback after the server was reached."""
        from prefect._internal.schemas.validators import validate_cron_string

        try:
            return validate_cron_string(value)
        except ValueError as exc:
            raise ValueError(f"{exc} (--digest-cron / PRESSWATCH_DIGEST_CRON: minute hour day month "
                             'weekday, e.g. "55 23 * * *")') from None

    @classmethod
    def from_settings(cls, settings: Settings, **options: object) -> ServeOptions:
        """options: the serve-only flags (name, poll_seconds, force_polling); None = not given."""
        return cls(**_pieces(settings), interval=settings.serve_interval,
                   settle_seconds=settings.settle_seconds, digest_cron=settings.digest_cron,
                   writer_limit=settings.writer_limit or WRITER_LIMIT,
                   feed_interval=settings.feed_interval, **_feed_pieces(settings),
                   **{k: v for k, v in options.items() if v is not None})

    def ingest_params(self) -> IngestParams:
        """The ingest deployment's parameters (absolute paths: the runner may run elsewhere)."""
        pieces = {name: getattr(self, name) for name in IngestParams.model_fields
                  if name in type(self).model_fields}
        return IngestParams(**pieces | {"drop": self.drop.resolve(), "warehouse": self.warehouse.resolve(),
                                         "searches": self.searches.resolve(), "entities": self.entities.resolve(),
                                         "wire_agencies": self.wire_agencies and self.wire_agencies.resolve()})

    def digest_params(self) -> DigestParams:
        return DigestParams(warehouse=self.warehouse.resolve(),
                            **{name: getattr(self, name) for name in AlertOptions.model_fields})

    def feed_params(self) -> FeedParams:
        pieces = {name: getattr(self, name) for name in FeedOptions.model_fields}
        return FeedParams(**pieces | {"feeds": self.feeds.resolve(), "drop": self.drop.resolve(),
                                      "warehouse": self.warehouse.resolve()})
