"""feeds.toml: parsed into FeedConfig, or refused with a message naming the entry and the key."""

from __future__ import annotations

import pytest

from presswatch.feeds.config import FeedConfig, FeedsFileError, load_feeds, parse_feeds


def test_a_valid_file_in_file_order(tmp_path):
    path = tmp_path / "feeds.toml"
    path.write_text('[[feed]]\nname = "World Desk"\nurl = "https://news.example.org/world.rss"\n\n'
                    '[[feed]]\nname = " Tech Ledger "\nurl = "http://ledger.example.net/feed.atom"\n'
                    'fetch_pages = true\n')
    assert load_feeds(path) == [
        FeedConfig("World Desk", "https://news.example.org/world.rss", False),
        FeedConfig("Tech Ledger", "http://ledger.example.net/feed.atom", True),
    ]


def test_no_feed_tables_is_an_empty_list():
    assert parse_feeds("# nothing yet\n") == []


def test_a_missing_file_says_how_to_make_one(tmp_path):
    message = r"no feeds file at .*nope\.toml: create it .*\[\[feed\]\].*PRESSWATCH_FEEDS"
    with pytest.raises(FeedsFileError, match=message):
        load_feeds(tmp_path / "nope.toml")


@pytest.mark.parametrize("text, message", [
    ('[[feed]\nname = "x"', r"feeds\.toml is not valid TOML: .*line 1"),
    ('[[feed]]\nname = "A"\nurl = "ftp://a.example/x"',
     r"\[\[feed\]\] #1 \('A'\): url must be an http:// or https:// URL with a host"),
    ('[[feed]]\nname = "A"\nurl = "https://a.example/x"\n[[feed]]\nurl = "https://b.example/x"',
     r"\[\[feed\]\] #2: name is missing"),
    ('[[feed]]\nname = "A"\nurl = "https://a.example/x"\nfetch_page = true',
     r"\[\[feed\]\] #1 \('A'\): fetch_page is not a known key \(name, url, fetch_pages\)"),
    ('[[feed]]\nname = "A"\nurl = "https://a.example/x"\nfetch_pages = "yes"',
     r"\[\[feed\]\] #1 \('A'\): fetch_pages must be a valid boolean"),
    ('[[feeds]]\nname = "A"\nurl = "https://a.example/x"',
     r"feeds is not a known table \(feeds are \[\[feed\]\] tables\)"),
    ('[[feed]]\nname = ""\nurl = "https://a.example/x"',
     r"\[\[feed\]\] #1 \(''\): name must have at least 1 character"),
    ('[[feed]]\nname = "A"\nurl = "https://a.example/x"\n[[feed]]\nname = "a"\nurl = "https://b.example/x"',
     r"\[\[feed\]\] #2 repeats the name 'a' of \[\[feed\]\] #1"),
    ('[[feed]]\nname = "A"\nurl = "https://a.example/x"\n[[feed]]\nname = "B"\nurl = "https://a.example/x"',
     r"\[\[feed\]\] #2 repeats the url 'https://a.example/x' of \[\[feed\]\] #1"),
])
def test_invalid_files_are_refused_with_the_entry_and_key_named(text, message):
    with pytest.raises(FeedsFileError, match=message):
        parse_feeds(text)
