import pytest

from presswatch.records import Article
from presswatch.extract.extraction import extract_articles
from presswatch.extract.quotes import quoted_spans


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
    quotes(nlp, text)  # its helper checks every quote's offsets against the text
    for span in quoted_spans(text):
        assert 0 <= span.open_mark < span.start <= span.end <= len(text)


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


@pytest.mark.parametrize(
    "text, content, speaker, verb",
    [
        # a complement after the verb wins over a clause fronted before it
        ("In a statement released on Monday, Maria Lopez said she is certain the talks will resume.",
         "she is certain the talks will resume", "Maria Lopez", "said"),
        # a stance verb's object
        ("Senator Anne Smith criticized the president’s foreign policy.",
         "the president’s foreign policy", "Anne Smith", "criticized"),
        # an object with its predicate ("called X Y")
        ("Jeb Bush called Trump unhinged.", "Trump unhinged", "Jeb Bush", "called"),
        # a prepositional object ("called for", "talked about", "warned of")
        ("Finance Minister Paul Adams called for a ban on assault weapons.",
         "a ban on assault weapons", "Paul Adams", "called"),
        # an infinitive complement
        ("Finance Minister Paul Adams vowed to cut taxes for small businesses.",
         "to cut taxes for small businesses", "Paul Adams", "vowed"),
        # "according to X" before, after, and inside the reported sentence
        ("According to Paul Adams, the budget will be balanced by 2026.",
         "the budget will be balanced by 2026", "Paul Adams", "according to"),
        ("The budget will be balanced by 2026, according to Paul Adams.",
         "The budget will be balanced by 2026", "Paul Adams", "according to"),
        ("The budget, according to Paul Adams, will be balanced by 2026.",
         "The budget, according to Paul Adams, will be balanced by 2026", "Paul Adams", "according to"),
        # a speech verb set inside the clause it reports
        ("This campaign, Paul Adams says, is different from the last one.",
         "This campaign, Paul Adams says, is different from the last one", "Paul Adams", "says"),
        # a headline label, and transcript labels
        ("Paul Adams: Budget Will Be Balanced By 2026\n\nThe minister spoke on Monday.",
         "Budget Will Be Balanced By 2026", "Paul Adams", ":"),
        ("TAPPER: Do you think the governor will run again?\n\nThe answer came later.",
         "Do you think the governor will run again", "TAPPER", ":"),
        # a source noun as the label
        ("Poll: Voters see the senator as electable\n\nThe survey ran in May.",
         "Voters see the senator as electable", "Poll", ":"),
    ],
)
def test_indirect_quote_rules(nlp, text, content, speaker, verb):
    (q,) = quotes(nlp, text, kind="indirect")
    assert (q.text, q.speaker, q.verb) == (content, speaker, verb)


@pytest.mark.parametrize(
    "text",
    [
        # the subject of a passive is not the source
        "Finance Minister Paul Adams was asked about the budget deficit.",
        "Finance Minister Paul Adams is expected to announce the budget on Monday.",
        # objects that are not something said
        "Paul Adams told reporters about his plans.",
        "The minister continued the tour in Lyon.",
        "Obama called Netanyahu on Monday.",
        # line labels that are not sources: a timestamp, a rubric, a quoted headline
        "12:15 p.m.: The minister arrived in Paris on Monday.",
        "Update: The minister arrived in Paris on Monday.",
        "Paul Adams: ‘The Budget Will Be Balanced By 2026’",
    ],
)
def test_not_indirect_quotes(nlp, text):
    assert quotes(nlp, text, kind="indirect") == []
