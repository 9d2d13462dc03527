"""The warehouse on DuckLake: Parquet files under a data path plus a catalog database (a DuckDB
file or SQLite file for one machine, PostgreSQL for many), attached to an in-memory DuckDB connection.

`PRESSWATCH_WAREHOUSE=ducklake:<catalog>` names it: `ducklake:sqlite:/srv/pw/lake.sqlite` (one machine:
readers in other processes query while a load runs), `ducklake:/srv/pw/lake.ducklake` (a DuckDB file: its
writer locks other processes out) or `ducklake:postgres:dbname=pw host=127.0.0.1 port=5432`.
The data path is recorded in the catalog when the lake is made (DuckLake keeps it), so one target
string is all a later open needs; a target may carry it as `...?data_path=<folder or s3://bucket/prefix/>`
(config.py appends PRESSWATCH_LAKE_DATA_PATH so). The extensions are LOADed from their wheels' files: nothing downloads.

DuckLake has no PRIMARY KEY, UNIQUE, CHECK or index: `translate_ddl` is the one place the
migrations are made to fit; uniqueness is kept by the single loader's anti-joins (warehouse/load.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from presswatch.errors import OperatorError

PREFIX = "ducklake:"
ALIAS = "lake"  # the attached catalog's name; USE makes it the connection's default
_DATA_PATH = "?data_path="
# Extensions only from files we name, never a download or a guess.
NO_AUTOLOAD = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


class LakeError(OperatorError):
    """A DuckLake target that cannot be used as written (bad syntax, missing extension)."""

    exit_code = 2


@dataclass(frozen=True)
class LakeTarget:
    catalog: str  # a DuckDB file path, "sqlite:<file path>" or "postgres:<libpq connection string>"
    data_path: str | None = None  # None: the one recorded in the catalog (or beside a new file catalog)

    @property
    def postgres(self) -> bool:
        return self.catalog.startswith("postgres:")

    @property
    def sqlite(self) -> bool:
        return self.catalog.startswith("sqlite:")

    @property
    def catalog_file(self) -> Path | None:
        """The catalog's local file (DuckDB or SQLite); None for PostgreSQL."""
        if self.postgres:
            return None
        return Path(self.catalog.removeprefix("sqlite:"))

    def __str__(self) -> str:
        return PREFIX + self.catalog + (_DATA_PATH + self.data_path if self.data_path else "")

    def shown(self) -> str:
        """For messages: the target without a password."""
        return re.sub(r"password=\S+", "password=***", str(self))


def is_lake(target: object) -> bool:
    return str(target).startswith(PREFIX)


def parse_target(target: object) -> LakeTarget:
    text = str(target)
    if not text.startswith(PREFIX):
        raise LakeError(f"{text!r} is not a DuckLake target (ducklake:<catalog>)")
    catalog, _, data_path = text[len(PREFIX):].partition(_DATA_PATH)
    catalog = catalog.strip()
    if not catalog or catalog in ("postgres:", "sqlite:"):
        raise LakeError(f"{text!r} names no catalog: give ducklake:sqlite:<catalog file>, ducklake:<catalog file> "
                        "or ducklake:postgres:dbname=... host=... port=... (PRESSWATCH_WAREHOUSE)")
    if (not catalog.startswith(("postgres:", "sqlite:")) and ":" in catalog.split("/")[0]
            and not Path(catalog).is_absolute()):
        raise LakeError(f"{text!r}: catalog {catalog.split(':')[0]!r} is not supported; "
                        "use sqlite:<file>, a DuckDB file or postgres: (PRESSWATCH_WAREHOUSE)")
    data_path = data_path.strip()
    # The settings keep the warehouse as a Path, which folds s3:// to s3:/: put the slash back.
    data_path = re.sub(r"^([a-z][a-z0-9+]*):/(?!/)", r"\1://", data_path)
    if data_path and not data_path.endswith("/"):
        data_path += "/"  # a folder (DuckLake appends file names to it)
    return LakeTarget(catalog, data_path or None)


def with_data_path(target: str, data_path: str | None) -> str:
    """The target with a data path folded in (the settings' edge does this once)."""
    if not data_path or not is_lake(target) or _DATA_PATH in target:
        return target
    return target + _DATA_PATH + str(data_path)


# --- the extensions ----------------------------------------------------------------------


def extension_file(name: str) -> Path:
    """The extension file of the duckdb-extension-<name> wheel for this DuckDB version."""
    module = f"duckdb_extension_{name}"
    try:
        package = __import__(module)
    except ImportError:
        raise LakeError(f"the {name} extension is not installed: pip install "
                        f"duckdb-extension-{name.replace('_', '-')}=={duckdb.__version__}") from None
    path = Path(package.__file__).parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.is_file():
        raise LakeError(f"no {name} extension for DuckDB {duckdb.__version__} at {path}")
    return path


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    loaded = con.execute("SELECT loaded FROM duckdb_extensions() WHERE extension_name = ?", [name]).fetchone()
    if not (loaded and loaded[0]):
        con.execute(f"LOAD '{_literal(str(extension_file(name)))}'")


# --- connecting --------------------------------------------------------------------------


# One in-memory DuckDB per lake per process, its cursors shared by every open: DuckDB refuses to
# attach one catalog file twice in a process, and nested opens (a task's writer, a reader inside
# it) must work as they do on a DuckDB file. The lake is DETACHed when its last user closes, so
# the catalog's lock is let go.
_BASES: dict[str, duckdb.DuckDBPyConnection] = {}
_MODE: dict[str, bool] = {}  # catalog -> attached read-only?
_USERS: dict[str, int] = {}
_LOCK = threading.Lock()


def connect(target: object, *, read_only: bool = False, config: dict | None = None) -> LakeConnection:
    """A cursor on an in-memory DuckDB with the lake attached as ALIAS and made the default
    (unqualified names are the lake's tables). Raises duckdb.Error as the catalog reports it."""
    key = parse_target(target).catalog
    with _LOCK:
        users = _USERS.get(key, 0)
        if users and _MODE[key] and not read_only:
            raise LakeError(f"{parse_target(target).shown()} is open read-only in this process; "
                            "close its readers before writing")
        if key not in _BASES:
            _BASES[key] = duckdb.connect(":memory:", config={**NO_AUTOLOAD, **(config or {})})
        base = _BASES[key]
        if not users:
            _attach(base, target, read_only=read_only)
            _MODE[key] = read_only
        _USERS[key] = users + 1
        cursor = base.cursor()
    try:
        cursor.execute(f"USE {ALIAS}")
    except BaseException:
        _release(key, cursor)
        raise
    return LakeConnection(cursor, key)


def _release(key: str, cursor: duckdb.DuckDBPyConnection) -> None:
    cursor.close()
    with _LOCK:
        _USERS[key] -= 1
        if not _USERS[key]:
            base = _BASES[key]
            _detach(base)  # the catalog's lock let go, even if a stray relation keeps the instance
            # Kept for the next open (its extensions loaded), unless a reader locked its settings.
            if base.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
                _BASES.pop(key).close()


def _detach(base: duckdb.DuckDBPyConnection) -> None:
    base.execute("USE memory")
    base.execute(f"DETACH DATABASE IF EXISTS {SEARCH_ALIAS}")
    base.execute(f"DETACH DATABASE IF EXISTS {ALIAS}")


def _attach(con: duckdb.DuckDBPyConnection, target: object, *, read_only: bool) -> None:
    lake = parse_target(target)
    load_extension(con, "ducklake")
    if lake.postgres:
        load_extension(con, "postgres_scanner")
    elif lake.sqlite:
        load_extension(con, "sqlite_scanner")
    if lake.catalog_file and not read_only:
        lake.catalog_file.parent.mkdir(parents=True, exist_ok=True)
    options = ["READ_ONLY"] if read_only else []
    data = lake.data_path
    if not data and lake.sqlite and not read_only and not lake.catalog_file.exists():
        data = f"{lake.catalog_file}.files/"  # DuckLake's own default beside a DuckDB-file catalog
    if data and not read_only:
        options.append(f"DATA_PATH '{_literal(data)}'")
    opts = f" ({', '.join(options)})" if options else ""
    try:
        con.execute(f"ATTACH '{_literal(PREFIX + lake.catalog)}' AS {ALIAS}{opts}")
    except BaseException:
        _detach(con)  # a half-made attach must not stay behind
        raise


# The schema version (DuckLake counts every DDL) this process last migrated each catalog to: an
# unchanged version means nothing to migrate or rebuild, and a writer's open skips that work.
_MIGRATED: dict[str, int] = {}


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT max(schema_version) FROM ducklake_snapshots(current_database())").fetchone()[0]


def already_migrated(con: duckdb.DuckDBPyConnection) -> bool:
    return is_lake_connection(con) and _MIGRATED.get(con._key) == schema_version(con)


def mark_migrated(con: duckdb.DuckDBPyConnection) -> None:
    if is_lake_connection(con):
        _MIGRATED[con._key] = schema_version(con)


def is_lake_connection(con: duckdb.DuckDBPyConnection) -> bool:
    return isinstance(con, LakeConnection)


class LakeConnection:
    """A DuckDB connection whose upserts are rewritten for DuckLake (translate_dml); every other
    attribute is the connection's own. The DuckDB-file path never sees this class."""

    def __init__(self, con: duckdb.DuckDBPyConnection, key: str):
        self._con, self._key, self._closed = con, key, False

    @property
    def catalog(self) -> str:
        return self._key

    @property
    def _base(self) -> duckdb.DuckDBPyConnection:
        return _BASES[self._key]

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            _release(self._key, self._con)

    def execute(self, query, parameters=None):
        if isinstance(query, str):
            query = translate_dml(query, self._con)
        return self._con.execute(query) if parameters is None else self._con.execute(query, parameters)

    def executemany(self, query, parameters=None):
        if isinstance(query, str):
            query = translate_dml(query, self._con)
        return self._con.executemany(query) if parameters is None else self._con.executemany(query, parameters)

    def __getattr__(self, name):
        return getattr(self._con, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --- the full-text index beside the lake ---------------------------------------------------
# The fts extension cannot make its index tables inside DuckLake, so on a lake the index lives in a
# local DuckDB side file, built from the lake's articles (warehouse/search_index.py), attached as
# SEARCH_ALIAS; the search path lets the index's schema-qualified names resolve there unchanged.

SEARCH_ALIAS = "pwsearch"
SEARCH_SCHEMA = "fts_main_articles"  # warehouse.search_index.INDEX


def search_file(catalog: str) -> Path:
    """The side file of a lake's full-text index: beside a file catalog; for PostgreSQL, one per
    machine under PRESSWATCH_LAKE_SEARCH_DIR (default ~/.cache/presswatch), rebuilt from the lake."""
    target = LakeTarget(catalog)
    if target.catalog_file is not None:
        return Path(f"{target.catalog_file}.search.duckdb")
    folder = Path(os.environ.get("PRESSWATCH_LAKE_SEARCH_DIR") or Path.home() / ".cache" / "presswatch")
    return folder / f"lake-{hashlib.sha256(catalog.encode()).hexdigest()[:16]}.search.duckdb"


def attach_search(con: LakeConnection, *, write: bool, wait: float = 0.0) -> str:
    """Attach the lake's index file (made if `write`) and put its index schema on `con`'s search
    path: "attached", "missing" (no index file yet) or "busy" (another process holds it, e.g. the
    ingest's search step rebuilding it, for longer than `wait` seconds)."""
    path = search_file(con._key)
    deadline = time.monotonic() + wait
    while True:
        with _LOCK:
            status = _attach_search(con._base, path, write)
        if status != "busy" or time.monotonic() >= deadline:
            break
        time.sleep(0.2)
    if status == "attached":
        built = con._con.execute("SELECT count(*) FROM duckdb_schemas() WHERE database_name = ? AND schema_name = ?",
                                 [SEARCH_ALIAS, SEARCH_SCHEMA]).fetchone()[0]
        # SET refuses a schema not made yet: the index's build calls this again once it is.
        con._con.execute(f"SET search_path = '{ALIAS}.main" + (f",{SEARCH_ALIAS}.{SEARCH_SCHEMA}'" if built else "'"))
    return status


def _attach_search(base: duckdb.DuckDBPyConnection, path: Path, write: bool) -> str:
    row = base.execute("SELECT readonly FROM duckdb_databases() WHERE database_name = ?", [SEARCH_ALIAS]).fetchone()
    if row and (row[0] is False or not write):
        return "attached"
    if row:  # attached read-only, now written: again, read-write
        base.execute(f"DETACH DATABASE {SEARCH_ALIAS}")
    if not write and not path.exists():
        return "missing"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        base.execute(f"ATTACH '{_literal(str(path))}' AS {SEARCH_ALIAS}" + ("" if write else " (READ_ONLY)"))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            return "busy"
        raise
    return "attached"


def detach_search(con: duckdb.DuckDBPyConnection) -> None:
    """Let the index file go (its lock too) and take it off the search path."""
    if is_lake_connection(con):
        con._con.execute(f"SET search_path = '{ALIAS}.main'")
        with _LOCK:
            con._base.execute(f"DETACH DATABASE IF EXISTS {SEARCH_ALIAS}")


def data_path(con: duckdb.DuckDBPyConnection) -> str:
    """Where the lake's Parquet files are (as recorded in its catalog)."""
    rows = dict(con.execute("SELECT option_name, value FROM ducklake_options(current_database())").fetchall())
    return rows["data_path"]


# --- one loader at a time, optimistically ---------------------------------------------------
# DuckLake lets two transactions append to one table without conflict, so two loaders' anti-joins
# could each miss the other's rows. Every load also bumps the one row of lake_writer: of two
# overlapping loads the second COMMIT fails (a DuckLake transaction conflict), writes nothing,
# and its retry (the load task's) sees the first one's rows.

WRITER_TABLE = "lake_writer"


def ensure_writer_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE TABLE IF NOT EXISTS {WRITER_TABLE} (loads BIGINT NOT NULL, last_load TIMESTAMP)")
    if not con.execute(f"SELECT count(*) FROM {WRITER_TABLE}").fetchone()[0]:
        con.execute(f"INSERT INTO {WRITER_TABLE} VALUES (0, NULL)")


def claim_writer(con: duckdb.DuckDBPyConnection) -> None:
    """Inside a load transaction: make it conflict with any other load (no-op on a DuckDB file,
    whose single-writer lock already serializes them)."""
    if is_lake_connection(con):
        con.execute(f"UPDATE {WRITER_TABLE} SET loads = loads + 1, last_load = now()::TIMESTAMP")


def is_conflict(exc: BaseException) -> bool:
    """A DuckLake commit that lost to a concurrent one (safe to retry the whole transaction)."""
    return "Transaction conflict" in str(exc)


# --- maintenance (flows/maintenance.py runs it on a schedule) ------------------------------


@dataclass(frozen=True)
class Maintenance:
    files_before: int
    files_after: int
    snapshots_before: int
    snapshots_after: int
    files_deleted: int
    rows_flushed: int  # rows moved from the catalog (inlined small inserts) to Parquet files


def maintain(con: duckdb.DuckDBPyConnection, keep_days: float = 7.0) -> Maintenance:
    """Each load writes its own small Parquet files (or inlines small inserts in the catalog) and a
    snapshot: flush inlined rows to Parquet, merge adjacent small files, expire the snapshots older
    than keep_days (time travel reaches that far back), then delete the files no snapshot reads."""
    if not is_lake_connection(con):
        raise LakeError("maintenance is for a DuckLake warehouse (ducklake:<catalog>); a DuckDB file "
                        "needs none")
    name = con.execute("SELECT current_database()").fetchone()[0]
    files, snapshots = _file_count(con, name), _snapshot_count(con, name)
    flushed = sum(r[-1] for r in con.execute(f"CALL ducklake_flush_inlined_data('{name}')").fetchall())
    con.execute(f"CALL ducklake_merge_adjacent_files('{name}')")
    cutoff = f"now() - INTERVAL '{float(keep_days) * 86400:.0f} seconds'"
    con.execute(f"CALL ducklake_expire_snapshots('{name}', older_than => {cutoff})")
    deleted = con.execute(f"SELECT count(*) FROM ducklake_cleanup_old_files('{name}', cleanup_all => true)").fetchone()
    return Maintenance(files, _file_count(con, name), snapshots, _snapshot_count(con, name), deleted[0], flushed)


def _file_count(con: duckdb.DuckDBPyConnection, name: str) -> int:
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main'", [name]).fetchall()]
    return sum(con.execute(f"SELECT count(*) FROM ducklake_list_files('{name}', ?)", [t]).fetchone()[0]
               for t in tables)


def _snapshot_count(con: duckdb.DuckDBPyConnection, name: str) -> int:
    return con.execute(f"SELECT count(*) FROM ducklake_snapshots('{name}')").fetchone()[0]


# --- DDL: the one place the migrations are made to fit DuckLake ---------------------------

_CONSTRAINT_PART = re.compile(r"^(PRIMARY\s+KEY|UNIQUE|CHECK|FOREIGN\s+KEY|CONSTRAINT)\b", re.I)
_INLINE_KEY = re.compile(r"\s+(PRIMARY\s+KEY|UNIQUE)\b", re.I)
_INLINE_REF = re.compile(r"\s+REFERENCES\s+\w+\s*(\([^)]*\))?", re.I)
_FILL_BY_TYPE = re.compile(r"^ALTER\s+TABLE\s+(\w+)\s+ALTER\s+(?:COLUMN\s+)?(\w+)\s+(?:SET\s+DATA\s+)?TYPE\s+(\w+)"
                           r"\s+USING\s+(.+?);?$", re.I | re.S)


def translate_ddl(sql: str) -> str:
    """A migration's SQL as DuckLake takes it: CREATE and DROP INDEX dropped (DuckLake has none: its
    Parquet files are pruned by min/max statistics), PRIMARY KEY / UNIQUE / CHECK / REFERENCES
    removed from CREATE TABLE, a column filled by a type change (`ALTER ... TYPE ... USING`, which
    DuckLake does not implement) filled by an UPDATE instead. Everything else passes unchanged."""
    out = []
    for statement in duckdb.extract_statements(sql):
        text = _strip_comments(statement.query).strip()
        if not text:
            continue
        if re.match(r"^(CREATE\s+(UNIQUE\s+)?|DROP\s+)INDEX\b", text, re.I):
            continue
        if statement.type == duckdb.StatementType.CREATE and re.match(
                r"^CREATE\s+(OR\s+REPLACE\s+)?TABLE\b", text, re.I) and "(" in text.split(" AS ", 1)[0]:
            text = _translate_table(text)
        elif m := _FILL_BY_TYPE.match(text):
            text = f"UPDATE {m.group(1)} SET {m.group(2)} = CAST(({m.group(4)}) AS {m.group(3)})"
        out.append(text.rstrip().rstrip(";") + ";")
    return "\n".join(out)


def table_keys() -> dict[str, tuple[str, ...]]:
    """Each table's key as the migrations declare it (PRIMARY KEY, or a UNIQUE INDEX): what
    an upsert on DuckLake matches on, since the lake itself keeps none."""
    from warehouse.db import MIGRATIONS  # here, not at the top: db imports this module

    keys: dict[str, tuple[str, ...]] = {
        "schema_migrations": ("version",), "schema_views": ("name",)}
    for path in sorted(MIGRATIONS.glob("[0-9][0-9][0-9]_*.sql")):
        for statement in duckdb.extract_statements(path.read_text()):
            text = _strip_comments(statement.query).strip()
            if m := re.match(r"^CREATE\s+UNIQUE\s+INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?\w+\s+ON\s+(\w+)\s*\(([^)]*)\)",
                             text, re.I):
                keys[m.group(1)] = _names(m.group(2))
            elif m := re.match(r"^CREATE\s+(?:OR\s+REPLACE\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\(",
                               text, re.I):
                body = text[m.end():].rstrip().rstrip(";").rstrip()[:-1]
                for part in top_level_split(body):
                    part = part.strip()
                    if k := re.match(r"^PRIMARY\s+KEY\s*\(([^)]*)\)", part, re.I):
                        keys[m.group(1)] = _names(k.group(1))
                    elif re.search(r"\sPRIMARY\s+KEY\b", part, re.I):
                        keys[m.group(1)] = (part.split()[0].strip('"'),)
    return keys


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip().strip('"') for n in text.split(",") if n.strip())


# --- DML: upserts as MERGE (DuckLake has no key for ON CONFLICT or INSERT OR REPLACE) --------

_INDEX_DDL = re.compile(r"^\s*(CREATE\s+(UNIQUE\s+)?INDEX|DROP\s+INDEX)\b", re.I)
_UPSERT = re.compile(
    r"^\s*INSERT\s+(?:(?P<replace>OR\s+REPLACE\s+)|(?P<ignore>OR\s+IGNORE\s+))?INTO\s+(?P<table>\w+)\s*"
    r"(?P<byname>BY\s+NAME\s+)?(?:\((?P<cols>[^)]*)\)\s*)?(?P<source>.*?)"
    r"(?:\s+ON\s+CONFLICT\s*(?:\([^)]*\)\s*)?DO\s+(?P<action>NOTHING|UPDATE\s+SET\s+(?P<sets>.*)))?\s*;?\s*$",
    re.I | re.S)
_keys_cache: dict[str, tuple[str, ...]] = {}


def translate_dml(sql: str, con: duckdb.DuckDBPyConnection) -> str:
    """An upsert written for a keyed DuckDB table, as a MERGE on the key the migrations declare:
    INSERT OR REPLACE (update every column), ON CONFLICT DO NOTHING or INSERT OR IGNORE (insert the new
    keys only),
    ON CONFLICT DO UPDATE SET (bare column names read the table's row, excluded.x the new one).
    Index DDL becomes a no-op (DuckLake prunes by file statistics). Other SQL is unchanged."""
    if _INDEX_DDL.match(sql):
        return "SELECT 1 WHERE false"
    m = _UPSERT.match(sql)
    if not m or not (m.group("replace") or m.group("ignore") or m.group("action")):
        return sql
    table = m.group("table")
    if not _keys_cache:
        _keys_cache.update(table_keys())
    key = _keys_cache.get(table)
    if not key:
        return sql  # no declared key: let DuckDB say what is wrong
    columns = _columns(con, table)
    source = m.group("source").strip()
    if m.group("byname"):
        using = f"({source}) AS excluded"
        names = None  # by name: the source's own column names
    else:
        names = list(_names(m.group("cols"))) if m.group("cols") else columns
        using = f"({source}) AS excluded({', '.join(names)})"
    if m.group("ignore") or (m.group("action") or "").upper() == "NOTHING":
        # The first row of a key wins, as ON CONFLICT DO NOTHING keeps it.
        using = f"(SELECT DISTINCT ON ({', '.join(key)}) * FROM {using})  AS excluded"
    on = " AND ".join(f'"{table}"."{k}" = excluded."{k}"' for k in key)
    merge = f'MERGE INTO "{table}" USING {using} ON {on}'
    if m.group("replace"):
        updated = [c for c in (names or columns) if c not in key]
        sets = ", ".join(f'"{c}" = excluded."{c}"' for c in updated)
        merge += f" WHEN MATCHED THEN UPDATE SET {sets}" if names else " WHEN MATCHED THEN UPDATE"
    elif m.group("sets"):
        merge += " WHEN MATCHED THEN UPDATE SET " + _qualify_sets(m.group("sets"), table, columns)
    return merge + " WHEN NOT MATCHED THEN INSERT BY NAME"


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    # Cached by schema version: a migration that alters the table changes the version.
    version = schema_version(con)
    if (table, version) not in _columns_cache:
        _columns_cache[(table, version)] = [r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = ? ORDER BY column_index", [table]).fetchall()]
    return _columns_cache[(table, version)]


_columns_cache: dict[tuple[str, int], list[str]] = {}


def _qualify_sets(sets: str, table: str, columns: list[str]) -> str:
    """`a = a + excluded.a` -> `a = "t".a + excluded.a`: in a MERGE a bare name is ambiguous."""
    bare = re.compile(r"(?<![\w.\"])(" + "|".join(map(re.escape, columns)) + r")\b(?!\s*\()", re.I)
    out = []
    for assignment in top_level_split(sets):
        lhs, _, rhs = assignment.partition("=")
        out.append(f"{lhs.strip()} = " + _outside_quotes(rhs.strip(), lambda t: bare.sub(f'"{table}".\\1', t)))
    return ", ".join(out)


def _outside_quotes(text: str, fn) -> str:
    parts = re.split(r"('(?:[^']|'')*')", text)
    return "".join(p if i % 2 else fn(p) for i, p in enumerate(parts))


def _translate_table(text: str) -> str:
    head, _, rest = text.partition("(")
    body = rest.rstrip().rstrip(";").rstrip()
    assert body.endswith(")"), text
    kept = []
    for part in top_level_split(body[:-1]):
        part = part.strip()
        if not part or _CONSTRAINT_PART.match(part):
            continue
        part = _INLINE_KEY.sub("", part)
        part = _INLINE_REF.sub("", part)
        part = _drop_inline_check(part)
        kept.append(part)
    return head.rstrip() + " (\n    " + ",\n    ".join(kept) + "\n)"


def _drop_inline_check(part: str) -> str:
    match = re.search(r"\s+CHECK\s*\(", part, re.I)
    if not match:
        return part
    depth, i = 1, match.end()
    while depth and i < len(part):
        depth += {"(": 1, ")": -1}.get(part[i], 0)
        i += 1
    return part[:match.start()] + part[i:]


def top_level_split(body: str) -> list[str]:
    """`body` cut at its commas outside parentheses, brackets and quotes."""
    parts, depth, start, quote = [], 0, 0, ""
    for i, ch in enumerate(body):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


def _strip_comments(sql: str) -> str:
    out, i, quote = [], 0, ""
    while i < len(sql):
        ch = sql[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif sql.startswith("--", i):
            i = sql.find("\n", i)
            if i < 0:
                break
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _literal(text: str) -> str:
    return text.replace("'", "''")
