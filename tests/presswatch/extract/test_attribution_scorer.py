"""The learned check for cues off the word lists: candidates, features, the decision."""

import pytest

from presswatch.extract.attribution_scorer import AttributionScorer, Candidate, load_scorer
from presswatch.extract.casing import restore_case
from presswatch.extract.entities import canonicalize, find_mentions
from presswatch.extract.quotes import find_quotes


class Spy:
    """Accepts the candidates whose features include `wanted`; remembers every one seen."""

    def __init__(self, wanted=None, threshold=0.5):
        self.wanted, self.threshold, self.seen = wanted, threshold, []

    def accepts(self, candidate: Candidate) -> bool:
        self.seen.append(candidate)
        return self.wanted in candidate.features

    def keeps(self, candidate: Candidate) -> bool:
        return True  # the rules' own rows: not this spy's question


def run(nlp, text, scorer):
    doc = nlp(restore_case(text))
    return find_quotes(doc, text, canonicalize(doc, text, find_mentions(doc, text)), scorer)


@pytest.mark.parametrize(
    "text, verb, shape, subj",
    [
        ("Maria Olsen wants to repeal the tax on fuel.", "wants", "xcomp", "PERSON"),
        ("Senator Tom Reyes voted against the new pipeline bill.", "voted", "prep_against", "PERSON"),
    ],
)
def test_verbs_off_the_lists_are_candidates(nlp, text, verb, shape, subj):
    spy = Spy()
    assert run(nlp, text, spy) == []  # nothing accepted, nothing made
    (cand,) = [c for c in spy.seen if c.quote.verb == verb]
    assert {f"v={verb}", f"shape={shape}", f"subj={subj}"} <= set(cand.features)
    assert cand.quote.kind == "indirect" and cand.quote.speaker_label == "PERSON"


def test_an_accepted_candidate_is_a_row(nlp):
    quotes = run(nlp, "Maria Olsen wants to repeal the tax on fuel.", Spy("v|subj=wants|PERSON"))
    (q,) = quotes
    assert (q.speaker, q.verb, q.text) == ("Maria Olsen", "wants", "to repeal the tax on fuel")


def test_listed_verbs_stay_with_the_rules(nlp):
    spy = Spy("never")
    quotes = run(nlp, "Maria Olsen said the tax on fuel would be repealed in May.", spy)
    assert [q.verb for q in quotes] == ["said"]
    assert not [c for c in spy.seen if c.quote.verb == "said"]


def test_a_threshold_above_one_skips_the_candidate_pass(nlp):
    spy = Spy(threshold=1.01)
    run(nlp, "Maria Olsen wants to repeal the tax on fuel.", spy)
    assert spy.seen == []


@pytest.mark.parametrize(
    "weights, bias, threshold, accepted",
    [
        ({"v=wants": 2.0}, -1.0, 0.7, True),  # sigmoid(1) = 0.73
        ({"v=wants": 2.0}, -1.0, 0.75, False),
        ({}, 0.0, 0.5, True),  # sigmoid(0) = 0.5
    ],
)
def test_the_decision_is_a_logistic_threshold(weights, bias, threshold, accepted):
    scorer = AttributionScorer(weights, bias, threshold)
    assert scorer.accepts(Candidate(quote=None, features=["v=wants", "shape=xcomp"])) is accepted


def test_missing_weights_say_how_to_make_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="presswatch train quotes"):
        load_scorer(tmp_path / "none.json")


def test_the_shipped_weights_load():
    scorer = load_scorer()
    assert scorer.weights and 0.0 < scorer.threshold <= 1.0  # trained to accept some candidates
