"""The classifier's features of one (sentence, target) pair."""

from presswatch.sentiment.features import featurize, target_features


def test_target_is_masked_and_its_clause_featurized():
    s = "Critics slammed Acme, while fans cheered Bolt."
    f = target_features(s, s.index("Bolt"), s.index("Bolt") + 4)
    assert "w:<t>" in f and "w:bolt" not in f
    assert {"c:fans", "c:cheered"} <= set(f) and "c:slammed" not in f
    assert "cstart:while" in f and "L1:cheered" in f


def test_featurize_shares_sentences_and_handles_empty_text():
    s = "Critics slammed Acme."
    assert featurize([(s, 16, 20), (s, 16, 20)]) == [target_features(s, 16, 20)] * 2
    assert target_features("", 0, 0) == ["empty"]


def test_sentence_tokens_lowercased_at_once_are_the_token_by_token_ones():
    """featurize lowercases a sentence once; where that could differ from lowercasing each token
    (a capital sigma, a letter whose lowercase is longer) it falls back to clauses.tokenize."""
    from presswatch.sentiment.clauses import tokenize
    from presswatch.sentiment.features import _tokenize

    texts = ["Critics’ VERDICT: Acme’s CEO didn't say.", "ΟΔΟΣ ΣΟΦΙΑΣ, said Mr Papadopoulos.",
             "İstanbul’s mayor and STRAßE", "", "  ", "Ünïcödé — «quotes» 3.5% rise"]
    for text in texts:
        assert _tokenize(text) == tokenize(text)


def test_valence_regions_and_window_features():
    s = "The brave firefighters saved Acme, but critics attacked it badly."
    f = target_features(s, s.index("Acme"), s.index("Acme") + 4)
    assert "Lw:brave" in f and "Lw:saved" in f and "Lx:+" in f
    assert "L1:saved" in f and "L2:firefighters" in f and "R1:," in f
    assert [x for x in f if x.startswith("vn:clause:")] == ["vn:clause:0"]
    assert [x for x in f if x.startswith("vn:sent:")] != ["vn:sent:0"]  # "attacked", "badly" outside the clause


def _newsmtsc_items(eval_data, limit=3000):
    from presswatch.evaluation.newsmtsc import read_newsmtsc

    items = [(t.sentence, t.start, t.end) for t in read_newsmtsc(eval_data / "newsmtsc" / "train.jsonl")][:limit]
    # spans no token overlaps (empty, past the end), mid-token, and text lowered to another length
    odd = [(s, a, b) for s, _, _ in items[:50] for a, b in ((0, 0), (len(s), len(s) + 5), (3, 4))]
    odd += [("", 0, 0), ("  ", 1, 2), ("İstanbul’s ΟΔΟΣ mayor, Acme, said “no”.", 20, 24)]
    return items + odd


def test_feature_ids_are_the_ids_of_the_feature_strings(eval_data):
    """The classifier's Featurizer (ids in its vocabulary) names the same features, in the same
    order, as target_features, on real NewsMTSC train sentences."""
    from presswatch.sentiment.features import Featurizer
    from presswatch.sentiment.score import load_classifier

    vocab = load_classifier().vocab
    items = _newsmtsc_items(eval_data)
    strings = featurize(items)
    assert Featurizer(vocab).featurize(items) == [[vocab.get(f, -1) for f in fs] for fs in strings]
    assert [target_features(*it) for it in items[:500]] == strings[:500]
