"""Stories: grouped by copies and by rare shared terms; ids never change, merges recorded."""

from __future__ import annotations

from datetime import date

from presswatch.dedup.stories import StoryIndex, score, story_doc, story_id_for

D = date(2024, 3, 1)


def _order(*ids):
    return {a: (D, i, a) for i, a in enumerate(ids)}


def _filler(i: int) -> tuple[str, str]:
    return f"Filler {i}", f"Unrelated words number{i} about topic{i} and matter{i} with detail{i} here."


def test_same_event_with_other_words_joins_the_story_a_different_one_does_not():
    idx = StoryIndex()
    docs = [story_doc(f"f{i}", D, *_filler(i)) for i in range(30)]  # a window for the idf
    docs += [
        story_doc("a", D, "Volcano erupts near Reykjavik", "The Fagradalsfjall volcano erupted on Tuesday "
                  "forcing Grindavik residents to evacuate, Icelandic authorities said."),
        story_doc("b", D, "Icelandic volcano eruption forces Grindavik evacuation",
                  "Residents of Grindavik fled as Fagradalsfjall erupted again, the Icelandic met office said."),
        story_doc("c", D, "Bank of England holds rates", "The Bank of England kept its main rate unchanged."),
    ]
    order = _order(*[d.article_id for d in docs])
    idx.add_batch(docs, {}, order)
    stories = idx.clusters()
    assert stories["a"] == stories["b"] == story_id_for("a")
    assert stories["c"] == story_id_for("c") != stories["a"]


def test_a_copy_bridging_two_stories_merges_the_later_into_the_earlier():
    idx = StoryIndex()
    docs = [story_doc("x", D, "Alpha", "alpha beta gamma"), story_doc("y", D, "Omega", "delta epsilon zeta")]
    order = _order("x", "y", "z")
    idx.add_batch(docs, {}, order)
    assert idx.clusters() == {"x": "sx", "y": "sy"}
    idx.add_batch([story_doc("z", D, "Both", "alpha omega")], {"z": {"x", "y"}}, order)
    assert idx.clusters() == {"x": "sx", "y": "sx", "z": "sx"}
    assert idx.merged_into == {"sy": "sx"}  # sy keeps resolving, to sx
    assert idx.story_of["y"] == "sy"  # what y was given is never rewritten


def test_score_weights_rare_terms():
    a = story_doc("a", D, "Lockerbie trial opens", "").terms
    b = story_doc("b", D, "Lockerbie verdict", "").terms
    common = {t: 50 for t in a | b}
    assert score(a, b, {}, 100) > 0 and score(a, a, {}, 100) == 1.0
    assert score(a, b, common, 100) < score(a, b, {}, 100)
