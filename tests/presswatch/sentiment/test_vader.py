"""presswatch.sentiment.vader gives exactly vaderSentiment's compound score, rules and quirks included."""

import random
from pathlib import Path

import pytest

from presswatch.sentiment import vader
from presswatch.sentiment.vader import CompoundScorer

REPO = Path(__file__).resolve().parents[3]

# Each exercises one of polarity_scores' rules.
CASES = [
    "VADER is smart, handsome, and funny.",
    "VADER is smart, handsome, and funny!",
    "VADER is very smart, handsome, and funny.",
    "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Good, good, but good and bad but good.",
    "Today SUX!",
    "Today only kinda sux! But I'll get by, lol",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Not bad at all",
    "no good, no bad, no problem or trouble, no or nor failure",
    "It was never so good. Never this bad. Without doubt great, without any doubt awful.",
    "It was the least bad option; at least good; very least good; least.",
    "the shit was the bomb, a bad ass bus stop, yeah right, kiss of death to die for",
    "sort of good, kind of bad, just enough fun, sort-of nice",
    "Really?? Awful??? Great!!!!! ???",
    "ALL CAPS GOOD TEXT", "Mixed CAPS GOOD text", "", "   ", ":)", "!!!",
]


@pytest.fixture(scope="module")
def scorers():
    analyzer = vader.analyzer()
    return analyzer, CompoundScorer(analyzer)


@pytest.mark.parametrize("text", CASES)
def test_same_as_vader_on_rule_cases(scorers, text):
    analyzer, fast = scorers
    assert fast(text) == analyzer.polarity_scores(text)["compound"]


def test_same_as_vader_on_random_sentences(scorers):
    """Random mixes of lexicon words, boosters, negations, idiom parts, caps and marks."""
    analyzer, fast = scorers
    rng = random.Random(7)
    lexicon = sorted(analyzer.lexicon)
    special = ("no not never without doubt so this least at very but kind of sort just enough "
               "the shit bomb bad ass yeah right kiss death to die for isn't don't nor or "
               "absolutely barely more most").split()
    plain = "the minister said on monday that talks would resume in brussels".split()
    for _ in range(3000):
        words = []
        for _ in range(rng.randint(1, 25)):
            pool = rng.choice((lexicon, special, special, plain))
            w = rng.choice(pool)
            r = rng.random()
            if r < 0.1:
                w = w.upper()
            elif r < 0.15:
                w = w.capitalize()
            if rng.random() < 0.1:
                w += rng.choice(("!", "?", ",", ".", "!!", "'s"))
            words.append(w)
        text = " ".join(words)
        assert fast(text) == analyzer.polarity_scores(text)["compound"], text


def test_same_as_vader_on_seed_sentences(scorers):
    analyzer, fast = scorers
    for path in sorted((REPO / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for text in line.split(". "):
                assert fast(text) == analyzer.polarity_scores(text)["compound"], text


def test_one_shared_analyzer_and_its_lexicon():
    assert vader.analyzer() is vader.analyzer()
    assert vader.lexicon() is vader.analyzer().lexicon
    assert vader.lexicon()["good"] > 0 > vader.lexicon()["bad"]
