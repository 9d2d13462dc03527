"""The clause walk shared by the classifier's features and the lexicon method's target window."""

import pytest

from presswatch.sentiment.clauses import BOUNDARIES, MIN_SIDE, clause_span, target_span, target_window, tokenize


def test_tokenize_lowercases_and_straightens_apostrophes():
    assert tokenize("Don’t STOP, Acme's") == [
        ("don't", 0, 5), ("stop", 6, 10), (",", 10, 11), ("acme's", 12, 18)]
    assert tokenize("   ") == []


@pytest.mark.parametrize(
    "text, start, end, expected",
    [
        ("Critics slammed Acme Corp for fraud.", 16, 25, (2, 4)),  # both tokens of the name
        ("Critics slammed Acme Corp for fraud.", 18, 19, (2, 3)),  # inside one token
        ("Critics slammed Acme", 15, 16, (2, 3)),  # the space before "Acme": nearest token start
        ("", 0, 0, None),
    ],
)
def test_target_span(text, start, end, expected):
    assert target_span(tokenize(text), start, end) == expected


def test_clause_span_stops_at_punctuation_and_clause_words():
    words = [t for t, _, _ in tokenize("Police praised Acme, while critics slammed Bolt which failed")]
    bolt = words.index("bolt")
    ca, cb = clause_span(words, bolt, bolt + 1)
    assert words[ca:cb] == ["critics", "slammed", "bolt"]
    assert words[ca - 1] == "while" and words[cb] == "which"
    acme = words.index("acme")
    assert words[slice(*clause_span(words, acme, acme + 1))] == ["police", "praised", "acme"]
    assert {",", "but", "who", "“"} <= BOUNDARIES


def test_clause_span_min_side_crosses_boundaries():
    words = ["x", ",", "a", ",", "b", "t", "c", ",", "d", ",", "y"]
    assert clause_span(words, 5, 6) == (4, 7)
    # 2 tokens each side whatever they are, then on to the next boundary
    assert clause_span(words, 5, 6, min_side=2) == (2, 9)
    assert clause_span(words, 5, 6, min_side=10) == (0, 11)  # never past the sentence


def test_target_window_is_local():
    s = ("Police praised the brave volunteers who saved the children, while a court in another "
         "city convicted the corrupt mayor of fraud and abuse.")
    w = target_window(s, s.index("mayor"), s.index("mayor") + 5)
    assert "convicted" in w and "praised" not in w


def test_target_window_keeps_min_side_tokens_across_short_clauses():
    s = "Jones, 45, a former banker from the north of the country, was praised by the court."
    w = target_window(s, 0, 5)
    assert w.startswith("Jones") and len(tokenize(w)) >= MIN_SIDE + 1
    assert target_window("", 0, 0) == "" and target_window("  ", 0, 1) == "  "
