"""Blocking keys and how they are weighed for the database's first pass."""

from __future__ import annotations

import random

from matching.blocking import (
    NAME_LIKENESS_BITS,
    NameLikeness,
    best_ranked,
    person_keys,
    shortlist_weight,
    weigh_keys,
)
from matching.names import name_keys
from matching.records import Identifier, PartialDate, Person, Place


def test_a_shared_rare_key_weighs_more_than_a_shared_common_one() -> None:
    weights = weigh_keys(["rare", "common"], {"rare": 3, "common": 400}, 10_000)
    assert weights["rare"] > weights["common"] > 0


def test_an_over_common_key_is_not_followed_when_rarer_keys_exist() -> None:
    counts = {f"k{i}": 10 for i in range(5)} | {"muhammad": 5_000}
    weights = weigh_keys([*counts], counts, 100_000, rarest_kept=4)
    assert "muhammad" not in weights
    assert set(weights) == {f"k{i}" for i in range(5)}


def test_a_person_with_only_common_keys_still_follows_the_rarest_of_them() -> None:
    counts = {"a": 9_000, "b": 8_000, "c": 7_000}
    weights = weigh_keys([*counts], counts, 100_000, rarest_kept=2)
    assert set(weights) == {"c", "b"}


def test_a_key_counted_as_carried_by_no_one_is_still_followed() -> None:
    """Counts may be a minute old: a key first seen since must still find its records."""
    weights = weigh_keys(["new", "old"], {"old": 50}, 10_000)
    assert weights["new"] > weights["old"]


def test_a_small_registry_follows_every_key() -> None:
    counts = {"a": 300, "b": 1}
    assert set(weigh_keys([*counts], counts, 400)) == {"a", "b"}


def test_a_full_date_of_birth_is_a_key_but_a_year_or_a_placeholder_is_not() -> None:
    full = person_keys(Person("Amina Yusuf", date_of_birth=PartialDate(2014, 3, 9)), name_keys)
    year = person_keys(Person("Amina Yusuf", date_of_birth=PartialDate(2014)), name_keys)
    placeholder = person_keys(
        Person("Amina Yusuf", date_of_birth=PartialDate(2014, placeholder=True)), name_keys
    )
    assert "dob:20140309" in full
    assert not any(k.startswith("dob:") for k in year | placeholder)


def test_postcodes_and_identifiers_are_keys_whatever_their_spacing() -> None:
    a = Person(
        "Amina Yusuf",
        identifiers=(Identifier("unhcr", "123-45 ab"),),
        last_known_address=Place(country="SO", postcode="bn 10"),
    )
    b = Person(
        "Ameena Yousef",
        identifiers=(Identifier("refugee_id", "12345AB"),),
        place_of_origin=Place(postcode="BN10"),
    )
    shared = person_keys(a, name_keys) & person_keys(b, name_keys)
    assert {"id:12345AB", "pc:BN10"} <= shared


def test_each_part_of_a_name_is_one_clue_with_its_exact_key() -> None:
    from matching.blocking import EXACT_PREFIX
    from matching.names import PAIR_PREFIX, canonical_tokens, name_key_groups, name_keys

    *parts, pairs = name_key_groups("Amina Yusuf Abdi")
    assert len(parts) == 3
    for group, token in zip(parts, canonical_tokens("Amina Yusuf Abdi"), strict=True):
        assert EXACT_PREFIX + token in group
    # The last clue is the name's pairs of parts.
    assert pairs
    assert all(key.startswith(PAIR_PREFIX) for key in pairs)
    # The sound-alike keys of the groups are the name's blocking keys.
    loose = {k for g in (*parts, pairs) for k in g if not k.startswith(EXACT_PREFIX)}
    assert loose == set(name_keys("Amina Yusuf Abdi"))


def test_two_common_sounding_parts_together_are_a_key_across_scripts() -> None:
    from matching.names import PAIR_PREFIX, name_key_groups, name_keys

    # Each part alone sounds like thousands of names (m-s, s-b); the pair does not.
    latin, arabic = name_keys("Moza Safia"), name_keys("موزه صفيه علي")
    shared = {key for key in latin & arabic if key.startswith(PAIR_PREFIX)}
    assert shared == {PAIR_PREFIX + "MS+SB"}
    # Order-free: family name first or last.
    assert PAIR_PREFIX + "MS+SB" in name_keys("Safia Moza")
    # Three parts together: rare even where every pair of them is common.
    triples = {
        key
        for key in name_keys("Hamidi Khalifa Faiz") & name_keys("حميدي خليفه فيض")
        if key.startswith(PAIR_PREFIX) and key.count("+") == 2
    }
    assert triples
    # A name of one part has no pairs, so no pair clue.
    assert not any(k.startswith(PAIR_PREFIX) for g in name_key_groups("Moza") for k in g)


def test_an_exact_key_is_followed_with_its_part_or_alone_when_rare() -> None:
    from matching.blocking import weigh_key_groups

    common, rare = frozenset({"MHM", "tf:muhammad"}), frozenset({"KLB", "tf:kalbi"})
    population = 100_000
    counts = {"MHM": 30_000, "tf:muhammad": 20_000, "KLB": 30_000, "tf:kalbi": 12}
    weighted = weigh_key_groups([common, rare], counts, population)
    # Four rarest keys are always followed: here all of them, the exact key weighing more.
    assert weighted[1]["tf:kalbi"] > weighted[1]["KLB"]
    many = [frozenset({f"K{i}", f"tf:name{i}"}) for i in range(8)]
    crowd = {f"K{i}": 30_000 for i in range(8)} | {f"tf:name{i}": 20_000 for i in range(8)}
    crowd["tf:name7"] = 5
    weighted = weigh_key_groups(many, crowd, population)
    followed_parts = [i for i, w in enumerate(weighted) if any(not k.startswith("tf:") for k in w)]
    assert len(followed_parts) == 4  # over-common sound-alikes: only the rarest four
    # An over-common exact key goes with its part only; a rare one is followed alone.
    assert all((f"tf:name{i}" in weighted[i]) == (i in followed_parts or i == 7) for i in range(8))


def test_relatives_names_are_keys_by_their_pairs_of_parts_and_meet_a_patronymic() -> None:
    from matching.blocking import family_key_groups, record_keys
    from matching.names import PAIR_PREFIX, name_keys, name_pair_keys
    from matching.records import MatchableRecord, Person, RecordKind, Relationship

    father = Person(full_name="Ali Hassan", relationship=Relationship.FATHER)
    enquiry = MatchableRecord(
        record_id="e",
        kind=RecordKind.ENQUIRY,
        children=(Person(full_name="Sami"),),
        family=(father,),
    )
    [group] = family_key_groups(enquiry, name_pair_keys)
    assert group
    assert all(key.startswith(PAIR_PREFIX) for key in group)
    # Only pairs: a relative's single part ("Ali") would find half a registry.
    keys = record_keys(enquiry, name_keys, name_pair_keys)
    assert keys - record_keys(enquiry, name_keys) == group
    # A child "Ahmed Ali Hassan" is found by the enquiry of his father "Ali Hassan".
    assert name_keys("أحمد علي حسن") & group


def test_birth_periods_tolerate_two_years_between_two_estimates() -> None:
    from matching.blocking import birth_periods

    for year in range(2008, 2020):
        for other in range(year - 2, year + 3):
            a = birth_periods(Person("A", date_of_birth=PartialDate(year)), None)
            b = birth_periods(Person("B", date_of_birth=PartialDate(other)), None)
            assert set(a) & set(b), (year, other)
    far = birth_periods(Person("B", date_of_birth=PartialDate(2019)), None)
    assert not set(birth_periods(Person("A", date_of_birth=PartialDate(2012)), None)) & set(far)


def test_an_age_is_placed_in_time_by_its_own_date_or_the_records() -> None:
    from datetime import date

    from matching.blocking import birth_periods
    from matching.records import AgeEstimate

    aged = Person("A", age=AgeEstimate(9, 9, date(2024, 10, 1)))  # born 2014-2015
    assert birth_periods(aged, None) == ("2012", "2014")
    undated = Person("A", age=AgeEstimate(9, 9))
    assert birth_periods(undated, None) == ()
    assert birth_periods(undated, date(2024, 10, 1)) == birth_periods(aged, None)
    # An age too vague to say when the child was born makes no birth-period keys.
    assert birth_periods(Person("A", age=AgeEstimate(3, 12, date(2024, 1, 1))), None) == ()


def test_pairs_of_names_by_birth_period_and_sex_are_shared_across_scripts() -> None:
    from matching.blocking import BORN_PREFIX, person_key_groups
    from matching.names import name_key_groups, name_pair_codes
    from matching.records import Sex

    def born(person: Person) -> set[str]:
        groups = person_key_groups(person, name_key_groups, name_pair_codes)
        return {key for group in groups for key in group if key.startswith(BORN_PREFIX)}

    girl = born(Person("Moza Safia", sex=Sex.FEMALE, date_of_birth=PartialDate(2014, 3, 9)))
    written = born(Person("موزه صفيه", sex=Sex.FEMALE, date_of_birth=PartialDate(2015)))
    assert girl & written
    # A boy of those names, or a girl born years later, shares none of them.
    assert not girl & born(Person("Moza Safia", sex=Sex.MALE, date_of_birth=PartialDate(2014)))
    assert not girl & born(Person("Moza Safia", sex=Sex.FEMALE, date_of_birth=PartialDate(2019)))
    # A sex not stated may be either; a single name has no pair; no birth, no such keys.
    assert girl & born(Person("Moza Safia", date_of_birth=PartialDate(2014)))
    assert not born(Person("Moza", sex=Sex.FEMALE, date_of_birth=PartialDate(2014)))
    assert not born(Person("Moza Safia", sex=Sex.FEMALE))


def test_a_record_stores_the_birth_period_keys_its_children_are_searched_by() -> None:
    from matching.blocking import person_key_groups, record_keys
    from matching.names import name_key_groups, name_pair_codes, name_pair_keys
    from matching.records import MatchableRecord, RecordKind, Sex

    child = Person("Amina Yusuf Abdi", sex=Sex.FEMALE, date_of_birth=PartialDate(2014))
    record = MatchableRecord(record_id="e", kind=RecordKind.ENQUIRY, children=(child,))
    searched = person_key_groups(child, name_key_groups, name_pair_codes)
    stored = record_keys(record, name_keys, name_pair_keys, name_pair_codes)
    loose = {key for group in searched for key in group if not key.startswith("tf:")}
    assert loose <= stored


def test_name_likeness_fits_another_romanisation_better_than_a_shared_family_name() -> None:
    # Omar Karimi's enquiry written in Arabic script keeps the parts "amr kereimi"; his
    # cousin Khalid Karimi shares the family name exactly. The skeletons (m-r, k-r-m) are
    # what tell the first from the second.
    likeness = NameLikeness([("omar", "karimi")])
    himself = likeness.of({"amr", "kereimi"})
    cousin = likeness.of({"karimi", "khalid"})
    stranger = likeness.of({"hassan", "nasser"})
    assert himself > cousin > stranger
    assert likeness.of({"karimi", "omar"}) == 1.0
    assert likeness.of(set()) == 0.0


def test_name_likeness_takes_the_childs_name_that_fits_best() -> None:
    # A child registered under a nickname and her given name: either may be what the
    # other record wrote.
    likeness = NameLikeness([("sami",), ("samira", "haddad")])
    assert likeness.of({"samira", "haddad"}) == 1.0
    assert likeness.of({"sami"}) == 1.0
    assert 0.0 < likeness.of({"haddad"}) < 1.0


def test_shortlist_weight_ranks_names_alike_above_shared_keys_alone() -> None:
    # A cousin shares more keys (the family's names, the relatives' names) than the child
    # written in another script: the names' likeness must outweigh that.
    child = shortlist_weight(first_pass_bits=12.0, cheap_bits=2.0, likeness=0.95)
    cousin = shortlist_weight(first_pass_bits=20.0, cheap_bits=2.0, likeness=0.6)
    assert child > cousin


def test_best_ranked_skips_names_only_where_they_could_not_change_the_ranking() -> None:
    # The same candidates as a full sort by weight with names, ties to the lower id,
    # while the names of candidates too far behind are never compared.
    rng = random.Random(11)
    for _ in range(200):
        partial = [(pk, rng.choice([0.0, 5.0, rng.uniform(-30, 30)])) for pk in range(60)]
        names = {pk: rng.choice([0.0, 0.5, 1.0, rng.random()]) for pk in range(60)}
        compared: list[int] = []

        def likeness(pk: int, names: dict[int, float] = names, seen: list[int] = compared) -> float:
            seen.append(pk)
            return names[pk]

        cap = rng.randint(1, 20)
        full = sorted(partial, key=lambda c: (-(c[1] + NAME_LIKENESS_BITS * names[c[0]]), c[0]))
        candidates = [(pk, 0.0, weight) for pk, weight in partial]
        assert best_ranked(candidates, likeness, cap) == [pk for pk, _ in full[:cap]]
    # Far behind: a candidate 35 bits under the best never has its names compared.
    looked_up: list[int] = []
    best_ranked([(1, 0.0, 40.0), (2, 0.0, 5.0)], lambda pk: looked_up.append(pk) or 1.0, 1)
    assert looked_up == [1]


def test_a_place_written_by_two_agencies_in_two_scripts_has_a_code_in_common() -> None:
    from matching.names import place_codes

    assert place_codes("Kandahar") & place_codes("Qandahar") & place_codes("قندهار")
    assert place_codes("Idlib") & place_codes("إدلب")
    assert place_codes("Maarrat al-Numan") & place_codes("Ma'arrat an-Nu'man")
    assert place_codes("Mogadishu") & place_codes("Muqdisho") & place_codes("Mogadiscio")
    assert not place_codes("Kandahar") & place_codes("Idlib")
    assert place_codes("  ") == frozenset()


def test_names_another_language_gives_a_place_share_a_code_through_the_usual_name() -> None:
    from matching.names import place_codes

    # Not respellings: their sounds differ, so only the list of places' names joins them.
    assert place_codes("Sinjar") & place_codes("Shingal") & place_codes("سنجار")
    assert place_codes("Kharkiv") & place_codes("Kharkov") & place_codes("Харків")
    assert place_codes("Yangon") & place_codes("Rangoon")
    assert not place_codes("Shingal") & place_codes("Herat")


def test_a_name_part_keyed_by_region_needs_the_same_region_and_sex() -> None:
    from matching.blocking import child_regions, person_keys
    from matching.names import name_part_codes, place_codes
    from matching.records import MatchableRecord, RecordKind, Separation, Sex

    def keys(name: str, sex: Sex, town: str | None, separated_in: str | None = None) -> set[str]:
        child = Person(name, sex=sex, place_of_origin=Place(country="AF", locality=town))
        separation = Separation(place=Place(country="AF", admin1=separated_in))
        record = MatchableRecord(
            record_id="r", kind=RecordKind.ENQUIRY, children=(child,), separation=separation
        )
        regions = child_regions(record, child, place_codes)
        made = person_keys(child, name_keys, part_codes=name_part_codes, regions=regions)
        return {key for key in made if key.startswith("r")}

    boy_from_herat = keys("Hamid", Sex.MALE, "Herat")
    assert boy_from_herat & keys("حامد عثمان صافی", Sex.MALE, "هرات")
    assert not boy_from_herat & keys("Hamid", Sex.FEMALE, "Herat")
    assert not boy_from_herat & keys("Hamid", Sex.MALE, "Kabul")
    # The place of separation is a region of the child too, and a child of unknown sex
    # shares the keys of either.
    assert boy_from_herat & keys("Hamid", Sex.UNKNOWN, None, separated_in="Herat")
    assert keys("Hamid", Sex.MALE, None) == set()


def test_every_region_key_a_child_is_searched_by_is_stored_for_the_record() -> None:
    from matching.blocking import child_regions, person_key_groups, record_keys
    from matching.names import (
        name_key_groups,
        name_pair_codes,
        name_pair_keys,
        name_part_codes,
        place_codes,
    )
    from matching.records import MatchableRecord, RecordKind, Separation, Sex

    child = Person(
        "Amina Yusuf Abdi",
        other_names=("Ameena",),
        sex=Sex.FEMALE,
        place_of_origin=Place(country="SO", admin1="Bay", locality="Baidoa"),
    )
    record = MatchableRecord(
        record_id="e",
        kind=RecordKind.ENQUIRY,
        children=(child,),
        separation=Separation(place=Place(country="SO", admin1="Banadir")),
    )
    regions = child_regions(record, child, place_codes)
    searched = person_key_groups(
        child, name_key_groups, name_pair_codes, part_codes=name_part_codes, regions=regions
    )
    stored = record_keys(
        record, name_keys, name_pair_keys, name_pair_codes, name_part_codes, place_codes
    )
    loose = {key for group in searched for key in group if not key.startswith("tf:")}
    assert {key for key in loose if key.startswith("r")}
    assert loose <= stored
