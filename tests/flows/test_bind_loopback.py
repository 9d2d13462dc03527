"""Servers presswatch (and its tests) start listen on the loopback interface only."""

from __future__ import annotations

import re
from pathlib import Path

import psutil
import pytest

# Real processes and servers: minutes, not seconds; `make check` leaves them to `make test`.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for d in ("presswatch", "flows", "tasks", "warehouse") for p in (ROOT / d).rglob("*.py")]
SOURCES += [ROOT / "Makefile"]


def test_no_source_binds_all_interfaces():
    wide = re.compile(r"0\.0\.0\.0|\"::\"|'::'|--host[ =]+(?!127\.0\.0\.1|localhost)\S+")
    offenders = [f"{p.relative_to(ROOT)}:{i}: {line.strip()}"
                 for p in SOURCES for i, line in enumerate(p.read_text().splitlines(), 1)
                 if wide.search(line)]
    assert offenders == []


def test_every_server_start_names_the_loopback_host():
    for path in SOURCES:
        text = path.read_text()
        for match in re.finditer(r"[\"']server[\"'],\s*[\"']start[\"'](?P<rest>[^\n]*(?:\n[^\n]*){0,2})", text):
            assert "127.0.0.1" in match["rest"], f"{path.relative_to(ROOT)}: server start without --host 127.0.0.1"


def test_the_running_prefect_server_listens_on_loopback_only(prefect_api_url):
    listening = []
    for child in psutil.Process().children(recursive=True):
        try:
            listening += [c.laddr for c in child.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    assert listening, "the session's Prefect server was not found among this process's children"
    assert {addr.ip for addr in listening} <= {"127.0.0.1", "::1"}
