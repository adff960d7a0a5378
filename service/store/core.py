"""Stored rows → the matching core's records. The one place that knows both shapes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from matching.records import (
    AgeEstimate,
    Identifier,
    MatchableRecord,
    PartialDate,
    Person,
    Place,
    RecordKind,
    Relationship,
    Separation,
    Sex,
)
from service.schemas import parse_age
from service.tables import PersonRow, Record

CHILD_ROLES = ("subject", "sought")


def partial_date(value: str | None) -> PartialDate | None:
    """A stored partial date; `YYYY-01-01` is year-only evidence (a registration placeholder)."""
    if not value:
        return None
    parts = [int(part) for part in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else None
    day = parts[2] if len(parts) > 2 else None
    if month == 1 and day == 1:
        return PartialDate(year=year, placeholder=True)
    return PartialDate(year=year, month=month, day=day)


def _place(value: Mapping[str, Any] | None) -> Place | None:
    if not value:
        return None
    return Place(
        country=value.get("country"),
        admin1=value.get("admin1"),
        admin2=value.get("admin2"),
        locality=value.get("locality"),
        street=value.get("street"),
        postcode=value.get("postcode"),
    )


def person_from_details(details: Mapping[str, Any], *, registered_on: date | None) -> Person:
    """A person as the core sees them; an age without `age_as_of` dates from registration."""
    age = None
    if details.get("age") is not None:
        low, high = parse_age(details["age"])
        as_of = date.fromisoformat(details["age_as_of"]) if details.get("age_as_of") else None
        age = AgeEstimate(low=low, high=high, as_of=as_of or registered_on)
    relationship = details.get("relationship")
    return Person(
        full_name=details["full_name"],
        given_name=details.get("given_name"),
        family_name=details.get("family_name"),
        native_name=details.get("native_name"),
        other_names=tuple(details.get("other_names") or ()),
        sex=Sex(details.get("sex") or "unknown"),
        date_of_birth=partial_date(details.get("date_of_birth")),
        age=age,
        place_of_origin=_place(details.get("place_of_origin")),
        last_known_address=_place(details.get("last_known_address")),
        nationality=details.get("nationality"),
        languages=tuple(details.get("languages") or ()),
        identifiers=tuple(
            Identifier(type=i["type"], value=i["value"]) for i in details.get("identifiers") or ()
        ),
        distinguishing_marks=details.get("distinguishing_marks"),
        relationship=Relationship(relationship) if relationship else None,
    )


def matchable_record(record: Record, people: Iterable[PersonRow]) -> MatchableRecord:
    """The record as matching compares it: its children, its family, its separation."""
    return core_record(
        record_id=record.id,
        kind=record.kind,
        created_at=record.created_at,
        separation=record.separation,
        people=((p.role, p.position, p.details) for p in people),
    )


def core_record(
    *,
    record_id: str,
    kind: str,
    created_at: datetime,
    separation: Mapping[str, Any] | None,
    people: Iterable[tuple[str, int, Mapping[str, Any]]],
) -> MatchableRecord:
    """`matchable_record` from stored values: (role, position, details) of each person."""
    registered_on = created_at.date()
    ordered = sorted(people, key=lambda p: (p[0], p[1]))
    children = tuple(
        person_from_details(details, registered_on=registered_on)
        for role, _, details in ordered
        if role in CHILD_ROLES
    )
    family = tuple(
        person_from_details(details, registered_on=registered_on)
        for role, _, details in ordered
        if role not in CHILD_ROLES
    )
    return MatchableRecord(
        record_id=record_id,
        kind=RecordKind(kind),
        children=children,
        family=family,
        separation=Separation(
            date=partial_date(separation.get("date")),
            place=_place(separation.get("place")),
            circumstances=separation.get("circumstances"),
        )
        if separation
        else None,
        registered_on=registered_on,
    )
