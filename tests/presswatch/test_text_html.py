"""HTML text and links from the web (presswatch/text.py: html_text, safe_url)."""

from __future__ import annotations

import pytest

from presswatch.text import html_text, safe_url


def test_html_text_escapes_markup_and_quotes():
    assert html_text('<img src=x onerror="alert(1)"> & \'q\'\nnext') == \
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#x27;q&#x27;\\nnext"
    assert len(html_text("x" * 10_000, 50)) == 50


@pytest.mark.parametrize("url, kept", [
    ("https://news.example/a?b=1", True), ("http://x.example", True), ("  https://x.example  ", True),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), ("data:text/html,<script>", False),
    ("vbscript:x", False), ("//evil.example", False), ("https://x.example/a b", False),
    ("https://x.example/\nSet-Cookie", False), (None, False), (42, False), ("https://" + "a" * 3000, False),
])
def test_safe_url_keeps_only_http_links(url, kept):
    assert (safe_url(url) is not None) == kept
