"""Places of origin, last known addresses and places of separation, compared part by part.

Places are free text in any script (except the ISO country code), so town and district
names go through the same cross-script similarity as names. The agreement is the most
specific part that agrees: a street address, a town or postcode, a district, a province,
a country.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import Levenshtein

from matching.records import Place

PlaceAgreement = Literal[
    "street", "locality", "partial", "admin2", "admin1", "country", "region_differs", "differ"
]

TextAgrees = Callable[[str, str], bool]

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")
# One typo in a 20-letter street name is still the same street; two in a 6-letter one is not.
STREET_SIMILARITY = 0.85


@lru_cache(maxsize=65536)
def normalise_place_text(text: str) -> str:
    """Case-folded, compatibility-normalised, punctuation as spaces, spaces collapsed.

    Memoised: a registry's towns and streets recur in pair after pair.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", folded)).strip()


@lru_cache(maxsize=65536)
def normalise_postcode(text: str) -> str:
    """Postcodes compare without spaces or case ('SW1A 1AA' is 'sw1a1aa'). Memoised."""
    return _SPACES.sub("", text).casefold()


@lru_cache(maxsize=65536)
def _street_parts(text: str) -> tuple[str, tuple[str, ...], str]:
    """A street address normalised, its numbers, and its words without the numbers.

    Memoised, like `normalise_place_text`: each address is compared with many others.
    """
    normalised = normalise_place_text(text)
    return normalised, tuple(_DIGITS.findall(normalised)), _DIGITS.sub("", normalised).strip()


def streets_agree(a: str, b: str) -> bool:
    """House numbers equal where both give one, and the street names nearly the same."""
    text_a, numbers_a, words_a = _street_parts(a)
    text_b, numbers_b, words_b = _street_parts(b)
    if text_a == text_b:
        return True
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return False
    if not words_a or not words_b:
        return False
    return Levenshtein.normalized_similarity(words_a, words_b) >= STREET_SIMILARITY


def _text_agrees(a: str | None, b: str | None, similar: TextAgrees) -> bool | None:
    """None when either side is blank, else whether the two names agree."""
    if not a or not b or not a.strip() or not b.strip():
        return None
    na, nb = normalise_place_text(a), normalise_place_text(b)
    return na == nb or similar(a, b)


def compare_places(a: Place | None, b: Place | None, similar: TextAgrees) -> PlaceAgreement | None:
    """The most specific part on which two places agree; None when nothing is comparable.

    Below the agreeing parts: `country` (the same country, nothing finer on both sides),
    `region_differs` (the same country, different towns or provinces), `differ`.

    `similar` decides whether two place names (towns, districts, provinces) agree; the
    caller passes the cross-script name matcher so that "Kandahar" and "قندهار" agree.
    """
    if a is None or b is None or a.is_empty() or b.is_empty():
        return None
    street = (
        streets_agree(a.street, b.street)
        if a.street and b.street and a.street.strip() and b.street.strip()
        else None
    )
    locality = _text_agrees(a.locality, b.locality, similar)
    postcode = (
        normalise_postcode(a.postcode) == normalise_postcode(b.postcode)
        if a.postcode and b.postcode and a.postcode.strip() and b.postcode.strip()
        else None
    )
    admin2 = _text_agrees(a.admin2, b.admin2, similar)
    if not admin2:
        # Towns and their districts often share a name: one record's town may be the
        # other's district (Spin Boldak, Sinjar).
        across = (
            _text_agrees(a.locality, b.admin2, similar),
            _text_agrees(a.admin2, b.locality, similar),
        )
        if True in across:
            admin2 = True
    admin1 = _text_agrees(a.admin1, b.admin1, similar)
    country = a.country.upper() == b.country.upper() if a.country and b.country else None

    town = (locality, postcode)
    town_agrees = True in town
    town_conflicts = False in town
    if street and town_agrees and not town_conflicts:
        return "street"
    if town_agrees and not town_conflicts and street is not False:
        return "locality"
    if street or town_agrees:
        return "partial"
    if admin2:
        return "admin2"
    if admin1:
        return "admin1"
    finer = (street, locality, postcode, admin2, admin1)
    if country:
        # The same country says little; a different town or province in it says more.
        return "region_differs" if False in finer else "country"
    if country is False or False in finer:
        return "differ"
    return None
