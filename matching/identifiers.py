"""Document numbers (UNHCR, ICRC, national id, birth certificate…) compared as written.

Two identifiers of the same type agree exactly, or are one typo away (one character
changed, added or dropped, or two neighbouring characters swapped), or differ.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import OSA

from matching.records import Identifier

IdentifierAgreement = Literal["exact", "typo", "differ"]

_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
# Values this short collide by chance across types, so they only count within one type.
_MIN_CROSS_TYPE_LENGTH = 6


def normalise_identifier(value: str) -> str:
    """Upper case, compatibility-normalised, without spaces, dashes, slashes or dots."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", value)).upper()


def normalise_type(kind: str) -> str:
    """The identifier type in a comparable form ('UNHCR ' and 'unhcr' are one type)."""
    return _NOT_ALNUM.sub("", kind.casefold())


def one_typo_apart(a: str, b: str) -> bool:
    """True when `b` is `a` with one character changed, added, dropped, or two swapped."""
    # Those four are the edits of the optimal string alignment distance, so one typo is
    # a distance of exactly one; rapidfuzz stops counting past it.
    return a != b and OSA.distance(a, b, score_cutoff=1) == 1


@lru_cache(maxsize=65536)
def _comparable(identifiers: tuple[Identifier, ...]) -> tuple[tuple[str, str], ...]:
    """(type, value) of each identifier with a value, normalised.

    Memoised: a child's documents are compared with those of every candidate.
    """
    return tuple(
        (normalise_type(i.type), normalise_identifier(i.value))
        for i in identifiers
        if i.value.strip()
    )


def compare_identifiers(
    left: tuple[Identifier, ...], right: tuple[Identifier, ...]
) -> IdentifierAgreement | None:
    """The best agreement between the two persons' identifiers, None if none comparable.

    Identifiers are comparable when their types are the same; the same long value under
    two different type names (an agency spelling its type its own way) also agrees.
    """
    if not left or not right:
        return None
    best: IdentifierAgreement | None = None
    for type_a, value_a in _comparable(left):
        for type_b, value_b in _comparable(right):
            if not value_a or not value_b:
                continue
            same_type = type_a == type_b
            if value_a == value_b and (same_type or len(value_a) >= _MIN_CROSS_TYPE_LENGTH):
                return "exact"
            if not same_type:
                continue
            if one_typo_apart(value_a, value_b):
                best = "typo"
            elif best is None:
                best = "differ"
    return best
