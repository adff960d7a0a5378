"""Script detection per token (ISO 15924)."""

import pytest

from transliteration import detect_script


@pytest.mark.parametrize(
    ("token", "script"),
    [
        ("Mohamed", "Latn"),
        ("Nguyễn", "Latn"),
        ("محمد", "Arab"),
        ("گل‌محمد", "Arab"),
        ("Олександр", "Cyrl"),
        ("ዮናስ", "Ethi"),
        ("Γιώργος", "Grek"),
        ("Հակոբ", "Armn"),
        ("გიორგი", "Geor"),
        ("יוסף", "Hebr"),
        ("राम", "Deva"),
        ("রহিম", "Beng"),
        ("สมชาย", "Thai"),
        ("김민준", "Hang"),
        ("王秀英", "Hani"),
        ("はしだ", "Hira"),
        ("ハッサン", "Kana"),
        ("木ノ下", "Jpan"),
        ("ကျော်", "Mymr"),
        ("សុខា", "Khmr"),
    ],
)
def test_detects_the_script_of_a_token(token: str, script: str) -> None:
    assert detect_script(token) == script


def test_a_token_without_letters_is_common() -> None:
    assert detect_script("123-,") == "Zyyy"


def test_the_majority_script_wins_in_a_mixed_token() -> None:
    assert detect_script("Mohamedм") == "Latn"
