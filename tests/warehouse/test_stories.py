"""stories.current_story: the story a merged story counts under now."""

from warehouse.stories import current_story


def test_current_story_follows_the_chain_of_merges():
    merged_into = {"a": "b", "b": "c", "x": "y"}
    assert current_story(merged_into, "a") == "c"
    assert current_story(merged_into, "x") == "y"
    assert current_story(merged_into, "c") == "c"  # unmerged: itself


def test_current_story_stops_on_a_cycle():
    assert current_story({"a": "b", "b": "a"}, "a") == "b"


def test_story_timestamps_are_utc_on_a_machine_in_another_zone(monkeypatch):
    """stories.updated_at and story_merges.merged_at were the machine's local time, every other
    timestamp of the warehouse UTC."""
    import time
    from datetime import datetime, timedelta, timezone

    from tests.warehouse.test_coverage_aggregates import merge_scenario

    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14
    time.tzset()
    try:
        con, load_zz = merge_scenario()
        load_zz()
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        merged, updated = con.execute("SELECT (SELECT max(merged_at) FROM story_merges), "
                                      "(SELECT max(updated_at) FROM stories)").fetchone()
        assert abs(merged - now) < timedelta(hours=1) and abs(updated - now) < timedelta(hours=1)
    finally:
        monkeypatch.undo()  # the zone back before tzset reads it
        time.tzset()
