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
