"""One cached spaCy Language per process and model name."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

# No stage reads lemmas (verb forms are fixed lists) and the parser already splits sentences.
EXCLUDED = ("lemmatizer", "senter")


class ModelNotInstalled(RuntimeError):
    """The configured spaCy model package is missing from this environment."""


@lru_cache(maxsize=None)
def load_nlp(name: str) -> Language:
    try:
        nlp = spacy.load(name, exclude=list(EXCLUDED))
    except OSError as exc:
        if "E050" not in str(exc):
            raise
        pip_name = name.replace("_", "-")
        raise ModelNotInstalled(
            f"spaCy model {name!r} is not installed. Install it with "
            f"`pip install {pip_name}` (presswatch never downloads models at run time)."
        ) from exc
    from presswatch.extract import ner  # registers the post-NER component

    ner.add_to(nlp)
    return nlp
