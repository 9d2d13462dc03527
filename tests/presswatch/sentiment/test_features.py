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
