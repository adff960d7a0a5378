"""What bad input gets: a clear 4xx problem document naming each bad field, nothing stored."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from api_tests.conftest import Api, enquiry, tracing_request

TR = "/api/v1/tracing-requests"
EN = "/api/v1/enquiries"

Body = dict[str, Any]


def _parent(body: Body, path: str) -> tuple[Any, str]:
    *parents, last = path.split(".")
    target: Any = body
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    return target, last


def _set(path: str, value: Any) -> Callable[[Body], None]:
    def mutate(body: Body) -> None:
        target, last = _parent(body, path)
        target[last] = value

    return mutate


def _drop(path: str) -> Callable[[Body], None]:
    def mutate(body: Body) -> None:
        target, last = _parent(body, path)
        del target[last]

    return mutate


# (what is wrong, endpoint, how to break a good body, expected status, expected field)
BAD_INPUTS: list[tuple[str, str, Callable[[Body], None], int, str]] = [
    ("no full name", TR, _drop("subject.full_name"), 422, "subject.full_name"),
    ("empty full name", TR, _set("subject.full_name", "   "), 422, "subject.full_name"),
    ("name of 201 characters", TR, _set("subject.full_name", "a" * 201), 422, "subject.full_name"),
    (
        "10,000 combining marks",
        TR,
        _set("subject.full_name", "a" + "\u0301" * 10_000),
        422,
        "subject.full_name",
    ),
    (
        "control character in a name",
        TR,
        _set("subject.full_name", "Amina\x07 Noor"),
        422,
        "subject.full_name",
    ),
    ("NUL in a name", TR, _set("subject.full_name", "Amina\x00"), 422, "subject.full_name"),
    (
        "bidirectional override in a name",
        TR,
        _set("subject.full_name", "Amina \u202eroon"),
        422,
        "subject.full_name",
    ),
    (
        "lone surrogate in a name",
        TR,
        _set("subject.full_name", "Amina \ud800"),
        422,
        "subject.full_name",
    ),
    ("name that is a number", TR, _set("subject.full_name", 42), 422, "subject.full_name"),
    ("unknown sex", TR, _set("subject.sex", "boy"), 422, "subject.sex"),
    (
        "date of birth in the future",
        TR,
        _set("subject.date_of_birth", "2999"),
        422,
        "subject.date_of_birth",
    ),
    ("30 February", TR, _set("subject.date_of_birth", "2015-02-30"), 422, "subject.date_of_birth"),
    ("month 13", TR, _set("subject.date_of_birth", "2015-13"), 422, "subject.date_of_birth"),
    (
        "date written day first",
        TR,
        _set("subject.date_of_birth", "03/02/2015"),
        422,
        "subject.date_of_birth",
    ),
    ("negative age", TR, _set("subject.age", -1), 422, "subject.age"),
    ("age 200", TR, _set("subject.age", 200), 422, "subject.age"),
    ("age range upside down", TR, _set("subject.age", "10-8"), 422, "subject.age"),
    ("age in words", TR, _set("subject.age", "about nine"), 422, "subject.age"),
    ("age as a boolean", TR, _set("subject.age", True), 422, "subject.age"),
    ("age_as_of without an age", TR, _drop("subject.age"), 422, "subject"),
    ("age_as_of not a full date", TR, _set("subject.age_as_of", "2025"), 422, "subject.age_as_of"),
    (
        "country not ISO 3166",
        TR,
        _set("subject.place_of_origin.country", "Syria"),
        422,
        "subject.place_of_origin.country",
    ),
    (
        "country code that does not exist",
        TR,
        _set("subject.place_of_origin.country", "XX"),
        422,
        "subject.place_of_origin.country",
    ),
    (
        "language with two letters",
        TR,
        _set("subject.languages", ["ar"]),
        422,
        "subject.languages.0",
    ),
    (
        "language code that does not exist",
        TR,
        _set("subject.languages", ["zzq"]),
        422,
        "subject.languages.0",
    ),
    ("misspelt field", TR, _set("subject.date_of_brith", "2015"), 422, "subject.date_of_brith"),
    (
        "unknown relationship",
        TR,
        _set("relatives.0.relationship", "neighbour"),
        422,
        "relatives.0.relationship",
    ),
    (
        "relative without relationship",
        TR,
        _drop("relatives.0.relationship"),
        422,
        "relatives.0.relationship",
    ),
    (
        "21 relatives",
        TR,
        _set("relatives", [{"full_name": "R", "relationship": "cousin"}] * 21),
        422,
        "relatives",
    ),
    ("no consent", TR, _drop("consent"), 422, "consent"),
    ("consent without tracing", TR, _drop("consent.tracing"), 422, "consent.tracing"),
    (
        "consent given by a stranger",
        TR,
        _set("consent.given_by", "neighbour"),
        422,
        "consent.given_by",
    ),
    ("no external id", TR, _drop("external_id"), 422, "external_id"),
    ("status matched set by a client", TR, _set("status", "matched"), 422, "status"),
    ("separation date garbled", TR, _set("separation.date", "last spring"), 422, "separation.date"),
    ("no sought child", EN, _set("sought", []), 422, "sought"),
    ("11 sought children", EN, _set("sought", [{"full_name": "Child"}] * 11), 422, "sought"),
    (
        "enquirer email garbled",
        EN,
        _set("enquirer.contact.email", "not-an-email"),
        422,
        "enquirer.contact.email",
    ),
    (
        "enquirer phone with letters",
        EN,
        _set("enquirer.contact.phone", "call me"),
        422,
        "enquirer.contact.phone",
    ),
    ("enquiry body sent as a tracing request", TR, _drop("subject"), 422, "subject"),
]


@pytest.mark.parametrize(
    ("endpoint", "mutate", "status", "field"),
    [pytest.param(e, m, s, f, id=what) for what, e, m, s, f in BAD_INPUTS],
)
def test_bad_input_gets_a_problem_naming_the_field_and_stores_nothing(
    api: Api, endpoint: str, mutate: Callable[[Body], None], status: int, field: str
) -> None:
    body = copy.deepcopy(tracing_request() if endpoint == TR else enquiry())
    mutate(body)
    # Sent as ASCII JSON so that a lone surrogate travels as the escape "\\ud800", as a
    # partner's JSON library would send it.
    response = api.client.post(
        endpoint,
        content=json.dumps(body),
        headers={**api.headers("officer"), "Content-Type": "application/json"},
    )
    assert response.status_code == status, response.text
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["status"] == status
    assert field in [error["field"] for error in problem["errors"]], problem
    assert api.rows("SELECT count(*) FROM record")[0][0] == 0


def test_every_bad_field_is_named_at_once(api: Api) -> None:
    body = tracing_request()
    body["subject"]["sex"] = "boy"
    body["subject"]["date_of_birth"] = "2999"
    body["consent"]["given_by"] = "someone"
    response = api.client.post(TR, json=body, headers=api.headers("officer"))
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"subject.sex", "subject.date_of_birth", "consent.given_by"} <= fields


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b"{", 400),
        (b"not json at all", 400),
        (b"\xff\xfe\xfa", 400),
        (b"[" * 100_000 + b"]" * 100_000, 400),
        (b"[]", 422),
        (b"null", 422),
        (b'"a string"', 422),
        (b'{"external_id": 1e999999}', 422),
    ],
    ids=[
        "truncated",
        "not json",
        "invalid utf-8",
        "depth bomb",
        "array",
        "null",
        "string",
        "huge number",
    ],
)
def test_malformed_bodies_are_4xx_problems(api: Api, content: bytes, status: int) -> None:
    response = api.client.post(
        TR,
        content=content,
        headers={**api.headers("officer"), "Content-Type": "application/json"},
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_a_body_over_the_size_limit_is_413(api: Api) -> None:
    body = tracing_request()
    body["subject"]["distinguishing_marks"] = "x" * 1_100_000
    response = api.client.post(TR, json=body, headers=api.headers("officer"))
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_names_are_stored_in_nfc_as_written(api: Api) -> None:
    body = tracing_request()
    body["subject"]["full_name"] = "Nguye\u0302\u0303n Va\u0306n An"  # decomposed
    created = api.client.post(TR, json=body, headers=api.headers("officer"))
    assert created.json()["subject"]["full_name"] == "Nguyễn Văn An"


def test_zero_width_non_joiner_in_a_persian_name_is_kept(api: Api) -> None:
    body = tracing_request()
    body["subject"]["full_name"] = "مهر\u200cانگیز"
    created = api.client.post(TR, json=body, headers=api.headers("officer"))
    assert created.status_code == 201
    assert created.json()["subject"]["full_name"] == "مهر\u200cانگیز"


def test_01_01_birth_dates_and_age_ranges_are_accepted(api: Api) -> None:
    body = tracing_request()
    body["subject"]["date_of_birth"] = "2014-01-01"
    body["subject"]["age"] = "8-10"
    assert api.client.post(TR, json=body, headers=api.headers("officer")).status_code == 201


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "1001"},
        {"limit": "ten"},
        {"status": "lost"},
        {"updated_since": "yesterday"},
    ],
)
def test_bad_list_parameters_are_422_naming_them(api: Api, params: dict[str, str]) -> None:
    response = api.client.get(TR, params=params, headers=api.headers("officer"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == f"query.{next(iter(params))}"
