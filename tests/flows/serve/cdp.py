"""A few DevTools-protocol calls to drive Debian's chromium headless (no browser download).

Chromium is started with a fresh profile and every background-networking feature off; the
page is driven over the DevTools websocket with the `websockets` package Prefect already
depends on.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from websockets.sync.client import connect

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-breakpad", "--disable-crash-reporter", "--disable-extensions",
    "--mute-audio", "--no-default-browser-check",
    "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions",
    "--window-size=1400,1150", "--remote-debugging-port=0", "--remote-allow-origins=*",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """`with Browser(exe, tmp) as page: page.goto(url); page.text(); page.screenshot(path)`"""

    def __init__(self, executable: str, profile: Path):
        self.executable = executable
        self.profile = Path(profile)
        self.proc: subprocess.Popen | None = None
        self.ws = None
        self._ids = itertools.count(1)

    def __enter__(self) -> "Browser":
        try:
            return self._start()
        except BaseException:
            self.__exit__()
            raise

    def _start(self) -> "Browser":
        self.profile.mkdir(parents=True, exist_ok=True)
        port_file = self.profile / "DevToolsActivePort"
        port_file.unlink(missing_ok=True)  # a stale one from an earlier browser
        log = open(self.profile / "chromium.log", "wb")
        self.proc = subprocess.Popen(
            [self.executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("chromium did not start: "
                                   + (self.profile / "chromium.log").read_text(errors="replace")[-1500:])
            time.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            targets = json.loads(resp.read())
        page = next(t for t in targets if t["type"] == "page")
        self.ws = connect(page["webSocketDebuggerUrl"], max_size=64 * 1024 * 1024, open_timeout=10)
        self.call("Page.enable")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.ws is not None:
            self.ws.close()
        if self.proc is not None:
            # chromium and its helpers: the process group this browser leads, and no other.
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)

    def call(self, method: str, timeout: float = 30, **params) -> dict:
        msg_id = next(self._ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == msg_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def goto(self, url: str) -> None:
        self.call("Page.navigate", url=url)

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    def text(self) -> str:
        return self.evaluate("document.body ? document.body.innerText : ''") or ""

    def wait_for_text(self, needle: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.text()
            if needle in text:
                return text
            time.sleep(0.3)
        raise AssertionError(f"{needle!r} not shown within {timeout:.0f} s; page text:\n{text[:3000]}")

    def click_text(self, label: str) -> bool:
        """Click the innermost visible element whose own text is `label` (a tab, a button)."""
        return bool(self.evaluate(f"""(() => {{
            const want = {json.dumps(label)};
            const els = [...document.querySelectorAll('button, a, [role=tab], li, span, div')]
                .filter(e => e.offsetParent !== null && e.innerText && e.innerText.trim() === want);
            if (!els.length) return false;
            els[els.length - 1].click();
            return true;
        }})()"""))

    def scroll_to_text(self, text: str) -> bool:
        """Scroll the last element showing `text` to the middle of the viewport."""
        return bool(self.evaluate(f"""(() => {{
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            let hit = null;
            while (walker.nextNode())
                if (walker.currentNode.nodeValue.includes({json.dumps(text)})) hit = walker.currentNode;
            if (!hit) return false;
            hit.parentElement.scrollIntoView({{block: 'nearest'}});
            return true;
        }})()"""))

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)
