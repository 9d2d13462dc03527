"""Stage 2: files in, Articles out. A file that cannot be read is an outcome, not a crash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from presswatch.read.formats import DEFAULT_MAX_BYTES, read_file
from presswatch.discover.folder import FileRef
from presswatch.faults import checkpoint
from presswatch.records import Article, ArticleError


@dataclass
class FileOutcome:
    ref: FileRef
    articles: list[Article] = field(default_factory=list)
    error: str | None = None  # set: the file is quarantined with this reason
    problems: list[str] = field(default_factory=list)  # non-fatal (a bad line in a JSONL file)
    moved: bool = False  # changed or vanished after discovery: left for the next run
    records_found: int = 0  # records the reader found in the file, bad ones included (0: not counted)


def read_one(ref: FileRef, *, max_bytes: int = DEFAULT_MAX_BYTES) -> FileOutcome:
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
        result = read_file(ref.path, data, sha256=ref.sha256, max_bytes=max_bytes)
    except ArticleError as exc:
        return FileOutcome(ref, error=str(exc), records_found=exc.records_found)
    except Exception as exc:  # a reader's or library's bug on odd input quarantines this file, not the batch
        reason = f"could not be read (reader failed): {type(exc).__name__}: {exc}"[:500]
        return FileOutcome(ref, error=reason.encode("utf-8", "backslashreplace").decode("utf-8"))
    for article in result.articles:
        article.source_path = ref.source_path  # storable text, the ledger's key
    return FileOutcome(ref, articles=result.articles, problems=list(result.problems),
                       records_found=result.records_found)


def read_files(refs: list[FileRef], *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[FileOutcome]:
    """max_bytes: the limit on a file's decompressed content (PRESSWATCH_MAX_FILE_BYTES)."""
    checkpoint("read")
    return [read_one(ref, max_bytes=max_bytes) for ref in refs]
