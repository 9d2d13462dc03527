"""One cached spaCy Language per process and model name."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING

from presswatch.config import default
from presswatch.errors import OperatorError

if TYPE_CHECKING:
    from spacy.language import Language

# No stage reads lemmas (verb forms are fixed lists) and the parser already splits sentences.
EXCLUDED = ("lemmatizer", "senter")


class ModelNotInstalled(OperatorError):
    """The configured spaCy model package is missing from this environment: one line at the CLI
    (exit 2, an invalid setting), not a traceback."""

    exit_code = 2


def _not_installed(name: str) -> ModelNotInstalled:
    return ModelNotInstalled(
        f"spaCy model {name!r} is not installed. Install it with "
        f"`pip install {name.replace('_', '-')}` (presswatch never downloads models at run time; "
        "--model / PRESSWATCH_MODEL).")


def check_installed(name: str) -> None:
    """ModelNotInstalled unless spacy.load could find `name` (a package, a folder, blank:xx),
    checked without importing spaCy: the CLI says so before the NLP and Prefect start."""
    import importlib.util
    from pathlib import Path

    if name.startswith("blank:") or Path(name).exists():
        return
    try:
        found = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # "a.b" whose "a" is missing, an empty or odd name
        found = False
    if not found:
        raise _not_installed(name)


@lru_cache(maxsize=None)
def load_nlp(name: str) -> Language:
    # spaCy imported here, not at the top: a run's main process imports this module but parses in
    # its NLP workers, and importing spaCy (thinc imports torch) costs it ~3 CPU s.
    import spacy
    from thinc.api import use_ops

    try:
        with use_ops("numpy", use_blis=_gemm() == "blis"):  # the ops the model's layers keep
            nlp = spacy.load(name, exclude=list(EXCLUDED))
    except OSError as exc:
        if "E050" not in str(exc):
            raise
        raise _not_installed(name) from exc
    from presswatch.extract import ner  # registers the post-NER component
    from presswatch.extract.attribute_index import index_attribute_ruler

    index_attribute_ruler(nlp)  # same annotations, ~12x cheaper than spaCy's Matcher over them
    ner.add_to(nlp)
    return nlp


def _gemm() -> str:
    """PRESSWATCH_GEMM (a setting, validated by the CLI): with numpy's BLAS, one thread in this
    process, since the NLP runs one process per core and a BLAS thread per core in each would
    fight over them."""
    gemm = os.environ.get("PRESSWATCH_GEMM") or default("gemm")
    if gemm != "blis":
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")
    return gemm


def load_lookups() -> None:
    """Build the extraction's lazily loaded word lists now (GeoNames places for case restoration
    and names, wordfreq's English list): in the process NLP workers fork from, so each worker
    does not build its own on its first chunk (~0.5 CPU s a worker, measured)."""
    from wordfreq import zipf_frequency

    from presswatch.extract.gazetteer import countries, places

    places()
    countries()
    zipf_frequency("the", "en")
