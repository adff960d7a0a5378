"""Romanisation of one name token into several candidate Latin forms.

`romanise` detects the token's script and calls the romaniser for it; every candidate is
lower-case ASCII letters only. Where one script maps to many spellings (Arabic without
short vowels, Cyrillic by the convention of the target language, Han read as pinyin or
as a foreign name) the candidates cover the common ones, most likely first, so that the
matcher can compare each against the other name's candidates.
"""

from __future__ import annotations

from functools import lru_cache

from anyascii import anyascii

from transliteration.alphabets import (
    romanise_armenian,
    romanise_ethiopic,
    romanise_georgian,
    romanise_greek,
    romanise_hebrew,
    romanise_thai,
)
from transliteration.arabic import romanise_arabic
from transliteration.cyrillic import romanise_cyrillic
from transliteration.east_asian import (
    japanese_reading,
    romanise_han,
    romanise_hangul,
    romanise_kana,
)
from transliteration.indic import romanise_brahmic
from transliteration.latin import latin_variants, strip_to_ascii
from transliteration.normalise import clean_text
from transliteration.scripts import detect_script

#: Scripts whose consonant letters carry an inherent vowel, and that vowel.
_BRAHMIC_INHERENT = {
    "Deva": ("a",),
    "Beng": ("o", "a"),
    "Orya": ("o", "a"),
    "Guru": ("a",),
    "Gujr": ("a",),
    "Taml": ("a",),
    "Telu": ("a",),
    "Knda": ("a",),
    "Mlym": ("a",),
    "Sinh": ("a",),
}
MAX_FORMS = 8


def _romanise_mixed_japanese(token: str) -> tuple[str, ...]:
    # The Japanese reader knows kanji with kana (木ノ下 Kinoshita); without it, kana are
    # read as kana and the kanji by anyascii (a Chinese reading).
    out: list[str] = []
    for char in token:
        kana = romanise_kana(char)
        out.append(kana[0] if kana else strip_to_ascii(char))
    reading = japanese_reading(token)
    return tuple(dict.fromkeys(form for form in (reading, "".join(out)) if form))


@lru_cache(maxsize=131072)
def romanise(token: str) -> tuple[str, ...]:
    """Candidate Latin forms of one name token, most likely first; () if it has no letter.

    محمد → mhmd, mahamad, …; Олександр → oleksandr, …; ዮናስ → yonas;
    Nguyễn → nguyen, …; 斯维尼 → siweini, …, sweini.
    """
    text = clean_text(token)
    if not text:
        return ()
    script = detect_script(text)
    forms: tuple[str, ...]
    if script == "Latn":
        forms = latin_variants(text)
    elif script == "Arab":
        forms = romanise_arabic(text)
    elif script == "Cyrl":
        forms = romanise_cyrillic(text)
    elif script in {"Hira", "Kana"}:
        forms = romanise_kana(text)
    elif script == "Jpan":
        forms = _romanise_mixed_japanese(text)
    elif script == "Hani":
        forms = romanise_han(text)
    elif script in {"Hang", "Kore"}:
        forms = romanise_hangul(text)
    elif script == "Grek":
        forms = romanise_greek(text)
    elif script == "Hebr":
        forms = romanise_hebrew(text)
    elif script == "Armn":
        forms = romanise_armenian(text)
    elif script == "Geor":
        forms = romanise_georgian(text)
    elif script == "Ethi":
        forms = romanise_ethiopic(text)
    elif script == "Thai":
        forms = romanise_thai(text)
    elif script in _BRAHMIC_INHERENT:
        collected: list[str] = []
        for inherent in _BRAHMIC_INHERENT[script]:
            collected.extend(romanise_brahmic(text, inherent))
        forms = tuple(collected)
    else:
        forms = ()
    fallback = strip_to_ascii(anyascii(text))
    # Every candidate is lower-case ASCII letters only, whatever a romaniser let through.
    candidates = [c for c in ("".join(ch for ch in f if "a" <= ch <= "z") for f in forms) if c]
    if fallback and fallback not in candidates and (not candidates or script != "Arab"):
        candidates.append(fallback)
    return tuple(dict.fromkeys(candidates))[:MAX_FORMS]
