"""Plain-text files: lines that are paragraphs stay paragraphs, hard-wrapped lines are joined,
lists keep their items, repeated separators stay."""

import pytest

from presswatch.read.fields import drop_repeats, split_paragraphs
from presswatch.read.plaintext import one_per_line, read_plain_text

ONE_PER_LINE = """SOCCER - ENGLISH LEAGUE RESULTS .
LONDON 1996-08-30
Results of English league matches on Friday :
Division two
Plymouth 2 Preston 1
Division three
Swansea 1 Lincoln 2
"""

WRAPPED = """The government said on Monday that it would raise the tax on fuel
by two pence a litre from April, a move the opposition called a tax on
drivers who have no other way to get to work, and which the industry
said would cost jobs in the haulage sector.
"""


def test_lines_that_end_sentences_or_rows_are_paragraphs():
    assert one_per_line(ONE_PER_LINE) and not one_per_line(WRAPPED)
    body = read_plain_text(ONE_PER_LINE, [])[0].body
    assert "Plymouth 2 Preston 1\n\nDivision three" in body  # the results table keeps its rows


def test_hard_wrapped_prose_stays_one_paragraph():
    body = read_plain_text(WRAPPED, [])[0].body
    assert "\n" not in body and body.startswith("The government said")


# A news page copied as text: blank lines between blocks, but a heading and its paragraph (or
# paragraphs) in one block on lines of their own, far longer than any wrap width.
LIVE_BLOG = (
    "Trump Says Police Are Mistreated\n"
    "Donald Trump was asked on Saturday how he would bridge the divide between the police and the "
    "communities they serve, and he answered with a long defence of officers.\n"
    "\"The police in this country are absolutely mistreated and misunderstood,\" he said.\n"
    "\n"
    "Rubio On Abortion\n"
    "Marco Rubio said he supports an exception to save the life of the mother, but not for cases "
    "of rape or incest, in the exchange that followed the question.\n"
)


def test_lines_longer_than_a_wrap_are_paragraphs_even_between_blank_lines():
    body = read_plain_text(LIVE_BLOG, [])[0].body
    assert body.split("\n\n") == [line for line in LIVE_BLOG.split("\n") if line]
    # hard-wrapped prose with blank lines between its paragraphs still joins its lines
    wrapped = read_plain_text(WRAPPED + "\n" + WRAPPED.replace("fuel", "diesel"), [])[0].body
    assert wrapped.count("\n\n") == 1 and "\n" not in wrapped.replace("\n\n", "")


@pytest.mark.parametrize("text, paragraphs", [
    ("The measures include:\n - a ban on smoking in pubs\n - fines of up to 2,500 pounds\n\nMore text.",
     ["The measures include:", "- a ban on smoking in pubs", "- fines of up to 2,500 pounds", "More text."]),
    ("He said:\n* one\n* two\n\nEnd.", ["He said:", "* one", "* two", "End."]),
    # one dash opening a wrapped line is a dash, not a list
    ("The minister was late\n- as ever - and went home.\n\nEnd.",
     ["The minister was late - as ever - and went home.", "End."]),
])
def test_each_item_of_a_bulleted_list_is_a_paragraph(text, paragraphs):
    assert split_paragraphs(text) == paragraphs


@pytest.mark.parametrize("paragraphs, kept, dropped", [
    (["9:25 p.m.", "Clinton spoke.", "___.", "9:21 p.m.", "Sanders spoke.", "___.", "Clinton spoke."],
     ["9:25 p.m.", "Clinton spoke.", "___.", "9:21 p.m.", "Sanders spoke.", "___."], 1),
    (["* * *", "A.", "* * *", "B.", "Advertisement", "C.", "Advertisement"],
     ["* * *", "A.", "* * *", "B.", "Advertisement", "C."], 1),
])
def test_repeated_separators_are_kept_other_repeats_dropped(paragraphs, kept, dropped):
    assert drop_repeats(paragraphs) == (kept, dropped)


STANDINGS = """BASEBALL - MAJOR LEAGUE STANDINGS AFTER THURSDAY'S GAMES.
NEW YORK 1996-08-30
AMERICAN LEAGUE
EASTERN DIVISION
W L PCT GB
NEW YORK 74 59 .556 -
BALTIMORE 70 63 .526 4
CENTRAL DIVISION
CLEVELAND 80 53 .602 -
FRIDAY, AUGUST 30 SCHEDULE
KANSAS CITY AT DETROIT
CHICAGO AT TORONTO
"""


def test_short_lines_that_end_no_sentence_are_rows_not_wrapped_prose():
    # fewer than 60% of the lines end a sentence or a row, and none is long enough to be wrapped
    # prose: joined, the rows made entities such as "KANSAS CITY AT DETROIT CHICAGO"
    assert not one_per_line(STANDINGS)
    body = read_plain_text(STANDINGS, [])[0].body
    assert body.split("\n\n")[-3:] == ["FRIDAY, AUGUST 30 SCHEDULE", "KANSAS CITY AT DETROIT", "CHICAGO AT TORONTO"]


def test_wrapped_prose_is_joined_even_where_a_line_ends_short():
    # Reuters-21578 bodies open with a short line (the dateline was cut from it): still one paragraph
    text = "Standard Oil Co and BP North America\n" + WRAPPED
    assert read_plain_text(text, [])[0].body == " ".join(text.split())
