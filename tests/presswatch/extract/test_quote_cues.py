"""Session-5 rules of issue 14 (presswatch.extract.indirect / speakers / quotes) and the
learned veto on the rules' rows, each on invented sentences."""

import pytest

from presswatch.extract.attribution_scorer import AttributionScorer, Candidate, features, has_marks
from presswatch.extract.casing import restore_case
from presswatch.extract.entities import canonicalize, find_mentions
from presswatch.extract.quotes import find_quotes


def run(nlp, text, scorer=None):
    doc = nlp(restore_case(text))
    return find_quotes(doc, text, canonicalize(doc, text, find_mentions(doc, text)), scorer)


class KeepAll:
    """A scorer that keeps every rule row and accepts no other candidate; records both."""

    threshold = 0.5

    def __init__(self):
        self.rule_rows, self.offlist = [], []

    def accepts(self, candidate: Candidate) -> bool:
        self.offlist.append(candidate)
        return False

    def keeps(self, candidate: Candidate) -> bool:
        self.rule_rows.append(candidate)
        return True


@pytest.mark.parametrize(
    "text, content, speaker",
    [
        # a timestamp line the parser runs into the next paragraph is not the subject
        ("12:15 p.m.\n\nSenator Maria Olsen says the tax on fuel will be repealed in May.",
         "the tax on fuel will be repealed in May", "Maria Olsen"),
        # an object too short alone takes the rest of its clause
        ("Senator Tom Reyes accused Maria Olsen of hiding the true costs of the bridge.",
         "Maria Olsen of hiding the true costs of the bridge", "Tom Reyes"),
    ],
)
def test_indirect_rules(nlp, text, content, speaker):
    rows = [q for q in run(nlp, text) if q.kind == "indirect"]
    assert [(q.text, q.speaker) for q in rows] == [(content, speaker)]


def test_a_direct_quote_by_an_unresolved_pronoun_is_no_row(nlp):
    text = '"We will win this race in the autumn," I said to the crowd.'
    assert run(nlp, text) == []


def test_a_resolved_pronoun_keeps_its_direct_quote(nlp):
    text = 'Maria Olsen spoke last. "We will win this race in the autumn," she said to the crowd.'
    (q,) = run(nlp, text)
    assert (q.kind, q.speaker) == ("direct", "Maria Olsen")


def test_the_rules_rows_go_to_the_scorer_with_their_origin(nlp):
    spy = KeepAll()
    (q,) = run(nlp, "Maria Olsen said the tax on fuel would be repealed in May.", spy)
    (cand,) = spy.rule_rows
    assert cand.quote is q and {"origin=rule", "lex=speech", "shape=clause", "subj=PERSON"} <= set(cand.features)


@pytest.mark.parametrize("rule_threshold, kept", [(0.0, True), (0.4, True), (0.6, False)])
def test_the_veto_drops_a_rule_row_below_its_threshold(nlp, rule_threshold, kept):
    # sigmoid(0.0) = 0.5: the row's probability with no weights at all
    scorer = AttributionScorer({}, 0.0, threshold=1.01, rule_threshold=rule_threshold)
    quotes = run(nlp, "Maria Olsen said the tax on fuel would be repealed in May.", scorer)
    assert bool(quotes) is kept


def test_features_mark_quoted_words_and_the_word_list(nlp):
    doc = nlp('Maria Olsen denied the "shameful" claims about the fuel tax.')
    verb = next(t for t in doc if t.text == "denied")
    content = doc[3:10]
    feats = features(verb, content, "object", "PERSON", "Maria Olsen", "rule", has_marks(content.text))
    assert {"marks=1", "lex=speech", "origin|v=rule|denied"} <= set(feats)


# Session 6: shapes the rules leave to the scorer (invented sentences; PolNeAR train counts them).
@pytest.mark.parametrize(
    "text, content, origin, shape",
    [
        # a listed verb whose object the rules do not read ("show" is clause-only for them)
        ("The Daily Planet poll shows Maria Olsen with a lead of ten points over her rival.",
         "a lead of ten points over her rival", "listed", "prep_with"),
        # a copula with an adjective that takes an infinitive or a preposition
        ("Senator Tom Reyes was quick to embrace the new budget plan.",
         "to embrace the new budget plan", "offlist", "acomp_xcomp"),
        ("Senator Tom Reyes is critical of the new budget plan.",
         "the new budget plan", "offlist", "acomp_prep_of"),
    ],
)
def test_candidates_for_shapes_the_rules_leave(nlp, text, content, origin, shape):
    spy = KeepAll()
    assert run(nlp, text, spy) == []  # KeepAll accepts no candidate
    found = [c for c in spy.offlist if c.quote.text == content]
    assert len(found) == 1, [c.quote.text for c in spy.offlist]
    assert {f"origin={origin}", f"shape={shape}"} <= set(found[0].features)


def test_a_participle_hung_on_another_clause_is_no_candidate(nlp):
    spy = KeepAll()
    run(nlp, "Tom Reyes will fly to Oslo next week, showing concern over the northern border dispute.", spy)
    assert not [c for c in spy.offlist if c.quote.verb == "showing"]


def test_a_phrasal_speech_verb_reports_its_clause(nlp):
    (q,) = run(nlp, "Maria Olsen pointed out that the bridge had cost twice the first estimate.")
    assert (q.kind, q.speaker, q.verb, q.text) == ("indirect", "Maria Olsen", "pointed",
                                                   "that the bridge had cost twice the first estimate")


# Session 9: the cheap refusals run before the complement's walk; what they refuse stays refused.
@pytest.mark.parametrize(
    "text, verb",
    [
        # a verb inside a direct quote: the quote is the row, not the verb in it
        ("“Maria Olsen wants to build a second bridge over the river,” Tom Reyes said.", "wants"),
        # a verb inside the rules' own row
        ("Tom Reyes said that Maria Olsen wants to build a second bridge over the river.", "wants"),
    ],
)
def test_a_verb_inside_a_row_is_no_candidate(nlp, text, verb):
    spy = KeepAll()
    run(nlp, text, spy)
    assert spy.rule_rows or run(nlp, text)  # the quote or the rule row exists
    assert not [c for c in spy.offlist if c.quote.verb == verb]


def test_a_verb_with_a_subject_and_an_object_is_a_candidate(nlp):
    spy = KeepAll()
    run(nlp, "Maria Olsen wants to build a second bridge over the river.", spy)
    assert [c.quote.text for c in spy.offlist if c.quote.verb == "wants"] == [
        "to build a second bridge over the river"]
