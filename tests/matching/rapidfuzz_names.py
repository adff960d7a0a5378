"""A TEST DOUBLE for the name matcher: plain rapidfuzz on ASCII-folded names.

Not the project's name matcher (`matching.names`): it knows no scripts beyond what
anyascii folds and no nicknames. It lets the comparison and scoring tests run without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz

from matching.comparisons import NameMatcher

_PARTS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class FakeVerdict:
    score: float
    match: bool


def fake_tokens(name: str) -> tuple[str, ...]:
    return tuple(_PARTS.findall(anyascii(name).casefold()))


def fake_compare(a: str, b: str) -> FakeVerdict:
    ta, tb = " ".join(fake_tokens(a)), " ".join(fake_tokens(b))
    if not ta or not tb:
        return FakeVerdict(0.0, False)
    score = fuzz.token_sort_ratio(ta, tb) / 100
    return FakeVerdict(score, score >= 0.85)


FAKE_NAMES = NameMatcher(compare=fake_compare, tokens=fake_tokens)
