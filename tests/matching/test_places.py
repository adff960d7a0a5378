"""Places compared part by part."""

from matching.places import compare_places, normalise_place_text, streets_agree
from matching.records import Place


def _same_text(a: str, b: str) -> bool:
    return normalise_place_text(a) == normalise_place_text(b)


def test_same_street_and_town_is_a_street_agreement() -> None:
    a = Place("AU", locality="Winston Hills", street="8 Stanley Street", postcode="4223")
    b = Place("AU", locality="winston hills", street="8 stanley setreet", postcode="4223")
    assert compare_places(a, b, _same_text) == "street"


def test_different_house_numbers_are_different_streets() -> None:
    assert not streets_agree("8 Stanley Street", "18 Stanley Street")


def test_town_alone_agrees_at_locality() -> None:
    assert compare_places(Place(locality="Jalalabad"), Place(locality="jalalabad"), _same_text) == (
        "locality"
    )


def test_town_agrees_but_postcode_differs_is_partial() -> None:
    a = Place(locality="Dapto", postcode="4566")
    b = Place(locality="Dapto", postcode="2530")
    assert compare_places(a, b, _same_text) == "partial"


def test_most_specific_admin_level_wins() -> None:
    a = Place("AF", admin1="Nangarhar", admin2="Behsud", locality="X")
    b = Place("AF", admin1="Nangarhar", admin2="Behsud", locality="Y")
    assert compare_places(a, b, _same_text) == "admin2"
    assert compare_places(Place("AF", admin1="Kabul"), Place("AF", admin1="Herat"), _same_text) == (
        "region_differs"
    )
    assert compare_places(Place("AF"), Place("AF", admin1="Herat"), _same_text) == "country"


def test_different_countries_differ_and_empty_is_missing() -> None:
    assert compare_places(Place("AF"), Place("SY"), _same_text) == "differ"
    assert compare_places(Place(), Place("SY"), _same_text) is None
    assert compare_places(None, Place("SY"), _same_text) is None


def test_town_on_one_side_may_be_the_district_on_the_other() -> None:
    a = Place("AF", locality="Spin Boldak")
    b = Place("AF", admin1="Kandahar", admin2="Spin Boldak", locality="Wesh")
    assert compare_places(a, b, _same_text) == "admin2"
