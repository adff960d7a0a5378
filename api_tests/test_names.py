"""POST /api/v1/names/compare: the name matcher's verdict over HTTP."""

from __future__ import annotations

import pytest

from api_tests.conftest import Api

URL = "/api/v1/names/compare"


@pytest.mark.parametrize("role", ["officer", "partner", "reviewer", "admin"])
def test_any_role_may_compare_names(api: Api, role: str) -> None:
    response = api.client.post(URL, json={"a": "Amina", "b": "Amina"}, headers=api.headers(role))
    assert response.status_code == 200, response.text
    verdict = response.json()
    assert verdict["match"] is True
    assert 0.0 <= verdict["score"] <= 1.0
    assert verdict["explanation"]


def test_comparing_names_needs_a_key(api: Api) -> None:
    assert api.client.post(URL, json={"a": "Amina", "b": "Amina"}).status_code == 401


def test_the_same_name_across_scripts_matches_and_the_explanation_names_the_forms(
    api: Api,
) -> None:
    verdict = api.client.post(
        URL, json={"a": "محمد عبدالله", "b": "Mohamed Abdalla"}, headers=api.headers("officer")
    ).json()
    assert verdict["match"] is True
    assert verdict["score"] >= verdict["threshold"]
    assert len(verdict["forms"]) == 2


def test_different_names_that_look_alike_stay_apart(api: Api) -> None:
    verdict = api.client.post(
        URL, json={"a": "Hassan", "b": "Hussein"}, headers=api.headers("officer")
    ).json()
    assert verdict["match"] is False


def test_pairs_come_back_in_the_order_sent(api: Api) -> None:
    pairs = [
        {"a": "Олександр", "b": "Oleksandr"},
        {"a": "Amina", "b": "Amira"},
        {"a": "ዮናስ", "b": "Yonas"},
    ]
    results = api.client.post(URL, json={"pairs": pairs}, headers=api.headers("officer")).json()
    assert [r["match"] for r in results["results"]] == [True, False, True]


def test_a_thousand_pairs_are_accepted(api: Api) -> None:
    pairs = [{"a": f"Name{n}", "b": f"Name{n}"} for n in range(1000)]
    response = api.client.post(URL, json={"pairs": pairs}, headers=api.headers("officer"))
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1000


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"a": "", "b": "Amina"}, "a"),
        ({"a": "Amina"}, "body"),
        ({}, "body"),
        ({"a": "a" + "\u0301" * 10_000, "b": "Amina"}, "a"),
        ({"a": "Amina\x00", "b": "Amina"}, "a"),
        ({"a": "Amina \u202e", "b": "Amina"}, "a"),
        ({"a": "Amina", "b": "Amina", "pairs": []}, "body"),
        ({"pairs": [{"a": "Amina"}]}, "pairs.0.b"),
        ({"pairs": [{"a": "x", "b": "y"}] * 1001}, "pairs"),
        ({"a": 7, "b": "Amina"}, "a"),
    ],
    ids=[
        "empty",
        "only a",
        "nothing",
        "10,000 combining marks",
        "NUL",
        "bidi override",
        "both shapes",
        "pair without b",
        "1,001 pairs",
        "a number",
    ],
)
def test_bad_comparisons_are_422_naming_the_field(
    api: Api, body: dict[str, object], field: str
) -> None:
    response = api.client.post(URL, json=body, headers=api.headers("officer"))
    assert response.status_code == 422, response.text
    assert field in [error["field"] for error in response.json()["errors"]]
