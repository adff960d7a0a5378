"""Romanisation of one name token into several candidate Latin forms.

`romanise` detects the token's script and calls the romaniser for it; every candidate is
lower-case ASCII letters only. Where one script maps to many spellings (Arabic without
short vowels, Cyrillic by the convention of the target language, Han read as pinyin or
as a foreign name) the candidates cover the common ones, most likely first, so that the
matcher can compare each against the other name's candidates.
"""

from __future__ import annotations

from collections.abc import Callable
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
    looks_japanese,
    other_japanese_spellings,
    romanise_han,
    romanise_hangul,
    romanise_kana,
)
from transliteration.indic import romanise_brahmic, romanise_myanmar
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
#: A token in Chinese characters is read in two languages, Chinese and Japanese (four
#: Chinese forms, then the Japanese readings): room for the readings a Japanese name
#: may have (三谷 Mitani or Mitsutani, 幸田 Kouda or Sachida). On the development data,
#: twelve forms and eight readings (instead of eight and four) found 11 more held-out Han
#: true pairs of 728 and 3 of 792 tuning ones; 2 more of 292 look-alikes passed.
HAN_MAX_FORMS = 12


def _romanise_mixed_japanese(token: str) -> tuple[str, ...]:
    # The Japanese reader knows kanji with kana (木ノ下 Kinoshita); without it, kana are
    # read as kana and the kanji by anyascii (a Chinese reading).
    out: list[str] = []
    for char in token:
        kana = romanise_kana(char)
        out.append(kana[0] if kana else strip_to_ascii(char))
    reading = japanese_reading(token)
    return tuple(dict.fromkeys(form for form in (reading, "".join(out)) if form))


# One romaniser per script (ISO 15924); Brahmic scripts share one, told their inherent vowels.
_ROMANISER_OF_SCRIPT: dict[str, Callable[[str], tuple[str, ...]]] = {
    "Latn": latin_variants,
    "Arab": romanise_arabic,
    "Cyrl": romanise_cyrillic,
    "Hira": romanise_kana,
    "Kana": romanise_kana,
    "Jpan": _romanise_mixed_japanese,
    "Hani": romanise_han,
    "Hang": romanise_hangul,
    "Kore": romanise_hangul,
    "Grek": romanise_greek,
    "Hebr": romanise_hebrew,
    "Armn": romanise_armenian,
    "Geor": romanise_georgian,
    "Ethi": romanise_ethiopic,
    "Thai": romanise_thai,
    "Mymr": romanise_myanmar,
}


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
    romaniser = _ROMANISER_OF_SCRIPT.get(script)
    if romaniser is not None:
        forms = romaniser(text)
    elif script in _BRAHMIC_INHERENT:
        forms = tuple(
            form
            for inherent in _BRAHMIC_INHERENT[script]
            for form in romanise_brahmic(text, inherent)
        )
    else:
        forms = ()
    fallback = strip_to_ascii(anyascii(text))
    # Every candidate is lower-case ASCII letters only, whatever a romaniser let through.
    candidates = [c for c in ("".join(ch for ch in f if "a" <= ch <= "z") for f in forms) if c]
    if fallback and fallback not in candidates and (not candidates or script != "Arab"):
        candidates.append(fallback)
    forms = tuple(dict.fromkeys(candidates))[: HAN_MAX_FORMS if script == "Hani" else MAX_FORMS]
    # A Japanese name, whatever script wrote it, is also spelt in Kunrei-shiki and the Czech
    # transcription (Ясима yasima ~ Yashima, Нэцута netsuta ~ Netuta, Hukuda ~ Fukuda).
    japanese = other_japanese_spellings(forms[0]) if forms and looks_japanese(forms[0]) else ()
    return tuple(dict.fromkeys((*forms, *japanese)))
