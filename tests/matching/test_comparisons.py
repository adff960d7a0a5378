"""Each comparison lands pairs of synthetic children on the expected level."""

from datetime import date

import pytest

from matching.comparisons import (
    Comparison,
    Pair,
    Side,
    default_comparisons,
    prepare_person,
    prepare_record,
)
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
from tests.matching.rapidfuzz_names import FAKE_NAMES

COMPARISONS = {c.id: c for c in default_comparisons()}
REGISTERED = date(2024, 5, 1)


def side(
    child: Person,
    relatives: tuple[Person, ...] = (),
    separation: Separation | None = None,
    *,
    as_of: date = REGISTERED,
) -> Side:
    return Side(
        record_id=None,
        index=0,
        child=prepare_person(child, FAKE_NAMES, as_of=as_of),
        relatives=tuple(prepare_person(p, FAKE_NAMES, as_of=as_of) for p in relatives),
        separation=separation,
    )


def level(clue: str, left: Side, right: Side) -> str:
    comparison: Comparison = COMPARISONS[clue]
    pair = Pair(left, right, FAKE_NAMES)
    observed = comparison.observe(pair).level
    assert comparison.level_of(pair) == observed  # reading the level alone lands alike
    return observed


# --- child's name


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Amina Yusuf Farah", "amina  yusuf farah", "exact"),
        ("Farah Amina", "Amina Farah", "reordered"),
        ("Amina Yusuf Farah", "Aminah Yusuf Farah", "strong"),
        ("Amina Farah", "Amina Yusuf Farah", "subset"),
        ("Amina Farah", "Amina Warsame", "part"),
        ("Amina Yusuf Farah", "Hodan Yusuf Farah", "given_differs"),
        ("Amina Farah", "Kofi Mensah", "differ"),
    ],
)
def test_child_name_levels(a: str, b: str, expected: str) -> None:
    assert level("child_name", side(Person(a)), side(Person(b))) == expected


def test_child_name_compares_native_and_other_names() -> None:
    left = side(Person("Mohammed Rahimi", other_names=("Moe",)))
    right = side(Person("Moe"))
    assert level("child_name", left, right) == "exact"


def test_child_name_blank_is_missing() -> None:
    assert level("child_name", side(Person("  ")), side(Person("Amina"))) == "missing"


# --- relatives


def test_mother_named_by_child_agrees_with_enquirer_who_is_the_mother() -> None:
    child = side(Person("Amina Farah"), (Person("Halima", relationship=Relationship.MOTHER),))
    enquiry = side(
        Person("Amina Farah"), (Person("Halima Abdi", relationship=Relationship.MOTHER),)
    )
    assert level("relatives", child, enquiry) == "parent"


def test_same_name_in_conflicting_roles_does_not_agree() -> None:
    child = side(Person("Amina"), (Person("Sam Lee", relationship=Relationship.MOTHER),))
    other = side(Person("Amina"), (Person("Sam Lee", relationship=Relationship.FATHER),))
    assert level("relatives", child, other) == "missing"


def test_two_relatives_agreeing_is_several() -> None:
    family = (
        Person("Halima Abdi", relationship=Relationship.MOTHER),
        Person("Yusuf Farah", relationship=Relationship.FATHER),
    )
    assert level("relatives", side(Person("A"), family), side(Person("B"), family)) == "several"


def test_patronymic_link_to_the_fathers_given_name() -> None:
    child = side(Person("Ahmed Ali Hassan"))
    enquiry = side(Person("Ahmed"), (Person("Ali Hassan Omar", relationship=Relationship.FATHER),))
    assert level("relatives", child, enquiry) == "patronymic"
    assert level("relatives", enquiry, child) == "patronymic"


def test_relative_with_unstated_role_agrees_by_name_only() -> None:
    a = side(Person("A"), (Person("Halima Abdi", relationship=Relationship.CAREGIVER),))
    b = side(Person("B"), (Person("Halima Abdi", relationship=Relationship.MOTHER),))
    assert level("relatives", a, b) == "name_only"


def test_mother_on_one_side_and_father_on_the_other_is_no_evidence() -> None:
    a = side(Person("A"), (Person("Halima Abdi", relationship=Relationship.MOTHER),))
    b = side(Person("B"), (Person("Yusuf Farah", relationship=Relationship.FATHER),))
    assert level("relatives", a, b) == "missing"


def test_no_relatives_on_one_side_is_missing() -> None:
    a = side(Person("A"), (Person("Halima Abdi", relationship=Relationship.MOTHER),))
    assert level("relatives", a, side(Person("B"))) == "missing"


def test_siblings_sought_together_are_each_others_relatives() -> None:
    enquiry = MatchableRecord(
        "e1",
        RecordKind.ENQUIRY,
        children=(Person("Amina Farah"), Person("Hodan Farah")),
        registered_on=REGISTERED,
    )
    sides = prepare_record(enquiry, FAKE_NAMES)
    tracing = side(Person("Amina Farah"), (Person("Hodan", relationship=Relationship.SIBLING),))
    assert level("relatives", tracing, sides[0]) == "relative"


# --- named sibling


def test_child_bearing_the_name_of_a_sibling_the_other_record_names() -> None:
    tracing = side(Person("Bol Rasul"), (Person("Dallal", relationship=Relationship.SIBLING),))
    sought = side(Person("Dallal Rasul"))
    assert level("named_sibling", tracing, sought) == "named_sibling"
    assert level("named_sibling", sought, tracing) == "named_sibling"
    assert level("named_sibling", tracing, side(Person("Bol Rasul"))) == "missing"


# --- sex


def test_sex_levels() -> None:
    assert level("sex", side(Person("A", sex=Sex.MALE)), side(Person("B", sex=Sex.MALE))) == "same"
    assert level("sex", side(Person("A", sex=Sex.MALE)), side(Person("B", sex=Sex.FEMALE))) == (
        "differ"
    )
    assert level("sex", side(Person("A")), side(Person("B", sex=Sex.FEMALE))) == "missing"


# --- birth


def test_age_estimated_in_2019_matches_date_of_birth_at_the_same_point_in_time() -> None:
    estimated = side(Person("A", age=AgeEstimate(6, 6, date(2019, 3, 1))))
    born = side(Person("B", date_of_birth=PartialDate(2012, 11)))
    assert level("birth", estimated, born) == "within_1y"


def test_ages_years_apart_are_within_three_years_or_differ() -> None:
    a = side(Person("A", age=AgeEstimate(8, 8)))
    assert level("birth", a, side(Person("B", age=AgeEstimate(10, 10)))) == "within_3y"
    assert level("birth", a, side(Person("B", age=AgeEstimate(15, 15)))) == "differ"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (PartialDate(2012, 3, 5), PartialDate(2012, 3, 5), "exact"),
        (PartialDate(2012, 3, 5), PartialDate(2012, 5, 3), "typo"),
        (PartialDate(2012, 3), PartialDate(2012, 3, 5), "month"),
        (PartialDate(2012, 1, 1), PartialDate(2012, 3, 5), "year"),
        (PartialDate(2012, 3, 5), PartialDate(2012, 9, 30), "within_1y"),
    ],
)
def test_birth_date_levels(a: PartialDate, b: PartialDate, expected: str) -> None:
    left, right = side(Person("A", date_of_birth=a)), side(Person("B", date_of_birth=b))
    assert level("birth", left, right) == expected


def test_birth_missing_without_date_or_age() -> None:
    assert level("birth", side(Person("A")), side(Person("B", age=AgeEstimate(3, 4)))) == "missing"


# --- places


def test_place_of_origin_transliterated_town_agrees() -> None:
    a = side(Person("A", place_of_origin=Place("AF", locality="Kandahar")))
    b = side(Person("B", place_of_origin=Place("AF", locality="Qandahar")))
    assert level("origin", a, b) == "locality"


def test_last_known_address_postcode_agrees() -> None:
    a = side(Person("A", last_known_address=Place("AU", postcode="4223")))
    b = side(Person("B", last_known_address=Place("AU", postcode="4223", locality="Dapto")))
    assert level("address", a, b) == "locality"
    assert level("origin", a, b) == "missing"


# --- separation


def test_separation_date_levels() -> None:
    def sep(d: PartialDate) -> Side:
        return side(Person("A"), separation=Separation(date=d))

    assert level("separation_date", sep(PartialDate(2023, 4, 2)), sep(PartialDate(2023, 4, 2))) == (
        "same_day"
    )
    assert level("separation_date", sep(PartialDate(2023, 4)), sep(PartialDate(2023, 4, 2))) == (
        "within_month"
    )
    assert level("separation_date", sep(PartialDate(2023, 4)), sep(PartialDate(2023, 8))) == (
        "within_6m"
    )
    assert level("separation_date", sep(PartialDate(2021, 4)), sep(PartialDate(2023, 8))) == (
        "differ"
    )


def test_separation_place_levels() -> None:
    def sep(p: Place) -> Side:
        return side(Person("A"), separation=Separation(place=p))

    assert level(
        "separation_place", sep(Place("LY", locality="Sabha")), sep(Place("LY", locality="Sebha"))
    ) == ("locality")
    assert level(
        "separation_place", sep(Place("LY", admin1="Fezzan")), sep(Place("LY", admin1="Fezzan"))
    ) == ("admin")
    assert level("separation_place", sep(Place("LY")), sep(Place("NE"))) == "differ"


# --- identifiers


def test_identifier_levels() -> None:
    def ids(value: str) -> Side:
        return side(Person("A", identifiers=(Identifier("unhcr", value),)))

    assert level("identifiers", ids("123-45678"), ids("12345678")) == "exact"
    assert level("identifiers", ids("12345678"), ids("12345687")) == "typo"
    assert level("identifiers", ids("12345678"), ids("99999999")) == "differ"
    assert level("identifiers", ids("12345678"), side(Person("B"))) == "missing"


def test_every_default_level_is_labelled_and_probabilities_sum_to_one() -> None:
    for comparison in default_comparisons():
        if not comparison.learn_u:  # a ratio against siblings, not a distribution
            continue
        levels = [lv for lv in comparison.levels if not lv.null]
        assert all(lv.label for lv in comparison.levels)
        assert sum(lv.m for lv in levels) == pytest.approx(1.0, abs=1e-3), comparison.id
        assert sum(lv.u for lv in levels) == pytest.approx(1.0, abs=1e-3), comparison.id
        assert comparison.levels[-1].null
