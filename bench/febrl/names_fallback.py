"""A STAND-IN name matcher for the bench while `matching.names` is not there yet.

Plain rapidfuzz over ASCII-folded parts; the bench says which matcher it used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz

from matching.comparisons import NameMatcher

_PARTS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class _Verdict:
    score: float
    match: bool


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(_PARTS.findall(anyascii(name).casefold()))


def _compare(a: str, b: str) -> _Verdict:
    ta, tb = " ".join(_tokens(a)), " ".join(_tokens(b))
    if not ta or not tb:
        return _Verdict(0.0, False)
    score = fuzz.token_sort_ratio(ta, tb) / 100
    return _Verdict(score, score >= 0.85)


STAND_IN = NameMatcher(compare=_compare, tokens=_tokens).cached()


def bench_name_matcher() -> tuple[NameMatcher, str]:
    """The project's matcher when it exists, else the stand-in; and which one it is."""
    try:
        from matching.comparisons import default_name_matcher

        return default_name_matcher(), "matching.names"
    except ImportError:
        return STAND_IN, "stand-in (rapidfuzz)"
