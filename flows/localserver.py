"""A throwaway Prefect server on a free loopback port (for the latency benchmark and tests).

`prefect server start` as a subprocess, with its own PREFECT_HOME (so its own SQLite file),
analytics off, waited for on /api/health. No Prefect import at module level: it is another
process. Both servers started here (this one, and `presswatch run`'s temporary server) run in
a session of their own, so a Ctrl-C to the terminal's process group does not stop them under
the client, which stops them last; and they die with the process that started them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from presswatch.lifetime import die_with_this_process


# What we ship for the Prefect server (the Makefile's `make server` sets the same): no
# analytics, and the vacuum service deletes flow runs (with their logs and artifacts) 30 days
# after they end (events: 7 days, the default), so the server's database does not grow forever.
SERVER_SETTINGS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED": "events,flow_runs",
    "PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD": str(30 * 24 * 3600),
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(api_url: str) -> bool:
    """Does a Prefect server answer its health check at `api_url` (e.g. http://127.0.0.1:4200/api)?"""
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=2) as resp:
            return resp.status == 200 and json.loads(resp.read() or b"null") is True
    except (urllib.error.URLError, OSError, ValueError):
        return False


class NoServer(RuntimeError):
    """No Prefect server answers, and none may be started here (the address is not local)."""


def ensure_server(api_url: str | None, say=print) -> LocalPrefectServer | None:
    """Point this process at a Prefect server for as long as it runs: the one answering at
    api_url (default http://127.0.0.1:4200/api), or else a local one started on its port,
    with its database in PREFECT_HOME. Returns the started server (to stop), or None.
    Call before Prefect is imported: it reads PREFECT_* from the environment this sets."""
    api_url = api_url or "http://127.0.0.1:4200/api"
    if healthy(api_url):
        os.environ["PREFECT_API_URL"] = api_url
        return None
    url = urlparse(api_url)
    if url.hostname not in ("127.0.0.1", "localhost"):
        raise NoServer(f"no Prefect server answers at {api_url}, and it is not local")
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    say(f"starting a Prefect server on 127.0.0.1:{url.port or 4200} "
        f"(database in {home}, log {home / 'server.log'})...")
    server = LocalPrefectServer(home, port=url.port or 4200, inherit_env=True, die_with_parent=True).start()
    os.environ["PREFECT_API_URL"] = server.api_url
    os.environ.update(SERVER_SETTINGS)
    say(f"Prefect UI at {server.url}")
    return server


def prefect_command() -> list[str]:
    exe = Path(sys.executable).with_name("prefect")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "prefect"]


def clean_env(home: Path, api_url: str | None = None) -> dict[str, str]:
    """The environment for a process of this server's world: no PREFECT_* leaks from ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(home)
    env.update(SERVER_SETTINGS)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


class LocalPrefectServer:
    """`with LocalPrefectServer(tmp) as server: ... server.api_url ...`"""

    def __init__(self, home: Path, port: int | None = None, startup_timeout: float = 120.0,
                 quiet: bool = True, inherit_env: bool = False, die_with_parent: bool = False):
        self.home = Path(home)
        # Killed with this process even on SIGKILL (start() must then run in the main thread).
        self.die_with_parent = die_with_parent
        self.inherit_env = inherit_env  # keep our PREFECT_* (a user's database URL), else a clean world
        self.port = port or free_port()
        self.quiet = quiet
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None
        self.log_path = self.home / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api"

    def env(self) -> dict[str, str]:
        """Environment for a client process (presswatch serve, a test) talking to this server."""
        return clean_env(self.home, self.api_url)

    def start(self) -> "LocalPrefectServer":
        self.home.mkdir(parents=True, exist_ok=True)
        if self.inherit_env:
            env = {**SERVER_SETTINGS, **os.environ, "PREFECT_HOME": str(self.home)}
        else:
            env = clean_env(self.home)
        if self.quiet:
            env["PREFECT_SERVER_LOGGING_LEVEL"] = "WARNING"
        # The UI asks the API at this address (it would assume port 4200 otherwise).
        env["PREFECT_UI_API_URL"] = self.api_url
        env["PREFECT_API_URL"] = self.api_url
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            prefect_command() + ["server", "start", "--host", "127.0.0.1", "--port", str(self.port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=die_with_this_process() if self.die_with_parent else None)
        log.close()
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"prefect server exited with {self.proc.returncode}: {self.tail()}")
            if self.healthy():
                return self
            time.sleep(0.3)
        self.stop()
        raise TimeoutError(f"prefect server not healthy after {self.startup_timeout:.0f} s: {self.tail()}")

    def healthy(self) -> bool:
        return healthy(self.api_url)

    def tail(self, n: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def __enter__(self) -> "LocalPrefectServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_temporary_server() -> bool:
    """Start, from the main thread, the temporary server Prefect would start on first use
    (no PREFECT_API_URL), in a session of its own and dying with this process.

    Prefect starts it in our process group: a Ctrl-C stopped it before the flow run could
    report its end, and the client then retried for minutes. Prefect's own code finds this
    instance (one per port, None: any) and stops it at exit, after the flow run ended."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if settings.api.url or not settings.server.ephemeral.enabled:
        return False  # a real server, or Prefect will refuse to start one anyway

    class _OwnSessionServer(SubprocessASGIServer):
        def _run_uvicorn_command(self) -> subprocess.Popen:
            import prefect
            from prefect.settings import get_current_settings

            # Prefect 3.8.8's command (pinned), started in its own session.
            return subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
                 "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                 "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
                # no telemetry (`presswatch run` outside make sent it); the user's settings win
                env={"PREFECT_SERVER_ANALYTICS_ENABLED": "false", **os.environ,
                     "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
                     "PREFECT__SERVER_FINAL": "1",
                     **get_current_settings().to_environment_variables(exclude_unset=True)},
                start_new_session=True, preexec_fn=die_with_this_process())

    # A first run migrates a fresh server database while the NLP workers warm up on the same
    # cores: Prefect's 20 s default timed out on 2 busy cores, so allow 120 s unless the user set one.
    configured = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS")
    _OwnSessionServer().start(timeout=None if configured else 120)
    return True
