"""The run summary and the ledger's texts: names escaped, long texts counted and cut."""

from __future__ import annotations

from presswatch.report import LedgerEntry, RunSummary, error_text, problems_text


def test_a_few_problems_are_quoted_whole():
    assert problems_text(["line 2: not JSON", "line 5: no body"]) == "line 2: not JSON; line 5: no body"
    assert problems_text([]) is None


def test_many_problems_are_counted_with_the_first_five_quoted():
    text = problems_text([f"line {i}: not JSON {'x' * 1000}" for i in range(49_700)])
    assert text.startswith("49,700 problems (bad lines or records); first 5: line 0: not JSON")
    assert "line 4:" in text and "line 5:" not in text
    assert len(text) < 2_000


def test_a_quarantine_reason_is_capped():
    assert len(error_text("y" * 10_000)) == 2_000


def test_render_keeps_one_line_per_item_whatever_the_file_names():
    summary = RunSummary(flow_run_id="r1", drop="drop")
    summary.add([LedgerEntry("drop/a\nfiles seen  999.json", "s", "quarantined", error="bad\nJSON")], 0)
    summary.folder_links = 2
    summary.top_entities = [("Evil\x1b[2J", "PERSON", 3)]
    lines = summary.render().splitlines()
    assert "  quarantined: drop/a\\nfiles seen  999.json: bad\\nJSON" in lines
    assert any(line.split() == ["folder", "symlinks", "(not", "followed)", "2"] for line in lines)
    assert "\x1b" not in summary.render()
    assert all(line.startswith(("presswatch run", "  ")) for line in lines)
    rows = summary.artifact_rows()
    assert {"what": "quarantined: a\\\\nfiles seen  999.json", "count": "bad\\\\nJSON"} in rows
    assert all("\n" not in str(r["what"]) + str(r["count"]) for r in rows)


def test_artifact_rows_cannot_link_or_load_an_image_in_prefects_ui():
    # Prefect 3.8's UI renders a table artifact's string cells as markdown (checked in chromium).
    hostile = "[x](javascript:alert(1)) ![i](http://127.0.0.1:9/t.png) <img src=x onerror=alert(1)>"
    file_name = "[x](javascript:alert(1)) ![i](https:127.0.0.1:9) <img src=x onerror=alert(1)>.json"  # no "/"
    summary = RunSummary(flow_run_id="r1", drop="drop")
    summary.add([LedgerEntry(f"drop/{file_name}", "s", "quarantined", error=f"bad: {hostile}")], 0)
    summary.top_entities = [(hostile, "PERSON", 3)]
    [quarantined, entity] = summary.artifact_rows()[len(summary.table()):]
    for cell in (quarantined["what"], quarantined["count"], entity["what"]):
        assert "](" not in cell and "<" not in cell and "javascript:" not in cell and "![" not in cell
        assert "\\[x\\]\\(javascript&#58;alert\\(1\\)\\) \\!\\[i\\]\\(http" in cell  # escaped, not deleted
        assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in cell
    assert entity["what"] == ("top entity: \\[x\\]\\(javascript&#58;alert\\(1\\)\\) "
                              "\\!\\[i\\]\\(http://127.0.0.1:9/t.png\\) "
                              "&lt;img src=x onerror=alert\\(1\\)&gt; (PERSON)")
