"""Person and record values as the matching core sees them.

These are frozen dataclasses, built by the store from database rows (or by a batch job
from a file). They carry only what matching needs; contact details never reach the core.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Relationship(StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    SIBLING = "sibling"
    GRANDPARENT = "grandparent"
    AUNT_UNCLE = "aunt_uncle"
    COUSIN = "cousin"
    CAREGIVER = "caregiver"
    OTHER = "other"


class RecordKind(StrEnum):
    TRACING_REQUEST = "tracing_request"
    ENQUIRY = "enquiry"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day.

    `month` and `day` are None when unknown. Registration systems often write an unknown
    day and month as 01-01; the parser that builds this value already demotes such dates
    to year-only evidence (see `placeholder`), so comparisons can trust `month` and `day`.
    """

    year: int
    month: int | None = None
    day: int | None = None
    placeholder: bool = False  # was written as YYYY-01-01 and is treated as year-only

    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            next_month = date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return date.fromordinal(next_month.toordinal() - 1)
        return date(self.year, self.month, self.day)


@dataclass(frozen=True, slots=True)
class AgeEstimate:
    """An age in whole years, possibly a range ("8-10"), estimated on `as_of`."""

    low: int
    high: int
    as_of: date | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """Where a person comes from or lived before separation; free text except `country`."""

    country: str | None = None  # ISO 3166-1 alpha-2, upper case
    admin1: str | None = None
    admin2: str | None = None
    locality: str | None = None
    street: str | None = None
    postcode: str | None = None

    def is_empty(self) -> bool:
        return not any(
            (self.country, self.admin1, self.admin2, self.locality, self.street, self.postcode)
        )


@dataclass(frozen=True, slots=True)
class Identifier:
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class Person:
    """One person of a record: the child, a sought child, a relative or the enquirer."""

    full_name: str
    given_name: str | None = None
    family_name: str | None = None
    native_name: str | None = None
    other_names: tuple[str, ...] = ()
    sex: Sex = Sex.UNKNOWN
    date_of_birth: PartialDate | None = None
    age: AgeEstimate | None = None
    place_of_origin: Place | None = None
    last_known_address: Place | None = None
    nationality: str | None = None
    languages: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    distinguishing_marks: str | None = None
    relationship: Relationship | None = None  # for relatives and enquirers only

    def all_names(self) -> tuple[str, ...]:
        """Every name written for this person, the full name first, without repeats."""
        names = [self.full_name]
        if self.native_name:
            names.append(self.native_name)
        names.extend(self.other_names)
        if self.given_name and self.family_name:
            names.append(f"{self.given_name} {self.family_name}")
        seen: dict[str, None] = {}
        for name in names:
            if name and name not in seen:
                seen[name] = None
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Separation:
    date: PartialDate | None = None
    place: Place | None = None
    circumstances: str | None = None


@dataclass(frozen=True, slots=True)
class MatchableRecord:
    """A record reduced to what matching compares.

    For a tracing request `children` holds the one subject; for an enquiry it holds the
    sought children (a match links a tracing request to one of them, by index). `family`
    holds the relatives and, for an enquiry, the enquirer.
    """

    record_id: str
    kind: RecordKind
    children: tuple[Person, ...]
    family: tuple[Person, ...] = ()
    separation: Separation | None = None
    organisation_id: str | None = None
    registered_on: date | None = None
