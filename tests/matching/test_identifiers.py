"""Document numbers: exact, one typo, differ."""

from matching.identifiers import compare_identifiers, normalise_identifier, one_typo_apart
from matching.records import Identifier


def test_values_compare_without_punctuation_or_case() -> None:
    assert normalise_identifier("abc-123 45") == "ABC12345"
    assert (
        compare_identifiers(
            (Identifier("unhcr", "123-AB1234"),), (Identifier("UNHCR", "123ab1234"),)
        )
        == "exact"
    )


def test_one_typo_or_swap_apart() -> None:
    assert one_typo_apart("1234567", "1234568")
    assert one_typo_apart("1234567", "1243567")
    assert one_typo_apart("1234567", "123467")
    assert not one_typo_apart("1234567", "1235476")


def test_same_type_different_value_differs() -> None:
    assert compare_identifiers(
        (Identifier("icrc", "111111"),), (Identifier("icrc", "999999"),)
    ) == ("differ")


def test_different_types_are_not_comparable_unless_the_long_value_is_equal() -> None:
    assert (
        compare_identifiers((Identifier("icrc", "1111"),), (Identifier("unhcr", "9999"),)) is None
    )
    assert (
        compare_identifiers(
            (Identifier("unhcr", "ABC-123456"),), (Identifier("unhcr case", "abc123456"),)
        )
        == "exact"
    )
