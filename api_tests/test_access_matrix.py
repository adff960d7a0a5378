"""Every endpoint of the OpenAPI document × every role: who may, who is refused, how.

The matrix must list each operation the service offers; a new endpoint without a row here
fails `test_every_operation_is_in_the_matrix`.
"""

from __future__ import annotations

from typing import Any

import pytest

from api_tests.conftest import Api, enquiry, tracing_request
from api_tests.test_matching import child_request, mother_enquiry

ROLES = ("officer", "partner", "reviewer", "admin")


def _everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def _only(status: int, *roles: str) -> dict[str, int]:
    return {role: status if role in roles else 403 for role in ROLES}


# (method, path, body factory, expected status per role for a caller in the owning org)
MATRIX: list[tuple[str, str, Any, dict[str, int]]] = [
    (
        "POST",
        "/api/v1/tracing-requests",
        lambda: tracing_request("NEW"),
        _only(201, "officer", "partner"),
    ),
    ("GET", "/api/v1/tracing-requests", None, _only(200, "officer", "partner", "reviewer")),
    ("GET", "/api/v1/tracing-requests/{tr}", None, _only(200, "officer", "partner", "reviewer")),
    (
        "PUT",
        "/api/v1/tracing-requests/{tr}",
        lambda: child_request("TR-1"),
        _only(200, "officer", "partner"),
    ),
    ("DELETE", "/api/v1/tracing-requests/{tr}", None, _only(204, "officer", "partner", "admin")),
    (
        "GET",
        "/api/v1/tracing-requests/{tr}/matches",
        None,
        _only(200, "officer", "partner", "reviewer"),
    ),
    ("POST", "/api/v1/enquiries", lambda: enquiry("NEW"), _only(201, "officer", "partner")),
    ("GET", "/api/v1/enquiries", None, _only(200, "officer", "partner", "reviewer")),
    ("GET", "/api/v1/enquiries/{en}", None, _only(200, "officer", "partner", "reviewer")),
    (
        "PUT",
        "/api/v1/enquiries/{en}",
        lambda: mother_enquiry("EN-1"),
        _only(200, "officer", "partner"),
    ),
    ("DELETE", "/api/v1/enquiries/{en}", None, _only(204, "officer", "partner", "admin")),
    ("GET", "/api/v1/enquiries/{en}/matches", None, _only(200, "officer", "partner", "reviewer")),
    ("GET", "/api/v1/matches", None, _only(200, "reviewer")),
    ("GET", "/api/v1/matches/{match}", None, _only(200, "reviewer")),
    (
        "POST",
        "/api/v1/matches/{match}/decisions",
        lambda: {"decision": "confirm"},
        _only(200, "reviewer"),
    ),
    (
        "POST",
        "/api/v1/search",
        lambda: {"person": {"full_name": "Youssef Al-Ahmad"}},
        _only(200, "officer", "reviewer"),
    ),
    (
        "POST",
        "/api/v1/imports",
        lambda: {"records": [{"kind": "enquiry", **enquiry("IMP")}]},
        _only(202, "officer", "partner"),
    ),
    ("GET", "/api/v1/imports/{import}", None, _only(200, "officer", "partner")),
    ("GET", "/api/v1/exports/pfif", None, _only(200, "officer", "partner")),
    ("GET", "/api/v1/exports/csv", None, _only(200, "officer", "partner")),
    ("POST", "/api/v1/names/compare", lambda: {"a": "Amina", "b": "Amina"}, _everyone(200)),
    ("GET", "/api/v1/audit", None, _only(200, "admin")),
    ("GET", "/api/v1/webhooks", None, _only(200, "admin")),
    ("POST", "/api/v1/webhooks", lambda: None, _only(422, "admin")),
    ("DELETE", "/api/v1/webhooks/{webhook}", None, _only(204, "admin")),
    ("GET", "/api/v1/webhooks/{webhook}/deliveries", None, _only(200, "admin")),
]
OPEN_ENDPOINTS = [("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics")]


@pytest.fixture
def world(api: Api) -> dict[str, str]:
    """Org A holds a tracing request and an enquiry that match each other, and an import."""
    officer = api.headers("officer", org="Org A")
    enquiry_id = api.client.post(
        "/api/v1/enquiries", json=mother_enquiry("EN-1"), headers=officer
    ).json()["id"]
    record = api.client.post(
        "/api/v1/tracing-requests", json=child_request("TR-1"), headers=officer
    ).json()
    job = api.client.post(
        "/api/v1/imports",
        json={"records": [{"kind": "enquiry", **enquiry("IMP-0")}]},
        headers=officer,
    ).json()
    hook = api.client.post(
        "/api/v1/webhooks",
        json={
            "organisation_id": api.organisation_id("Org A"),
            "url": "https://a.test/hook",
            "events": ["match.likely"],
        },
        headers=api.headers("admin", org="Org A"),
    ).json()
    return {
        "tr": record["id"],
        "en": enquiry_id,
        "match": record["candidates"][0]["id"],
        "import": job["id"],
        "webhook": hook["id"],
    }


CASES = [
    pytest.param(method, path, body, role, status, id=f"{method} {path} as {role}")
    for method, path, body, expected in MATRIX
    for role, status in expected.items()
]


@pytest.mark.parametrize(("method", "path", "body", "role", "status"), CASES)
def test_role_matrix(
    api: Api, world: dict[str, str], method: str, path: str, body: Any, role: str, status: int
) -> None:
    response = api.client.request(
        method,
        path.format(**world),
        json=body() if body else None,
        headers=api.headers(role, org="Org A"),
    )
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [pytest.param(m, p, b, id=f"{m} {p}") for m, p, b, _ in MATRIX],
)
def test_every_api_operation_needs_a_key(
    api: Api, world: dict[str, str], method: str, path: str, body: Any
) -> None:
    response = api.client.request(method, path.format(**world), json=body() if body else None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path"), OPEN_ENDPOINTS)
def test_operations_endpoints_answer_anyone(api: Api, method: str, path: str) -> None:
    assert api.client.request(method, path).status_code == 200


def test_every_operation_is_in_the_matrix(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    offered = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    placeholders = {
        "{tr}": "{id}",
        "{en}": "{id}",
        "{match}": "{id}",
        "{import}": "{id}",
        "{webhook}": "{id}",
    }

    def normalised(path: str) -> str:
        for placeholder, name in placeholders.items():
            path = path.replace(placeholder, name)
        return path

    covered = {(m, normalised(p)) for m, p, _, _ in MATRIX} | set(OPEN_ENDPOINTS)
    assert offered - covered == set()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/tracing-requests/{tr}"),
        ("GET", "/api/v1/enquiries/{en}/matches"),
        ("GET", "/api/v1/imports/{import}"),
    ],
)
@pytest.mark.parametrize("role", ["officer", "partner"])
def test_another_organisation_gets_404_for_what_it_does_not_hold(
    api: Api, world: dict[str, str], method: str, path: str, role: str
) -> None:
    response = api.client.request(
        method, path.format(**world), headers=api.headers(role, org="Org B")
    )
    assert response.status_code == 404
