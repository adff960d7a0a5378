"""Document numbers (UNHCR, ICRC, national id, birth certificate…) compared as written.

Two identifiers of the same type agree exactly, or are one typo away (one character
changed, added or dropped, or two neighbouring characters swapped), or differ.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

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
    if a == b:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def compare_identifiers(
    left: tuple[Identifier, ...], right: tuple[Identifier, ...]
) -> IdentifierAgreement | None:
    """The best agreement between the two persons' identifiers, None if none comparable.

    Identifiers are comparable when their types are the same; the same long value under
    two different type names (an agency spelling its type its own way) also agrees.
    """
    pairs = [
        (normalise_type(a.type), normalise_identifier(a.value)) for a in left if a.value.strip()
    ]
    others = [
        (normalise_type(b.type), normalise_identifier(b.value)) for b in right if b.value.strip()
    ]
    best: IdentifierAgreement | None = None
    for type_a, value_a in pairs:
        for type_b, value_b in others:
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
