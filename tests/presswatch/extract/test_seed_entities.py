"""The user's sample article (seeds/000_312fe44e2616a10d.txt), read as `presswatch run` reads
it (title and the repeated closing paragraph are not in the body): its complete entity list,
written down by hand from the text (issue 13)."""

from collections import Counter
from pathlib import Path

from presswatch.extract.extraction import extract_articles
from presswatch.read.formats import read_file

SEED = Path(__file__).resolve().parents[3] / "seeds" / "000_312fe44e2616a10d.txt"

# (canonical name, label, mentions in the body), counted by hand.
EXPECTED = {
    ("American", "NORP", 3),
    ("Antony Blinken", "PERSON", 9),  # "US Secretary of State Antony Blinken", then "Blinken"
    ("Benjamin Netanyahu", "PERSON", 2),
    ("Egypt", "GPE", 3),
    ("European Union", "ORG", 1),
    ("Gaza Strip", "GPE", 5),  # "Gaza Strip" twice, "Gaza" three times
    ("Hamas", "ORG", 9),
    ("Israel", "GPE", 13),  # one inside "anti-Israel"
    ("Israeli", "NORP", 3),  # a demonym stays its own NORP (the across-archive link is issue 13's)
    ("Joe Biden", "PERSON", 2),
    ("Jordan", "GPE", 2),
    ("Matthew Miller", "PERSON", 1),
    ("Palestinian", "NORP", 6),  # "Palestinian" four times, "Palestinians" twice
    ("Qatar", "GPE", 1),
    ("Saudi Arabia", "GPE", 1),
    ("Turkey", "GPE", 1),
    ("US State Department", "ORG", 2),  # and "State Department"; not "State" of "Secretary of State"
    ("United Arab Emirates", "GPE", 1),
    ("United States", "GPE", 10),  # "US" and "United States"; not the "US" of "US State Department"
    ("Washington", "GPE", 1),
    ("West Bank", "GPE", 1),
}


def seed_entities(nlp) -> set[tuple[str, str, int]]:
    (article,) = read_file(SEED).articles
    (x,) = extract_articles(nlp, [article])
    counts = Counter((m.canonical, m.entity_label) for m in x.mentions)
    return {(name, label, n) for (name, label), n in counts.items()}


def test_seed_article_complete_entity_list(nlp):
    assert seed_entities(nlp) == EXPECTED


def test_seed_article_issue_13_complaints(nlp):
    names = {name for name, _, _ in seed_entities(nlp)}
    assert not names & {"State", "State Department", "anti", "Gaza", "Palestinians"}
