"""Name structure: parts, particles, compounds."""

import pytest

from matching.name_parts import canonical_latin, parse_name


def _written(name: str) -> list[str]:
    return [part.written for part in parse_name(name)]


def test_a_full_name_splits_into_its_parts_in_order() -> None:
    assert _written("Ahmed Ali Hassan") == ["ahmed", "ali", "hassan"]


@pytest.mark.parametrize(
    "name",
    ["Hamad bin Khalifa Al Nahyan", "Hamad ibn Khalifa al-Nahyan", "hamad  BIN khalifa el nahyan"],
)
def test_particles_are_dropped(name: str) -> None:
    assert _written(name) == ["hamad", "khalifa", "nahyan"]


def test_arabic_particles_are_dropped() -> None:
    assert _written("حمد بن خليفه ال نهيان") == ["حمد", "خليفه", "نهيان"]


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Javanshir clan", ["javanshir"]),
        ("the Karimi family", ["the", "karimi"]),
        ("عشيرة جوانشير", ["جوانشير"]),
        ("पँवार राजवंश", ["पँवार"]),
        ("シャイフ家", ["シャイフ"]),
        ("谢赫家族", ["谢赫"]),
        ("ニアジ族", ["ニアジ"]),
    ],
)
def test_words_for_a_family_or_clan_are_not_name_parts(name: str, parts: list[str]) -> None:
    assert _written(name) == parts


def test_a_one_character_name_before_a_family_suffix_is_kept_whole() -> None:
    # 王家 could be a given name as well as "the Wang family": too short to tell.
    assert _written("王家") == ["王家"]


@pytest.mark.parametrize(
    "name", ["Abd al-Rahman", "Abdul Rahman", "Abdulrahman", "Abdurrahman", "Abd-ur-Rahman"]
)
def test_abd_compounds_written_joined_or_apart_give_one_part(name: str) -> None:
    parts = parse_name(name)
    assert len(parts) == 1
    assert parts[0].forms[0] == "abdalrahman"


def test_arabic_abd_compound_written_apart_is_joined() -> None:
    assert _written("عبد الرحمن") == ["عبدالرحمن"]


def test_abu_joins_the_name_after_it() -> None:
    assert _written("Abu Bakr") == ["abubakr"]


@pytest.mark.parametrize("name", ["Nasir ud-Din", "Nasir al-Din", "Nasiruddin", "Nasreddine"])
def test_the_al_din_family_gives_one_part(name: str) -> None:
    parts = parse_name(name)
    assert len(parts) == 1
    assert parts[0].forms[0].endswith("aldin")


def test_abdullah_spellings_share_one_canonical_form() -> None:
    assert canonical_latin("abdullah") == canonical_latin("abdallah") == "abdallah"
    assert canonical_latin("abdulla") == "abdallah"


def test_european_particles_are_dropped() -> None:
    assert _written("Ludwig van Beethoven") == ["ludwig", "beethoven"]


def test_a_name_made_only_of_a_particle_is_kept() -> None:
    assert _written("Ben") == ["ben"]


def test_hyphens_and_apostrophes_split_or_join_as_writers_mean() -> None:
    assert _written("Jean-Pierre O'Brien") == ["jean", "pierre", "obrien"]


def test_a_name_without_letters_has_no_parts() -> None:
    assert parse_name("  -- 123 ") == ()


@pytest.mark.parametrize(
    ("name", "spelling"),
    [("ג'ואל", "joal"), ("צ'לסי", "chlsi"), ("ריץ’", "rich"), ("ז'אן", "zhan")],
)
def test_an_apostrophe_after_a_hebrew_letter_reads_as_a_geresh(name: str, spelling: str) -> None:
    # Typed on a Latin keyboard, the geresh of ג' (j), צ' (ch) and ז' (zh) is an apostrophe;
    # dropping it would read Joel as "goal" and Chelsea as "tslsi".
    (part,) = parse_name(name)
    assert part.forms[0] == spelling
