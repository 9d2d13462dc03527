"""Issue 15: every stored score has its class; references are scored; stances per entity."""

import pytest

from presswatch.records import Article, Extraction, Mention, MentionRef, Quote, Sentence
from presswatch.sentiment import score as sentiment
from presswatch.sentiment.classifier import LABELS

BODY = ("John Smith praised the wonderful new hospital. He called it a triumph. "
        "Critics attacked Acme Corp over the disastrous delays.")


def _extraction():
    s2 = BODY.index("He called")
    s3 = BODY.index("Critics")
    acme = BODY.index("Acme Corp")
    return Extraction(
        article_id="a",
        sentences=[Sentence(0, 0, s2 - 1), Sentence(1, s2, s3 - 1), Sentence(2, s3, len(BODY))],
        mentions=[Mention("John Smith", "PERSON", 0, 0, 10, canonical="John Smith", entity_label="PERSON"),
                  Mention("Acme Corp", "ORG", 2, acme, acme + 9, canonical="Acme Corp", entity_label="ORG")],
        quotes=[Quote(0, "a triumph", "John Smith", "called", s2 + 14, s2 + 23, speaker_label="PERSON")],
        refs=[MentionRef("pronoun", "He", 1, s2, s2 + 2, "John Smith", "PERSON")],
    )


@pytest.mark.parametrize("method", ["lexicon", "model"])
def test_every_score_has_its_class(method):
    ex = _extraction()
    sentiment.score_extraction(Article(title="Smith opens hospital", body=BODY), ex, method)
    rows = [*ex.sentences, *ex.quotes, *ex.mentions, *ex.refs]
    assert all(r.sentiment is not None and r.sentiment_label in LABELS for r in rows)
    assert ex.refs[0].sentiment is not None  # references are scored as targets
    assert {(s.name, s.label) for s in ex.stances} == {("John Smith", "PERSON"), ("Acme Corp", "ORG")}
    assert all(s.stance in LABELS and -1.0 <= s.score <= 1.0 for s in ex.stances)
    smith = next(s for s in ex.stances if s.name == "John Smith")
    assert smith.sentences == 2  # its named sentence and its pronoun sentence


def test_model_mention_class_is_its_most_probable_class():
    ex = _extraction()
    sentiment.score_extraction(Article(title=None, body=BODY), ex, "model")
    acme = ex.mentions[1]
    p = sentiment.load_classifier().score_targets([(BODY[BODY.index("Critics"):], 17, 26)])[0]
    assert acme.sentiment_label == LABELS[int(p.argmax())]
    assert acme.sentiment == pytest.approx(p[2] - p[0])


@pytest.mark.parametrize("compound, label", [(-0.05, "negative"), (-0.049, "neutral"), (0.0, "neutral"),
                                             (0.049, "neutral"), (0.05, "positive"), (0.9, "positive")])
def test_lexicon_label_is_vaders_rule(compound, label):
    assert sentiment.lexicon_label(compound) == label


def test_lexicon_target_class_uses_the_train_thresholds():
    lo, hi = sentiment.LEXICON_TARGET_THRESHOLDS
    scores, labels = sentiment.target_classes("lexicon", [("The plan is a disaster.", 4, 8)])
    expected = "negative" if scores[0] < lo else "positive" if scores[0] > hi else "neutral"
    assert labels == [expected]


def test_no_mentions_no_stances():
    ex = Extraction(article_id="a", sentences=[Sentence(0, 0, 10)])
    sentiment.score_extraction(Article(title=None, body="Nothing to see."), ex, "model")
    assert ex.stances == []
