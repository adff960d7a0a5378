"""`ftr serve --demo` as a newcomer runs it (what `make run` does), against a real uvicorn."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

FTR = Path(sys.executable).with_name("ftr")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    port = _free_port()
    data_dir = tmp_path_factory.mktemp("demo-data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FTR_")}
    env["FTR_DATA_DIR"] = str(data_dir)
    log = (data_dir / "server.log").open("w+")
    server = subprocess.Popen(
        [str(FTR), "serve", "--demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    lines: list[str] = []
    try:
        assert server.stdout is not None
        for line in server.stdout:
            lines.append(line)
            if line.startswith("API docs:"):
                break
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            pytest.fail("the demo server did not become ready")
        keys: dict[str, str] = {}
        role = None
        for line in lines:
            found = re.match(r"^  (\w+)\s", line)
            if found:
                role = found.group(1)
            elif line.strip().startswith("ftr_") and role:
                keys[role] = line.strip()
        yield base, keys
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def test_the_demo_start_prints_one_key_per_role_and_the_docs_address(
    demo_server: tuple[str, dict[str, str]],
) -> None:
    _, keys = demo_server
    assert set(keys) == {"admin", "reviewer", "officer", "partner"}


def test_the_demo_officer_sees_demo_records_in_several_scripts(
    demo_server: tuple[str, dict[str, str]],
) -> None:
    base, keys = demo_server
    headers = {"Authorization": f"Bearer {keys['officer']}"}
    page = httpx.get(
        f"{base}/api/v1/tracing-requests", params={"limit": 1000}, headers=headers, timeout=30
    ).json()
    names = " ".join(item["subject"]["full_name"] for item in page["items"])
    assert len(page["items"]) > 20
    assert re.search("[\u0600-\u06ff]", names)  # Arabic script
    assert re.search("[\u0400-\u04ff]", names) or re.search("[\u1200-\u137f]", names)


def test_a_registration_through_the_real_server_is_read_back(
    demo_server: tuple[str, dict[str, str]],
) -> None:
    base, keys = demo_server
    headers = {"Authorization": f"Bearer {keys['partner']}"}
    body = {
        "external_id": "E2E-1",
        "consent": {"tracing": True, "given_by": "parent"},
        "sought": [{"full_name": "Олександр Коваленко", "sex": "male", "age": 9}],
    }
    created = httpx.post(f"{base}/api/v1/enquiries", json=body, headers=headers, timeout=30)
    assert created.status_code == 201, created.text
    read = httpx.get(f"{base}/api/v1/enquiries/{created.json()['id']}", headers=headers, timeout=30)
    assert read.json()["sought"][0]["full_name"] == "Олександр Коваленко"
    assert httpx.get(f"{base}/docs", timeout=30).status_code == 200
