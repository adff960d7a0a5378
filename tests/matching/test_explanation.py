"""The waterfall of clue contributions, with and without the compared values."""

from matching.explanation import Explanation, Step
from matching.records import MatchableRecord, Person, RecordKind, Sex
from matching.scoring import compare_records
from tests.matching.rapidfuzz_names import FAKE_NAMES


def _score() -> Explanation:
    a = MatchableRecord("a", RecordKind.TRACING_REQUEST, (Person("Amina Farah", sex=Sex.FEMALE),))
    b = MatchableRecord("b", RecordKind.ENQUIRY, (Person("Amina Farah", sex=Sex.MALE),))
    return compare_records(a, b, names=FAKE_NAMES)[0].explanation


def test_sentence_has_plain_words_and_signed_bits() -> None:
    assert Step("sex", "sex", "differ", "sex differs", -6.04).sentence() == "sex differs: −6.0"
    assert Step("x", "x", "y", "names agree", 8.12).sentence() == "names agree: +8.1"


def test_explanation_starts_with_the_prior_then_strongest_evidence() -> None:
    lines = _score().sentences()
    assert lines[0].startswith("starting odds of a match: −")
    assert lines[1].startswith("names are the same: +")
    assert any(line.startswith("sex differs: −") for line in lines)
    assert not any("missing" in line or "not stated" in line for line in lines)


def test_values_are_there_for_reviewers_and_gone_without_values() -> None:
    explanation = _score()
    name_step = next(s for s in explanation.steps if s.clue == "child_name")
    assert name_step.left == "Amina Farah"
    redacted = explanation.without_values()
    assert all(s.left is None and s.right is None for s in redacted.steps)
    assert redacted.total_bits == explanation.total_bits
    assert "left" not in redacted.to_list(with_values=False)[1]
    assert "Amina" not in str(explanation.to_list(with_values=False))


def test_every_step_carries_clue_level_label_and_bits() -> None:
    for item in _score().to_list():
        assert {"clue", "title", "level", "label", "bits"} <= set(item)


def test_pair_score_as_json_withholds_values_by_default() -> None:
    import json

    a = MatchableRecord("a", RecordKind.TRACING_REQUEST, (Person("Amina Farah"),))
    b = MatchableRecord("b", RecordKind.ENQUIRY, (Person("Amina Farah"),))
    score = compare_records(a, b, names=FAKE_NAMES)[0]
    withheld = json.dumps(score.to_dict())
    assert "amina" not in withheld.lower()
    assert "Amina" in json.dumps(score.to_dict(with_values=True))
    assert score.to_dict()["comparison_vector"] == score.comparison_vector
