"""The sentence around a place mention, shown for a hand check of geocodings."""

from presswatch.geo.check import sentence_at


def test_sentence_at_cuts_at_sentence_ends_and_lines():
    body = "First one. The talks in Paris ended. Later.\nLONDON 1996 next line"
    start = body.index("Paris")
    assert sentence_at(body, start, start + 5) == "The talks in Paris ended."
    start = body.index("LONDON")
    assert sentence_at(body, start, start + 6) == "LONDON 1996 next line"


def test_sentence_at_caps_a_long_sentence_on_both_sides():
    body = "x " * 500 + "Paris" + " y" * 500
    start = body.index("Paris")
    out = sentence_at(body, start, start + 5, width=20)
    assert "Paris" in out and len(out) <= 45
