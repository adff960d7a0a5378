"""`ftr serve --demo` as a newcomer runs it (what `make run` does), against a real uvicorn."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from api_tests import servers


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    with servers.demo_server(tmp_path_factory.mktemp("demo-data")) as running:
        yield running


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
