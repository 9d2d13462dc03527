"""Session-wide fixtures: one spaCy pipeline, the seed folder, the eval data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_ARTICLE = SEEDS / "000_312fe44e2616a10d.txt"


def eval_dir() -> Path:
    return Path(os.environ.get("PRESSWATCH_EVAL_DIR") or ROOT.parent / "shared" / "eval")


@pytest.fixture(scope="session")
def nlp():
    from presswatch.config import Settings
    from presswatch.extract.pipeline import load_nlp

    return load_nlp(Settings.load().model)


@pytest.fixture(scope="session")
def eval_data() -> Path:
    path = eval_dir()
    if not path.is_dir():
        pytest.skip(f"evaluation data not found at {path} (set PRESSWATCH_EVAL_DIR); "
                    "quality checks run where ../shared/eval exists, as in CI")
    return path
