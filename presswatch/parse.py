"""Stage 2: files in, Articles out. A file that cannot be read is an outcome, not a crash."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field, replace

from presswatch.articles import read_file
from presswatch.discover import FileRef
from presswatch.faults import checkpoint
from presswatch.models import Article, ArticleError, Extraction


@dataclass
class FileOutcome:
    ref: FileRef
    articles: list[Article] = field(default_factory=list)
    error: str | None = None  # set: the file is quarantined with this reason
    problems: list[str] = field(default_factory=list)  # non-fatal (a bad line in a JSONL file)
    moved: bool = False  # changed or vanished after discovery: left for the next run


def parse_file(ref: FileRef) -> FileOutcome:
    if ref.refusal is not None:
        return FileOutcome(ref, error=ref.refusal)
    try:
        data = ref.path.read_bytes()
    except FileNotFoundError:
        return FileOutcome(ref, moved=True)
    except OSError as exc:
        return FileOutcome(ref, error=f"cannot read file: {exc.strerror or exc}")
    if hashlib.sha256(data).hexdigest() != ref.sha256:
        return FileOutcome(ref, moved=True)
    try:
        result = read_file(ref.path, data, sha256=ref.sha256)
    except ArticleError as exc:
        return FileOutcome(ref, error=str(exc))
    for article in result.articles:
        article.source_path = ref.source_path  # storable text, the ledger's key
    return FileOutcome(ref, articles=result.articles, problems=list(result.problems))


def warm_up_readers() -> None:
    """Load the language identifier (~0.6 s) in a background thread now, so the load overlaps
    the NLP workers' start instead of delaying the first batch they are waiting for."""
    from presswatch.readers.fields import load_language_identifier

    threading.Thread(target=load_language_identifier, name="presswatch-langid-load",
                     daemon=True).start()


def warm_up_run(model: str, workers: int, expected_articles: int) -> bool:
    """What `presswatch run` (and the bench, as it) starts loading before its flow, while
    Prefect starts its server: the NLP fork server with the model, if the run is expected to
    use worker processes (returns whether it started), and the language identifier."""
    from presswatch.nlp.runner import preload

    started = preload(model, workers, expected_articles)
    warm_up_readers()
    return started


def parse_files(refs: list[FileRef]) -> list[FileOutcome]:
    checkpoint("parse")
    return [parse_file(ref) for ref in refs]


def settle_failures(outcomes: list[FileOutcome],
                    extractions: list[Extraction]) -> tuple[list[FileOutcome], list[Extraction]]:
    """Take out the articles whose NLP or sentiment failed (Extraction.error set).

    A file left with no article is quarantined with the reason; in a multi-article file the
    failed record becomes a problem ("record 3: nlp failed: ...") and the rest loads.
    extractions are in the order of the outcomes' articles; both come back filtered alike.
    """
    it = iter(extractions)
    settled: list[FileOutcome] = []
    kept: list[Extraction] = []
    for o in outcomes:
        pairs = [(a, next(it)) for a in o.articles]
        failed = [(a, ex) for a, ex in pairs if ex.error is not None]
        if not failed:
            settled.append(o)
            kept.extend(ex for _, ex in pairs)
            continue
        good = [(a, ex) for a, ex in pairs if ex.error is None]
        if not good:
            more = f" (and {len(failed) - 1} more records)" if len(failed) > 1 else ""
            settled.append(replace(o, articles=[], error=f"{failed[0][1].error}{more}"))
            continue
        notes = [f"record {a.record_idx + 1}: {ex.error}" for a, ex in failed]
        settled.append(replace(o, articles=[a for a, _ in good], problems=[*o.problems, *notes]))
        kept.extend(ex for _, ex in good)
    if next(it, None) is not None:
        raise ValueError("more extractions than articles")
    return settled, kept
