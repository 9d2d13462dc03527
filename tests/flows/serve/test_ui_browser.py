"""The Prefect UI shows the watcher-started run: its name and its artifact (headless chromium).

Debian's chromium, driven over the DevTools protocol (tests/flows/serve/cdp.py): no browser
is downloaded. Where chromium is absent the test is skipped with the install command; CI
installs it (.ci/run).
"""

from __future__ import annotations

import time

import pytest

from tests.flows.serve.cdp import Browser, find_chromium

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = find_chromium()
    if exe is None:
        pytest.skip("chromium not installed (Debian: `apt-get install -y chromium`; CI installs it)")
    return exe


def test_flow_run_page_shows_the_run_name_and_its_artifact(chromium, served, ingested, tmp_path):
    run = ingested[0]
    with Browser(chromium, tmp_path / "chromium-profile") as page:
        page.goto(f"{served.server.url}/runs/flow-run/{run.id}")
        text = page.wait_for_text(run.name, timeout=60)
        assert "Completed" in text
        assert page.click_text("Artifacts"), "no Artifacts tab on the flow-run page"
        page.wait_for_text("ingest-summary", timeout=30)
        page.wait_for_text("3 new articles", timeout=15)  # the card's description renders a moment later
        page.scroll_to_text("3 new articles")  # the artifact card in view (with the name, at 1400x1150)
        time.sleep(0.3)
        shot = page.screenshot(tmp_path / "flow-run.png")
    assert shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
