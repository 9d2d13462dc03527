"""stories.current_story: the story a merged story counts under now."""

from warehouse.stories import current_story


def test_current_story_follows_the_chain_of_merges():
    merged_into = {"a": "b", "b": "c", "x": "y"}
    assert current_story(merged_into, "a") == "c"
    assert current_story(merged_into, "x") == "y"
    assert current_story(merged_into, "c") == "c"  # unmerged: itself


def test_current_story_stops_on_a_cycle():
    assert current_story({"a": "b", "b": "a"}, "a") == "b"
