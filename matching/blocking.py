"""Blocking keys: the short strings that let a database find candidates without a full scan.

Two records become candidates when they share a key. Recall comes first: a true pair that
shares no key is never scored, so keys are generous: every name part, in every candidate
romanisation, of every name written for each child; identifiers; a full date of birth;
postcodes. The database then ranks the records sharing keys by a first-pass score, the sum
of the shared keys' weights (`weigh_keys`: rarer keys weigh more, over-common ones are not
followed), and only the best few are scored in full.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz

from matching.dates import birth_range
from matching.records import MatchableRecord, Person, Place, Sex
from transliteration import consonant_skeleton

NameKeys = Callable[[str], frozenset[str]]
#: The keys of one clue of a person: one part of one name (its keys in every romanisation),
#: an identifier, a date of birth, a postcode.
KeyGroup = frozenset[str]
#: The prefix of a name part's exact key: its canonical romanised form. Every part of every
#: name is stored with one; it tells how common a name is (term frequencies) and, in the
#: first pass, an exact agreement from a sound-alike.
EXACT_PREFIX = "tf:"
NameKeyGroups = Callable[[str], tuple[KeyGroup, ...]]
#: The codes of a name's pairs of parts (`names.name_pair_codes`), empty for one part.
PairCodes = Callable[[str], frozenset[str]]
#: The coarsest codes of every part of a name (`names.name_part_codes`).
PartCodes = Callable[[str], frozenset[str]]
#: Short codes of a place's name in any spelling or script (`names.place_codes`).
PlaceCodes = Callable[[str], frozenset[str]]
#: The prefix of a key made of a name part, a region and a sex (`place_keys`).
PLACE_PREFIX = "r"
#: The prefix of a key made of a pair of name parts, a birth period and a sex (`born_keys`).
BORN_PREFIX = "b"
#: Birth periods are this many years long, in two series staggered by half as many years,
#: so that two birth years at most half a period apart always share a period.
BIRTH_PERIOD_YEARS = 4
#: A person who may have been born in more calendar years than this (an age "5-12") is
#: too vague for birth-period keys.
BIRTH_YEARS_KEYED = 6

_NOT_ALPHANUMERIC = re.compile(r"[\W_]+", re.UNICODE)


def identifier_key(value: str) -> str | None:
    """An identifier as its letters and digits in upper case: '123-45 ab' → 'id:12345AB'.

    The type is left out on purpose: one organisation writes a UNHCR number as `unhcr`,
    another as `refugee_id`, and the number is what identifies the child.
    """
    compact = _NOT_ALPHANUMERIC.sub("", value).upper()
    return f"id:{compact}" if len(compact) >= 4 else None


def person_keys(
    person: Person,
    name_keys: NameKeys,
    pair_codes: PairCodes | None = None,
    *,
    as_of: date | None = None,
    part_codes: PartCodes | None = None,
    regions: Collection[str] = (),
) -> frozenset[str]:
    """The keys of one person: name keys of every name written for them, and identifiers;
    with `pair_codes`, each name's pairs of parts in the person's birth periods and sex
    (`born_keys`; an age is placed in time on its own date, else on `as_of`); with
    `part_codes`, each part of each name in each of the person's `regions` (`place_keys`)."""
    keys: set[str] = set()
    periods = birth_periods(person, as_of) if pair_codes is not None else ()
    for name in person.all_names():
        keys.update(name_keys(name))
        if periods and pair_codes is not None:
            keys.update(born_keys(pair_codes(name), periods, person.sex))
        if regions and part_codes is not None:
            keys.update(place_keys(part_codes(name), regions, person.sex))
    return frozenset(keys | _other_keys(person))


def person_key_groups(
    person: Person,
    name_key_groups: NameKeyGroups,
    pair_codes: PairCodes | None = None,
    *,
    as_of: date | None = None,
    part_codes: PartCodes | None = None,
    regions: Collection[str] = (),
) -> tuple[KeyGroup, ...]:
    """The keys of one person clue by clue (see `KeyGroup`): what a candidate's first-pass
    score counts once each. A part written the same way in two names is one clue.

    With `pair_codes`, a name's clue of pairs of parts (the last of its groups) also holds
    the pairs in the person's birth periods and sex (`born_keys`): far rarer than the
    pairs alone, so a candidate of about the same age and sex sharing two parts weighs
    more, and is followed where the pairs are too common to be.

    With `part_codes`, one more clue holds every part of every name in the person's
    regions and sex (`place_keys`): a common name from the same province or town is far
    rarer than the name alone, so it is followed. It is a clue of its own, counted once
    on top of the names' clues, because coming from the same place is evidence the names
    do not carry. Measured on 300 tracing requests of bench.scale's 100,000 records, each
    scored against every enquiry: of the 411 pairs that reach a band, 0.876 are scored in
    full with this clue, 0.856 with the region keys inside each part's clue instead (where
    only the rarest key of a clue counts), 0.820 without region keys.
    """
    periods = birth_periods(person, as_of) if pair_codes is not None else ()
    groups: dict[KeyGroup, None] = {}
    regional: set[str] = set()
    for name in person.all_names():
        name_groups = [group for group in name_key_groups(name) if group]
        if regions and part_codes is not None:
            regional.update(place_keys(part_codes(name), regions, person.sex))
        born = born_keys(pair_codes(name), periods, person.sex) if pair_codes else frozenset()
        if born and name_groups:
            # A name with pairs of parts has them as its last clue.
            name_groups[-1] = name_groups[-1] | born
        groups.update(dict.fromkeys(name_groups))
    if regional:
        groups[frozenset(regional)] = None
    groups.update(dict.fromkeys(frozenset({key}) for key in sorted(_other_keys(person))))
    return tuple(groups)


def birth_periods(person: Person, as_of: date | None) -> tuple[str, ...]:
    """The birth periods a person may have been born in, by their first year: every period
    of `BIRTH_PERIOD_YEARS` years, in either staggered series, that meets the person's
    birth range (from a birth date, or an age estimated on its date or on `as_of`).

    Two people whose birth years are at most half a period apart (an age estimated two
    years out, a birth year one year off) share a period, so keys made of them tolerate
    the estimates tracing lives with; none for an unknown or too vague birth.
    """
    born = birth_range(person, as_of)
    if born is None:
        return ()
    first, last = born.earliest.year, born.latest.year
    if last - first >= BIRTH_YEARS_KEYED:
        return ()
    width = BIRTH_PERIOD_YEARS
    starts = {
        (year + offset) // width * width - offset
        for offset in (0, width // 2)
        for year in range(first, last + 1)
    }
    return tuple(str(start) for start in sorted(starts))


_SEX_LETTERS = {Sex.FEMALE: ("f",), Sex.MALE: ("m",)}


def born_keys(pair_codes: Iterable[str], periods: Iterable[str], sex: Sex) -> frozenset[str]:
    """Pairs of name parts, each with each birth period and the sex (either, when unknown):
    'b2012f:LB+MD' is a girl born 2012-2015 with two names sounding l-b and m-d.

    A pair of common names is carried by a few hundredths of a big registry (Ahmed and
    Khalifa, Mohamed and Halifa sound alike by their first consonants); with a birth period
    and a sex, by a few thousandths.
    """
    return _keys_in_context(BORN_PREFIX, periods, pair_codes, sex)


def _keys_in_context(
    prefix: str, contexts: Iterable[str], codes: Iterable[str], sex: Sex
) -> frozenset[str]:
    """Each code in each context (a birth period, a region) with the sex, either when
    unknown: prefix, context, sex letter, then the code."""
    letters = _SEX_LETTERS.get(sex, ("f", "m"))
    return frozenset(
        f"{prefix}{context}{letter}:{code}"
        for context in contexts
        for letter in letters
        for code in codes
    )


def regions_of(places: Iterable[Place | None], place_codes: PlaceCodes) -> frozenset[str]:
    """The codes of the provinces, districts and towns of these places (`place_codes`).

    A child's place of origin and last known address and the place of separation are
    written by different agencies at different levels (a town here, its province there),
    so every level named is a region: two records naming the same province share it.
    """
    codes: set[str] = set()
    for place in places:
        if place is None:
            continue
        for text in (place.admin1, place.admin2, place.locality):
            if text and text.strip():
                codes.update(place_codes(text))
    return frozenset(codes)


def child_regions(
    record: MatchableRecord, child: Person, place_codes: PlaceCodes
) -> frozenset[str]:
    """The regions of one child of a record: its own places and the record's place of
    separation (`regions_of`)."""
    separation = record.separation.place if record.separation is not None else None
    return regions_of((child.place_of_origin, child.last_known_address, separation), place_codes)


def place_keys(part_codes: Iterable[str], regions: Iterable[str], sex: Sex) -> frozenset[str]:
    """A name part by its coarsest code, in each region, with the sex (either, when
    unknown): 'rDLBm:MD' is a boy from a place sounding d-l-b (Idlib) with a name part
    sounding m-d (Mahmoud, Mohamed, Hamed written without its h).

    A child who gives one common name and the name of their town ("Hamid, from Herat")
    shares no rare key with the family's enquiry: the name is carried by a third of a
    registry. From the same region and of the same sex, by a few hundredths or less.
    """
    return _keys_in_context(PLACE_PREFIX, regions, part_codes, sex)


def _other_keys(person: Person) -> set[str]:
    keys = {key for i in person.identifiers if (key := identifier_key(i.value))}
    return keys | _birth_keys(person) | _postcode_keys(person)


def _birth_keys(person: Person) -> set[str]:
    """A full date of birth: rare enough to bring forward a pair whose names were mangled.

    Year-only and month-only dates, and ages, are left out: a year is shared by a twentieth
    of a registry of children, which finds no one; the scoring weighs them.
    """
    born = person.date_of_birth
    if born is None or born.month is None or born.day is None or born.placeholder:
        return set()
    return {f"dob:{born.year:04d}{born.month:02d}{born.day:02d}"}


def _postcode_keys(person: Person) -> set[str]:
    """Postcodes of the places before separation, letters and digits only."""
    keys = set()
    for place in (person.place_of_origin, person.last_known_address):
        if place is not None and place.postcode:
            compact = _NOT_ALPHANUMERIC.sub("", place.postcode).upper()
            if len(compact) >= 3:
                keys.add(f"pc:{compact}")
    return keys


def record_keys(
    record: MatchableRecord,
    name_keys: NameKeys,
    pair_keys: NameKeys | None = None,
    pair_codes: PairCodes | None = None,
    part_codes: PartCodes | None = None,
    place_codes: PlaceCodes | None = None,
) -> frozenset[str]:
    """The keys of a record: those of each child (the subject, or every sought child; with
    `pair_codes`, their pairs of name parts by birth period and sex; with `part_codes`
    and `place_codes`, their name parts by region) and, with `pair_keys`, the pairs of
    name parts of each relative (`family_key_groups`)."""
    keys = frozenset().union(
        *(
            person_keys(
                child,
                name_keys,
                pair_codes,
                as_of=record.registered_on,
                part_codes=part_codes,
                regions=child_regions(record, child, place_codes) if place_codes else (),
            )
            for child in record.children
        )
    )
    if pair_keys is None:
        return keys
    return keys.union(*family_key_groups(record, pair_keys))


def family_key_groups(record: MatchableRecord, pair_keys: NameKeys) -> tuple[KeyGroup, ...]:
    """A clue per name of each relative (the enquirer too): its pairs of parts together.

    A child may be registered under another name (a nickname, a name given in care) while
    the parents are named alike on both sides: their names find the family again. Pairs
    share the children's key space on purpose, so that a child "Ahmed Ali Hassan" also
    finds the enquiry of a father "Ali Hassan" (the patronymic). Single parts of relatives'
    names are not keys: "Ali" alone would find half a registry.
    """
    groups = dict.fromkeys(
        keys for person in record.family for name in person.all_names() if (keys := pair_keys(name))
    )
    return tuple(groups)


# ---------------------------------------------------------------------------- weighing keys

# A key carried by more records than this share of the registry says little about who is
# a candidate, and following it costs the database a scan of that many entries.
COMMON_KEY_SHARE = 0.02
# ... but in a small registry every key is "common" by share; below this many records a
# key is always followed.
COMMON_KEY_FLOOR = 500
# Whatever their commonness, a person's rarest keys are followed: a child called only
# "Mohammad" must still find the other Mohammads (the candidate cap keeps that bounded).
RAREST_KEPT = 4


def weigh_key_groups(
    groups: Sequence[KeyGroup], counts: Mapping[str, int], population: int
) -> list[dict[str, float]]:
    """The keys worth following of each clue of a person, weighted (see `weigh_keys`).

    Which sound-alike keys are followed is decided over all of the person's keys, as
    `weigh_keys` does; a part's exact key is followed with its part (it finds a subset of
    the records its sound-alike keys find, so it adds no scan of its own), or alone where
    it is not over-common.
    """
    loose = {key for group in groups for key in group if not key.startswith(EXACT_PREFIX)}
    followed = weigh_keys(loose, counts, population)
    exact = weigh_keys(
        {key for group in groups for key in group if key.startswith(EXACT_PREFIX)},
        counts,
        population,
        rarest_kept=0,
    )
    weighted = []
    for group in groups:
        weights = {key: followed[key] for key in group if key in followed}
        for key in group:
            if key.startswith(EXACT_PREFIX) and (weights or key in exact):
                weights[key] = key_weight(counts.get(key, 0), population)
        weighted.append(weights)
    return weighted


def weigh_keys(
    keys: Iterable[str],
    counts: Mapping[str, int],
    population: int,
    *,
    common_share: float = COMMON_KEY_SHARE,
    common_floor: int = COMMON_KEY_FLOOR,
    rarest_kept: int = RAREST_KEPT,
) -> dict[str, float]:
    """The keys worth following, each weighted by how rare it is (bits: log2 N / count).

    `counts[key]` is how many records carry the key, out of `population`; counts may be a
    little out of date, so a key counted as carried by no one is still followed, as the
    rarest of all. A key too common to say much is left out unless it is among the
    person's `rarest_kept` rarest. A candidate's first-pass score is the sum of the weights
    of the keys it shares with the person, so a shared rare family name counts for more
    than a shared "Mohammad".
    """
    present = sorted((max(counts.get(key, 0), 1), key) for key in set(keys))
    common_at = max(common_floor, common_share * population)
    weights: dict[str, float] = {}
    for rank, (count, key) in enumerate(present):
        if count > common_at and rank >= rarest_kept:
            continue
        weights[key] = key_weight(count, population)
    return weights


def key_weight(count: int, population: int) -> float:
    """A shared key's weight in bits: log2(N / count) + 1; a key counted as carried by no
    one (counts may be a little old) weighs as one carried by one record."""
    return max(math.log2(max(population, 1) / max(count, 1)), 0.0) + 1.0


# ----------------------------------------------------------------- ranking the shortlist

# How the shortlist ranks the hundreds of records the first pass finds for a child, before
# the best `CANDIDATE_CAP` (30) are scored in full (`shortlist_weight`). Measured on
# bench.scale's registry of 100,000 records, 300 records matched with every one of their
# 500 first-pass candidates scored in full: of the 413 pairs that reach a band, the best 50
# by the first pass's key weights alone hold 0.625, by those and the cheap clues 0.969 (the
# ranking, and the cap of 50, before names were added); the best 30 by the ranking below
# hold 0.985 (tracing requests and enquiries: 283 of 285 pairs, against 277 before;
# duplicates 124 of 128, against 123). Names spelt alike cost more to score in full than
# the strangers the cheap clues let through, so 30 cost about what 50 did.
#: The share of the first-pass score (rarity-weighted shared keys) the ranking keeps: it
#: counts relatives' and birth-period keys as much as the child's own name, so on its own
#: it ranks cousins and siblings alongside the child.
FIRST_PASS_SHARE = 0.25
#: Bits for names spelt alike (`NameLikeness` 1), about what the model gives names that
#: agree: the name is the clue the cheap clues leave out.
NAME_LIKENESS_BITS = 20.0


class NameLikeness:
    """How closely a candidate's name parts spell one of a child's names, in [0, 1].

    Built once per child from its names (canonical, romanised parts); `of(parts)` is then,
    for the child's name that fits best, the mean over its parts of the likeness of the
    closest of the candidate's parts: the mean of rapidfuzz's similarity of the spellings
    and of their consonant skeletons, each counted from `LIKENESS_CUTOFF` (so that the
    vowels one romanisation of عمر gives, amr, still fit Omar). A stand-in for the name
    matcher, a thousand times cheaper, to rank hundreds of candidates; the matcher scores
    the best of them.
    """

    def __init__(self, child_names: Iterable[Sequence[str]]) -> None:
        self._names = [tuple(name) for name in child_names if name]
        # Candidates share parts (a family name, a common given name): each pair once.
        self._pairs: dict[tuple[str, str], float] = {}

    def of(self, parts: Collection[str]) -> float:
        """The likeness of a candidate whose children's names have these parts."""
        if not parts:
            return 0.0
        best = 0.0
        for name in self._names:
            total = 0.0
            for part in name:
                total += max(self._pair(part, other) for other in parts)
            best = max(best, total / len(name))
        return best

    def _pair(self, part: str, other: str) -> float:
        key = (part, other)
        likeness = self._pairs.get(key)
        if likeness is None:
            spelt = fuzz.ratio(part, other, score_cutoff=LIKENESS_CUTOFF)
            sounded = fuzz.ratio(_skeleton(part), _skeleton(other), score_cutoff=LIKENESS_CUTOFF)
            likeness = self._pairs[key] = (spelt + sounded) / 200.0
        return likeness


#: Below this similarity (0-100) of their spellings, or of their skeletons, two name parts
#: do not resemble each other at all for `NameLikeness`.
LIKENESS_CUTOFF = 50.0

_skeleton = lru_cache(maxsize=262_144)(consonant_skeleton)


def shortlist_weight(first_pass_bits: float, cheap_bits: float, likeness: float) -> float:
    """A candidate's rank in the shortlist: the first-pass score, the weight of the cheap
    clues (`scoring.cheap_clue_bits`) and the name likeness, in bits (see above)."""
    return FIRST_PASS_SHARE * first_pass_bits + cheap_bits + NAME_LIKENESS_BITS * likeness


def best_ranked(
    candidates: Iterable[tuple[int, float, float]], likeness: Callable[[int], float], cap: int
) -> list[int]:
    """The `cap` candidates of highest `shortlist_weight`, best first (ties: lower id first),
    from each candidate's id, first-pass bits and cheap-clue bits; `likeness(id)` gives its
    `NameLikeness`.

    The name likeness adds at most `NAME_LIKENESS_BITS`, so candidates are taken best
    first by the rest, and once one of them could not reach the `cap` best even with names
    spelt alike, neither can any after it: their names are never compared.
    """
    without_names = sorted(
        ((pk, shortlist_weight(bits, cheap, 0.0), bits, cheap) for pk, bits, cheap in candidates),
        key=lambda item: (-item[1], item[0]),
    )
    best: list[tuple[float, int]] = []  # a min-heap of (weight, -id): the worst on top
    for pk, weight, bits, cheap in without_names:
        if len(best) == cap and weight + NAME_LIKENESS_BITS < best[0][0]:
            break
        entry = (shortlist_weight(bits, cheap, likeness(pk)), -pk)
        if len(best) < cap:
            heapq.heappush(best, entry)
        elif entry > best[0]:
            heapq.heapreplace(best, entry)
    return [-negated for _, negated in sorted(best, reverse=True)]
