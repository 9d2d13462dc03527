"""Untrusted text rendered safely: one line, no markup, no links, capped."""

from __future__ import annotations

from presswatch.text import markdown, plain


def test_plain_keeps_text_on_one_line_and_shows_controls():
    assert plain("a\nb\rc\td\x1b[31me\u202ef") == "a\\nb\\rc d\\x1b[31me\\u202ef"
    assert plain("Müller & Söhne <b>") == "Müller & Söhne <b>"  # plain text is left as written


def test_plain_caps_the_length():
    text = plain("x" * 5_000_000, 100)
    assert len(text) == 100 and text.endswith("…")


def test_markdown_cannot_format_link_or_inject_html():
    text = markdown("# *Bold* [click](javascript:alert(1)) <img src=x onerror=alert(1)> | `code`\nnext")
    assert text == ("\\# \\*Bold\\* \\[click\\]\\(javascript&#58;alert\\(1\\)\\) "
                    "&lt;img src=x onerror=alert\\(1\\)&gt; \\| \\`code\\`\\\\nnext")
    assert "\n" not in text and "<" not in text and "javascript:" not in text


def test_markdown_escapes_block_markup_only_at_the_start():
    assert markdown("- item") == "\\- item"
    assert markdown("1. first") == "1\\. first"
    assert markdown("Talks resume - AFP, 3.5% up") == "Talks resume - AFP, 3.5% up"
    assert markdown("Data: <script>") == "Data: &lt;script&gt;"
    assert markdown("data:text/html,x") == "data&#58;text/html,x"
