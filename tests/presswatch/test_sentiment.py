from pathlib import Path

import pytest

from presswatch import sentiment
from presswatch.models import Article, Extraction, Mention, Quote, Sentence

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "000_312fe44e2616a10d.txt"


@pytest.mark.parametrize(
    "text, sign",
    [
        ("The rescue was a great success and the families celebrated.", 1),
        ("Voters praised the generous new plan, calling it a wonderful step.", 1),
        ("The attack killed dozens of civilians and left the city in ruins.", -1),
        ("Critics condemned the corrupt deal as a disgraceful failure.", -1),
        ("The committee meets on Tuesday at noon in Brussels.", 0),
        ("The report has 40 pages and three annexes.", 0),
    ],
)
def test_sentence_scores_sign(text, sign):
    (score,) = sentiment.sentence_scores([text])
    assert -1.0 <= score <= 1.0
    if sign == 0:
        assert abs(score) < 0.05
    else:
        assert score * sign > 0.3


def test_sentence_scores_batch_and_empty():
    assert sentiment.sentence_scores([]) == []
    assert sentiment.sentence_scores(["", "   "]) == [0.0, 0.0]


@pytest.mark.parametrize(
    "text",
    [
        "We won and we are happy. Our team attacked and killed the hope of rivals.",
        "Good good bad.",
        "The meeting is on Tuesday.",
        "Terrible, awful, horrible news for all of us!",
    ],
)
def test_tone_identities(text):
    t = sentiment.document_tone(text)
    assert t.tone == pytest.approx(t.positive - t.negative)
    assert t.polarity == pytest.approx(t.positive + t.negative)
    for pct in (t.positive, t.negative, t.polarity, t.activity, t.self_group):
        assert 0.0 <= pct <= 100.0
    assert t.word_count == len(sentiment.words(text))


@pytest.mark.parametrize(
    "text, field, expected",
    [
        # 4 words: "good" positive, "bad" negative
        ("good good bad day", "positive", 50.0),
        ("good good bad day", "negative", 25.0),
        ("good good bad day", "tone", 25.0),
        ("We said our piece", "self_group", 50.0),
        ("Troops attacked and fired shots", "activity", 40.0),
        ("Israel's army", "word_count", 2),
    ],
)
def test_tone_values(text, field, expected):
    assert getattr(sentiment.document_tone(text), field) == pytest.approx(expected)


def test_tone_empty():
    t = sentiment.document_tone("  123 !! ")
    assert t.word_count == 0 and t.tone == 0.0


def test_seed_article_tone_is_negative():
    t = sentiment.document_tone(SEED.read_text(encoding="utf-8"))
    assert t.tone < 0
    assert t.word_count > 300


def _toy():
    body = "Acme reported record profits. Police arrested the Acme boss after a deadly fraud."
    s2 = body.index("Police")
    art = Article(title="t", body=body)
    ex = Extraction(
        article_id=art.article_id,
        sentences=[Sentence(0, 0, s2 - 1), Sentence(1, s2, len(body))],
        mentions=[
            Mention("Acme", "ORG", 0, 0, 4),
            Mention("Acme", "ORG", 1, body.index("Acme", 5), body.index("Acme", 5) + 4),
        ],
        quotes=[Quote(0, "a wonderful day", "X", "said", 0, 10)],
    )
    return art, ex


def test_score_extraction_fills_everything():
    art, ex = _toy()
    sentiment.score_extraction(art, ex, "lexicon")
    assert all(s.sentiment is not None for s in ex.sentences)
    assert all(m.sentiment is not None for m in ex.mentions)
    assert ex.quotes[0].sentiment > 0
    assert ex.sentences[1].sentiment < 0
    assert ex.mentions[1].sentiment < 0
    assert ex.tone is not None and ex.tone.word_count == 13
    assert ex.sentiment_method == "lexicon"


def test_score_batch_matches_single():
    a1, e1 = _toy()
    a2, e2 = _toy()
    sentiment.score_extraction(a1, e1)
    sentiment.score_batch([a2], [e2], "lexicon")
    assert [m.sentiment for m in e1.mentions] == [m.sentiment for m in e2.mentions]


def test_unknown_method():
    art, ex = _toy()
    with pytest.raises(ValueError):
        sentiment.score_extraction(art, ex, "magic")
