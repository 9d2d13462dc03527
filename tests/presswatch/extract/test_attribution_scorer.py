"""The learned check for cues off the word lists: candidates, features, the decision."""

import pytest

from presswatch.extract import attribution_scorer as scorer_module
from presswatch.extract.attribution_scorer import AttributionScorer, Candidate, load_scorer, pair_text, word_features
from presswatch.extract.casing import restore_case
from presswatch.extract.entities import canonicalize, find_mentions
from presswatch.extract.quotes import find_quotes
from presswatch.records import Quote


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


def _quote(body: str, content: str, speaker: str | None) -> Quote:
    start = body.index(content)
    s_start = body.index(speaker) if speaker else None
    return Quote(0, content, speaker, "said", start, start + len(content), "indirect",
                 s_start, s_start + len(speaker) if speaker else None)


@pytest.mark.parametrize("body, content, speaker, side", [
    ("The mayor said on Monday that the bridge would close.", "the bridge would close", "The mayor",
     "The mayor said on Monday that"),
    ("The bridge will close in May, the mayor's office said.", "The bridge will close in May",
     "the mayor's office", ", the mayor's office"),
    ("According to the police, two   men\nwere held.", "two   men\nwere held", None, "-"),
])
def test_pair_text_is_the_speaker_side_and_the_content(body, content, speaker, side):
    got = pair_text(_quote(body, content, speaker), body)
    assert got == (side, " ".join(content.split()))


def test_pair_text_keeps_the_words_next_to_the_content():
    body = "Officials " + "who asked not to be named because talks continue " * 8 + "said the deal was off."
    side, content = pair_text(_quote(body, "the deal was off", "Officials"), body)
    assert len(side) <= scorer_module.SIDE_CHARS and side.endswith("talks continue said")
    assert content == "the deal was off"


def test_word_features_read_the_side_before_the_verb_and_the_content_s_opening():
    feats = word_features(("Senior aides to the governor privately warned", "that the budget deal would collapse"))
    assert {"sw=privately", "sw=warned", "sb=privately_warned", "slen=7"} <= set(feats)
    assert "sw=senior" not in feats  # only the last six words of the side: the ones next to the verb
    assert {"cw=budget", "cw=deal", "cw=collapse", "cf=that_the"} <= set(feats)
    assert "cw=the" not in feats and "cw=that" not in feats  # function words say nothing of the topic
    assert len(feats) == len(set(feats))


def test_a_scorer_with_words_reads_them_and_one_without_does_not():
    body = "Officials said the deal was off."
    cand = Candidate(_quote(body, "the deal was off", "Officials"), ["v=said"], body)
    weights = {"v=said": 0.0, "sw=officials": 3.0}
    assert AttributionScorer(weights, -1.0, 0.5, words=True).accepts(cand)
    assert not AttributionScorer(weights, -1.0, 0.5, words=False).accepts(cand)
    assert cand.features == ["v=said"]  # the candidate itself is not changed


def test_the_shipped_scorer_reads_the_candidates_words():
    assert load_scorer().words and any(f.startswith("sw=") for f in load_scorer().weights)
