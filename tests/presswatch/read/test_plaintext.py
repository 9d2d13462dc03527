"""Plain-text files written one sentence or one row per line keep their lines as paragraphs."""

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
