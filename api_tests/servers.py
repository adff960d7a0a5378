"""Real `ftr serve` processes for end-to-end, browser and command-line tests."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

FTR = Path(sys.executable).with_name("ftr")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def clean_environment(data_dir: Path) -> dict[str, str]:
    """This process's environment without any FTR_ setting, with its own data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FTR_")}
    env["FTR_DATA_DIR"] = str(data_dir)
    return env


def wait_until_ready(base_url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"the server at {base_url} did not become ready")


def printed_keys(lines: list[str]) -> dict[str, str]:
    """The development keys `ftr serve --demo` printed: a role line, then the key."""
    keys: dict[str, str] = {}
    role = None
    for line in lines:
        found = re.match(r"^  (\w+)\s", line)
        if found:
            role = found.group(1)
        elif line.strip().startswith("ftr_") and role:
            keys[role] = line.strip()
    return keys


@contextmanager
def serving(
    env: dict[str, str], data_dir: Path, *, demo: bool = False
) -> Iterator[tuple[str, dict[str, str]]]:
    """`ftr serve` on a free port until the block ends; yields its address and, with the
    demo, the development keys it printed."""
    port = free_port()
    command = [str(FTR), "serve", "--port", str(port)] + (["--demo"] if demo else [])
    log = (data_dir / "server.log").open("w+")
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE if demo else log, stderr=log, text=True, env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        lines: list[str] = []
        if demo:
            assert process.stdout is not None
            for line in process.stdout:
                lines.append(line)
                if line.startswith("API docs:"):
                    break
        wait_until_ready(base)
        yield base, printed_keys(lines)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@contextmanager
def demo_server(data_dir: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """What `make run` starts, on a free port: `ftr serve --demo`."""
    with serving(clean_environment(data_dir), data_dir, demo=True) as running:
        yield running
