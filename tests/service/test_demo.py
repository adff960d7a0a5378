"""The synthetic demo data: deterministic, within the API contract, and hard enough to match."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from service.demo import ORGANISATIONS, DemoRecord, demo_records

SEX = {"female", "male", "other", "unknown"}
RELATIONSHIP = {
    "mother",
    "father",
    "sibling",
    "grandparent",
    "aunt_uncle",
    "cousin",
    "caregiver",
    "other",
}
GIVEN_BY = {"child", "parent", "guardian", "caregiver", "agency"}
PLACE_KEYS = {"country", "admin1", "admin2", "locality", "street", "postcode"}
PERSON_KEYS = {
    "full_name",
    "given_name",
    "family_name",
    "native_name",
    "other_names",
    "sex",
    "date_of_birth",
    "age",
    "age_as_of",
    "place_of_origin",
    "last_known_address",
    "nationality",
    "languages",
    "identifiers",
    "distinguishing_marks",
}
RECORD_KEYS = {"external_id", "consent", "relatives", "separation"}
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
AGE = re.compile(r"^(\d{1,3})(?:-(\d{1,3}))?$")

SCRIPTS = {
    "arabic": lambda ch: "\u0600" <= ch <= "\u06ff",
    "cyrillic": lambda ch: "\u0400" <= ch <= "\u04ff",
    "ethiopic": lambda ch: "\u1200" <= ch <= "\u137f",
    "latin_diacritics": lambda ch: (
        ("\u00c0" <= ch <= "\u024f" and ch not in "\u00d7\u00f7") or "\u1e00" <= ch <= "\u1eff"
    ),
}


@pytest.fixture(scope="module")
def records() -> list[DemoRecord]:
    return demo_records()


def children(record: DemoRecord) -> list[dict[str, Any]]:
    body = record.body
    return [body["subject"]] if record.kind == "tracing_request" else list(body["sought"])


def by_pair(records: list[DemoRecord]) -> dict[str, list[DemoRecord]]:
    pairs: dict[str, list[DemoRecord]] = defaultdict(list)
    for record in records:
        if record.true_pair_id is not None:
            pairs[record.true_pair_id].append(record)
    return pairs


def partial_date(value: Any) -> date:
    assert isinstance(value, str)
    found = PARTIAL_DATE.match(value)
    assert found, value
    year, month, day = (int(p) if p else 1 for p in found.groups())
    return date(year, month, day)  # raises on an invalid date


def full_date(value: Any) -> date:
    assert isinstance(value, str)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return date.fromisoformat(value)


def age_range(value: Any) -> tuple[int, int]:
    if isinstance(value, int):
        return value, value
    assert isinstance(value, str)
    found = AGE.match(value)
    assert found, value
    low = int(found.group(1))
    high = int(found.group(2)) if found.group(2) else low
    assert low <= high
    return low, high


def check_place(place: Any) -> None:
    assert isinstance(place, dict)
    assert place
    assert set(place) <= PLACE_KEYS
    if "country" in place:
        assert re.fullmatch(r"[A-Z]{2}", place["country"])
    assert all(isinstance(v, str) and v for v in place.values())


def check_person(person: Any, *, relative: bool = False, enquirer: bool = False) -> None:
    assert isinstance(person, dict)
    allowed = PERSON_KEYS | ({"relationship"} if relative else set())
    allowed |= {"contact"} if enquirer else set()
    assert set(person) <= allowed, set(person) - allowed
    assert isinstance(person["full_name"], str)
    assert person["full_name"].strip()
    for key in ("given_name", "family_name", "native_name", "distinguishing_marks"):
        if key in person:
            assert isinstance(person[key], str)
            assert person[key].strip()
    if "other_names" in person:
        assert all(isinstance(n, str) and n.strip() for n in person["other_names"])
    if "sex" in person:
        assert person["sex"] in SEX
    if "date_of_birth" in person:
        partial_date(person["date_of_birth"])
    if "age" in person:
        age_range(person["age"])
    if "age_as_of" in person:
        assert "age" in person
        full_date(person["age_as_of"])
    for key in ("place_of_origin", "last_known_address"):
        if key in person:
            check_place(person[key])
    if "nationality" in person:
        assert person["nationality"] == "stateless" or re.fullmatch(
            r"[A-Z]{2}", person["nationality"]
        )
    if "languages" in person:
        assert person["languages"]
        assert all(re.fullmatch(r"[a-z]{3}", code) for code in person["languages"])
    for identifier in person.get("identifiers", []):
        assert set(identifier) == {"type", "value"}
        assert identifier["type"] in {"unhcr", "icrc", "national_id", "birth_certificate"}
    if relative:
        assert person["relationship"] in RELATIONSHIP
    if enquirer and "contact" in person:
        contact = person["contact"]
        assert contact
        assert set(contact) <= {"phone", "email", "address"}


def check_body(record: DemoRecord) -> None:
    body = record.body
    json.dumps(body)  # plain JSON
    kind_keys = {"subject"} if record.kind == "tracing_request" else {"sought", "enquirer"}
    assert set(body) <= RECORD_KEYS | kind_keys, set(body)
    assert isinstance(body["external_id"], str)
    assert body["external_id"]
    consent = body["consent"]
    assert set(consent) == {"tracing", "share_with_partners", "given_by", "date"}
    assert isinstance(consent["tracing"], bool)
    assert isinstance(consent["share_with_partners"], bool)
    assert consent["given_by"] in GIVEN_BY
    full_date(consent["date"])
    if record.kind == "tracing_request":
        check_person(body["subject"])
    else:
        assert 1 <= len(body["sought"]) <= 10
        for person in body["sought"]:
            check_person(person)
        if "enquirer" in body:
            check_person(body["enquirer"], relative=True, enquirer=True)
    for person in body.get("relatives", []):
        check_person(person, relative=True)
    if "separation" in body:
        separation = body["separation"]
        assert separation
        assert set(separation) <= {"date", "place", "circumstances"}
        if "date" in separation:
            partial_date(separation["date"])
        if "place" in separation:
            check_place(separation["place"])


def keys_with_paths(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key
            yield from keys_with_paths(item, f"{path}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from keys_with_paths(item, f"{path}/{i}")


def years_in_2025(person: dict[str, Any]) -> list[tuple[int, int]]:
    """The ages a person's date of birth and age allow in 2025 (by year)."""
    spans = []
    if "date_of_birth" in person:
        year = partial_date(person["date_of_birth"]).year
        spans.append((2025 - year, 2025 - year))
    if "age" in person:
        low, high = age_range(person["age"])
        shift = 2025 - full_date(person["age_as_of"]).year
        spans.append((low + shift, high + shift))
    return spans


def test_same_seed_gives_the_same_records() -> None:
    assert demo_records(seed=11) == demo_records(seed=11)


def test_different_seeds_give_different_records() -> None:
    assert [r.body for r in demo_records(seed=1)] != [r.body for r in demo_records(seed=2)]


def test_defaults_yield_a_few_hundred_records_of_both_kinds(records: list[DemoRecord]) -> None:
    assert 300 <= len(records) <= 400
    kinds = Counter(r.kind for r in records)
    assert kinds["tracing_request"] >= 120
    assert kinds["enquiry"] >= 120


def test_families_sets_the_number_of_true_pairs(records: list[DemoRecord]) -> None:
    assert len(by_pair(records)) == 150
    assert len(by_pair(demo_records(seed=5, families=20))) == 20


def test_every_true_pair_holds_a_tracing_request_and_an_enquiry(
    records: list[DemoRecord],
) -> None:
    for pair in by_pair(records).values():
        kinds = {r.kind for r in pair}
        assert kinds == {"tracing_request", "enquiry"}


def test_some_records_have_no_counterpart(records: list[DemoRecord]) -> None:
    lone = [r for r in records if r.true_pair_id is None]
    assert len(lone) >= 20
    assert {r.kind for r in lone} == {"tracing_request", "enquiry"}


def test_every_body_follows_the_api_contract(records: list[DemoRecord]) -> None:
    for record in records:
        check_body(record)
    for seed in (1, 2, 3):
        for record in demo_records(seed=seed, families=60):
            check_body(record)


def test_organisations_are_the_demo_ones(records: list[DemoRecord]) -> None:
    assert {r.organisation for r in records} == set(ORGANISATIONS)


def test_external_ids_are_unique_per_organisation(records: list[DemoRecord]) -> None:
    seen: Counter[tuple[str, str]] = Counter(
        (r.organisation, r.body["external_id"]) for r in records
    )
    assert max(seen.values()) == 1
    for record in records:
        assert record.body["external_id"].startswith(ORGANISATIONS[record.organisation] + "-")


def test_records_come_in_registration_order(records: list[DemoRecord]) -> None:
    dates = [r.body["consent"]["date"] for r in records]
    assert dates == sorted(dates)
    assert max(dates) <= "2025-12-31"


def test_children_are_aged_2_to_17_in_2025(records: list[DemoRecord]) -> None:
    for record in records:
        for person in children(record):
            assert years_in_2025(person), person  # a date of birth or an age
        siblings = [p for p in record.body.get("relatives", []) if p["relationship"] == "sibling"]
        for person in children(record) + siblings:
            for low, high in years_in_2025(person):
                assert 2 <= low <= high <= 17, person


def test_parents_and_grandparents_are_adults(records: list[DemoRecord]) -> None:
    for record in records:
        adults = [p for p in record.body.get("relatives", []) if p["relationship"] != "sibling"]
        if "enquirer" in record.body:
            adults.append(record.body["enquirer"])
        for person in adults:
            for low, _ in years_in_2025(person):
                assert low >= 18, person


def test_true_pairs_cross_scripts(records: list[DemoRecord]) -> None:
    """Many families are written in a script on one side and in Latin letters on the other."""

    def ascii_latin(name: str) -> bool:
        return name.isascii() and any(ch.isalpha() for ch in name)

    crossing: Counter[str] = Counter()
    for pair in by_pair(records).values():
        names = [[p["full_name"] for p in children(r)] for r in pair]
        for script, in_script in SCRIPTS.items():
            if any(
                any(in_script(ch) for n in mine for ch in n)
                and any(ascii_latin(n) for other in names[:i] + names[i + 1 :] for n in other)
                for i, mine in enumerate(names)
            ):
                crossing[script] += 1
    for script in SCRIPTS:
        assert crossing[script] >= 5, crossing


def test_enquiries_sometimes_seek_siblings(records: list[DemoRecord]) -> None:
    sizes = Counter(len(r.body["sought"]) for r in records if r.kind == "enquiry")
    assert sizes[1] > 0
    assert sizes[2] + sizes[3] >= 10


def test_a_few_children_are_registered_twice_by_two_organisations(
    records: list[DemoRecord],
) -> None:
    duplicates = 0
    for pair in by_pair(records).values():
        tracing = [r for r in pair if r.kind == "tracing_request"]
        if len(tracing) > 1:
            assert len({r.organisation for r in tracing}) == len(tracing)
            duplicates += 1
    assert duplicates >= 3


def test_contact_details_appear_only_on_the_enquirer(records: list[DemoRecord]) -> None:
    with_contact = 0
    for record in records:
        for path, key in keys_with_paths(record.body):
            if key == "contact":
                assert path == "/enquirer"
                with_contact += 1
    assert with_contact > 0


def test_contact_details_are_obviously_fake(records: list[DemoRecord]) -> None:
    for record in records:
        contact = record.body.get("enquirer", {}).get("contact", {})
        if "phone" in contact:
            assert contact["phone"].startswith("+000 555 ")
        if "email" in contact:
            assert contact["email"].endswith("@example.org")


def test_no_record_holds_a_current_address(records: list[DemoRecord]) -> None:
    for record in records:
        for _, key in keys_with_paths(record.body):
            assert "current" not in key


def test_consent_varies(records: list[DemoRecord]) -> None:
    tracing = Counter(r.body["consent"]["tracing"] for r in records)
    sharing = Counter(r.body["consent"]["share_with_partners"] for r in records)
    assert tracing[False] >= 5
    assert tracing[True] > tracing[False]
    assert sharing[True] > 0
    assert sharing[False] > 0


def test_ages_are_sometimes_estimates(records: list[DemoRecord]) -> None:
    people = [p for r in records for p in children(r)]
    assert any("age" in p and "date_of_birth" not in p for p in people)
    assert any(isinstance(p.get("age"), str) and "-" in p["age"] for p in people)
    assert any("date_of_birth" in p for p in people)
