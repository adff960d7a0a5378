"""Any text in any field: scoring never crashes and stays a probability."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.comparisons import Pair, default_name_matcher, prepare_record
from matching.records import (
    AgeEstimate,
    Identifier,
    MatchableRecord,
    PartialDate,
    Person,
    Place,
    RecordKind,
    Separation,
    Sex,
)
from matching.scoring import DEFAULT_MODEL, compare_records, score_sides, score_sides_above

text = st.text(max_size=40)


@st.composite
def people(draw: st.DrawFn) -> Person:
    year = draw(st.integers(1990, 2024))
    return Person(
        full_name=draw(text),
        native_name=draw(st.none() | text),
        other_names=tuple(draw(st.lists(text, max_size=2))),
        date_of_birth=draw(
            st.none() | st.just(PartialDate(year, draw(st.none() | st.integers(1, 12))))
        ),
        age=draw(st.none() | st.builds(AgeEstimate, st.integers(0, 20), st.integers(0, 20))),
        place_of_origin=draw(st.none() | st.builds(Place, locality=text, admin1=text)),
        sex=draw(st.sampled_from(Sex)),
        last_known_address=draw(
            st.none() | st.builds(Place, st.sampled_from(["AF", "LY"]), street=text, postcode=text)
        ),
        identifiers=tuple(
            draw(st.lists(st.builds(Identifier, st.sampled_from(["unhcr", "icrc"]), text)))
        ),
    )


@settings(max_examples=60, deadline=None)
@given(people(), people(), people())
def test_any_names_and_places_score_between_zero_and_one(a: Person, b: Person, c: Person) -> None:
    left = MatchableRecord("a", RecordKind.TRACING_REQUEST, (a,), registered_on=date(2024, 1, 1))
    right = MatchableRecord("b", RecordKind.ENQUIRY, (b, c), family=(a,))
    scores = compare_records(left, right)
    assert len(scores) == 2
    for score in scores:
        assert 0.0 <= score.score <= 1.0
        assert score.band in (None, "possible", "likely")


@settings(max_examples=60, deadline=None)
@given(people(), people(), st.none() | st.builds(Separation, place=st.builds(Place, locality=text)))
def test_levels_read_alone_give_the_same_score_as_observations(
    a: Person, b: Person, separation: Separation | None
) -> None:
    """Ranking and dropping pairs read levels without values (`level_of`); a pair kept
    under a floor is scored exactly as without one, compared values included."""
    names = default_name_matcher()
    left = MatchableRecord("a", RecordKind.TRACING_REQUEST, (a,), registered_on=date(2024, 1, 1))
    right = MatchableRecord("b", RecordKind.ENQUIRY, (b,), separation=separation)
    (x,), (y,) = prepare_record(left, names), prepare_record(right, names)
    pair = Pair(x, y, names)
    for comparison in DEFAULT_MODEL.comparisons:
        assert comparison.level_of(pair) == comparison.observe(pair).level, comparison.id
    full = score_sides(x, y, names=names)
    assert score_sides_above(x, y, names=names, floor=full.match_weight - 1.0) == full
