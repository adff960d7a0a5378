"""Birth ranges, ages at the same point in time, date typos."""

from datetime import date

from matching.dates import (
    age_birth_range,
    birth_range,
    effective_date,
    event_days_apart,
    stated_date_agreement,
    years_apart,
)
from matching.records import AgeEstimate, PartialDate, Person


def test_age_estimated_years_ago_is_placed_at_its_own_date() -> None:
    then = age_birth_range(AgeEstimate(6, 6, date(2019, 6, 1)), date(2019, 6, 1))
    now = age_birth_range(AgeEstimate(12, 12, date(2025, 6, 1)), date(2025, 6, 1))
    assert years_apart(then, now) == 0.0


def test_age_range_covers_every_possible_birthday() -> None:
    r = age_birth_range(AgeEstimate(8, 10), date(2020, 3, 15))
    assert r.earliest == date(2009, 3, 16)
    assert r.latest == date(2012, 3, 15)


def test_age_without_date_uses_the_registration_date() -> None:
    r = birth_range(Person("A B", age=AgeEstimate(5, 5)), date(2020, 1, 1))
    assert r is not None
    assert r.latest == date(2015, 1, 1)


def test_age_without_any_date_is_ignored() -> None:
    assert birth_range(Person("A B", age=AgeEstimate(5, 5)), None) is None


def test_first_of_january_is_year_only_evidence() -> None:
    assert effective_date(PartialDate(2012, 1, 1)) == PartialDate(2012, placeholder=True)
    assert stated_date_agreement(PartialDate(2012, 1, 1), PartialDate(2012, 1, 1)) == "year"


def test_stated_dates_exact_swap_and_digit_typos() -> None:
    assert stated_date_agreement(PartialDate(2012, 3, 5), PartialDate(2012, 3, 5)) == "exact"
    assert stated_date_agreement(PartialDate(2012, 3, 5), PartialDate(2012, 5, 3)) == "typo"
    assert stated_date_agreement(PartialDate(1945, 3, 5), PartialDate(1954, 3, 5)) == "typo"
    assert stated_date_agreement(PartialDate(2012, 3, 5), PartialDate(2013, 3, 5)) == "typo"
    assert stated_date_agreement(PartialDate(2012, 3, 5), PartialDate(2012, 7, 20)) is None


def test_partial_dates_agree_to_their_precision() -> None:
    assert stated_date_agreement(PartialDate(2012, 3), PartialDate(2012, 3, 9)) == "month"
    assert stated_date_agreement(PartialDate(2012), PartialDate(2012, 3, 9)) == "year"
    assert stated_date_agreement(PartialDate(2012, 4), PartialDate(2012, 3, 9)) is None
    assert stated_date_agreement(PartialDate(2011), PartialDate(2012, 3, 9)) is None


def test_event_dates_overlapping_are_zero_days_apart() -> None:
    assert event_days_apart(PartialDate(2020, 5), PartialDate(2020, 5, 17)) == 0
    assert event_days_apart(PartialDate(2020, 5, 1), PartialDate(2020, 5, 11)) == 10
