"""Normalisation: what writers never meant to be part of a name goes, variants unify."""

import pytest

from transliteration import clean_text, normalise_name


def test_harakat_and_tatweel_are_removed() -> None:
    assert clean_text("مُحَمَّد") == "محمد"
    assert clean_text("محـــمد") == "محمد"


def test_hebrew_points_are_removed() -> None:
    assert clean_text("יוֹסֵף") == "יוסף"


def test_zero_width_and_bidirectional_controls_are_removed() -> None:
    assert clean_text("Ah\u200bmed\u202e") == "ahmed"
    assert clean_text("\u200fعلي\u200e") == "علي"


def test_case_is_folded_and_compatibility_forms_are_unified() -> None:
    assert clean_text("ＭＯＨＡＭＥＤ") == "mohamed"
    assert clean_text("Straße") == "strasse"


def test_white_space_runs_become_one_space() -> None:
    assert clean_text("  Ahmed \t Ali\n") == "ahmed ali"


def test_latin_diacritics_are_kept_for_romanisation() -> None:
    assert clean_text("Çelik") == "çelik"


@pytest.mark.parametrize(
    ("variant", "unified"),
    [
        ("أحمد", "احمد"),  # alef with hamza above
        ("إبراهيم", "ابراهيم"),  # alef with hamza below
        ("آمنة", "امنه"),  # alef madda; teh marbuta
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("کریم", "كريم"),  # Persian kaf and yeh
        ("فاطمة", "فاطمه"),  # teh marbuta
        ("فاضلۃ", "فاضله"),  # Urdu teh marbuta goal
    ],
)
def test_arabic_letter_variants_are_unified(variant: str, unified: str) -> None:
    assert normalise_name(variant) == unified


def test_persian_and_arabic_spellings_of_one_name_normalise_alike() -> None:
    assert normalise_name("علی") == normalise_name("علي")


@pytest.mark.parametrize(
    ("variant", "unified"),
    [("Алёна", "алена"), ("Ігор", "игор"), ("Євген", "евген"), ("Ґалина", "галина")],
)
def test_cyrillic_letter_variants_are_unified(variant: str, unified: str) -> None:
    assert normalise_name(variant) == unified


def test_greek_accents_and_final_sigma_are_unified() -> None:
    assert normalise_name("Γιώργος") == normalise_name("ΓΙΩΡΓΟΣ")
