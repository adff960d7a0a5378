"""Romanisation of the Brahmic abugidas: Devanagari, Bengali, Gurmukhi, Gujarati, Oriya,
Tamil, Telugu, Kannada, Malayalam, and Sinhala.

A consonant letter carries a vowel (a; o in Bengali) unless a vowel sign or a virama
follows. anyascii writes the bare consonant, so this module puts the inherent vowel
back, and gives the form with the final inherent vowel dropped as Hindi and Bengali
speakers pronounce it (मनोज: manoja → manoj; রহিম: rahima → rahim).
"""

from __future__ import annotations

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
    if "ANUSVARA" in name:
        return "M"
    return "N"


@lru_cache(maxsize=65536)
def romanise_brahmic(token: str, inherent: str = "a") -> tuple[str, ...]:
    """Candidate Latin forms of a token in a Brahmic script.

    With all inherent vowels first, then without the final one, then without the
    inherent vowels before a consonant cluster is broken (a schwa-deletion reading).
    """
    pieces: list[tuple[str, str]] = []
    for char in token:
        kind = _kind(char)
        text = "".join(c for c in anyascii(char).lower() if c.isalpha())
        pieces.append((kind, text))
    full: list[str] = []
    schwa_positions: list[int] = []
    for index, (kind, text) in enumerate(pieces):
        if kind == "K":
            continue
        # The anusvara is the nasal of the following consonant: n in Singh, Anand.
        full.append("n" if kind == "M" else text)
        if kind == "C":
            nxt = index + 1
            while nxt < len(pieces) and pieces[nxt][0] == "K":
                nxt += 1
            if nxt >= len(pieces) or pieces[nxt][0] not in {"V", "X"}:
                schwa_positions.append(len(full))
                full.append(inherent)
    if not full:
        return ()
    forms = ["".join(full)]
    if schwa_positions and schwa_positions[-1] == len(full) - 1:
        dropped_final = full[:-1]
        forms.append("".join(dropped_final))
        # Hindi also drops a medial schwa between a vowel-consonant and consonant-vowel
        # (कमला kamala → kamla); try dropping the second-to-last inherent vowel.
        if len(schwa_positions) >= 2:
            medial = [p for i, p in enumerate(full) if i != schwa_positions[-2]]
            forms.append("".join(medial))
    elif len(schwa_positions) >= 2:
        medial = [p for i, p in enumerate(full) if i != schwa_positions[-1]]
        forms.append("".join(medial))
    return tuple(dict.fromkeys(form for form in forms if form))
