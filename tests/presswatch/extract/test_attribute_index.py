"""The indexed attribute ruler gives every token the annotations spaCy's own ruler gives it."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.tokens import Doc, DocBin

from presswatch.extract.attribute_index import IndexedAttributeRuler, index_attribute_ruler
from tests.conftest import SEED_ARTICLE

COLUMNS = [POS, TAG, DEP, HEAD, LEMMA, MORPH]
# The model's multi-token, regular-expression and exception patterns, in invented sentences.
SENTENCES = [
    "Y'all ain't seen nothin' yet, and we're gonna prove it, she said.",
    "There is a plan. There are two. There's hope, isn't there?  \n\n  He gets it; she got it.",
    "I wanna go, you gotta stay, they'd 've come, 'cause it's late.",
    "U.S. officials said on Tuesday that 3.5 million people -- about 12% -- had voted.\n",
]


def _annotations(doc: Doc) -> tuple[np.ndarray, list[str]]:
    return doc.to_array(COLUMNS), [str(t.morph) for t in doc]


def _both(nlp, texts: list[str]) -> tuple[list[Doc], list[Doc]]:
    """The same parsed docs annotated by the model's stock ruler and by the indexed one."""
    stock = nlp.get_pipe("attribute_ruler")
    assert isinstance(stock, IndexedAttributeRuler)  # load_nlp swapped it in
    reference = spacy.pipeline.AttributeRuler(nlp.vocab)
    reference.add_patterns(stock.patterns)
    with nlp.select_pipes(disable=["attribute_ruler", "ner", "presswatch_ner_fixes"]):
        parsed = list(nlp.pipe(texts))
    blob = DocBin(docs=parsed).to_bytes()
    ours = [stock(d) for d in DocBin().from_bytes(blob).get_docs(nlp.vocab)]
    theirs = [reference(d) for d in DocBin().from_bytes(blob).get_docs(nlp.vocab)]
    return ours, theirs


def _assert_same(ours: list[Doc], theirs: list[Doc]) -> None:
    for a, b in zip(ours, theirs, strict=True):
        (arr_a, morph_a), (arr_b, morph_b) = _annotations(a), _annotations(b)
        where = np.argwhere(arr_a != arr_b)
        assert not len(where), f"{a.text[:60]!r}: token {a[int(where[0][0])].text!r} differs"
        assert morph_a == morph_b


def test_the_model_ruler_annotates_as_spacy_does(nlp, eval_data):
    bbc = sorted((eval_data / "bbc_news" / "bbc").rglob("*.txt"))[::40]
    texts = SENTENCES + [SEED_ARTICLE.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="latin-1") for p in bbc]
    ours, theirs = _both(nlp, texts)
    assert sum(len(d) for d in ours) > 20_000
    _assert_same(ours, theirs)
    lemmas = {t.text.lower(): t.lemma_ for t in ours[0]}
    assert lemmas["ai"] == "be" and lemmas["nothin'"] == "nothing"  # the regex patterns applied


def _ruler_pair(patterns: list[dict]):
    blank = spacy.blank("en")
    stock = blank.add_pipe("attribute_ruler", name="stock")
    stock.add_patterns(patterns)
    indexed = IndexedAttributeRuler(blank.vocab)
    indexed.add_patterns(patterns)
    return blank, stock, indexed


def _doc(vocab, words: list[str], tags: list[str], deps: list[str]) -> Doc:
    return Doc(vocab, words=words, tags=tags, deps=deps, heads=[0] * len(words))


PATTERNS = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": {"IN": ["VB", "VBZ"]}}]], "attrs": {"POS": "VERB"}},
    # later patterns win on the same token
    {"patterns": [[{"TAG": "NN", "LOWER": "run"}]], "attrs": {"POS": "VERB", "LEMMA": "run"}},
    {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], "attrs": {"LEMMA": "you"}},
    {"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "was"]}}]], "attrs": {"POS": "AUX"}, "index": 1},
    {"patterns": [[{"LOWER": "so"}, {"LOWER": "long"}]], "attrs": {"LEMMA": "bye"}, "index": -1},
    {"patterns": [[{"TAG": {"NOT_IN": ["NN", "DT"]}, "DEP": "nsubj"}]], "attrs": {"MORPH": "Case=Nom"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE", "TAG": "_SP"}},
    # an operator: left to a Matcher, still applied in the ruler's order
    {"patterns": [[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]], "attrs": {"POS": "ADV"}},
]


@pytest.mark.parametrize("words,tags,deps", [
    (["y'", "all", "run", "the", "run", "so", "long"], ["PRP", "DT", "NN", "DT", "NN", "RB", "RB"],
     ["nsubj", "det", "ROOT", "det", "dobj", "advmod", "advmod"]),
    (["There", "is", "a", "very", "very", "good", "run", " "], ["EX", "VBZ", "DT", "RB", "RB", "JJ", "NN", "_SP"],
     ["expl", "ROOT", "det", "advmod", "advmod", "amod", "attr", "dep"]),
    (["He", "runs", "y", "all", "day"], ["PRP", "VBZ", "PRP", "DT", "NN"],
     ["nsubj", "ROOT", "nsubj", "det", "npadvmod"]),
])
def test_pattern_kinds_match_the_stock_ruler(words, tags, deps):
    blank, stock, indexed = _ruler_pair(PATTERNS)
    a, b = _doc(blank.vocab, words, tags, deps), _doc(blank.vocab, words, tags, deps)
    _assert_same([indexed(a)], [stock(b)])
    assert indexed._plan.fast and len(indexed._plan.rest) == 1  # only the operator pattern


def test_a_ruler_that_sets_other_attributes_keeps_spacys_path():
    patterns = [{"patterns": [[{"LOWER": "gonna"}]], "attrs": {"NORM": "going to"}},
                {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}}]
    blank, stock, indexed = _ruler_pair(patterns)
    words, tags = ["gonna", "run"], ["VBG", "NN"]
    a, b = _doc(blank.vocab, words, tags, ["ROOT", "dobj"]), _doc(blank.vocab, words, tags, ["ROOT", "dobj"])
    indexed(a), stock(b)
    assert not indexed._plan.fast
    assert [t.norm_ for t in a] == [t.norm_ for t in b] == ["going to", "run"]
    assert [t.pos_ for t in a] == [t.pos_ for t in b]


def test_new_patterns_replan():
    blank, stock, indexed = _ruler_pair(PATTERNS[:1])
    doc = _doc(blank.vocab, ["run"], ["NN"], ["ROOT"])
    assert indexed(doc)[0].pos_ == "NOUN"
    indexed.add_patterns([PATTERNS[2]])
    assert indexed(_doc(blank.vocab, ["run"], ["NN"], ["ROOT"]))[0].pos_ == "VERB"


def test_swapped_in_place_once(nlp):
    names = list(nlp.pipe_names)
    ruler = nlp.get_pipe("attribute_ruler")
    index_attribute_ruler(nlp)
    assert nlp.get_pipe("attribute_ruler") is ruler and list(nlp.pipe_names) == names
    assert names.index("attribute_ruler") == names.index("parser") + 1
