"""Synthetic families, tracing requests and enquiries with the distortions of real tracing.

Name parts (an Arabic-script form and the Latin spellings seen for it) are taken from the
shared development data; every person here is a random combination of parts, not a real
person. Each family has children, a mother and a father (whose given name is the child's
second name, as in patronymic naming). A child's tracing request and the family's enquiry
are written as two different agencies would write them.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from matching.records import (
    AgeEstimate,
    MatchableRecord,
    PartialDate,
    Person,
    Place,
    RecordKind,
    Relationship,
    Separation,
    Sex,
)

DATA = Path("/work/shared/data/dev_fullnames.jsonl")
PARTICLES = {"عبد", "بن", "ابو", "ال", "بنت", "ولد", "آل"}


@dataclass(frozen=True)
class NamePart:
    native: str
    latin: tuple[str, ...]  # spellings, most common first


def load_parts(path: Path = DATA, min_seen: int = 2) -> list[NamePart]:
    """Arabic-script name parts aligned with their Latin spellings in the full-name labels."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        native = entry["name"].split()
        for label in entry["variants"]:
            latin = re.split(r"\s+", label.strip())
            if len(latin) == len(native):
                for a, b in zip(native, latin, strict=True):
                    if a not in PARTICLES and b.isalpha():
                        seen[a][b.casefold()] += 1
    parts = []
    for native, spellings in seen.items():
        kept = tuple(s for s, n in spellings.most_common() if n >= min_seen)
        if kept and sum(spellings.values()) >= 3:
            parts.append(NamePart(native, kept))
    return parts


PLACES = [
    # (country, province, district, town spellings): synthetic combinations of real
    # region names, each town with the spellings two agencies might use.
    ("SY", "Aleppo", "Afrin", ("Afrin", "Efrin", "Afreen")),
    ("SY", "Idlib", "Maarrat", ("Maarrat al-Numan", "Maarat Al Numan", "Ma'arrat an-Nu'man")),
    ("SY", "Deir ez-Zor", "Mayadin", ("Al Mayadin", "Mayadeen", "Mayadin")),
    ("IQ", "Nineveh", "Sinjar", ("Sinjar", "Shingal", "Sinjar town")),
    ("IQ", "Anbar", "Ramadi", ("Ramadi", "Al-Ramadi", "Ar Ramadi")),
    ("AF", "Kandahar", "Spin Boldak", ("Spin Boldak", "Spin Buldak", "Spinboldak")),
    ("AF", "Nangarhar", "Behsud", ("Jalalabad", "Jalal Abad", "Djalalabad")),
    ("AF", "Herat", "Injil", ("Herat", "Hirat", "Harat")),
    ("SO", "Bay", "Baidoa", ("Baidoa", "Baydhabo", "Baydabo")),
    ("SO", "Banadir", "Hodan", ("Mogadishu", "Muqdisho", "Mogadiscio")),
    ("SD", "West Darfur", "Geneina", ("El Geneina", "Al Junaynah", "Geneina")),
    ("SD", "North Darfur", "El Fasher", ("El Fasher", "Al Fashir", "Fasher")),
    ("YE", "Taiz", "Al Mudhaffar", ("Taiz", "Ta'izz", "Taizz")),
    ("LY", "Fezzan", "Sabha", ("Sabha", "Sebha", "Sebcha")),
]


@dataclass
class Family:
    family_id: int
    children: list[tuple[list[NamePart], Sex, date]]
    mother: list[NamePart]
    father: list[NamePart]
    place: tuple[str, str, str, tuple[str, ...]]
    separated_on: date


def _latin(parts: list[NamePart], rng: random.Random, *, most_common: bool = False) -> str:
    spellings = [p.latin[0] if most_common else rng.choice(p.latin) for p in parts]
    return " ".join(s.capitalize() for s in spellings)


def _native(parts: list[NamePart]) -> str:
    return " ".join(p.native for p in parts)


def make_families(count: int, parts: list[NamePart], rng: random.Random) -> list[Family]:
    """Families with 1-3 children, patronymic names and one place of origin."""
    # A skewed choice of given names (some very common, as in real registries).
    weights = [1.0 / (i + 1) ** 0.7 for i in range(len(parts))]
    families = []
    for family_id in range(count):
        grandfather = rng.choices(parts, weights)[0]
        father_given = rng.choices(parts, weights)[0]
        father = [father_given, grandfather]
        mother = [rng.choices(parts, weights)[0], rng.choices(parts, weights)[0]]
        children = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            given = rng.choices(parts, weights)[0]
            sex = rng.choice((Sex.FEMALE, Sex.MALE))
            born = date(2006, 1, 1) + timedelta(days=rng.randrange(0, 17 * 365))
            children.append(([given, father_given, grandfather], sex, born))
        families.append(
            Family(
                family_id,
                children,
                mother,
                father,
                rng.choice(PLACES),
                date(2017, 1, 1) + timedelta(days=rng.randrange(0, 7 * 365)),
            )
        )
    return families


def _age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def tracing_request(family: Family, child: int, rng: random.Random) -> MatchableRecord:
    """What the child tells a tracing officer: an estimated age, nicknames, partial family."""
    parts, sex, born = family.children[child]
    registered = family.separated_on + timedelta(days=rng.randrange(10, 400))
    name_parts = parts if rng.random() < 0.7 else parts[:2]  # grandfather's name left out
    full = _latin(name_parts, rng)
    other_names: tuple[str, ...] = ()
    if rng.random() < 0.15:  # known by a nickname: the officer writes that first
        nickname = parts[0].latin[0][:4].capitalize()
        other_names, full = (full,), f"{nickname} {_latin(parts[1:2], rng)}"
    true_age = _age_on(born, registered)
    guess = max(0, true_age + round(rng.gauss(0, 1.3)))
    age = (
        AgeEstimate(guess, guess, registered)
        if rng.random() < 0.7
        else AgeEstimate(max(0, guess - 1), guess + 1, registered)
    )
    country, province, _district, towns = family.place
    origin = Place(
        country=country,
        admin1=province if rng.random() < 0.6 else None,
        locality=rng.choice(towns) if rng.random() < 0.8 else None,
    )
    relatives = []
    if rng.random() < 0.7:  # the child names the mother, often by given name alone
        mother = (
            _latin(family.mother[:1], rng) if rng.random() < 0.6 else _latin(family.mother, rng)
        )
        relatives.append(Person(mother, relationship=Relationship.MOTHER, sex=Sex.FEMALE))
    if rng.random() < 0.5:
        relatives.append(
            Person(_latin(family.father, rng), relationship=Relationship.FATHER, sex=Sex.MALE)
        )
    for i, (sibling, sibling_sex, _) in enumerate(family.children):
        if i != child and rng.random() < 0.6:
            relatives.append(
                Person(_latin(sibling[:1], rng), relationship=Relationship.SIBLING, sex=sibling_sex)
            )
    separation = Separation(
        date=PartialDate(family.separated_on.year, family.separated_on.month)
        if rng.random() < 0.6
        else None,
        place=Place(country=country, admin1=province) if rng.random() < 0.5 else None,
    )
    return MatchableRecord(
        record_id=f"tr-{family.family_id}-{child}",
        kind=RecordKind.TRACING_REQUEST,
        children=(
            Person(
                full,
                other_names=other_names,
                sex=sex if rng.random() < 0.98 else Sex.UNKNOWN,
                age=age,
                place_of_origin=origin,
            ),
        ),
        family=tuple(relatives),
        separation=separation,
        registered_on=registered,
    )


def _stated_birth(
    born: date, registered: date, rng: random.Random
) -> tuple[PartialDate | None, AgeEstimate | None]:
    roll = rng.random()
    if roll < 0.35:
        return PartialDate(born.year, born.month, born.day), None
    if roll < 0.5:
        return PartialDate(born.year), None
    if roll < 0.6:
        return PartialDate(born.year, placeholder=True), None
    if roll < 0.65 and born.day <= 12 and born.day != born.month:
        return PartialDate(born.year, born.day, born.month), None  # day and month swapped
    if roll < 0.7:
        return PartialDate(born.year + rng.choice((-1, 1)), born.month, born.day), None
    age = max(0, _age_on(born, registered) + round(rng.gauss(0, 1.5)))
    return None, AgeEstimate(age, age, registered)


def enquiry(family: Family, rng: random.Random, *, record_id: str) -> MatchableRecord:
    """What a parent tells another agency: native script, all the children sought, dates."""
    registered = family.separated_on + timedelta(days=rng.randrange(30, 900))
    sought = []
    for parts, sex, born in family.children:
        roll = rng.random()
        if roll < 0.45:
            full, native = _native(parts), None
        elif roll < 0.75:
            full, native = _latin(parts, rng), _native(parts) if rng.random() < 0.5 else None
        else:
            full, native = _latin(parts[:2], rng), None  # given and father's names only
        if rng.random() < 0.1:  # family name first
            full = " ".join(reversed(full.split()))
        dob, age = _stated_birth(born, registered, rng)
        country, province, district, towns = family.place
        sought.append(
            Person(
                full,
                native_name=native,
                sex=sex,
                date_of_birth=dob,
                age=age,
                place_of_origin=Place(
                    country=country,
                    admin1=province,
                    admin2=district if rng.random() < 0.5 else None,
                    locality=rng.choice(towns) if rng.random() < 0.7 else None,
                ),
            )
        )
    enquirer_is_mother = rng.random() < 0.6
    enquirer = (
        Person(
            _native(family.mother) if rng.random() < 0.5 else _latin(family.mother, rng),
            relationship=Relationship.MOTHER,
            sex=Sex.FEMALE,
        )
        if enquirer_is_mother
        else Person(
            _native(family.father) if rng.random() < 0.5 else _latin(family.father, rng),
            relationship=Relationship.FATHER,
            sex=Sex.MALE,
        )
    )
    others = []
    if enquirer_is_mother and rng.random() < 0.4:
        others.append(Person(_latin(family.father, rng), relationship=Relationship.FATHER))
    jitter = timedelta(days=rng.randrange(-45, 45))
    separated = family.separated_on + jitter
    return MatchableRecord(
        record_id=record_id,
        kind=RecordKind.ENQUIRY,
        children=tuple(sought),
        family=(enquirer, *others),
        separation=Separation(
            date=PartialDate(separated.year, separated.month, separated.day)
            if rng.random() < 0.5
            else None,
            place=Place(country=family.place[0], admin1=family.place[1])
            if rng.random() < 0.5
            else None,
        ),
        registered_on=registered,
    )
