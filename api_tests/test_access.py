"""Who may do what: keys, roles and organisations."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from api_tests.conftest import Api, enquiry, tracing_request
from service import store

TR = "/api/v1/tracing-requests"
EN = "/api/v1/enquiries"


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Bearer ftr_not-a-real-key", "Basic dXNlcjpwYXNz", "ftr_x"],
)
def test_a_missing_or_wrong_key_is_401_with_a_bearer_challenge(
    api: Api, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = api.client.post(TR, json=tracing_request(), headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"] == "application/problem+json"


def test_a_revoked_key_stops_working_at_once(api: Api) -> None:
    headers = api.headers("officer")
    assert api.client.get(TR, headers=headers).status_code == 200
    key_id = api.rows("SELECT id FROM api_key")[0][0]
    with Session(api.engine) as session:
        store.revoke_api_key(session, key_id=key_id)
    assert api.client.get(TR, headers=headers).status_code == 401


# (method, path template, body, {role: expected status}); "{id}" is a record of Org A.
MATRIX = [
    (
        "POST",
        TR,
        tracing_request("M-1"),
        {"officer": 201, "partner": 201, "reviewer": 403, "admin": 403},
    ),
    ("POST", EN, enquiry("M-2"), {"officer": 201, "partner": 201, "reviewer": 403, "admin": 403}),
    ("GET", TR, None, {"officer": 200, "partner": 200, "reviewer": 200, "admin": 403}),
    ("GET", EN, None, {"officer": 200, "partner": 200, "reviewer": 200, "admin": 403}),
    ("GET", TR + "/{id}", None, {"officer": 200, "partner": 200, "reviewer": 200, "admin": 403}),
    (
        "PUT",
        TR + "/{id}",
        tracing_request("TR-1"),
        {"officer": 200, "partner": 200, "reviewer": 403, "admin": 403},
    ),
    ("DELETE", TR + "/{id}", None, {"officer": 204, "partner": 204, "reviewer": 403, "admin": 204}),
    ("GET", "/api/v1/audit", None, {"officer": 403, "partner": 403, "reviewer": 403, "admin": 200}),
]
CASES = [
    pytest.param(method, path, body, role, status, id=f"{method} {path} as {role}")
    for method, path, body, expected in MATRIX
    for role, status in expected.items()
]


@pytest.mark.parametrize(("method", "path", "body", "role", "status"), CASES)
def test_role_endpoint_matrix_within_the_owning_organisation(
    api: Api, method: str, path: str, body: dict[str, object] | None, role: str, status: int
) -> None:
    owner = api.headers("officer", org="Org A")
    record = api.client.post(TR, json=tracing_request("TR-1"), headers=owner).json()
    response = api.client.request(
        method, path.format(id=record["id"]), json=body, headers=api.headers(role, org="Org A")
    )
    assert response.status_code == status, response.text


@pytest.mark.parametrize(
    ("method", "body"),
    [("GET", None), ("PUT", tracing_request("TR-1")), ("DELETE", None)],
)
@pytest.mark.parametrize("role", ["officer", "partner"])
def test_another_organisations_record_is_404_exactly_like_a_missing_one(
    api: Api, method: str, body: dict[str, object] | None, role: str
) -> None:
    record = api.client.post(
        TR, json=tracing_request("TR-1"), headers=api.headers("officer")
    ).json()
    outsider = api.headers(role, org="Org B")
    theirs = api.client.request(method, f"{TR}/{record['id']}", json=body, headers=outsider)
    missing = api.client.request(
        method, f"{TR}/00000000-0000-0000-0000-000000000000", json=body, headers=outsider
    )
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["detail"] == missing.json()["detail"]
    assert api.rows("SELECT count(*) FROM person")[0][0] > 0  # nothing was erased


def test_lists_show_only_the_callers_organisation(api: Api) -> None:
    api.client.post(TR, json=tracing_request("A-1"), headers=api.headers("officer", org="Org A"))
    api.client.post(TR, json=tracing_request("B-1"), headers=api.headers("partner", org="Org B"))
    mine = api.client.get(TR, headers=api.headers("partner", org="Org B")).json()["items"]
    assert [r["external_id"] for r in mine] == ["B-1"]
    # An organisation filter cannot widen what a partner sees.
    widened = api.client.get(
        TR,
        params={"organisation_id": api.organisation_id("Org A")},
        headers=api.headers("partner", org="Org B"),
    ).json()["items"]
    assert [r["external_id"] for r in widened] == ["B-1"]


def test_a_reviewer_lists_every_organisation_and_can_filter_one(api: Api) -> None:
    api.client.post(TR, json=tracing_request("A-1"), headers=api.headers("officer", org="Org A"))
    api.client.post(TR, json=tracing_request("B-1"), headers=api.headers("partner", org="Org B"))
    reviewer = api.headers("reviewer", org="Agency")
    everything = api.client.get(TR, headers=reviewer).json()["items"]
    assert sorted(r["external_id"] for r in everything) == ["A-1", "B-1"]
    only_b = api.client.get(
        TR, params={"organisation_id": api.organisation_id("Org B")}, headers=reviewer
    ).json()["items"]
    assert [r["external_id"] for r in only_b] == ["B-1"]


def test_a_reviewer_cannot_change_another_organisations_record(api: Api) -> None:
    record = api.client.post(TR, json=tracing_request(), headers=api.headers("officer")).json()
    reviewer = api.headers("reviewer", org="Agency")
    response = api.client.put(f"{TR}/{record['id']}", json=tracing_request(), headers=reviewer)
    assert response.status_code == 403
