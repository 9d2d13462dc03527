"""Post-NER corrections that run inside the spaCy pipeline, so every stage benefits."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "presswatch_ner_fixes"


@Language.component(COMPONENT)
def fix_entities(doc: Doc) -> Doc:
    return doc


def add_to(nlp: Language) -> None:
    if "ner" in nlp.pipe_names and COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, after="ner")
