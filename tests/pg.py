"""A real PostgreSQL for the tests: Debian's binaries, `initdb` into a temp dir, a loopback port,
torn down by its PID. Skips (with the reason) where the binaries are absent; `.ci/run` installs them.

Use the `postgres` fixture (session-wide; import it in a conftest or a test module) and
`Postgres.database(name)` for a fresh database per test.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN_DIRS = [Path(os.environ["PRESSWATCH_TEST_PG_BIN"])] if os.environ.get("PRESSWATCH_TEST_PG_BIN") else []
BIN_DIRS += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)  # newest first


def pg_bin() -> Path | None:
    """The folder holding initdb and postgres, or None."""
    for folder in BIN_DIRS:
        if (folder / "initdb").is_file() and (folder / "postgres").is_file():
            return folder
    return None


def _run_as() -> str | None:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` user (Debian's)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no `postgres` user to run PostgreSQL as")
    return "postgres"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Postgres:
    bin: Path
    datadir: Path
    port: int
    proc: subprocess.Popen
    user: str = "presswatch"

    def libpq(self, dbname: str = "postgres") -> str:
        """A libpq connection string (DuckLake's postgres: catalog)."""
        return f"dbname={dbname} host=127.0.0.1 port={self.port} user={self.user}"

    def sqlalchemy(self, dbname: str) -> str:
        """An asyncpg URL (Prefect's PREFECT_API_DATABASE_CONNECTION_URL)."""
        return f"postgresql+asyncpg://{self.user}@127.0.0.1:{self.port}/{dbname}"

    def database(self, name: str) -> str:
        """Create a database `name` (fresh); returns its name."""
        subprocess.run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, name],
                       check=True, capture_output=True, text=True, timeout=60)
        return name

    def stop(self) -> None:
        # SIGINT is PostgreSQL's "fast shutdown": it ends the sessions and exits cleanly.
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def start_postgres(root: Path) -> Postgres:
    """initdb into root/data (trust auth for the one local user) and start on a loopback port."""
    folder = pg_bin()
    if folder is None:
        pytest.skip("PostgreSQL binaries not found (/usr/lib/postgresql/*/bin): apt-get install postgresql "
                    "(.ci/run does), or set PRESSWATCH_TEST_PG_BIN")
    user = _run_as()
    if user:
        shutil.chown(root, user)
    data = root / "data"
    subprocess.run([str(folder / "initdb"), "-D", str(data), "-U", "presswatch", "-A", "trust", "-E", "UTF8",
                    "--no-sync"], check=True, capture_output=True, text=True, timeout=120, user=user)
    # The socket in our own temp dir (not /var/run/postgresql, which may not be ours).
    port = _free_port()
    proc = subprocess.Popen(
        [str(folder / "postgres"), "-D", str(data), "-p", str(port), "-c", "listen_addresses=127.0.0.1",
         "-c", f"unix_socket_directories={root}", "-c", "fsync=off", "-c", "max_connections=200"],
        stdout=subprocess.DEVNULL, stderr=open(root / "postgres.log", "w"), start_new_session=True, user=user)
    deadline = time.monotonic() + 60
    while True:
        ready = subprocess.run([str(folder / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                               capture_output=True, timeout=30)
        if ready.returncode == 0:
            return Postgres(folder, data, port, proc)
        if proc.poll() is not None or time.monotonic() > deadline:
            log = (root / "postgres.log").read_text()[-2000:]
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            raise RuntimeError(f"PostgreSQL did not start on 127.0.0.1:{port}:\n{log}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def postgres():
    root = Path(tempfile.mkdtemp(prefix="presswatch-pg-"))
    server = start_postgres(root)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
