"""Blocking keys: the short strings that let a database find candidates without a full scan.

Two records become candidates when they share a key. Recall comes first: a true pair that
shares no key is never scored, so keys are generous (every name part, in every candidate
romanisation, of every name written for each child) and the database caps the candidates by
how many keys they share, rather than dropping keys that are common.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from matching.records import MatchableRecord, Person

NameKeys = Callable[[str], frozenset[str]]

_NOT_ALPHANUMERIC = re.compile(r"[\W_]+", re.UNICODE)


def identifier_key(value: str) -> str | None:
    """An identifier as its letters and digits in upper case: '123-45 ab' → 'id:12345AB'.

    The type is left out on purpose: one organisation writes a UNHCR number as `unhcr`,
    another as `refugee_id`, and the number is what identifies the child.
    """
    compact = _NOT_ALPHANUMERIC.sub("", value).upper()
    return f"id:{compact}" if len(compact) >= 4 else None


def person_keys(person: Person, name_keys: NameKeys) -> frozenset[str]:
    """The keys of one person: name keys of every name written for them, and identifiers."""
    keys: set[str] = set()
    for name in person.all_names():
        keys.update(name_keys(name))
    for identifier in person.identifiers:
        key = identifier_key(identifier.value)
        if key:
            keys.add(key)
    return frozenset(keys)


def record_keys(record: MatchableRecord, name_keys: NameKeys) -> frozenset[str]:
    """The keys of a record: those of each child (the subject, or every sought child)."""
    return frozenset().union(*(person_keys(child, name_keys) for child in record.children))


def query_keys(people: Iterable[Person], name_keys: NameKeys) -> frozenset[str]:
    """The keys of an ad-hoc search person (or several)."""
    return frozenset().union(*(person_keys(person, name_keys) for person in people))
