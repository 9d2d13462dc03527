"""What one ingest run did, in numbers a person can check against the drop folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from presswatch.text import cut, markdown, plain

PROBLEMS_SHOWN = 5  # a file's problems quoted in its ledger row; the rest are counted
PROBLEM_CHARS = 300  # one quoted problem, at most
ERROR_CHARS = 2000  # a quarantine reason, at most


@dataclass
class LedgerEntry:
    """The fate of one file in one run."""

    path: str
    sha256: str
    status: str  # loaded | duplicate | quarantined | skipped (already in the ledger)
    error: str | None = None
    article_id: str | None = None
    articles: int = 0  # distinct articles loaded from the file
    duplicate_records: int = 0  # records repeating an earlier record of the same file
    known_records: int = 0  # records whose article the warehouse already held (another file, run)
    records_found: int = 0  # records the reader found, bad ones included


def problems_text(problems: list[str]) -> str | None:
    """A file's problems for its ledger row: all of a few, else a count and the first few,
    each cut, so 49,700 bad lines make a short cell, not megabytes."""
    if not problems:
        return None
    shown = "; ".join(cut(p, PROBLEM_CHARS) for p in problems[:PROBLEMS_SHOWN])
    if len(problems) <= PROBLEMS_SHOWN:
        return shown
    return f"{len(problems):,} problems (bad lines or records); first {PROBLEMS_SHOWN}: {shown}"


def error_text(error: str) -> str:
    """A quarantine reason for the ledger, capped."""
    return cut(error, ERROR_CHARS)


@dataclass
class RunSummary:
    flow_run_id: str
    drop: str
    files_seen: int = 0
    files_skipped: int = 0  # already in the ledger (same content, same path)
    files_loaded: int = 0
    files_duplicate: int = 0
    files_quarantined: int = 0
    files_moving: int = 0  # still being written or vanished: the next run takes them
    files_ignored: int = 0  # hidden and temp files
    folder_links: int = 0  # symlinks to folders: not followed, counted here
    articles_loaded: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    top_entities: list[tuple[str, str, int]] = field(default_factory=list)  # (name, label, mentions)

    def add(self, entries: list[LedgerEntry], articles_loaded: int) -> None:
        for e in entries:
            if e.status == "skipped":
                self.files_skipped += 1
            else:
                setattr(self, f"files_{e.status}", getattr(self, f"files_{e.status}") + 1)
            if e.status == "quarantined":
                self.quarantined.append((e.path, e.error or ""))
        self.articles_loaded += articles_loaded

    def table(self) -> list[dict[str, object]]:
        return [
            {"what": "files seen", "count": self.files_seen},
            {"what": "loaded", "count": self.files_loaded},
            {"what": "duplicate", "count": self.files_duplicate},
            {"what": "quarantined", "count": self.files_quarantined},
            {"what": "already in ledger (skipped)", "count": self.files_skipped},
            {"what": "still moving (next run)", "count": self.files_moving},
            {"what": "ignored (hidden/temp)", "count": self.files_ignored},
            {"what": "folder symlinks (not followed)", "count": self.folder_links},
            {"what": "articles loaded", "count": self.articles_loaded},
        ]

    def render(self) -> str:
        """The CLI's summary: every name and reason escaped to one line (a file name with a
        newline cannot forge a line)."""
        lines = [f"presswatch run {self.flow_run_id} over {plain(self.drop)}"]
        width = max(len(str(r["what"])) for r in self.table())
        lines += [f"  {str(r['what']).ljust(width)}  {r['count']:>6}" for r in self.table()]
        for path, reason in self.quarantined:
            lines.append(f"  quarantined: {plain(path)}: {plain(reason)}")
        if self.top_entities:
            lines.append("  top entities (all time):")
            lines += [f"    {n:>5}  {plain(name)} ({plain(label)})" for name, label, n in self.top_entities]
        return "\n".join(lines)

    def artifact_rows(self) -> list[dict[str, object]]:
        """The ingest-summary table artifact: the counts, then each quarantined file and the
        top entities, untrusted names escaped and cut."""
        rows = self.table()
        # markdown, not plain: Prefect's UI renders a table artifact's string cells as markdown.
        rows += [{"what": f"quarantined: {markdown(PurePath(p).name)}", "count": markdown(reason)}
                 for p, reason in self.quarantined]
        rows += [{"what": f"top entity: {markdown(n)} ({markdown(label)})", "count": c}
                 for n, label, c in self.top_entities]
        return rows

    def run_row(self, flow_name: str, started_at, finished_at, version: str) -> dict:
        return {
            "flow_run_id": self.flow_run_id, "flow_name": flow_name,
            "started_at": started_at, "finished_at": finished_at,
            "files_seen": self.files_seen, "files_skipped": self.files_skipped,
            "files_loaded": self.files_loaded, "files_duplicate": self.files_duplicate,
            "files_quarantined": self.files_quarantined, "articles_loaded": self.articles_loaded,
            "pipeline_version": version,
        }
