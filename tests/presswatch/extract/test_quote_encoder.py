"""The default attribution scorer's small cross-encoder: the shipped int8 graph, read without torch."""

from __future__ import annotations

import json

import pytest

from presswatch.extract import quote_encoder as qe
from presswatch.extract.attribution_scorer import SCORER_PATH, BlendedScorer, load_scorer


def _shipped() -> qe.QuoteEncoder:
    return qe.QuoteEncoder(SCORER_PATH.parent / json.loads(SCORER_PATH.read_text())["encoder"]["file"])


def test_default_scorer_blends_the_words_with_the_shipped_encoder():
    scorer = load_scorer()
    assert isinstance(scorer, BlendedScorer) and scorer.words
    assert isinstance(scorer.logit_fn, qe.QuoteEncoder)
    assert scorer.clip[0] < 0 < scorer.clip[1]


def test_encoder_tells_speech_from_a_description():
    enc = _shipped()
    said, said_too, shows = enc.logits([("Senator Maria Olsen said", "the bridge would cost twice the estimate"),
                                        ("the governor told reporters on Tuesday", "that the budget had been cut"),
                                        ("The new bridge", "is painted blue and spans the river")])
    assert said > shows and said_too > shows


def test_a_list_of_pairs_gets_each_pair_s_own_logit():
    """The int8 graph quantizes activations per call: pairs are run one by one, as the scorer runs them."""
    enc = _shipped()
    short = ("She said", "it would rain")
    long = ("The minister for transport and infrastructure told a committee of the parliament on Tuesday",
            "that the new rail line would open in the spring of next year, two years later than planned")
    assert list(enc.logits([short, long])) == [pytest.approx(enc(short)), pytest.approx(enc(long))]
    assert enc.logits([]).shape == (0,)


def test_a_missing_file_names_the_command(tmp_path):
    with pytest.raises(FileNotFoundError, match="presswatch train quotes"):
        qe.QuoteEncoder(tmp_path / "quote_encoder.onnx")


def test_the_session_is_made_again_in_a_forked_process():
    """An NLP worker forked from the server that loaded the scorer makes its own ONNX session."""
    enc = _shipped()
    first = enc(("She said", "it would rain"))
    enc._pid = -1  # as seen from another process
    assert enc(("She said", "it would rain")) == pytest.approx(first)
    assert enc._pid is not None and enc._pid != -1
