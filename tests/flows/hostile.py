"""The hostile drop folder, generated (nothing fetched): every kind of bad input a drop folder
meets, each with the fate it must have. Used by tests/flows/test_hostile_input.py."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

from tests.flows.corpus import story

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
       b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
       b"\x00\x00IEND\xaeB`\x82")


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("story.txt", "Officials said on Tuesday that the river rose.")
    return buf.getvalue()


def _wire(i: int) -> str:
    title, body = story(i)
    return f"date 2024-03-12 {title} AFP\n\n{body}\n"


NON_ENGLISH = {
    "fr": ("Le gouvernement français a annoncé mardi à Paris un plan de soutien aux agriculteurs. "
           "« Nous serons aux côtés de ceux qui nous nourrissent », a déclaré Emmanuel Macron "
           "devant les élus de la région.\n\nLe ministre de l'Agriculture doit présenter les "
           "mesures détaillées la semaine prochaine, selon l'Élysée."),
    "de": ("Die Bundesregierung hat am Dienstag in Berlin ein neues Hilfspaket für die Landwirte "
           "beschlossen. „Wir lassen niemanden im Stich“, sagte Bundeskanzler Olaf Scholz nach der "
           "Kabinettssitzung.\n\nDas Paket umfasst nach Angaben des Finanzministeriums rund zwei "
           "Milliarden Euro und soll noch vor dem Sommer in Kraft treten."),
    "ru": ("Правительство России во вторник объявило о новых мерах поддержки фермеров. "
           "«Мы не оставим никого без помощи», — заявил министр сельского хозяйства на "
           "пресс-конференции в Москве.\n\nПо данным ведомства, на программу выделят около двух "
           "миллиардов рублей до конца года."),
}


def fifty_thousand_words() -> str:
    paragraphs, words, i = [], 0, 0
    while words < 50_000:
        _, body = story(10_000 + i)
        paragraphs.append(body.replace("\n\n", " "))  # one paragraph per story: none repeats
        words += len(body.split())
        i += 1
    return "date 2024-03-12 The longest flood report ever filed AFP\n\n" + "\n\n".join(paragraphs)


def build(drop: Path, outside: Path) -> dict[str, tuple[str, str | None]]:
    """Write the hostile folder; return {relative name: (status, error regex)}."""
    drop.mkdir(parents=True)
    expected: dict[str, tuple[str, str | None]] = {}

    def put(name: str, data: bytes | str, status: str, error: str | None = None) -> Path:
        path = drop / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        expected[name] = (status, error)
        return path

    # Good neighbours: the rest of the batch must load whatever happens around them.
    for i in range(3):
        put(f"good_{i}.txt", _wire(i), "loaded")
    put("empty.txt", b"", "quarantined", r"^empty file$")
    put("whitespace_only.txt", " \n\t\r\n  \n", "quarantined", r"whitespace only")
    put("png_named_as_article.txt", PNG, "quarantined", r"binary content \(PNG image\)")
    put("zip_named_as_article.json", _zip(), "quarantined", r"binary content \(ZIP archive\)")
    put("nul_bytes.txt", b"Officials said\x00\x00\x00 the river rose." * 20, "quarantined",
        r"binary content \(NUL bytes\)")
    # UTF-8 text with stray bytes pasted in: loads, the strays become U+FFFD.
    put("invalid_utf8_stray_bytes.txt", _wire(18).replace("Officials", "Café officials \u2014").encode()
        .replace(b"evacuated", b"evac\xffuated"), "loaded")
    # Bytes that are no UTF-8 at all: charset-normalizer reads them as a legacy code page
    # (cp1250 here) and the article loads flagged language "und" (see test below).
    put("invalid_utf8_garbage.txt", b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc" * 50, "loaded")
    put("utf16_bom.txt", _wire(3).replace("Officials", "Zürich officials").encode("utf-16"), "loaded")
    put("latin1.txt", _wire(4).replace("Officials", "Zürich officials").encode("latin-1"), "loaded")
    put("ten_mb_single_line.txt", ("flood " * 1_750_000).strip(), "quarantined",
        r"^article too long for NLP: 10,499,999 chars > limit 1,000,000$")
    huge = drop / "two_hundred_mb.txt"
    with open(huge, "wb") as fh:  # sparse: costs no disk and is never read
        fh.truncate(200 * 1024 * 1024)
    expected[huge.name] = ("quarantined", r"^file too large: 209,715,200 bytes exceeds the limit of 52,428,800")
    put("malformed.json", '{"title": "Floods", "body": "Officials said', "quarantined",
        r"^invalid JSON: Unterminated string")
    put("wrong_shape.json", json.dumps({"headline_count": 3, "items": "none"}), "quarantined",
        r"^JSON has no article body")
    put("wrong_shape_list.json", json.dumps([1, 2, 3]), "quarantined", r"no usable article.*expected a JSON object")
    lines = [json.dumps({"title": story(i)[0], "body": story(i)[1]}) for i in (5, 6, 7)]
    lines.insert(1, '{"title": "broken", "body": ')
    put("one_bad_line.jsonl", "\n".join(lines) + "\n", "loaded", r"^line 2: invalid JSON")
    # Escapes spelling no character: a JSON "\ud800" byline failed the batch's load, an RSS
    # "&#xD800;" crashed feedparser out of the read task; each file loads, U+FFFD in their place.
    title, body = story(19)
    put("lone_surrogate_byline.json", json.dumps({"title": title, "body": body, "author": "Jo \ud800 Bloggs"}),
        "loaded")
    title, body = story(20)
    put("char_ref_to_no_character.rss", f'<rss version="2.0"><channel><title>Post</title><item><title>{title} '
        f"&#xD800;</title><author>Jo &#xD800;Bloggs</author><description>{body}</description></item>"
        "</channel></rss>", "loaded")
    put("no_article.html", "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a>"
        "</nav><footer>© 2024</footer></body></html>", "quarantined", r"no article text")
    put("deeply_nested.html", "<html><body>" + "<div>" * 20_000 + "<p>Officials said the river rose.</p>"
        + "</div>" * 20_000 + "</body></html>", "quarantined", r"HTML")
    (outside / "secret.txt").write_text(_wire(8))
    os.symlink(outside / "secret.txt", drop / "symlink_outside.txt")
    expected["symlink_outside.txt"] = ("quarantined", r"^symlink points outside the drop folder")
    os.mkfifo(drop / "a_fifo.txt")
    expected["a_fifo.txt"] = ("quarantined", r"^not a regular file \(FIFO")
    put("looks_like_an_article.txt/inside.txt", _wire(9), "loaded")  # a directory is walked into
    put("name with\nnewline.txt", _wire(10), "loaded")
    put("name with  spaces .txt", _wire(11), "loaded")
    put("ünïcödé 新闻 📰.txt", _wire(12), "loaded")
    put("-leading-dash.txt", _wire(13), "loaded")
    put("--rf.txt", _wire(14), "loaded")
    bad_name = os.fsdecode(b"not-utf8-\xff\xfe.txt")
    put(bad_name, _wire(15), "loaded")
    for code, text in NON_ENGLISH.items():
        put(f"non_english_{code}.txt", text, "loaded")
    put("fifty_thousand_words.txt", fifty_thousand_words(), "loaded")
    # Injected faults: the NLP raises on one article, the sentiment scorer on another.
    put("nlp_explodes.txt", _wire(16).replace("Report number", "EXPLODE report number"), "quarantined",
        r"^nlp failed: RuntimeError: injected NLP fault$")
    put("sentiment_explodes.txt", _wire(17).replace("Report number", "KABOOM report number"), "quarantined",
        r"^sentiment failed: RuntimeError: injected sentiment fault$")
    return expected
