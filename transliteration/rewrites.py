"""Ordered rewrite rules: the form the romanisers' spelling conventions take."""

from __future__ import annotations

import re
from collections.abc import Iterable

#: (compiled pattern, replacement) pairs, applied in order.
Rewrites = tuple[tuple[re.Pattern[str], str], ...]


def compile_rewrites(rules: Iterable[tuple[str, str]]) -> Rewrites:
    """(pattern, replacement) pairs with their patterns compiled, in order."""
    return tuple((re.compile(pattern), replacement) for pattern, replacement in rules)


def rewrite(text: str, rules: Rewrites) -> str:
    """`text` with each rule applied in turn: a later rule sees what earlier ones wrote."""
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text
