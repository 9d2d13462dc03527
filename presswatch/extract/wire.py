"""Extractions on the wire: one Arrow IPC stream per chunk, one row per article.

Workers (the home pool's or Dask's) send a chunk's results as one stream instead of one pickle
per Extraction: a typed, language-neutral batch that a loader on another machine (or a Parquet
file) reads as it is. The Arrow schema is derived once from the dataclasses' fields and type
hints (presswatch/records.py): a field added to a record travels with no change here.

Type mapping: str -> string, int -> int64, float -> float64 (bit for bit), bool -> bool,
date -> date32, a dataclass -> struct, list[X] -> list<X>, `X | None` -> the same type (every
Arrow field is nullable, so None, 0 and "" stay apart whatever the hint says). Values arrive
as their declared type (an int 3 in a float field as 3.0, a whole float in an int field as an
int); one that does not fit (text in a number, a lone surrogate, an int past 64 bits) makes
its article an error Extraction with the field named, and the rest of the chunk travels.

Decoding builds each record with its generated __init__ (every field an argument, no
__post_init__; else its state is restored as unpickling does): equal dataclasses, in the field
order of the code that decodes. A stream from another wire version, or whose
fields differ from this code's records (a worker running other code), is refused with a
WireError that says which, never decoded into wrong fields.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from datetime import date

import pyarrow as pa

from presswatch.records import Extraction

# Bump when the mapping above changes (not when a record gains a field: the schema check
# catches that by name and type).
WIRE_VERSION = "1"
VERSION_KEY = b"presswatch.wire.version"
RECORD_KEY = b"presswatch.wire.record"

_SCALARS: dict[type, pa.DataType] = {
    str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_(), date: pa.date32(),
}
_NEW = object.__new__


class WireError(ValueError):
    """A batch that cannot be encoded or a stream that cannot be decoded; the message says why."""


class _Codec:
    """How one Python type goes to Arrow and back."""

    arrow: pa.DataType
    # Python value -> what pa.array converts (a record to its __dict__); None: no change needed.
    plain: Callable | None = None

    def read(self, array: pa.Array) -> list:
        raise NotImplementedError


class _Scalar(_Codec):
    def __init__(self, arrow: pa.DataType) -> None:
        self.arrow = arrow

    def read(self, array: pa.Array) -> list:
        return array.to_pylist()


class _List(_Codec):
    def __init__(self, item: _Codec) -> None:
        self.item, self.arrow = item, pa.list_(item.arrow)
        if item.plain is not None:
            conv = item.plain
            self.plain = lambda v: None if v is None else [conv(x) for x in v]

    def read(self, array: pa.Array) -> list:
        if not len(array):
            return []
        offsets = array.offsets.to_pylist()  # absolute positions in array.values (a slice keeps them)
        first = offsets[0]
        items = self.item.read(array.values.slice(first, offsets[-1] - first))
        out = [items[a - first:b - first] for a, b in zip(offsets, offsets[1:])]
        if array.null_count:
            out = [None if null else v for v, null in zip(out, array.is_null().to_pylist())]
        return out


class _Record(_Codec):
    """A dataclass as a struct of its fields, in declaration order."""

    def __init__(self, cls: type) -> None:
        hints = typing.get_type_hints(cls)
        self.cls = cls
        self.names = [f.name for f in dataclasses.fields(cls)]
        self.fields = [_codec(hints[name]) for name in self.names]
        self.arrow = pa.struct([pa.field(n, c.arrow) for n, c in zip(self.names, self.fields)])
        # __init__ only stores its arguments: it may rebuild the record (else: pickle's way).
        self.by_init = (all(f.init for f in dataclasses.fields(cls)) and not hasattr(cls, "__post_init__"))
        # Only the fields that hold records need converting; the rest go as they are.
        nested = [(n, c.plain) for n, c in zip(self.names, self.fields) if c.plain is not None]
        if not nested:
            self.plain = lambda o: None if o is None else o.__dict__
        else:
            def plain(o):
                if o is None:
                    return None
                d = dict(o.__dict__)
                for name, conv in nested:
                    d[name] = conv(d[name])
                return d
            self.plain = plain

    def read(self, array: pa.Array) -> list:
        return self.read_columns([array.field(i) for i in range(len(self.names))], len(array),
                                 array.is_null().to_pylist() if array.null_count else None)

    def read_columns(self, columns: list[pa.Array], n: int, nulls: list[bool] | None = None) -> list:
        values = [codec.read(col) for codec, col in zip(self.fields, columns)]
        cls, names = self.cls, self.names
        if self.by_init:  # the generated __init__, column by column: the fastest way measured
            out = list(map(cls, *values)) if values else [cls() for _ in range(n)]
        else:  # state restored as unpickling does
            out = []
            for row in zip(*values) if values else ((),) * n:
                obj = _NEW(cls)
                obj.__dict__.update(zip(names, row))
                out.append(obj)
        if nulls is not None:
            out = [None if null else obj for obj, null in zip(out, nulls)]
        return out


@functools.cache
def _codec(hint) -> _Codec:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        if len(kept) != 1:
            raise TypeError(f"no wire type for {hint}: only `X | None` unions")
        return _codec(kept[0])  # every Arrow field is nullable
    if origin is list:
        return _List(_codec(args[0]))
    if dataclasses.is_dataclass(hint):
        return _Record(hint)
    if hint in _SCALARS:
        return _Scalar(_SCALARS[hint])
    raise TypeError(f"no wire type for {hint!r}")


@functools.cache
def schema(cls: type = Extraction) -> pa.Schema:
    """The wire schema of `cls` (one column per field), with the version in its metadata."""
    record = _codec(cls)
    return pa.schema(list(record.arrow), metadata={VERSION_KEY: WIRE_VERSION.encode(),
                                                   RECORD_KEY: cls.__name__.encode()})


def to_table(extractions: list[Extraction]) -> pa.Table:
    """The batch as an Arrow table, one row per Extraction, in order.

    An Extraction that does not fit its declared types (a bug upstream) becomes an error
    Extraction for its article, quarantined with the reason, instead of failing the chunk."""
    record = _codec(Extraction)
    for i, ex in enumerate(extractions):
        if type(ex) is not Extraction:  # a null row would come back as an empty Extraction
            raise TypeError(f"wire.encode takes Extractions; item {i} is {type(ex).__name__}")
    try:
        return _table(record, extractions)
    except WireError:
        pass
    kept = []
    for ex in extractions:
        try:
            _table(record, [ex])
            kept.append(ex)
        except WireError as exc:
            kept.append(Extraction(article_id=ex.article_id, error=f"extraction not encodable: {exc}"))
    return _table(record, kept)


def _table(record: _Record, extractions: list) -> pa.Table:
    try:
        structs = pa.array([record.plain(ex) for ex in extractions], type=record.arrow)
    except (pa.ArrowException, TypeError, ValueError, OverflowError, AttributeError) as exc:
        raise WireError(_which_field(record, extractions, exc)) from exc
    return pa.Table.from_batches([pa.RecordBatch.from_struct_array(structs)]).replace_schema_metadata(
        schema(record.cls).metadata)


def _which_field(record: _Record, items: list, exc: Exception) -> str:
    """The first field whose values do not convert, for the error message."""
    for name, codec in zip(record.names, record.fields):
        values = [getattr(o, name, None) for o in items]
        try:
            pa.array([codec.plain(v) for v in values] if codec.plain else values, type=codec.arrow)
        except Exception as field_exc:  # noqa: BLE001 -- only to name the field; exc is raised anyway
            return f"{record.cls.__name__}.{name}: {type(field_exc).__name__}: {field_exc}"
    return f"{type(exc).__name__}: {exc}"


def encode(extractions: list[Extraction], *, compression: str | None = None) -> bytes:
    """One Arrow IPC stream holding the batch (compression: None, "lz4" or "zstd")."""
    return serialize(to_table(extractions), compression=compression)


def serialize(table: pa.Table, *, compression: str | None = None) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression=compression)) as out:
        out.write_table(table)
    return sink.getvalue().to_pybytes()


def read_table(data: bytes) -> pa.Table:
    """The stream as a table, after checking its version and that its fields are this code's."""
    try:
        table = pa.ipc.open_stream(data).read_all()
    except pa.ArrowException as exc:
        raise WireError(f"not an Arrow IPC stream of Extractions: {exc}") from exc
    check_schema(table.schema)
    return table


def check_schema(got: pa.Schema) -> None:
    meta = got.metadata or {}
    version = meta.get(VERSION_KEY)
    if version is None:
        raise WireError("not a presswatch wire stream: its schema carries no wire version")
    if version.decode() != WIRE_VERSION:
        raise WireError(f"wire version {version.decode()!r} is not this code's ({WIRE_VERSION!r}): "
                        "the worker and this process run different presswatch versions")
    want = schema(Extraction)
    if not got.equals(want, check_metadata=False):
        raise WireError("the stream's Extraction fields differ from this code's (a worker running other "
                        f"code?): {_schema_diff(got, want)}")


def _schema_diff(got: pa.Schema, want: pa.Schema) -> str:
    g, w = {f.name: f.type for f in got}, {f.name: f.type for f in want}
    parts = [f"missing {n}" for n in w if n not in g] + [f"unknown {n}" for n in g if n not in w]
    parts += [f"{n}: {g[n]} (this code: {w[n]})" for n in w if n in g and g[n] != w[n]]
    return "; ".join(parts) or "same fields in another order"


def from_table(table: pa.Table) -> list[Extraction]:
    """The Extractions of a (checked) table, or of any slice of it: `row` takes one."""
    record = _codec(Extraction)
    out: list[Extraction] = []
    for batch in table.to_batches():
        out.extend(record.read_columns(batch.columns, batch.num_rows))
    return out


def decode(data: bytes) -> list[Extraction]:
    """The Extractions `encode` was given: equal dataclasses, floats bit for bit, dates as dates."""
    return from_table(read_table(data))


def row(table: pa.Table, i: int) -> Extraction:
    """Article i of a decoded batch, as a fresh Extraction (the copy cache keeps table.slice(i, 1):
    a slice shares the batch's buffers, so keeping it costs no copy)."""
    return from_table(table.slice(i, 1))[0]
