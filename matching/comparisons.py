"""One comparison per clue: an ordered list of agreement levels and how a pair lands on one.

Each comparison looks at one clue of a pair of children (the child's names, relatives,
sex, birth, places, separation, documents) and answers with one of its levels, strongest
agreement first, and the values it compared. Level labels are written for a reviewer,
because they are the explanation. The default m and u of each level are here, beside the
level, with the reasoning; `scoring.estimate_u` re-estimates u from the registry.

Name similarity is injected (`NameMatcher`): the comparisons only ask whether two names
agree and what a name's canonical parts are. `default_name_matcher` is the one place that
wires the project's matcher (`matching.names`); tests and benchmarks may pass another.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache, partial
from typing import ClassVar, Protocol

from rapidfuzz.distance import JaroWinkler, Levenshtein

from matching.dates import (
    BirthRange,
    birth_range,
    event_days_apart,
    stated_date_agreement,
    years_apart,
)
from matching.identifiers import compare_identifiers
from matching.model import MISSING, Level, missing_level
from matching.names import canonical_tokens, compare_names
from matching.place_aliases import bundled_place_aliases
from matching.places import compare_places
from matching.records import (
    MatchableRecord,
    PartialDate,
    Person,
    Place,
    Relationship,
    Separation,
    Sex,
)

# ---------------------------------------------------------------------------- names, injected


class NameVerdict(Protocol):
    """What a name matcher says about two names (see `matching.names.compare_names`)."""

    @property
    def score(self) -> float:
        """Similarity in [0, 1]."""
        ...

    @property
    def match(self) -> bool:
        """Whether the matcher counts the two names as one name."""
        ...


@dataclass(frozen=True)
class NameMatcher:
    """The name similarity the comparisons use: compare two names, and split one into parts.

    `compare` says how alike two names are across scripts and spellings; `tokens` gives a
    name's canonical (romanised, normalised) parts, used for name order, missing parts,
    patronymic links and term frequencies.
    """

    compare: Callable[[str, str], NameVerdict]
    tokens: Callable[[str], tuple[str, ...]]

    def cached(self, maxsize: int = 65536) -> NameMatcher:
        """The same matcher with bounded memoisation (names repeat a lot in a registry)."""
        return NameMatcher(
            compare=lru_cache(maxsize=maxsize)(self.compare),
            tokens=lru_cache(maxsize=maxsize)(self.tokens),
        )


_DEFAULT_MATCHER: list[NameMatcher] = []


def default_name_matcher() -> NameMatcher:
    """The project's cross-script name matcher (`matching.names`), memoised, built once.

    This is the one place where the comparisons meet the name matcher.
    """
    if not _DEFAULT_MATCHER:
        _DEFAULT_MATCHER.append(
            NameMatcher(compare=compare_names, tokens=canonical_tokens).cached()
        )
    return _DEFAULT_MATCHER[0]


# Canonical tokens are romanised, so within-script string similarity applies to them.
TOKEN_SIMILARITY = 0.9
TOKEN_PREFILTER = 0.7
PLACE_SIMILARITY = 0.8


def tokens_agree(a: str, b: str, names: NameMatcher | None = None) -> bool:
    """Two canonical name parts agree: equal, nearly (a typo), or to the name matcher.

    Canonical forms of one name from two scripts can still differ ("maryam", "marim"),
    which the name matcher, given the parts, recognises.
    """
    similarity = 1.0 if a == b else JaroWinkler.normalized_similarity(a, b)
    if similarity >= TOKEN_SIMILARITY:
        return True
    # Parts that share little even in their romanised forms are not worth the (costly)
    # matcher; romanisations of one name stay above this.
    return similarity >= TOKEN_PREFILTER and names is not None and names.compare(a, b).match


# ---------------------------------------------------------------------------- prepared sides


@dataclass(frozen=True)
class PreparedPerson:
    """A person with what comparisons need computed once: name parts and birth range."""

    person: Person
    names: tuple[str, ...]
    tokens: tuple[tuple[str, ...], ...]  # canonical parts of each of `names`
    birth: BirthRange | None


def prepare_person(person: Person, names: NameMatcher, *, as_of: date | None) -> PreparedPerson:
    """Compute a person's name parts and birth range (ages placed in time at `as_of`)."""
    all_names = tuple(n for n in person.all_names() if n.strip())
    tokens = tuple(names.tokens(n) for n in all_names)
    kept = tuple((n, t) for n, t in zip(all_names, tokens, strict=True) if t)
    return PreparedPerson(
        person=person,
        names=tuple(n for n, _ in kept),
        tokens=tuple(t for _, t in kept),
        birth=birth_range(person, as_of),
    )


@dataclass(frozen=True)
class Side:
    """One child of a record, as one side of a pair: the child, their relatives, separation.

    `relatives` holds the record's family (relatives, and the enquirer of an enquiry) and
    the record's other children as siblings: a mother seeking two children names each as
    the other's sibling, which a child's own tracing request may also name.
    """

    record_id: str | None
    index: int
    child: PreparedPerson
    relatives: tuple[PreparedPerson, ...] = ()
    separation: Separation | None = None


def prepare_record(record: MatchableRecord, names: NameMatcher) -> tuple[Side, ...]:
    """One side per child of the record (the subject, or each sought child)."""
    as_of = record.registered_on
    children = tuple(prepare_person(c, names, as_of=as_of) for c in record.children)
    family = tuple(prepare_person(p, names, as_of=as_of) for p in record.family)
    sides = []
    for index, child in enumerate(children):
        siblings = tuple(
            prepare_person(_as_sibling(other.person), names, as_of=as_of)
            for i, other in enumerate(children)
            if i != index
        )
        sides.append(
            Side(
                record_id=record.record_id,
                index=index,
                child=child,
                relatives=family + siblings,
                separation=record.separation,
            )
        )
    return tuple(sides)


def prepare_query(person: Person, names: NameMatcher, *, as_of: date | None) -> Side:
    """An ad-hoc search person as the left side of a pair (no record, no relatives)."""
    return Side(record_id=None, index=0, child=prepare_person(person, names, as_of=as_of))


def _as_sibling(person: Person) -> Person:
    return Person(
        full_name=person.full_name,
        given_name=person.given_name,
        family_name=person.family_name,
        native_name=person.native_name,
        other_names=person.other_names,
        sex=person.sex,
        relationship=Relationship.SIBLING,
    )


# ---------------------------------------------------------------------------- observations


@dataclass(frozen=True, slots=True)
class Observation:
    """The level a pair landed on for one clue, and what was compared.

    `left` and `right` describe the compared values for reviewers entitled to see them;
    `tf_tokens` are the pairs of agreeing canonical name parts whose rarity adjusts the
    weight of a term-frequency level.
    """

    level: str
    left: str | None = None
    right: str | None = None
    tf_tokens: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Pair:
    """What a comparison sees: two sides and the name matcher."""

    left: Side
    right: Side
    names: NameMatcher


@dataclass(frozen=True)
class Comparison:
    """One clue: an id (stable: it keys comparison vectors), a title and ordered levels.

    `learn_u` is False for a clue whose u is not a chance agreement of random pairs (and
    so must not be re-estimated from them). `costly` marks a clue whose observation runs
    the name matcher over several names: scoring reads the cheap clues first and may
    stop before a costly one when even its best level could not lift the pair to a band.
    """

    id: str
    title: str
    levels: tuple[Level, ...]
    learn_u: bool = True
    costly: ClassVar[bool] = False

    def level(self, level_id: str) -> Level:
        """The level with this id."""
        try:
            return self._levels_by_id[level_id]
        except KeyError:
            raise KeyError(f"{self.id}: {level_id}") from None

    @cached_property
    def _levels_by_id(self) -> dict[str, Level]:
        # Scoring looks up a level for every clue of every pair; the first level of an id
        # wins, as it would in a scan.
        return {level.id: level for level in reversed(self.levels)}

    def level_weight(self, level_id: str) -> float:
        """The weight of the level with this id (`Level.weight`), computed once."""
        try:
            return self._weights_by_id[level_id]
        except KeyError:
            raise KeyError(f"{self.id}: {level_id}") from None

    @cached_property
    def _weights_by_id(self) -> dict[str, float]:
        return {level_id: level.weight for level_id, level in self._levels_by_id.items()}

    def observe(self, pair: Pair) -> Observation:
        """The level this pair lands on, and the compared values."""
        raise NotImplementedError

    def level_of(self, pair: Pair) -> str:
        """The id of the level this pair lands on (`observe(pair).level`), values unwritten.

        Ranking candidates and dropping pairs that cannot reach a band read only levels;
        a comparison that can find its level more cheaply than its observation says so.
        """
        return self.observe(pair).level


@dataclass(frozen=True)
class DescribedComparison(Comparison):
    """A clue whose level is found first and its compared values written only when asked.

    Of every pair ranked or scored, only the few that are kept are shown to a reviewer;
    writing the values of every clue of every pair cost about as much as comparing them.
    `observe` is `level_of` plus, unless the level is missing, `describe`.
    """

    def level_of(self, pair: Pair) -> str:
        """The id of the level this pair lands on."""
        raise NotImplementedError

    def describe(self, pair: Pair) -> tuple[str, str]:
        """The compared values, left then right, for a pair with something to compare."""
        raise NotImplementedError

    def observe(self, pair: Pair) -> Observation:
        """The level this pair lands on, and the compared values (none when missing)."""
        level = self.level_of(pair)
        if level == MISSING:
            return Observation(level)
        left, right = self.describe(pair)
        return Observation(level, left, right)


# ---------------------------------------------------------------------------- child's names


def _shared_tokens(
    a: Sequence[str], b: Sequence[str], names: NameMatcher | None = None
) -> tuple[tuple[str, str], ...]:
    """Pairs of agreeing parts, each part used once, greedily in order."""
    used: set[int] = set()
    shared = []
    for x in a:
        for j, y in enumerate(b):
            if j not in used and tokens_agree(x, y, names):
                used.add(j)
                shared.append((x, y))
                break
    return tuple(shared)


def _could_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """Some part of one name is at least loosely like some part of the other.

    A cheap test before the (costly) name matcher: names none of whose romanised parts
    look alike are not one name, and most pairs in a registry are such pairs.
    """
    return any(
        x == y or JaroWinkler.normalized_similarity(x, y) >= TOKEN_PREFILTER for x in a for y in b
    )


def _paired_tokens(a: Sequence[str], b: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Each part of the shorter name with its closest part in the other, each used once.

    For the rarity of a whole-name agreement found by the name matcher: every part of the
    shorter name counts, whether or not its canonical forms look alike.
    """
    short, long, flipped = (a, b, False) if len(a) <= len(b) else (b, a, True)
    free = list(long)
    pairs = []
    for x in short:
        if not free:
            break
        y = max(free, key=lambda t: JaroWinkler.normalized_similarity(x, t))
        free.remove(y)
        pairs.append((y, x) if flipped else (x, y))
    return tuple(pairs)


@dataclass(frozen=True)
class ChildNameComparison(Comparison):
    """The child's names: full, given and family, native and other names, across scripts.

    Every name written for one child is compared with every name written for the other;
    the strongest agreement wins. `strong_at` is the name matcher's score above which two
    names are the same name in another spelling or script.
    """

    costly: ClassVar[bool] = True

    strong_at: float = 0.92
    max_names: int = 5

    def observe(self, pair: Pair) -> Observation:
        """Exact, reordered, across spellings, similar, missing parts, one part, differ."""
        a, b = pair.left.child, pair.right.child
        if not a.tokens or not b.tokens:
            return Observation("missing")
        names_a = list(zip(a.names, a.tokens, strict=True))[: self.max_names]
        names_b = list(zip(b.names, b.tokens, strict=True))[: self.max_names]
        # Only names some parts of which look at least loosely alike can agree at any
        # level below (equal, reordered, matched or sharing a part all need such parts);
        # most candidates of a record have no such pair of names, and differ at once.
        alike = [
            (na, ta, nb, tb) for na, ta in names_a for nb, tb in names_b if _could_agree(ta, tb)
        ]
        if not alike:
            return Observation("differ", a.names[0], b.names[0])
        for na, ta, nb, tb in alike:
            if ta == tb:
                return Observation("exact", na, nb, tuple(zip(ta, tb, strict=True)))
        for na, ta, nb, tb in alike:
            if len(ta) > 1 and sorted(ta) == sorted(tb):
                return Observation("reordered", na, nb, tuple((t, t) for t in ta))
        best_score, best = -1.0, (names_a[0], names_b[0])
        matched = False
        for na, ta, nb, tb in alike:
            verdict = pair.names.compare(na, nb)
            if (verdict.match, verdict.score) > (matched, best_score):
                matched, best_score, best = verdict.match, verdict.score, ((na, ta), (nb, tb))
                if matched and best_score >= self.strong_at and len(ta) == len(tb):
                    break  # nothing below can do better than this
        (na, ta), (nb, tb) = best
        if matched:
            if len(ta) != len(tb):
                # The matcher forgives missing parts; the model weighs them separately.
                level = "subset"
            else:
                level = "strong" if best_score >= self.strong_at else "similar"
            return Observation(level, na, nb, _paired_tokens(ta, tb))
        best_part: tuple[str, str, tuple[tuple[str, str], ...]] | None = None
        for na, ta, nb, tb in alike:
            shared = _shared_tokens(ta, tb, pair.names)
            if not shared:
                continue
            if len(shared) == len(ta) == len(tb):
                # Every part agrees, allowing a typo each: what the matcher missed.
                return Observation("similar", na, nb, shared)
            if len(shared) == min(len(ta), len(tb)):
                # Every part of the shorter name is in the longer one: parts missing.
                return Observation("subset", na, nb, shared)
            if best_part is None or len(shared) > len(best_part[2]):
                best_part = (na, nb, shared)
        if best_part is not None:
            names = dict(names_a + names_b)
            na, nb, shared = best_part
            ta, tb = names.get(na, ()), names.get(nb, ())
            given_shared = any(x == ta[0] or y == tb[0] for x, y in shared) if ta and tb else True
            if len(ta) > 1 and len(tb) > 1 and not given_shared:
                # Father's or family names agree, given names do not: the signature of a
                # sibling (or a cousin), which the other clues of the family also match.
                return Observation("given_differs", na, nb, shared)
            return Observation("part", na, nb, shared)
        return Observation("differ", a.names[0], b.names[0])


# ---------------------------------------------------------------------------- relatives

_PARENTS = frozenset({Relationship.MOTHER, Relationship.FATHER})
_VAGUE = frozenset({Relationship.OTHER, Relationship.CAREGIVER})


def _roles(a: Relationship | None, b: Relationship | None) -> str:
    """'same', 'unknown' (one is unstated or vague) or 'conflict' (mother against father)."""
    if a is None or b is None or a in _VAGUE or b in _VAGUE:
        return "unknown"
    return "same" if a == b else "conflict"


def _relative_names_agree(x: PreparedPerson, y: PreparedPerson, names: NameMatcher) -> bool:
    """A relative named in full on one side and by given name alone on the other agrees."""
    for ta in x.tokens:
        for tb in y.tokens:
            shared = _shared_tokens(ta, tb, names)
            if shared and len(shared) == min(len(ta), len(tb)) and ta[0] in dict(shared):
                return True
    return any(
        names.compare(na, nb).match
        for na, ta in zip(x.names[:3], x.tokens, strict=False)
        for nb, tb in zip(y.names[:3], y.tokens, strict=False)
        if _could_agree(ta, tb)
    )


def _describe(p: PreparedPerson) -> str:
    role = p.person.relationship.value if p.person.relationship else "relative"
    return f"{role}: {p.names[0] if p.names else p.person.full_name}"


@dataclass(frozen=True)
class RelativesComparison(Comparison):
    """The relatives each side names, by name and relationship to the child.

    Relationships are to the child on both sides, so the mother a child names and an
    enquirer who is the mother agree. A child's name may carry the father's given name
    ("Ahmed Ali Hassan": father Ali), which is checked against the other side's father.
    """

    costly: ClassVar[bool] = True

    def observe(self, pair: Pair) -> Observation:
        """Several, a parent, a relative, the patronymic, a name alone, none, missing."""
        left, right = pair.left.relatives, pair.right.relatives
        role_agreements: list[tuple[int, int, PreparedPerson, PreparedPerson]] = []
        name_only: tuple[PreparedPerson, PreparedPerson] | None = None
        comparable = False  # some relative on each side could be the same person
        for i, x in enumerate(left):
            for j, y in enumerate(right):
                roles = _roles(x.person.relationship, y.person.relationship)
                if roles == "conflict":
                    continue
                comparable = True
                if not _relative_names_agree(x, y, pair.names):
                    continue
                if roles == "same":
                    role_agreements.append((i, j, x, y))
                elif name_only is None:
                    name_only = (x, y)
        distinct = min(
            len({i for i, _, _, _ in role_agreements}), len({j for _, j, _, _ in role_agreements})
        )
        if distinct >= 2:
            return Observation(
                "several",
                "; ".join(_describe(p) for _, _, p, _ in role_agreements),
                "; ".join(_describe(q) for _, _, _, q in role_agreements),
            )
        for _, _, x, y in role_agreements:
            if x.person.relationship in _PARENTS:
                return Observation("parent", _describe(x), _describe(y))
        if role_agreements:
            _, _, x, y = role_agreements[0]
            return Observation("relative", _describe(x), _describe(y))
        patronymic = self._patronymic(pair.left, pair.right, pair.names) or self._patronymic(
            pair.right, pair.left, pair.names, swap=True
        )
        if patronymic is not None:
            return patronymic
        if name_only is not None:
            return Observation("name_only", _describe(name_only[0]), _describe(name_only[1]))
        if comparable:
            # A mother named on one side and only a father on the other is no evidence.
            return Observation("none", f"{len(left)} named", f"{len(right)} named")
        return Observation("missing")

    @staticmethod
    def _patronymic(
        child_side: Side, other: Side, names: NameMatcher, *, swap: bool = False
    ) -> Observation | None:
        """The child's second name part against the first name of the other side's father."""
        implied = {t[1] for t in child_side.child.tokens if len(t) >= 2}
        if not implied:
            return None
        for relative in other.relatives:
            if relative.person.relationship != Relationship.FATHER:
                continue
            for tokens in relative.tokens:
                if any(tokens_agree(tokens[0], part, names) for part in implied):
                    child = child_side.child.names[0]
                    left = f"father's name within the child's name: {child}"
                    right = _describe(relative)
                    return Observation("patronymic", *((right, left) if swap else (left, right)))
        return None


@dataclass(frozen=True)
class NamedSiblingComparison(Comparison):
    """Whether this child bears the name of a sibling the other record names.

    A mother seeking two children, or a child naming a brother, makes siblings the most
    likely wrong candidates: they share parents, places, separation and family names, so
    the other clues cannot tell them apart. That the other record names a sibling with
    this child's given name is the clue that does. Its u is the share among siblings (the
    alternative it separates), not among random pairs, so it is not re-estimated.
    """

    costly: ClassVar[bool] = True

    learn_u: bool = False

    def observe(self, pair: Pair) -> Observation:
        """Named sibling, or nothing to say."""
        for child_side, other, swap in (
            (pair.left, pair.right, False),
            (pair.right, pair.left, True),
        ):
            for relative in other.relatives:
                if relative.person.relationship != Relationship.SIBLING:
                    continue
                if _relative_names_agree(relative, child_side.child, pair.names):
                    child = child_side.child.names[0]
                    named = _describe(relative)
                    left, right = (named, child) if swap else (child, named)
                    return Observation("named_sibling", left, right)
        return Observation("missing")


# ---------------------------------------------------------------------------- sex, birth


@dataclass(frozen=True)
class SexComparison(DescribedComparison):
    """The child's sex as recorded; unknown on either side is no evidence."""

    def level_of(self, pair: Pair) -> str:
        """Same, differ or missing."""
        a, b = pair.left.child.person.sex, pair.right.child.person.sex
        if Sex.UNKNOWN in (a, b) or (Sex.OTHER in (a, b) and a != b):
            return MISSING
        return "same" if a == b else "differ"

    def describe(self, pair: Pair) -> tuple[str, str]:
        """The two sexes as recorded."""
        return pair.left.child.person.sex.value, pair.right.child.person.sex.value


def _describe_birth(p: PreparedPerson) -> str:
    dob, age = p.person.date_of_birth, p.person.age
    if dob is not None:
        text = f"{dob.year:04d}"
        if dob.month and not dob.placeholder:
            text += f"-{dob.month:02d}"
            if dob.day:
                text += f"-{dob.day:02d}"
        return f"born {text}"
    if age is not None:
        span = str(age.low) if age.low == age.high else f"{age.low}-{age.high}"
        when = f" in {age.as_of.year}" if age.as_of else " when registered"
        return f"aged {span}{when}"
    return "unknown"


@dataclass(frozen=True)
class BirthComparison(DescribedComparison):
    """Date of birth and estimated age, brought to the same point in time.

    Stated dates agree exactly, by a typo, to the month or to the year (a 01-01 counts as
    year-only). Otherwise the two birth ranges (from dates or from ages placed at their
    estimation date) are compared by the years between them.
    """

    def level_of(self, pair: Pair) -> str:
        """Exact, typo, month, year, within one year, within three, differ, missing."""
        a, b = pair.left.child.birth, pair.right.child.birth
        if a is None or b is None:
            return MISSING
        if a.date_of_birth is not None and b.date_of_birth is not None:
            agreement = stated_date_agreement(a.date_of_birth, b.date_of_birth)
            if agreement is not None:
                return agreement
        gap = years_apart(a, b)
        if gap <= 1.0:
            return "within_1y"
        if gap <= 3.0:
            return "within_3y"
        return "differ"

    def describe(self, pair: Pair) -> tuple[str, str]:
        """Each birth date, or age and when it was estimated."""
        return _describe_birth(pair.left.child), _describe_birth(pair.right.child)


# ---------------------------------------------------------------------------- places


def _describe_place(place: Place) -> str:
    parts = (place.street, place.locality, place.postcode, place.admin2, place.admin1)
    text = ", ".join(p for p in parts if p)
    return f"{text} ({place.country})" if place.country else text


def _describe_optional_place(place: Place | None) -> str:
    # Only a pair with a place on both sides has a level to describe.
    return "" if place is None else _describe_place(place)


def _skeleton(romanised: str) -> str:
    """The consonants after each word's first letter: romanisations disagree on vowels."""
    return " ".join(
        w[0] + "".join(c for c in w[1:] if c not in "aeiouy") for w in romanised.split()
    )


@dataclass(frozen=True, slots=True)
class _RomanisedPlaceName:
    """A place name's romanised parts as one text, the same joined, and its skeleton."""

    spaced: str
    joined: str
    skeleton: str


@lru_cache(maxsize=65536)
def _romanised_place_name(
    tokens: Callable[[str], tuple[str, ...]], text: str
) -> _RomanisedPlaceName:
    # Memoised by the romanising function and the text: a registry's towns recur in pair
    # after pair, and romanising them again for each pair was most of comparing places.
    spaced = " ".join(tokens(text))
    joined = spaced.replace(" ", "")
    return _RomanisedPlaceName(spaced, joined, _skeleton(joined))


def _place_texts_agree(tokens: Callable[[str], tuple[str, ...]], a: str, b: str) -> bool:
    # The same question in either order is one cache entry.
    return (
        _ordered_place_texts_agree(tokens, a, b)
        if a <= b
        else _ordered_place_texts_agree(tokens, b, a)
    )


@lru_cache(maxsize=262144)
def _ordered_place_texts_agree(tokens: Callable[[str], tuple[str, ...]], a: str, b: str) -> bool:
    # Memoised: a registry's towns recur in pair after pair, and the answer for two town
    # names was a tenth of matching a record (the list of places' other names looked up
    # and both names romanised each time).
    if bundled_place_aliases().same_place(a, b):
        return True  # two names of one place (Mogadishu, Muqdisho; Sinjar, Shingal)
    ra, rb = _romanised_place_name(tokens, a), _romanised_place_name(tokens, b)
    if not ra.spaced or not rb.spaced:
        return False
    if Levenshtein.normalized_similarity(ra.spaced, rb.spaced) >= PLACE_SIMILARITY:
        return True
    # Written as one word or two ("Spinboldak", "Spin Buldak").
    if Levenshtein.normalized_similarity(ra.joined, rb.joined) >= PLACE_SIMILARITY:
        return True
    return len(ra.joined) >= 4 and ra.skeleton == rb.skeleton


@lru_cache(maxsize=16)
def place_names_agree(names: NameMatcher) -> Callable[[str, str], bool]:
    """Two place names agree when they are names of one place (`matching.place_aliases`:
    Mogadishu and Muqdisho, Sinjar and Shingal) or their romanised forms are nearly or
    vowel-blind the same ("Sabha" and "Sebha", "Kandahar" and "Qandahar"); the
    person-name matcher is not used
    here because it forgives missing parts, which in places ("North Ryde", "North Rocks")
    would join different towns. Memoised per matcher: every place clue of every pair asks.
    """
    return partial(_place_texts_agree, names.tokens)


@dataclass(frozen=True)
class PlaceComparison(DescribedComparison):
    """One of the child's places (`origin` or `address`, the last known before separation)."""

    place: str = "origin"

    def _place(self, side: Side) -> Place | None:
        person = side.child.person
        return person.place_of_origin if self.place == "origin" else person.last_known_address

    def level_of(self, pair: Pair) -> str:
        """Street, town, part of the address, district, province, country, differ, missing."""
        a, b = self._place(pair.left), self._place(pair.right)
        agreement = compare_places(a, b, place_names_agree(pair.names))
        return MISSING if agreement is None else agreement

    def describe(self, pair: Pair) -> tuple[str, str]:
        """The two places, finest part first."""
        return _describe_optional_place(self._place(pair.left)), _describe_optional_place(
            self._place(pair.right)
        )


# ---------------------------------------------------------------------------- separation


def _describe_optional_date(value: PartialDate | None) -> str:
    # Only a pair with a date on both sides has a level to describe.
    if value is None:
        return ""
    text = f"{value.year:04d}"
    if value.month:
        text += f"-{value.month:02d}"
        if value.day:
            text += f"-{value.day:02d}"
    return text


@dataclass(frozen=True)
class SeparationDateComparison(DescribedComparison):
    """When the child was separated, as each record tells it (partial dates as ranges)."""

    @staticmethod
    def _date(side: Side) -> PartialDate | None:
        return side.separation.date if side.separation else None

    def level_of(self, pair: Pair) -> str:
        """Same day, within a month, within six months, differ, missing."""
        a, b = self._date(pair.left), self._date(pair.right)
        if a is None or b is None:
            return MISSING
        days = event_days_apart(a, b)
        if days == 0 and a.day is not None and b.day is not None:
            return "same_day"
        if days <= 31:
            return "within_month"
        if days <= 183:
            return "within_6m"
        return "differ"

    def describe(self, pair: Pair) -> tuple[str, str]:
        """The two dates of separation, as precise as each record gives them."""
        a, b = self._date(pair.left), self._date(pair.right)
        return _describe_optional_date(a), _describe_optional_date(b)


@dataclass(frozen=True)
class SeparationPlaceComparison(DescribedComparison):
    """Where the child was separated."""

    @staticmethod
    def _place(side: Side) -> Place | None:
        return side.separation.place if side.separation else None

    def level_of(self, pair: Pair) -> str:
        """Same town, same district or province, same country, differ, missing."""
        a, b = self._place(pair.left), self._place(pair.right)
        agreement = compare_places(a, b, place_names_agree(pair.names))
        if agreement is None:
            return MISSING
        return _SEPARATION_PLACE_LEVELS.get(agreement, agreement)

    def describe(self, pair: Pair) -> tuple[str, str]:
        """The two places of separation, finest part first."""
        return _describe_optional_place(self._place(pair.left)), _describe_optional_place(
            self._place(pair.right)
        )


# A place of separation is told less precisely than an address: its levels are coarser.
_SEPARATION_PLACE_LEVELS = {
    "street": "locality",
    "locality": "locality",
    "partial": "locality",
    "admin2": "admin",
    "admin1": "admin",
    "region_differs": "differ",
}


# ---------------------------------------------------------------------------- identifiers


@dataclass(frozen=True)
class IdentifierComparison(DescribedComparison):
    """The child's document numbers of the same type (UNHCR, ICRC, national id…)."""

    def level_of(self, pair: Pair) -> str:
        """Exact, one typo apart, differ, missing."""
        a, b = pair.left.child.person.identifiers, pair.right.child.person.identifiers
        agreement = compare_identifiers(a, b)
        return MISSING if agreement is None else agreement

    def describe(self, pair: Pair) -> tuple[str, str]:
        """Each side's document numbers with their types."""
        a, b = pair.left.child.person.identifiers, pair.right.child.person.identifiers
        return ", ".join(f"{i.type} {i.value}" for i in a), ", ".join(
            f"{i.type} {i.value}" for i in b
        )


# ---------------------------------------------------------------------------- the defaults
#
# Default m: how often the same child lands on each level when two agencies register
# them, judged from tracing practice (names re-spelt or re-scripted more often than not;
# ages estimated; relatives often named differently or not at all). Default u: how often
# two different children do, for a registry of children; `scoring.estimate_u` replaces u
# with the registry's own figures. Within a clue the non-null m (and u) sum to one.


def default_comparisons() -> tuple[Comparison, ...]:
    """The clues of the default model, strongest first within each, with default m and u."""
    return (
        ChildNameComparison(
            "child_name",
            "child's name",
            (
                Level("exact", "names are the same", 0.35, 2e-5, tf=True),
                Level("reordered", "the same name parts in another order", 0.05, 2e-6, tf=True),
                Level("strong", "names agree across spellings or scripts", 0.30, 2e-4, tf=True),
                Level("similar", "names are similar", 0.15, 1e-3, tf=True),
                Level(
                    "subset",
                    "one name lacks parts the other has; the rest agree",
                    0.08,
                    2e-3,
                    tf=True,
                ),
                Level("part", "only some name parts agree", 0.04, 0.02, tf=True),
                Level(
                    "given_differs",
                    "family or father's names agree but the given names differ (a sibling?)",
                    0.01,
                    0.01,
                    tf=True,
                ),
                Level("differ", "names differ", 0.02, 0.966778),
                missing_level("a name is missing"),
            ),
        ),
        RelativesComparison(
            "relatives",
            "relatives",
            (
                Level(
                    "several", "two or more relatives agree by name and relationship", 0.15, 2e-5
                ),
                Level("parent", "a parent agrees by name and relationship", 0.25, 2e-3),
                Level("relative", "a relative agrees by name and relationship", 0.10, 3e-3),
                Level(
                    "patronymic",
                    "the father's name agrees with the father's name carried in the child's name",
                    0.08,
                    0.01,
                ),
                Level(
                    "name_only",
                    "a relative's name agrees; the relationship is not stated alike",
                    0.05,
                    5e-3,
                ),
                Level(
                    "none",
                    "relatives who could be the same are named on both sides; none agree",
                    0.37,
                    0.97998,
                ),
                missing_level("no relatives of the same kind named on both sides"),
            ),
        ),
        NamedSiblingComparison(
            "named_sibling",
            "siblings",
            (
                # m: a child named like their own sibling; u: among a child's siblings,
                # the share the other record names (most enquiries name them all).
                Level(
                    "named_sibling",
                    "this child bears the name of a sibling the other record names",
                    0.01,
                    0.6,
                ),
                missing_level("no sibling named like this child"),
            ),
        ),
        SexComparison(
            "sex",
            "sex",
            (
                Level("same", "sex is the same", 0.96, 0.5),
                Level("differ", "sex differs", 0.04, 0.5),
                missing_level("sex is not stated on both sides"),
            ),
        ),
        BirthComparison(
            "birth",
            "date of birth or age",
            (
                Level("exact", "born the same day", 0.30, 1.5e-4),
                Level(
                    "typo",
                    "dates of birth a likely typo apart (day and month swapped, or one digit)",
                    0.05,
                    6e-4,
                ),
                Level("month", "born the same month (day unknown on one side)", 0.05, 4e-3),
                Level("year", "born the same year (month or day unknown)", 0.12, 0.05),
                Level(
                    "within_1y", "ages agree within a year, at the same point in time", 0.30, 0.15
                ),
                Level(
                    "within_3y",
                    "ages agree within three years, at the same point in time",
                    0.12,
                    0.25,
                ),
                Level("differ", "ages differ by more than three years", 0.06, 0.5452),
                missing_level("no date of birth or age on one side"),
            ),
        ),
        PlaceComparison(
            "origin",
            "place of origin",
            _place_levels("place of origin"),
            place="origin",
        ),
        PlaceComparison(
            "address",
            "last known address",
            _place_levels("last known address"),
            place="address",
        ),
        SeparationDateComparison(
            "separation_date",
            "date of separation",
            (
                Level("same_day", "separated the same day", 0.35, 2e-3),
                Level("within_month", "separated within a month of each other", 0.35, 0.03),
                Level("within_6m", "separated within six months of each other", 0.18, 0.12),
                Level("differ", "separated more than six months apart", 0.12, 0.848),
                missing_level("no date of separation on one side"),
            ),
        ),
        SeparationPlaceComparison(
            "separation_place",
            "place of separation",
            (
                Level("locality", "separated in the same town", 0.5, 0.01),
                Level("admin", "separated in the same district or province", 0.3, 0.1),
                Level("country", "separated in the same country", 0.15, 0.5),
                Level("differ", "separated in different places", 0.05, 0.39),
                missing_level("no place of separation on one side"),
            ),
        ),
        IdentifierComparison(
            "identifiers",
            "document numbers",
            (
                Level("exact", "the same document number", 0.90, 1e-6),
                Level("typo", "document numbers one typo apart", 0.06, 2e-5),
                Level("differ", "different numbers for the same type of document", 0.04, 0.999979),
                missing_level("no document numbers of the same type"),
            ),
        ),
    )


def _place_levels(what: str) -> tuple[Level, ...]:
    return (
        Level("street", "same street address", 0.33, 1e-4),
        Level("locality", "same town or village", 0.22, 3e-3),
        Level("partial", "part of the address agrees, part differs", 0.08, 5e-3),
        Level("admin2", "same district", 0.08, 0.02),
        Level("admin1", "same province or state", 0.12, 0.1),
        # Only the country on one side happens as often for true pairs as for others.
        Level("country", "same country; nothing finer to compare", 0.15, 0.15),
        Level("region_differs", "same country, different town or province", 0.015, 0.35),
        Level("differ", "different countries", 0.005, 0.3719),
        missing_level(f"no {what} to compare"),
    )


__all__ = [
    "BirthComparison",
    "ChildNameComparison",
    "Comparison",
    "DescribedComparison",
    "IdentifierComparison",
    "NameMatcher",
    "NameVerdict",
    "NamedSiblingComparison",
    "Observation",
    "Pair",
    "PlaceComparison",
    "PreparedPerson",
    "RelativesComparison",
    "SeparationDateComparison",
    "SeparationPlaceComparison",
    "SexComparison",
    "Side",
    "default_comparisons",
    "default_name_matcher",
    "prepare_person",
    "prepare_query",
    "prepare_record",
]
