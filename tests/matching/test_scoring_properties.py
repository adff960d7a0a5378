"""Any text in any field: scoring never crashes and stays a probability."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.records import AgeEstimate, MatchableRecord, PartialDate, Person, Place, RecordKind
from matching.scoring import compare_records

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
