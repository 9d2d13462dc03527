"""`presswatch run`'s guess at its new work before the flow (presswatch/cli/run.py: new_files): the NLP
workers start with Prefect's server only when the ledger does not already hold the folder's files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from presswatch.cli.run import new_files
from presswatch.discover.folder import path_text
from warehouse.db import writer

FILES = 6


def _drop(tmp_path: Path) -> Path:
    drop = tmp_path / "drop"
    (drop / "sub").mkdir(parents=True)
    for i in range(FILES):
        (drop / ("sub" if i % 2 else "") / f"story{i}.txt").write_text(f"Title {i}\n\nA short invented story {i}.")
    return drop


def _record(warehouse: Path, files: list[Path]) -> None:
    """Ledger rows as a load writes them: the absolute path, its size and mtime."""
    with writer(warehouse) as con:
        for n, f in enumerate(files):
            st = f.stat()
            con.execute("INSERT INTO ingest_log (file_sha256, source_path, status, file_size, file_mtime_ns) "
                        "VALUES (?, ?, 'loaded', ?, ?)", [f"h{n}", path_text(f.resolve()), st.st_size, st.st_mtime_ns])


def _touch(f: Path) -> None:
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


# (case, files already in the ledger, what changes afterwards, stop, expected count)
CASES = [
    ("no warehouse yet: every file", None, None, 100, FILES),
    ("no warehouse yet: counted up to stop", None, None, 4, 4),
    ("everything in the ledger: nothing", "all", None, 100, 0),
    ("half in the ledger", "half", None, 100, FILES // 2),
    ("a file touched since (new mtime)", "all", _touch, 100, 1),
    ("a file rewritten longer", "all", lambda f: f.write_text(f.read_text() + " More."), 100, 1),
    ("a file added", "all", lambda f: (f.parent / "extra.txt").write_text("Another invented story."), 100, 1),
]


@pytest.mark.parametrize("ledger,change,stop,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_new_files_counts_what_the_ledger_does_not_hold_as_it_is(ledger, change, stop, expected, tmp_path,
                                                                  monkeypatch):
    drop = _drop(tmp_path)
    files = sorted(p for p in drop.rglob("*") if p.is_file())
    warehouse = tmp_path / "w.duckdb"
    if ledger is not None:
        _record(warehouse, files if ledger == "all" else files[::2])
    if change is not None:
        change(files[0])
    monkeypatch.chdir(tmp_path)  # the drop given relative, as on a command line
    assert new_files(Path("drop"), warehouse, stop) == expected


def test_a_bad_wire_agencies_file_is_refused_before_any_work(tmp_path, monkeypatch, capsys):
    import presswatch.warmup
    from presswatch.cli import main

    def no_work(*args, **kwargs):
        raise AssertionError("work started for a refused agencies file")

    monkeypatch.setattr(presswatch.warmup, "warm_up", no_work)  # the NLP, then Prefect's server
    agencies = tmp_path / "agencies.toml"
    agencies.write_text("agency = ['AFP']\n")  # was an AttributeError inside the flow, exit 1
    monkeypatch.setenv("PRESSWATCH_WIRE_AGENCIES", str(agencies))
    assert main(["run", str(_drop(tmp_path)), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"presswatch: wire agencies file {agencies}: [[agency]] #1 is not a table"]


def test_a_broken_themes_file_is_refused_before_any_work(tmp_path, monkeypatch, capsys):
    import presswatch.extract.themes
    import presswatch.warmup
    from presswatch.cli import main

    def no_work(*args, **kwargs):
        raise AssertionError("work started for a broken themes file")

    bad = tmp_path / "themes.toml"
    bad.write_text('[conflict]\nkeywords = ["war", \n')
    real = presswatch.extract.themes.load_taxonomy.__wrapped__
    monkeypatch.setattr(presswatch.extract.themes, "load_taxonomy", lambda: real(bad))
    monkeypatch.setattr(presswatch.warmup, "warm_up", no_work)
    # was: the run went on and quarantined every article "nlp failed: TOMLDecodeError", for good
    assert main(["run", str(_drop(tmp_path)), "--warehouse", str(tmp_path / "w.duckdb")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"presswatch: themes file {bad}: Invalid value (at end of document)"]
    assert not (tmp_path / "w.duckdb").exists()


def test_an_unknown_model_is_refused_before_any_work(tmp_path, monkeypatch, capsys):
    import presswatch.warmup
    from presswatch.cli import main

    def no_work(*args, **kwargs):
        raise AssertionError("work started for a model that is not installed")

    monkeypatch.setattr(presswatch.warmup, "warm_up", no_work)
    assert main(["run", str(_drop(tmp_path)), "--warehouse", str(tmp_path / "w.duckdb"),
                 "--model", "en_core_web_nothere"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "presswatch: spaCy model 'en_core_web_nothere' is not installed. Install it with `pip install "
        "en-core-web-nothere` (presswatch never downloads models at run time; --model / PRESSWATCH_MODEL)."]
