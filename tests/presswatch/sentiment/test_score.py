from pathlib import Path

import numpy as np
import pytest

from presswatch.sentiment import score as sentiment
from presswatch.records import Article, Extraction, Mention, Quote, Sentence

REPO = Path(__file__).resolve().parents[3]
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


# ---- targeted scores (classifier and target-window lexicon) -------------------------

def test_mentions_get_targeted_scores_not_sentence_scores():
    body = ("Acme was praised by regulators for its excellent and honest work, while rival Bolt "
            "was fined for fraud and condemned for deceiving customers.")
    art = Article(title=None, body=body)
    a, b = body.index("Acme"), body.index("Bolt")
    ex = Extraction(
        article_id=art.article_id,
        sentences=[Sentence(0, 0, len(body))],
        mentions=[Mention("Acme", "ORG", 0, a, a + 4), Mention("Bolt", "ORG", 0, b, b + 4)],
    )
    for method in sentiment.METHODS:
        sentiment.score_extraction(art, ex, method)
        acme, bolt = (m.sentiment for m in ex.mentions)
        assert acme > bolt, method
        assert -1.0 <= bolt <= acme <= 1.0


def test_classifier_method_records_model():
    if sentiment.load_classifier() is None:
        pytest.skip("no trained classifier shipped")
    art, ex = _toy()
    sentiment.score_extraction(art, ex, "model")
    assert ex.sentiment_method == "model"
    assert ex.mentions[1].sentiment < ex.mentions[0].sentiment


def test_classifier_missing_falls_back_to_lexicon(monkeypatch, tmp_path):
    monkeypatch.setattr(sentiment, "CLASSIFIER_PATH", tmp_path / "absent.npz")
    sentiment.load_classifier.cache_clear()
    try:
        art, ex = _toy()
        sentiment.score_extraction(art, ex, "model")
        assert ex.sentiment_method == "lexicon"
        assert all(m.sentiment is not None for m in ex.mentions)
    finally:
        sentiment.load_classifier.cache_clear()


def test_mention_outside_its_sentence_uses_nearby_text():
    art, ex = _toy()
    ex.mentions[0].sentence_idx = 99  # unknown sentence
    sentiment.score_extraction(art, ex, "lexicon")
    assert ex.mentions[0].sentiment is not None


# ---- article-level sentiment toward an entity ---------------------------------------

def _people_article():
    body = ("Maria Lopez won the city marathon on Sunday. She was praised by the mayor for a "
            "brilliant race. Tom Reed finished last. He was booed and fined for cheating. "
            "Lopez thanked her coach.")
    art = Article(title=None, body=body)
    sents, start = [], 0
    for i, part in enumerate(body.split(". ")):
        end = start + len(part) + (1 if not part.endswith(".") else 0)
        sents.append(Sentence(i, start, min(end, len(body))))
        start = end + 1

    def ment(surface, canonical, nth=0):
        at = -1
        for _ in range(nth + 1):
            at = body.index(surface, at + 1)
        idx = max(i for i, s in enumerate(sents) if s.start_char <= at)
        return Mention(surface, "PERSON", idx, at, at + len(surface), canonical=canonical,
                       entity_label="PERSON")

    mentions = [ment("Maria Lopez", "Maria Lopez"), ment("Tom Reed", "Tom Reed"),
                ment("Lopez", "Maria Lopez", 1)]
    return art, Extraction(article_id=art.article_id, sentences=sents, mentions=mentions)


@pytest.mark.parametrize("method", sentiment.METHODS)
def test_entity_document_sentiment(method):
    art, ex = _people_article()
    out = {e.name: e for e in sentiment.entity_document_sentiment(art, ex, method)}
    assert set(out) == {"Maria Lopez", "Tom Reed"}
    lopez, reed = out["Maria Lopez"], out["Tom Reed"]
    assert lopez.score > reed.score
    assert reed.sentiment == "negative" and lopez.sentiment != "negative"
    assert (lopez.mentions, lopez.sentences, lopez.pronoun_sentences) == (2, 3, 1)
    assert all(e.sentiment in ("negative", "neutral", "positive") for e in out.values())


def test_view_thresholds_match_the_document_thresholds():
    import re

    (path,) = (REPO / "warehouse" / "views").rglob("entity_article_sentiment.sql")
    sql = path.read_text()
    lo = re.search(r"when score < \(case when sentiment_method = 'model' then (\S+) else (\S+) end\)", sql)
    hi = re.search(r"when score > \(case when sentiment_method = 'model' then (\S+) else (\S+) end\)", sql)
    assert (float(lo[2]), float(hi[2])) == sentiment.LEXICON_DOCUMENT_THRESHOLDS
    if sentiment.load_classifier() is not None:
        assert (float(lo[1]), float(hi[1])) == sentiment.document_thresholds("model")


@pytest.mark.parametrize("method", sentiment.METHODS)
def test_view_equals_python_on_named_mentions(method):
    import duckdb

    from warehouse.db import migrate

    art, ex = _people_article()
    sentiment.score_extraction(art, ex, method)
    py = {e.name: e for e in sentiment.entity_document_sentiment(art, ex, method, pronouns=False)}
    con = duckdb.connect(":memory:")
    migrate(con)
    con.execute("INSERT INTO articles (article_id, body, published_at) VALUES (?, ?, DATE '2024-05-01')",
                [art.article_id, art.body])
    for name in py:
        con.execute("INSERT INTO entities VALUES (?, ?, 'PERSON')", [name, name])
    for m in ex.mentions:
        con.execute("INSERT INTO mentions (article_id, entity_id, surface, sentence_idx, start_char, "
                    "end_char, sentiment, sentiment_method) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [art.article_id, m.canonical, m.surface, m.sentence_idx, m.start_char,
                     m.end_char, m.sentiment, ex.sentiment_method])
    from warehouse.aggregates import rebuild_aggregates

    rebuild_aggregates(con)  # rows written by hand reach the aggregates the view reads
    rows = con.execute("SELECT name, mentions, sentences, avg_sentiment, sentiment "
                       "FROM entity_article_sentiment").fetchall()
    assert {r[0] for r in rows} == set(py)
    for name, mentions, sents, score, label in rows:
        e = py[name]
        assert (mentions, sents, label) == (e.mentions, e.sentences, e.sentiment)
        assert score == pytest.approx(e.score, abs=1e-4)
    daily = con.execute("SELECT name, articles, negative_articles + neutral_articles + positive_articles "
                        "FROM entity_article_sentiment_daily").fetchall()
    assert sorted(daily) == [("Maria Lopez", 1, 1), ("Tom Reed", 1, 1)]


def test_non_english_article_gets_no_english_tone():
    french = Article(title="Grève", body="Les syndicats dénoncent une catastrophe terrible.", language="fr")
    english = Article(title="Strike", body="Unions denounce a terrible disaster.", language="en")
    exs = [Extraction(article_id=a.article_id) for a in (french, english)]
    sentiment.score_batch([french, english], exs, "lexicon")
    assert exs[0].tone is None
    assert exs[1].tone is not None and exs[1].tone.tone < 0


def test_stances_of_an_article_equal_each_entity_scored_alone():
    # entity_stances scores the article's entities in one matrix product: each row must be the
    # stance model's answer for that entity's own evidence.
    from presswatch.sentiment.evidence import collect
    from presswatch.sentiment.stance import features, load_stance_model

    art, ex = _people_article()
    stances = sentiment.entity_stances(art, ex, "model")
    evidence = collect(art, ex, sentiment.target_probs("model"), sentiment.sentence_scores,
                       sentiment.document_tone(art.body).tone)
    model = load_stance_model("model")
    assert len(stances) == len(evidence) == 2
    for s, ((name, label), ev) in zip(stances, evidence.items()):
        p = model.proba(np.array(features(ev)))[0]
        assert (s.name, s.label) == (name, label)
        assert s.score == pytest.approx(float(p[2] - p[0]), abs=1e-12)
        assert s.stance == sentiment.LABELS[int(p.argmax())]
