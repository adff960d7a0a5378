"""Other names of one place: endonyms, exonyms and other languages' names."""

import pytest

from matching.comparisons import default_name_matcher, place_names_agree
from matching.place_aliases import PlaceAliases, bundled_place_aliases
from matching.records import Place


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mogadishu", "Muqdisho"),
        ("Muqdisho", "Xamar"),
        ("Sinjar", "Shingal"),
        ("Mosul", "Al-Mawsil"),
        ("al mawsil", "الموصل"),
        ("Kharkov", "Харків"),
        ("Yangon", "Rangoon"),
        ("Deir Ezzor", "Dayr az-Zawr"),
    ],
)
def test_names_of_one_place_in_other_languages_are_one_place(a: str, b: str) -> None:
    assert bundled_place_aliases().same_place(a, b)
    assert place_names_agree(default_name_matcher())(a, b)


def test_places_that_share_a_name_are_each_joined_to_their_own_other_names() -> None:
    aliases = bundled_place_aliases()
    # Tripoli in Libya is Tarabulus, in Lebanon Trablous; the two are not one place.
    assert aliases.same_place("Tripoli", "Tarabulus")
    assert aliases.same_place("Tripoli", "Trablous")
    assert not aliases.same_place("Tarabulus", "Trablous")


def test_places_not_in_the_list_are_left_to_the_place_matcher() -> None:
    aliases = bundled_place_aliases()
    assert not aliases.same_place("Herat", "Kabul")
    assert aliases.usual_names("Spin Boldak") == ()
    assert aliases.usual_names("Shingal") == ("Sinjar",)
    assert not place_names_agree(default_name_matcher())("Kandahar", "Ghandour")


def test_a_list_is_read_from_lines_of_a_country_and_names() -> None:
    aliases = PlaceAliases.from_lines(
        ["# a comment", "", "XX\tOldtown\tNeuburg\tVillanova", "XX\tLonely"]
    )
    assert aliases.same_place("Neuburg", "VILLANOVA")
    assert aliases.usual_names("villanova") == ("Oldtown",)
    assert aliases.usual_names("Lonely") == ()  # a line of one name joins nothing


def test_a_child_from_muqdisho_and_an_enquiry_for_mogadishu_agree_on_the_town() -> None:
    from matching.records import MatchableRecord, Person, RecordKind
    from matching.scoring import compare_records

    def record(kind: RecordKind, town: str) -> MatchableRecord:
        child = Person("Amina Yusuf", place_of_origin=Place(country="SO", locality=town))
        return MatchableRecord(record_id=town, kind=kind, children=(child,))

    (score,) = compare_records(
        record(RecordKind.TRACING_REQUEST, "Muqdisho"), record(RecordKind.ENQUIRY, "Mogadishu")
    )
    assert score.comparison_vector["origin"] == "locality"
    (other_town,) = compare_records(
        record(RecordKind.TRACING_REQUEST, "Muqdisho"), record(RecordKind.ENQUIRY, "Kismayo")
    )
    assert other_town.comparison_vector["origin"] == "region_differs"
