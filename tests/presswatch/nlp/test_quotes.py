import pytest

from presswatch.models import Article
from presswatch.nlp.extract import extract_articles
from presswatch.nlp.quotes import quoted_spans


def quotes(nlp, text, kind="direct"):
    (x,) = extract_articles(nlp, [Article(title=None, body=text)])
    found = [q for q in x.quotes if q.kind == kind]
    for q in found:
        assert text[q.start_char : q.end_char] == q.text
        if q.speaker_start is not None:
            assert q.speaker_end > q.speaker_start
    return found


@pytest.mark.parametrize(
    "text, content, speaker, verb",
    [
        ('Anne Smith visited the plant. "We will build the new line here next year," Smith said.',
         "We will build the new line here next year,", "Anne Smith", "said"),
        ("Anne Smith visited the plant. “We will build the new line here next year,” said Smith.",
         "We will build the new line here next year,", "Anne Smith", "said"),
        ('Mayor John Carter said: "The bridge will reopen to traffic on Monday."',
         "The bridge will reopen to traffic on Monday.", "John Carter", "said"),
        ('John Carter spoke first. "The bridge will reopen to traffic soon," he told reporters.',
         "The bridge will reopen to traffic soon,", "John Carter", "told"),
        ('"The bridge is safe for all vehicles now," according to John Carter.',
         "The bridge is safe for all vehicles now,", "John Carter", "according to"),
    ],
)
def test_direct_quote_rules(nlp, text, content, speaker, verb):
    (q,) = quotes(nlp, text)
    assert (q.text, q.speaker, q.verb) == (content, speaker, verb)
    assert q.speaker_label in ("PERSON", None)


def test_following_quotes_inherit_the_speaker(nlp):
    text = ('"We are ready to talk to anyone today," Maria Lopez said at the summit. '
            '"Nobody should doubt our resolve on this."\n\n'
            '"The next round of talks starts in May."\n\n'
            'The meeting ended late.')
    found = quotes(nlp, text)
    assert [q.speaker for q in found] == ["Maria Lopez"] * 3


def test_multi_paragraph_quote_is_one_quote(nlp):
    text = ('Maria Lopez said: "We are ready to talk to anyone who wants peace.\n\n'
            '"And we will keep talking until the guns fall silent."')
    (q,) = quotes(nlp, text)
    assert q.text.startswith("We are ready") and q.text.endswith("silent.")
    assert q.speaker == "Maria Lopez"


@pytest.mark.parametrize(
    "text",
    [
        'President Joe Biden reiterated "unshakeable" support for Israel.',
        'Biden labeled the attack as "sheer evil" on Tuesday.',
        'The State Department reported "at least 22" American citizens affected.',
    ],
)
def test_scare_quotes_are_not_quotes(nlp, text):
    assert quotes(nlp, text) == []


@pytest.mark.parametrize("text", ['He said "yes', 'A " b " c " d', '”odd“ "', '"'])
def test_odd_marks_never_raise(nlp, text):
    quotes(nlp, text)
    quoted_spans(text)


def test_indirect_quote(nlp):
    text = "Finance Minister Paul Adams said that the budget would be balanced by 2026."
    (q,) = quotes(nlp, text, kind="indirect")
    assert q.speaker == "Paul Adams" and q.verb == "said"
    assert q.text == "that the budget would be balanced by 2026"


def test_indirect_quote_after_the_clause(nlp):
    text = "The budget will be balanced by 2026, Paul Adams told reporters."
    (q,) = quotes(nlp, text, kind="indirect")
    assert (q.speaker, q.verb) == ("Paul Adams", "told")
    assert q.text == "The budget will be balanced by 2026"
