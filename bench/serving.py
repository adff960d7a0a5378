"""A real `ftr serve` for benchmarks that need one they can load, kill and restart.

The server runs in its own process group, so `kill()` takes down uvicorn's supervisor and
its worker processes at once, as a crashed or OOM-killed container would; `start()` again
brings it back on the same port and the same database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

FTR = Path(sys.executable).with_name("ftr")
ROLES = ("officer", "partner", "reviewer")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def fresh_postgres_database(base_url: str, purpose: str) -> Iterator[str]:
    """A new database beside the one `base_url` names (`<name>_<purpose>_<pid>`), dropped after."""
    import psycopg

    name = f"{base_url.rsplit('/', 1)[1]}_{purpose}_{os.getpid()}"
    with psycopg.connect(base_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(base_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    """`ftr serve --workers N` on a fresh data folder; keys for each role of one organisation."""

    def __init__(
        self,
        *,
        database_url: str | None,
        workers: int = 2,
        data_dir: Path | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="ftr-bench-"))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("FTR_")}
        self.env |= {"FTR_DATA_DIR": str(self.data_dir), "FTR_LOG_LEVEL": "WARNING"}
        if database_url:
            self.env["FTR_DATABASE_URL"] = database_url
        self.env |= extra_env or {}
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.keys: dict[str, str] = {}
        self.process: subprocess.Popen[bytes] | None = None

    def ftr(self, *args: str) -> str:
        done = subprocess.run(
            [str(FTR), *args], env=self.env, check=True, capture_output=True, text=True
        )
        return done.stdout

    def prepare(self, organisation: str = "Bench Agency") -> None:
        """Migrate (once, before several workers start) and issue one key per role."""
        self.ftr("migrate")
        self.ftr("orgs", "create", organisation)
        for role in ROLES:
            printed = self.ftr("keys", "create", "--org", organisation, "--role", role)
            self.keys[role] = printed.strip().splitlines()[-1]

    def start(self, *, wait: bool = True) -> None:
        log = (self.data_dir / "server.log").open("ab")
        command = [str(FTR), "serve", "--port", str(self.port), "--workers", str(self.workers)]
        self.process = subprocess.Popen(
            command, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        log.close()
        if wait:
            self.wait_ready()

    def wait_ready(self, timeout: float = 120) -> float:
        """Seconds until /readyz answers 200."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            if self.process is not None and self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"the server did not become ready; see {self.data_dir}/server.log")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no shutdown handler runs."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}
