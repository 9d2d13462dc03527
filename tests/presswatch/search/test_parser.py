"""The query language's parse: the tree each form gives, and the error (column, reason) of each mistake."""

from __future__ import annotations

import pytest

from presswatch.search.parser import And, Near, Not, Or, Phrase, QuerySyntaxError, Word, parse, ranking_words


@pytest.mark.parametrize("query,tree", [
    ("brown", "brown"),
    ("climate change", "(climate AND change)"),
    ("climate AND change", "(climate AND change)"),
    ("a OR b c", "(a OR (b AND c))"),  # AND binds tighter than OR
    ("a OR b OR c", "(a OR b OR c)"),
    ("NOT a b", "(NOT a AND b)"),  # NOT binds tighter than AND
    ("a NOT b", "(a AND NOT b)"),
    ("NOT NOT a", "NOT NOT a"),
    ("(a OR b) c", "((a OR b) AND c)"),
    ('"climate change" OR brexit', '("climate change" OR brexit)'),
    ("blair NEAR/5 brown", "(blair NEAR/5 brown)"),
    ("blair NEAR brown", "(blair NEAR/10 brown)"),
    ("a NEAR/2 b NEAR/3 c", "((a NEAR/2 b) AND (b NEAR/3 c))"),
    ('a NEAR/2 "b"', '(a NEAR/2 "b")'),
    ("title:vote", "title:vote"),
    ("TITLE:vote", "title:vote"),
    ("title:(a OR b) c", "((title:a OR title:b) AND c)"),
    ("title:(a NEAR/3 b)", "title:(title:a NEAR/3 title:b)"),
    ('entity:"Tony Blair"', 'entity:"Tony Blair"'),
    ("source:bbc theme:economy", "(source:bbc AND theme:economy)"),
    ("and or not near", "(and AND or AND not AND near)"),  # lower case: words
    ("10:30", "10:30"),  # a colon after digits is no field
    ("Note: x", "(Note: AND x)"),  # nor is an unknown name before a space
    ("e-mail U.S.", "(e-mail AND U.S.)"),
])
def test_the_tree_of_each_form(query, tree):
    assert str(parse(query)) == tree


def test_nodes_carry_their_column():
    node = parse('x "two words"')
    assert isinstance(node, And)
    assert [n.column for n in node.items] == [1, 3]
    assert isinstance(node.items[1], Phrase)


@pytest.mark.parametrize("query,column,reason", [
    ("", 1, "empty"),
    ("   ", 1, "empty"),
    ("(a OR b", 1, "'(' is never closed"),
    ("a OR b)", 7, "')' closes no '('"),
    ("a OR", 3, "OR needs a word, phrase or group after it"),
    ("OR a", 1, "OR needs a word, phrase or group before it"),
    ("a AND AND b", 3, "AND needs a word"),
    ("a NOT", 3, "NOT needs a word"),
    ('a "open', 3, "no closing quote"),
    ("author:x", 1, "unknown field 'author:' (fields: title:, body:, source:, entity:, theme:)"),
    ("a NEAR/x b", 3, "NEAR/x: the distance must be a whole number"),
    ("a NEAR/0 b", 3, "from 1 to 100"),
    ("a NEAR/101 b", 3, "from 1 to 100"),
    ("a NEAR/3", 3, "NEAR/3 needs a word"),
    ("(a OR b) NEAR/3 c", 10, "joins words or phrases, not groups"),
    ('a NEAR/3 "two words"', 3, "joins single words"),
    ("entity:x NEAR/3 y", 10, "'entity:' is not text"),
    ("elect*", 1, "wildcards are not supported"),
    ("()", 1, "empty parentheses"),
    ("---", 1, "no letters or digits"),
    ('""', 1, "this phrase has no letters or digits"),
    ("title:(body:x)", 8, "'body:' inside 'title:(...)'"),
    ("title: x", 1, "'title:' needs a word, phrase or group right after the colon"),
])
def test_mistakes_name_column_and_reason(query, column, reason):
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert caught.value.column == column
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"query error at column {column}: ")


def test_overlong_query_is_refused():
    with pytest.raises(QuerySyntaxError, match="longer than"):
        parse("a " * 1500)


def test_ranking_words_leave_out_negations_and_metadata():
    node = parse('brown "Bears of the Alps" NOT river entity:Blair title:vote NOT NOT alps')
    assert ranking_words(node) == ["brown", "bears", "of", "the", "alps", "vote"]


def test_tree_types():
    node = parse("a OR NOT b NEAR/2 c")
    assert isinstance(node, Or)
    assert isinstance(node.items[1], Not)
    assert node.items[1].item == Near(Word("b", None, 10), Word("c", None, 19), 2, None)


def test_deep_parentheses_are_a_query_error_not_a_recursion_error():
    assert parse("(" * 50 + "brown" + ")" * 50) == Word("brown", None, 51)
    with pytest.raises(QuerySyntaxError, match="nested more than 50 deep") as caught:
        parse("(" * 400 + "brown" + ")" * 400)  # within MAX_QUERY_CHARS: a RecursionError before
    assert caught.value.column == 51
