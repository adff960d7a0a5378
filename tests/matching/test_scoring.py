"""Scores, bands, term frequencies, comparison vectors and u from the registry."""

import json
import math
import random
from datetime import date

import pytest

from matching.comparisons import prepare_record
from matching.model import probability_from_weight
from matching.records import (
    AgeEstimate,
    MatchableRecord,
    PartialDate,
    Person,
    Place,
    RecordKind,
    Relationship,
    Sex,
)
from matching.scoring import (
    DEFAULT_MODEL,
    NameCounts,
    compare_person,
    compare_records,
    estimate_m,
    estimate_u,
    score_sides,
    vector_key,
)
from tests.matching.rapidfuzz_names import FAKE_NAMES

REGISTERED = date(2024, 5, 1)


def tracing(child: Person, *family: Person, record_id: str = "tr-1") -> MatchableRecord:
    return MatchableRecord(
        record_id, RecordKind.TRACING_REQUEST, (child,), family, registered_on=REGISTERED
    )


def enquiry(
    *sought: Person, family: tuple[Person, ...] = (), record_id: str = "en-1"
) -> MatchableRecord:
    return MatchableRecord(record_id, RecordKind.ENQUIRY, sought, family, registered_on=REGISTERED)


AMINA = Person(
    "Amina Yusuf Farah",
    sex=Sex.FEMALE,
    age=AgeEstimate(9, 10),
    place_of_origin=Place("SO", admin1="Bay", locality="Baidoa"),
)
MOTHER = Person("Halima Abdi", relationship=Relationship.MOTHER)


def test_true_pair_is_likely_and_explained_clue_by_clue() -> None:
    sought = Person(
        "Aminah Yusuf Farah",
        sex=Sex.FEMALE,
        date_of_birth=PartialDate(2014, 6),
        place_of_origin=Place("SO", locality="Baidoa"),
    )
    [score] = compare_records(
        tracing(AMINA, MOTHER), enquiry(sought, family=(MOTHER,)), names=FAKE_NAMES
    )
    assert score.band == "likely"
    assert 0.5 <= score.score <= 1.0
    assert score.comparison_vector["child_name"] == "strong"
    assert score.comparison_vector["relatives"] == "parent"
    assert score.match_weight == pytest.approx(score.explanation.total_bits)
    assert score.score == pytest.approx(probability_from_weight(score.match_weight))


def test_unrelated_children_score_no_band() -> None:
    other = Person("Kofi Mensah", sex=Sex.MALE, age=AgeEstimate(3, 3))
    [score] = compare_records(tracing(AMINA), enquiry(other), names=FAKE_NAMES)
    assert score.band is None
    assert score.score < DEFAULT_MODEL.possible


def test_each_sought_child_is_scored_separately_best_first() -> None:
    sibling = Person("Hodan Yusuf Farah", sex=Sex.FEMALE, age=AgeEstimate(5, 5))
    scores = compare_records(tracing(AMINA), enquiry(sibling, AMINA), names=FAKE_NAMES)
    assert [s.right_index for s in scores] == [1, 0]
    assert scores[0].score > scores[1].score
    assert {s.right_record_id for s in scores} == {"en-1"}


def test_score_is_symmetric_and_vector_stable_across_resaves() -> None:
    a, b = tracing(AMINA, MOTHER), enquiry(AMINA, family=(MOTHER,))
    ab = compare_records(a, b, names=FAKE_NAMES)[0]
    ba = compare_records(b, a, names=FAKE_NAMES)[0]
    again = compare_records(tracing(AMINA, MOTHER), b, names=FAKE_NAMES)[0]
    assert ab.match_weight == pytest.approx(ba.match_weight)
    assert ab.comparison_vector == ba.comparison_vector == again.comparison_vector
    assert ab.vector_key == vector_key(again.comparison_vector)
    json.dumps(ab.comparison_vector)


def test_vector_names_every_clue_of_the_model() -> None:
    [score] = compare_records(tracing(AMINA), enquiry(AMINA), names=FAKE_NAMES)
    assert set(score.comparison_vector) == {c.id for c in DEFAULT_MODEL.comparisons}


def test_rare_name_agreement_weighs_more_than_common() -> None:
    counts = NameCounts({"amina": 300, "farah": 200, "yusuf": 250, "idil": 1}, people=1000)
    common = compare_records(
        tracing(Person("Amina Farah")),
        enquiry(Person("Amina Farah")),
        names=FAKE_NAMES,
        name_frequencies=counts,
    )[0]
    rare = compare_records(
        tracing(Person("Idil Warsame")),
        enquiry(Person("Idil Warsame")),
        names=FAKE_NAMES,
        name_frequencies=counts,
    )[0]
    assert rare.match_weight > common.match_weight
    clues = [s.clue for s in common.explanation.steps]
    assert "child_name.frequency" in clues


def test_no_registry_means_no_frequency_adjustment() -> None:
    [score] = compare_records(tracing(AMINA), enquiry(AMINA), names=FAKE_NAMES)
    assert all(not s.clue.endswith(".frequency") for s in score.explanation.steps)


def test_search_person_against_each_child_of_a_record() -> None:
    query = Person("Amina Farah", sex=Sex.FEMALE, age=AgeEstimate(10, 10))
    sibling = Person("Hodan Farah", sex=Sex.FEMALE, age=AgeEstimate(5, 5))
    scores = compare_person(query, enquiry(sibling, AMINA), as_of=REGISTERED, names=FAKE_NAMES)
    assert [s.right_index for s in scores] == [1, 0]
    assert scores[0].left_record_id is None
    assert scores[0].comparison_vector["relatives"] == "missing"


def test_bands_follow_the_thresholds() -> None:
    assert DEFAULT_MODEL.band(0.5) == "likely"
    assert DEFAULT_MODEL.band(0.2) == "possible"
    assert DEFAULT_MODEL.band(0.01) is None


def test_probability_is_safe_at_extreme_weights() -> None:
    assert probability_from_weight(5000.0) == 1.0
    assert probability_from_weight(-5000.0) == 0.0
    assert probability_from_weight(0.0) == 0.5


def test_version_changes_with_parameters() -> None:
    changed = DEFAULT_MODEL.with_parameters(u={"sex": {"same": 0.6, "differ": 0.4}})
    assert changed.version != DEFAULT_MODEL.version
    assert changed.comparison("sex").level("same").u == 0.6
    assert DEFAULT_MODEL.with_parameters().version == DEFAULT_MODEL.version


def test_estimate_u_learns_chance_agreement_from_random_pairs() -> None:
    people = [
        Person(f"Child{i} Family{i % 7}", sex=Sex.FEMALE if i % 2 else Sex.MALE) for i in range(200)
    ]
    sides = [
        s
        for i, p in enumerate(people)
        for s in prepare_record(tracing(p, record_id=f"r{i}"), FAKE_NAMES)
    ]
    model = estimate_u(DEFAULT_MODEL, sides, names=FAKE_NAMES, pairs=2000, seed=1)
    sex = model.comparison("sex")
    assert sex.level("same").u == pytest.approx(0.5, abs=0.05)
    name_u = {lv.id: lv.u for lv in model.comparison("child_name").levels if not lv.null}
    assert math.isclose(sum(name_u.values()), 1.0)
    # Untouched clues (nothing to compare in these records) keep their defaults.
    assert model.comparison("identifiers") == DEFAULT_MODEL.comparison("identifiers")


def test_score_sides_reuses_prepared_records() -> None:
    [left] = prepare_record(tracing(AMINA), FAKE_NAMES)
    [right] = prepare_record(enquiry(AMINA), FAKE_NAMES)
    score = score_sides(left, right, names=FAKE_NAMES)
    assert score.model_version == DEFAULT_MODEL.version
    assert score.left_record_id == "tr-1"


def test_default_wiring_uses_the_projects_name_matcher_across_scripts() -> None:
    a = tracing(Person("Mohammed Ali", sex=Sex.MALE))
    b = enquiry(Person("محمد علي", sex=Sex.MALE))
    [score] = compare_records(a, b)
    assert score.comparison_vector["child_name"] in {"exact", "strong", "similar"}


def test_prior_for_registry_is_a_power_of_two_within_bounds() -> None:
    assert DEFAULT_MODEL.for_registry(4096).prior == 2.0**-12
    assert DEFAULT_MODEL.for_registry(5000).prior == DEFAULT_MODEL.for_registry(4500).prior
    assert DEFAULT_MODEL.for_registry(10).prior == 1e-3
    assert DEFAULT_MODEL.for_registry(10**9).prior == 1e-6


def test_a_sibling_sought_together_gives_way_to_the_child_that_fits_best() -> None:
    family = (MOTHER,)
    sibling = Person(
        "Hodan Yusuf Farah",
        sex=Sex.FEMALE,
        age=AgeEstimate(9, 9),
        place_of_origin=AMINA.place_of_origin,
    )
    alone = compare_records(
        tracing(AMINA, MOTHER), enquiry(sibling, family=family), names=FAKE_NAMES
    )[0]
    together = compare_records(
        tracing(AMINA, MOTHER), enquiry(sibling, AMINA, family=family), names=FAKE_NAMES
    )
    best, other = together
    assert best.right_index == 1
    assert other.score < alone.score
    assert other.explanation.steps[-1].clue == "other_children"
    assert other.match_weight == pytest.approx(other.explanation.total_bits)
    # The enquiry names the child among the children it seeks: the other is a sibling.
    assert other.comparison_vector["named_sibling"] == "named_sibling"
    assert alone.comparison_vector["named_sibling"] == "missing"


def test_estimate_m_recovers_agreement_rates_of_a_mixture() -> None:
    rng = random.Random(3)
    vectors = []
    for _ in range(4000):
        match = rng.random() < 0.3
        agree = rng.random() < (0.9 if match else 0.05)
        same_sex = rng.random() < (0.98 if match else 0.5)
        born = rng.random() < (0.8 if match else 0.01)
        vectors.append(
            {
                "child_name": "exact" if agree else "differ",
                "sex": "same" if same_sex else "differ",
                "birth": "exact" if born else "differ",
            }
        )
    learnt = estimate_m(DEFAULT_MODEL, vectors)
    names = learnt.comparison("child_name")
    # Levels never seen sink to the floor; the seen ones share the rest.
    assert names.level("exact").m == pytest.approx(0.9, abs=0.05)
    assert learnt.comparison("birth").level("exact").m == pytest.approx(0.8, abs=0.05)
    assert learnt.comparison("named_sibling") == DEFAULT_MODEL.comparison("named_sibling")


def _random_family_records(rng: random.Random, record_id: str, kind: RecordKind) -> MatchableRecord:
    """A record of an invented family: children sharing family names, parents, places."""
    given = ["Amina", "Hodan", "Yusuf", "Ali", "Fatima", "Omar", "Halima", "Abdi", "Layla"]
    family_names = ["Farah", "Hassan", "Warsame", "Jama", "Nur", "Osman"]
    towns = ["Baidoa", "Kismayo", "Beledweyne", "Garowe"]
    surname = rng.choice(family_names)
    father = rng.choice(given)
    children = tuple(
        Person(
            f"{rng.choice(given)} {father} {surname}",
            sex=rng.choice([Sex.FEMALE, Sex.MALE]),
            age=AgeEstimate(age := rng.randint(3, 14), age),
            place_of_origin=Place("SO", locality=rng.choice(towns)),
        )
        for _ in range(1 if kind == RecordKind.TRACING_REQUEST else rng.randint(1, 3))
    )
    relatives = (
        Person(f"{rng.choice(given)} {rng.choice(family_names)}", relationship=Relationship.MOTHER),
        Person(f"{father} {surname}", relationship=Relationship.FATHER),
        Person(f"{rng.choice(given)} {father} {surname}", relationship=Relationship.SIBLING),
    )[: rng.randint(0, 3)]
    return MatchableRecord(record_id, kind, children, relatives, registered_on=REGISTERED)


def test_a_floor_leaves_out_only_pairs_that_could_not_reach_a_band() -> None:
    from matching.scoring import band_floor, compare_prepared

    rng = random.Random(5)
    names = FAKE_NAMES
    requests = [
        prepare_record(_random_family_records(rng, f"tr-{i}", RecordKind.TRACING_REQUEST), names)
        for i in range(25)
    ]
    enquiries = [
        prepare_record(_random_family_records(rng, f"en-{i}", RecordKind.ENQUIRY), names)
        for i in range(25)
    ]
    floor = band_floor(DEFAULT_MODEL)
    assert floor is not None
    scored = kept = banded = 0
    for left in requests:
        for right in enquiries:
            full = compare_prepared(left, right, DEFAULT_MODEL, names=names)
            floored = compare_prepared(left, right, DEFAULT_MODEL, names=names, floor=floor)
            scored += len(full)
            kept += len(floored)
            by_pair = {(s.left_index, s.right_index): s for s in floored}
            for score in full:
                if score.band is None:
                    continue
                banded += 1
                same = by_pair[(score.left_index, score.right_index)]
                assert same.comparison_vector == score.comparison_vector
                assert same.match_weight == pytest.approx(score.match_weight, abs=0.06)
                assert same.band == score.band
            # Only pairs that weigh less than the floor in full were left out.
            assert all(
                s.match_weight < floor for s in full if (s.left_index, s.right_index) not in by_pair
            )
    assert banded > 0
    assert kept < scored / 2  # most unrelated pairs were not read in full


def test_without_a_band_to_reach_nothing_is_left_out() -> None:
    from matching.scoring import band_floor

    assert band_floor(DEFAULT_MODEL, 0.0) is None
    assert band_floor(DEFAULT_MODEL, 0.5) == pytest.approx(-2.0)


def test_cheap_clue_bits_are_the_weights_of_every_clue_but_names_and_relatives() -> None:
    from matching.scoring import cheap_clue_bits

    sought = Person(
        "Aminah Yusuf Farah",
        sex=Sex.FEMALE,
        date_of_birth=PartialDate(2014, 6),
        place_of_origin=Place("SO", locality="Baidoa"),
    )
    [left] = prepare_record(tracing(AMINA, MOTHER), FAKE_NAMES)
    [right] = prepare_record(enquiry(sought, family=(MOTHER,)), FAKE_NAMES)
    full = score_sides(left, right, names=FAKE_NAMES)
    expected = sum(
        step.bits
        for step in full.explanation.steps
        if step.clue not in {"prior", "child_name", "child_name.frequency", "relatives"}
        and step.clue != "named_sibling"
    )
    assert cheap_clue_bits(left, right, DEFAULT_MODEL, names=FAKE_NAMES) == pytest.approx(expected)
    assert expected > 0  # sex, birth and place agree: the test has something to add up


def test_a_name_alone_has_no_cheap_clues_and_gets_one_cheap_weight_against_everyone() -> None:
    from matching.comparisons import prepare_query
    from matching.scoring import cheap_clue_bits, has_cheap_clues

    by_name = prepare_query(Person("Amina Yusuf"), FAKE_NAMES, as_of=REGISTERED)
    assert not has_cheap_clues(by_name, DEFAULT_MODEL, names=FAKE_NAMES)
    others = [
        side
        for record in (tracing(AMINA, MOTHER), enquiry(Person("Omar Ali", sex=Sex.MALE)))
        for side in prepare_record(record, FAKE_NAMES)
    ]
    weights = {cheap_clue_bits(by_name, other, DEFAULT_MODEL, names=FAKE_NAMES) for other in others}
    assert len(weights) == 1  # ranking by the cheap clues could change nothing
    for clue in (
        Person("Amina Yusuf", sex=Sex.FEMALE),
        Person("Amina Yusuf", age=AgeEstimate(9, 10)),
        Person("Amina Yusuf", place_of_origin=Place("SO")),
    ):
        side = prepare_query(clue, FAKE_NAMES, as_of=REGISTERED)
        assert has_cheap_clues(side, DEFAULT_MODEL, names=FAKE_NAMES)
