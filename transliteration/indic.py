"""Romanisation of the Brahmic abugidas: Devanagari, Bengali, Gurmukhi, Gujarati, Oriya,
Tamil, Telugu, Kannada, Malayalam, and Sinhala; and Burmese (`romanise_myanmar`), whose
syllables and rhymes read by rules of their own.

A consonant letter carries a vowel (a; o in Bengali) unless a vowel sign or a virama
follows. anyascii writes the bare consonant, so this module puts the inherent vowel
back, and gives the form with the final inherent vowel dropped as Hindi and Bengali
speakers pronounce it (मनोज: manoja → manoj; রহিম: rahima → rahim).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_INDEPENDENT_VOWELS = frozenset(
    {"A", "AA", "I", "II", "U", "UU", "E", "EE", "AI", "O", "OO", "AU", "SHORT E", "SHORT O"}
)


def _kind(char: str) -> str:
    """C consonant, V vowel sign, X virama, K nukta, N other sign, L other letter."""
    name = unicodedata.name(char, "")
    if " LETTER " in name and unicodedata.category(char) == "Lo":
        tail = name.split(" LETTER ", 1)[1]
        if tail in _INDEPENDENT_VOWELS or tail.startswith("VOCALIC"):
            return "L"
        return "C"
    if "VIRAMA" in name or "AL-LAKUNA" in name:
        return "X"
    if "VOWEL SIGN" in name:
        return "V"
    if "NUKTA" in name:
        return "K"
    if "ANUSVARA" in name or "CANDRABINDU" in name:
        return "M"
    return "N"


# Letters whose anyascii reading drops what an English spelling writes (ś is sh, c is ch).
_NAMED_READINGS = {"SHA": "sh", "SSA": "sh", "CA": "ch", "CHA": "chh", "JHA": "jh"}
# A consonant with a nukta is a Persian or Arabic sound (ज़ z, फ़ f, क़ q, ख़ kh, ड़ r).
_NUKTA_READINGS = {
    "j": "z",
    "ph": "f",
    "k": "q",
    "kh": "kh",
    "g": "gh",
    "dd": "r",
    "d": "r",
    "ddh": "rh",
    "y": "y",
}


def _reading(char: str) -> str:
    name = unicodedata.name(char, "")
    tail = name.split(" LETTER ", 1)[1] if " LETTER " in name else ""
    if tail in _NAMED_READINGS:
        return _NAMED_READINGS[tail]
    return "".join(c for c in anyascii(char).lower() if c.isalpha())


def _delete_schwas(units: list[tuple[str, bool]]) -> str:
    """Hindi and Bengali schwa deletion (Ohala's rule), right to left.

    `units` are (text, is_inherent_vowel). An inherent vowel goes at the end of the word,
    and between a vowel-consonant and a consonant-vowel (कमला ka-ma-la → kamla, উইলসন
    wi-lo-so-no → wilson).
    """
    kept = [True] * len(units)

    def is_vowel(index: int) -> bool:
        return 0 <= index < len(units) and kept[index] and units[index][0][:1] in "aeiou"

    for index in range(len(units) - 1, -1, -1):
        _, inherent = units[index]
        if not inherent:
            continue
        if index == len(units) - 1:
            kept[index] = False
            continue
        if index >= 2 and is_vowel(index - 2) and index + 2 < len(units) and is_vowel(index + 2):
            kept[index] = False
    return "".join(text for (text, _), keep in zip(units, kept, strict=True) if keep)


@lru_cache(maxsize=65536)
def romanise_brahmic(token: str, inherent: str = "a") -> tuple[str, ...]:
    """Candidate Latin forms of a token in a Brahmic script.

    With all inherent vowels first, then with the schwas deleted as Hindi and Bengali
    speakers do (मनोज manoja → manoj; রহিম rahima → rahim), then without the final one.
    """
    pieces: list[tuple[str, str]] = []
    for char in token:
        kind = _kind(char)
        if kind == "K" and pieces and pieces[-1][0] == "C":
            # The nukta changes the consonant before it.
            previous = pieces[-1][1]
            pieces[-1] = ("C", _NUKTA_READINGS.get(previous, previous))
            continue
        pieces.append((kind, _reading(char)))
    units: list[tuple[str, bool]] = []
    for index, (kind, text) in enumerate(pieces):
        if kind == "K":
            continue
        # The anusvara and candrabindu are the nasal of what follows: Singh, Shahjahan.
        units.append(("n" if kind == "M" else text, False))
        if kind == "C" and (index + 1 >= len(pieces) or pieces[index + 1][0] not in {"V", "X"}):
            units.append((inherent, True))
    if not units:
        return ()
    full = "".join(text for text, _ in units)
    forms = [full, _delete_schwas(units)]
    if units[-1][1]:
        forms.append(full[: -len(inherent)])
    if inherent == "o":
        # Bengali: ya-phala after a consonant is the vowel of Harrison (hæ), and o + y
        # at the start of a syllable is the w of Wilson, Watashi.
        for form in list(forms):
            spoken = re.sub(r"(?<=[^aeiouy])y(?=a)|^ay(?=a)", "", form)
            spoken = re.sub(r"^(?:o|u)[iy](?=[aeiou])|^u(?=i)", "w", spoken)
            spoken = re.sub(r"(?<=[aeiou])(?:o|u)[iy](?=a)", "w", spoken)
            forms.append(spoken)
    return tuple(dict.fromkeys(form for form in forms if form))


# --- Myanmar (Burmese) ---------------------------------------------------------------
# Burmese writes a syllable as a consonant (with medials), vowel signs, a final consonant
# killed by the asat, and tone marks. anyascii spells the letters one by one (ရတနာ rtna,
# အောင် ean), without the inherent vowel or the readings of vowel combinations.
_MYANMAR_CARRIER = "\u1021"  # အ: a vowel with no consonant
_MYANMAR_ASAT = "\u103a"
_MYANMAR_VIRAMA = "\u1039"  # stacks the next consonant under this one: no vowel between
_MYANMAR_MEDIALS = {"\u103b": "y", "\u103c": "y", "\u103d": "w", "\u103e": "h"}
_MYANMAR_TONES = frozenset("\u1037\u1038")  # dot below, visarga: tones, not letters
_MYANMAR_VOWEL_SIGNS = {
    "\u102b": "a",
    "\u102c": "a",
    "\u102d": "i",
    "\u102e": "i",
    "\u102f": "u",
    "\u1030": "u",
    "\u1031": "e",
    "\u1032": "e",
    "\u1036": "n",  # the anusvara: a nasal final
}
# How a syllable's vowel signs and final consonant read together (Burmese rhymes): ေ + ာ
# is aw (ဇော် Zaw), with a final ng aung (အောင် Aung); ိ + ု is o (စိုး Soe), with ng
# aing; the bare vowel before a final ng is i (ဝင်း Win), before y e.
_MYANMAR_RHYMES = {
    ("ea", ""): "aw",
    ("ea", "ng"): "aung",
    ("iu", ""): "o",
    ("iu", "ng"): "aing",
    ("", "ng"): "in",
    ("i", "n"): "ein",
    ("", "y"): "e",
}
#: Burmese reads ရ as y and a medial ha after it as sh (ရှ); foreign names keep its r.
_MYANMAR_RA = "\u101b"
# Letters whose Burmese reading anyascii does not give (the Pali ca, cha, ja are s, s, z).
_MYANMAR_READINGS = {"NGA": "ng", "CA": "s", "CHA": "s", "JA": "z", "JHA": "z", "WA": "w"}
# Between vowels, Burmese voices a consonant: ရတနာ, letter by letter yatana, is said Yadana.
_MYANMAR_VOICED = re.compile(r"(?<=[aeiou])(?:t|k|p|s)(?=[aeiou])")
_VOICING = {"t": "d", "k": "g", "p": "b", "s": "z"}


def _myanmar_reading(char: str, ra: str) -> str:
    if char == _MYANMAR_CARRIER:
        return ""
    if char == _MYANMAR_RA:
        return ra
    tail = unicodedata.name(char, "").split(" LETTER ", 1)[-1]
    return _MYANMAR_READINGS.get(tail) or _reading(char)


def _myanmar_syllables(token: str, ra: str) -> list[str]:
    """The token's syllables in Latin letters, `ra` standing for ရ."""
    syllables: list[list[str]] = []  # [onset, vowels, final]
    for index, char in enumerate(token):
        # The asat that kills this letter's vowel may come after a tone mark (မြင့်).
        after = token[index + 1 :].lstrip("".join(_MYANMAR_TONES))[:1]
        name = unicodedata.name(char, "")
        if char in _MYANMAR_TONES or char == _MYANMAR_ASAT:
            continue
        if char == _MYANMAR_VIRAMA:
            if syllables and not syllables[-1][1]:
                syllables[-1][1] = "-"  # the stacked consonant closes this syllable
            continue
        if char in _MYANMAR_MEDIALS and syllables:
            medial = _MYANMAR_MEDIALS[char]
            onset = syllables[-1][0]
            syllables[-1][0] = "sh" if medial == "h" and onset == ra else onset + medial
            continue
        if char in _MYANMAR_VOWEL_SIGNS and syllables:
            syllables[-1][1] += _MYANMAR_VOWEL_SIGNS[char]
            continue
        if " LETTER " not in name:
            continue
        reading = _myanmar_reading(char, ra)
        if after == _MYANMAR_ASAT and syllables:
            syllables[-1][2] += reading  # a final consonant
        elif char != _MYANMAR_CARRIER and name.split(" LETTER ", 1)[1] in _INDEPENDENT_VOWELS:
            syllables.append([reading, "-", ""])
        else:
            syllables.append([reading, "", ""])
    out = []
    for onset, vowels, final in syllables:
        rhyme = _MYANMAR_RHYMES.get((vowels, final))
        if rhyme is None:
            rhyme = ("" if vowels == "-" else vowels or "a") + final
        out.append(onset + rhyme)
    return out


@lru_cache(maxsize=65536)
def romanise_myanmar(token: str) -> tuple[str, ...]:
    """Candidate Latin forms of a Burmese token: ရ read as y (Burmese) and as r (foreign
    names), each also with the voicing Burmese gives a consonant between vowels.

    ရတနာ → yatana, yadana, ratana; အောင် → aung; ယိုရှီယာကီ → yoshiyaki.
    """
    forms: list[str] = []
    for ra in ("y", "r"):
        spelled = "".join(_myanmar_syllables(token, ra))
        if spelled:
            voiced = _MYANMAR_VOICED.sub(lambda m: _VOICING[m.group(0)], spelled)
            forms.extend((spelled, voiced))
    return tuple(dict.fromkeys(forms))
