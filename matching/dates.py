"""Birth dates, estimated ages and event dates, brought to one point in time to compare.

A child registered at "about 6" in 2019 and a child born in 2013 are the same age. Both
become a *birth range* (the earliest and latest possible birth dates), and two ranges are
compared by the gap between them: zero when they overlap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import OSA

from matching.records import AgeEstimate, PartialDate, Person

DAYS_PER_YEAR = 365.2425

DateAgreement = Literal["exact", "typo", "month", "year"]


@dataclass(frozen=True, slots=True)
class BirthRange:
    """When a person can have been born, from a (partial) birth date or an estimated age."""

    earliest: date
    latest: date
    date_of_birth: PartialDate | None = None  # set when the range comes from a stated date


def effective_date(value: PartialDate) -> PartialDate:
    """The date as evidence: a YYYY-01-01 is a registration placeholder, so year-only.

    Registration systems write an unknown day and month as 01-01. The parser normally
    demotes those already; doing it here too keeps a 01-01 that slipped through from
    counting as an exact birthday.
    """
    if value.placeholder or (value.month == 1 and value.day == 1):
        return PartialDate(value.year, placeholder=True)
    return value


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_birth_range(age: AgeEstimate, as_of: date) -> BirthRange:
    """The birth dates consistent with an age range estimated on `as_of`.

    Aged `low` to `high` in whole years on `as_of` means born after the day `high + 1`
    years before and at most `low` years before.
    """
    low, high = sorted((max(age.low, 0), max(age.high, 0)))
    earliest = date.fromordinal(_years_before(as_of, high + 1).toordinal() + 1)
    return BirthRange(earliest=earliest, latest=_years_before(as_of, low))


def birth_range(person: Person, fallback_as_of: date | None) -> BirthRange | None:
    """The person's birth range: from the birth date if stated, else from the age.

    An age without its own `as_of` is taken as estimated on `fallback_as_of` (the record's
    registration date); without either, the age cannot be placed in time and is ignored.
    """
    if person.date_of_birth is not None:
        value = effective_date(person.date_of_birth)
        return BirthRange(value.earliest(), value.latest(), date_of_birth=value)
    if person.age is not None:
        as_of = person.age.as_of or fallback_as_of
        if as_of is not None:
            return age_birth_range(person.age, as_of)
    return None


def years_apart(a: BirthRange, b: BirthRange) -> float:
    """The gap in years between two ranges of dates; zero when they overlap."""
    if a.latest < b.earliest:
        gap = (b.earliest - a.latest).days
    elif b.latest < a.earliest:
        gap = (a.earliest - b.latest).days
    else:
        gap = 0
    return gap / DAYS_PER_YEAR


def _one_edit_apart(a: str, b: str) -> bool:
    """Same length, and one character changed or two adjacent characters swapped."""
    # Between strings of one length, those are the only edits at an optimal string
    # alignment distance of one; rapidfuzz stops counting past it.
    return len(a) == len(b) and a != b and OSA.distance(a, b, score_cutoff=1) == 1


@lru_cache(maxsize=65536)
def _digits(year: int, month: int, day: int) -> str:
    """The date as YYYYMMDD, memoised: formatting it was most of comparing two dates."""
    return f"{year:04d}{month:02d}{day:02d}"


def stated_date_agreement(a: PartialDate, b: PartialDate) -> DateAgreement | None:
    """How two stated dates agree, if they do: exact, a typo, the same month or year.

    A typo is a day and month swapped (05-03 for 03-05), or one digit of YYYYMMDD mistyped
    or two neighbouring digits swapped (1954 for 1945). Dates known only to the month or
    year agree at that precision.
    """
    a, b = effective_date(a), effective_date(b)
    if a.day is not None and b.day is not None and a.month and b.month:
        if (a.year, a.month, a.day) == (b.year, b.month, b.day):
            return "exact"
        if a.year == b.year and (a.month, a.day) == (b.day, b.month):
            return "typo"
        if _one_edit_apart(_digits(a.year, a.month, a.day), _digits(b.year, b.month, b.day)):
            return "typo"
    if a.year != b.year:
        return None
    if a.month is not None and b.month is not None:
        # Both known to the month and at most one to the day (else handled above).
        if a.month == b.month and (a.day is None or b.day is None):
            return "month"
        if a.month != b.month:
            return None
        return None
    return "year"


def event_days_apart(a: PartialDate, b: PartialDate) -> int:
    """Days between two partial event dates (e.g. of separation); zero when they overlap."""
    if a.latest() < b.earliest():
        return (b.earliest() - a.latest()).days
    if b.latest() < a.earliest():
        return (a.earliest() - b.latest()).days
    return 0
