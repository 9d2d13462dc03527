"""Stage 1: list the drop folder, hash what is new, and leave alone what is still moving."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from presswatch.text import plain

# Editors' and downloaders' temp files, and our own recommended temp suffix.
_TEMP_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", ".swp", ".download", "~")


@dataclass(frozen=True)
class FileRef:
    path: Path
    size: int
    mtime_ns: int
    sha256: str | None = None  # None when refused before reading (too large, not a file)
    refusal: str | None = None  # why it is quarantined without being read

    @property
    def source_path(self) -> str:
        """The path as stored in the warehouse (ledger key, articles.source_path)."""
        return path_text(self.path)


def path_text(path: Path | str) -> str:
    """A path as storable text. Linux names are bytes: one that is not UTF-8 keeps its odd
    bytes as backslash escapes ("bad\\xff.txt"), never lone surrogates, which no UTF-8 store
    (DuckDB, Arrow) can hold. The same name always gives the same text, so the ledger finds it."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


@dataclass
class Discovery:
    new: list[FileRef] = field(default_factory=list)  # to be processed
    known: list[FileRef] = field(default_factory=list)  # content+path already in the ledger
    moving: list[Path] = field(default_factory=list)  # changed while we looked: next run takes it
    ignored: list[Path] = field(default_factory=list)  # hidden and temp files
    folder_links: list[Path] = field(default_factory=list)  # symlinks to folders: never followed
    excluded: list[Path] = field(default_factory=list)  # the warehouse's own files inside the drop


def is_ignored(path: Path) -> bool:
    name = path.name
    return name.startswith(".") or name.startswith("~$") or name.endswith(_TEMP_SUFFIXES)


def refusal_key(path: Path | str, size: int, mtime_ns: int) -> str:
    """The ledger key of a file refused unread (too large, not a regular file): the hash of what
    is known of it, since its content is never hashed. The watcher uses it too, so a refused file
    already in the ledger does not start a run after a restart."""
    return hashlib.sha256(f"refused:{path_text(path)}:{size}:{mtime_ns}".encode()).hexdigest()


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def warehouse_files(warehouse: Path | str) -> frozenset[str]:
    """The files DuckDB keeps for a warehouse (the database, its WAL, its temp folder's
    files): never input, even when an operator puts the warehouse inside the drop folder."""
    base = os.path.abspath(warehouse)
    return frozenset({base, base + ".wal", base + ".tmp"})


def _excluded(path: Path, exclude: frozenset[str]) -> bool:
    if not exclude:
        return False
    text = os.path.abspath(path)
    return text in exclude or any(text.startswith(e + os.sep) for e in exclude)


def discover(
    drop: Path,
    *,
    ledger: set[tuple[str, str]],
    max_file_bytes: int,
    previous: dict[str, tuple[int, int]] | None = None,
    exclude: frozenset[str] = frozenset(),
) -> Discovery:
    """Walk `drop` (recursively, in name order), hash each file, split new from known.

    ledger: (sha256, source_path) pairs already recorded. previous: in watch mode, the
    (size, mtime) of each path at the last look; a path whose size or mtime differs is
    not taken yet. Without it, a file that changes while it is hashed is not taken.
    exclude: absolute paths never taken (warehouse_files). An entry that cannot be looked
    at (a symlink loop, no permission, an unreadable folder) is quarantined with the reason.
    """
    drop = Path(drop)
    # (path, size, mtime_ns) -> sha256 from the ledger (warehouse.ledger.LedgerKeys): unchanged
    # files are not read again, so a rerun over a big folder costs a stat per file.
    hashes = getattr(ledger, "hashes", None) or {}
    if not drop.is_dir():
        raise FileNotFoundError(f"drop folder {drop} does not exist or is not a folder")
    found = Discovery()
    root = drop.resolve()
    unlisted: list[tuple[Path, OSError]] = []
    for path in sorted(_walk(drop, unlisted, found.folder_links)):
        if is_ignored(path):
            found.ignored.append(path)
            continue
        if _excluded(path, exclude):
            found.excluded.append(path)
            continue
        ref = _look_safely(path, root, max_file_bytes, hashes)
        if ref is None:  # vanished while listing: it was never seen whole
            continue
        if ref.refusal is None and previous is not None:
            if previous.get(str(path)) != (ref.size, ref.mtime_ns):
                found.moving.append(path)
                continue
        if ref.sha256 is not None and (ref.sha256, ref.source_path) in ledger:
            found.known.append(ref)
        elif ref.sha256 is None and ref.refusal is None:
            found.moving.append(path)
        else:
            found.new.append(ref)
    for folder, exc in unlisted:  # a folder we may not list: its files would be lost unseen
        found.new.append(_refused(folder, f"cannot list folder: {exc.strerror or exc}"))
    return found


def candidate_paths(drop: Path) -> list[str]:
    """The source paths of the files discovery will look at (no stat, no hash): the ledger
    rows a run needs are those of these paths, whatever the archive's size."""
    return [path_text(p) for p in _walk(Path(drop)) if not is_ignored(p)]


def count_candidates(folder: Path, stop: int) -> int:
    """Files discovery would look at under folder, counting no further than stop (a cheap
    estimate of a run's size: no stat, no hash)."""
    n = 0
    for path in _walk(folder):
        if not is_ignored(path):
            n += 1
            if n >= stop:
                break
    return n


def _walk(drop: Path, unlisted: list[tuple[Path, OSError]] | None = None,
          folder_links: list[Path] | None = None):
    """Every file under drop, recursively; hidden folders skipped. Symlinks to folders are
    not followed (a loop or a way out of the drop folder) but listed in folder_links; folders
    that cannot be listed go to unlisted (os.walk would drop them silently)."""
    def failed(exc: OSError) -> None:
        if unlisted is None:  # a cheap look (a count, the watcher's snapshot): the run will say it
            return
        if exc.filename is None or Path(exc.filename) == Path(drop):
            raise exc  # the drop folder itself: the run cannot see anything, so it must say so
        unlisted.append((Path(exc.filename), exc))

    for dirpath, dirnames, filenames in os.walk(drop, followlinks=False, onerror=failed):
        visible = sorted(d for d in dirnames if not d.startswith("."))
        links = [d for d in visible if os.path.islink(os.path.join(dirpath, d))]
        if folder_links is not None:
            folder_links += [Path(dirpath) / d for d in links]
        dirnames[:] = [d for d in visible if d not in links]
        for name in filenames:
            yield Path(dirpath) / name


def _refused(path: Path, reason: str, size: int = 0, mtime_ns: int = 0) -> FileRef:
    return FileRef(path, size, mtime_ns, refusal_key(path, size, mtime_ns), reason)


def _look_safely(path: Path, root: Path, max_file_bytes: int,
                 hashes: dict[tuple[str, int, int], str] | None = None) -> FileRef | None:
    """_look, with any failure of one entry turned into its quarantine: one bad entry never
    stops a run."""
    try:
        return _look(path, root, max_file_bytes, hashes)
    except RuntimeError as exc:  # pathlib's "Symlink loop from ..."
        return _refused(path, f"cannot be looked at: {exc} (a symlink loop; remove the link)")
    except OSError as exc:
        hint = " (check the file's permissions)" if isinstance(exc, PermissionError) else ""
        return _refused(path, f"cannot be looked at: {exc.strerror or exc}{hint}")


def _look(path: Path, root: Path, max_file_bytes: int,
          hashes: dict[tuple[str, int, int], str] | None = None) -> FileRef | None:
    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    refusal = None
    if stat.S_ISLNK(st.st_mode):
        target = path.resolve()
        if not target.is_relative_to(root):
            refusal = f"symlink points outside the drop folder (to {path_text(target)})"
        else:
            try:
                st = path.stat()
            except FileNotFoundError:
                refusal = "broken symlink"
    if refusal is None and not stat.S_ISREG(st.st_mode):
        refusal = "not a regular file (FIFO, socket or device)"
    if refusal is None and st.st_size > max_file_bytes:
        refusal = (f"file too large: {st.st_size:,} bytes exceeds the limit of "
                   f"{max_file_bytes:,} (PRESSWATCH_MAX_FILE_BYTES)")
    if refusal is not None:
        return FileRef(path, st.st_size, st.st_mtime_ns, refusal_key(path, st.st_size, st.st_mtime_ns), refusal)
    if hashes and (known := hashes.get((path_text(path), st.st_size, st.st_mtime_ns))) is not None:
        return FileRef(path, st.st_size, st.st_mtime_ns, known)  # unchanged since it was hashed
    try:
        digest = sha256_file(path)
        after = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        key = hashlib.sha256(f"unreadable:{path_text(path)}:{st.st_mtime_ns}".encode()).hexdigest()
        return FileRef(path, st.st_size, st.st_mtime_ns, key, f"cannot read file: {exc.strerror}")
    if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
        return FileRef(path, after.st_size, after.st_mtime_ns, None)  # still being written
    return FileRef(path, st.st_size, st.st_mtime_ns, digest)


def describe_set_aside(found: Discovery, warehouse: Path | str) -> list[str]:
    """One log line each for what discovery set aside without a ledger row: the warehouse's
    own files inside the drop folder, and folder symlinks (never followed)."""
    lines = []
    if found.excluded:
        lines.append(f"the warehouse {plain(warehouse)} is inside the drop folder: its "
                     f"{len(found.excluded)} file(s) are never taken as input")
    if found.folder_links:
        names = ", ".join(plain(p.name, 80) for p in found.folder_links[:10])
        more = f" and {len(found.folder_links) - 10} more" if len(found.folder_links) > 10 else ""
        lines.append(f"not followed: {len(found.folder_links)} symlink(s) to folders: {names}{more}")
    return lines
