"""Scoring pairs of children: Fellegi–Sunter weights, term frequencies, bands, explanations.

The entry points the service calls:

- `compare_records(a, b)`: one `PairScore` per (child of a, child of b): a tracing
  request's subject against each sought child of an enquiry, or two records of one kind
  for probable duplicates;
- `compare_person(person, record)`: an ad-hoc search person against each child of a record;
- `estimate_u(...)` and `NameCounts.from_sides(...)`: what the registry itself teaches
  (chance agreement from random pairs, how common each name part is), no labels needed.

A pair's match weight (bits) is the prior's log-odds plus each clue's log2(m/u), plus, for
name levels, log2(u / chance of agreeing on these very name parts). The score is the match
probability 2^w / (1 + 2^w).

Bands. `likely` is p >= 0.5: under the model the pair is more probably the same child
than not; it is the service's decision threshold (what goes to reviewers first, and
what the benchmarks count as a predicted link). `possible` is p >= 0.05 (odds of one in
twenty): worth a reviewer's look, and the default floor of search results. Neither band
decides anything: every match is confirmed or rejected by a person.

Prior. `DEFAULT_MODEL.prior` (1e-4) suits a registry of about ten thousand records of the
other kind; `MatchModel.for_registry(n)` sets it from the registry's actual size (rounded
to a power of two so that the model version changes only when the registry doubles).

Without labels. Default m are judgement (written beside each level in `comparisons`);
u are re-estimated from random pairs of the registry (`estimate_u`) and name-part
frequencies counted over it (`NameCounts`). Both are cheap enough to redo nightly; the
model version fingerprints the result.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from matching.comparisons import (
    NameMatcher,
    Observation,
    Pair,
    Side,
    default_comparisons,
    default_name_matcher,
    prepare_query,
    prepare_record,
)
from matching.explanation import Explanation, Step
from matching.model import MISSING, Band, Level, MatchModel, probability_from_weight
from matching.records import MatchableRecord, Person

DEFAULT_MODEL = MatchModel(
    name="ftr-fs-1",
    comparisons=default_comparisons(),
    # One pair in ten thousand: a registry where each child has about one true match among
    # ten thousand records of the other kind. Re-set with `with_parameters(prior=...)`.
    prior=1e-4,
    # More probable a match than not: the Bayes decision threshold, and the service's.
    likely=0.5,
    # Odds of one in twenty: low enough that a reviewer sees every plausible pair.
    possible=0.05,
)


# ---------------------------------------------------------------------------- name frequencies


class NameFrequencies(Protocol):
    """How common a canonical name part is among the registry's children (None: unknown)."""

    def frequency(self, token: str) -> float | None:
        """The share of children whose names contain this part, or None without data."""
        ...


@dataclass(frozen=True)
class NameCounts:
    """Name-part counts over a registry's children; the default, empty, adjusts nothing.

    `counts[token]` is the number of children with that canonical part in any of their
    names, out of `people`. A part never seen counts as seen once, so that a brand-new
    rare name is rare rather than impossible.
    """

    counts: Mapping[str, int]
    people: int

    def frequency(self, token: str) -> float | None:
        """The share of children with this name part; None when there is no registry."""
        if self.people <= 0:
            return None
        return max(self.counts.get(token, 0), 1) / self.people

    @classmethod
    def from_records(cls, records: Iterable[MatchableRecord], names: NameMatcher) -> NameCounts:
        """Count name parts over every child of the records (the registry)."""
        return cls.from_sides(s for r in records for s in prepare_record(r, names))

    @classmethod
    def from_sides(cls, sides: Iterable[Side]) -> NameCounts:
        """Count each child's distinct canonical name parts (each child once)."""
        counts: Counter[str] = Counter()
        people = 0
        for side in sides:
            people += 1
            counts.update({t for tokens in side.child.tokens for t in tokens})
        return cls(counts=dict(counts), people=people)


NO_FREQUENCIES = NameCounts(counts={}, people=0)


# ---------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class PairScore:
    """The score of one child against one child, and how it came about.

    `comparison_vector` maps each clue id to the level id the pair landed on: it is what
    the records say about each other, independent of the model's numbers, so a rejected
    pair is proposed again only when this changes. `left_index` and `right_index` are the
    children's positions in their records (the sought child of an enquiry).
    """

    left_record_id: str | None
    left_index: int
    right_record_id: str | None
    right_index: int
    model_version: str
    match_weight: float
    score: float
    band: Band | None
    comparison_vector: dict[str, str]
    explanation: Explanation

    @property
    def vector_key(self) -> str:
        """The comparison vector as one stable string, e.g. 'birth=exact;child_name=strong'."""
        return vector_key(self.comparison_vector)

    def to_dict(self, *, with_values: bool = False) -> dict[str, object]:
        """JSON data for storage or a response; compared values only when `with_values`."""
        return {
            "left_record_id": self.left_record_id,
            "left_index": self.left_index,
            "right_record_id": self.right_record_id,
            "right_index": self.right_index,
            "model_version": self.model_version,
            "score": self.score,
            "band": self.band,
            "match_weight": round(self.match_weight, 3),
            "comparison_vector": dict(self.comparison_vector),
            "explanation": self.explanation.to_list(with_values=with_values),
        }


def vector_key(vector: Mapping[str, str]) -> str:
    """A comparison vector as one stable string (clues sorted), for storage and equality."""
    return ";".join(f"{clue}={level}" for clue, level in sorted(vector.items()))


def _tf_adjustment(
    level: Level, observation: Observation, frequencies: NameFrequencies, limit: float
) -> float | None:
    """log2(u of the level / chance of agreeing on these name parts), within ±limit.

    The chance of two unrelated children agreeing on the parts is the product of the
    parts' frequencies (the more common of each agreeing pair, as Splink does).
    """
    if not level.tf or not observation.tf_tokens:
        return None
    chance = 1.0
    for a, b in observation.tf_tokens:
        fa, fb = frequencies.frequency(a), frequencies.frequency(b)
        if fa is None or fb is None:
            return None
        chance *= max(fa, fb)
    adjustment = math.log2(level.u / max(chance, 1e-12))
    return max(-limit, min(limit, adjustment))


def score_sides(
    left: Side,
    right: Side,
    model: MatchModel = DEFAULT_MODEL,
    *,
    names: NameMatcher,
    name_frequencies: NameFrequencies = NO_FREQUENCIES,
) -> PairScore:
    """Score two prepared sides (see `comparisons.prepare_record`) with the model.

    The building block of `compare_records` and `compare_person`; batch jobs that prepare
    each record once call it directly.
    """
    score = score_sides_above(
        left, right, model, names=names, name_frequencies=name_frequencies, floor=None
    )
    assert score is not None  # without a floor every pair is scored in full
    return score


#: How far below the lowest band a pair may be left unscored (`band_floor`). A pair left
#: out would also have lowered, as a rival sibling (`exclusive_children`), the score of a
#: pair of the same records by at most log2(1 + 2^floor) bits: under 0.01 bits here,
#: below the 0.05 bits that adjustment rounds away.
FLOOR_MARGIN_BITS = 2.0


def band_floor(model: MatchModel, min_score: float | None = None) -> float | None:
    """The match weight below which a pair cannot matter to a caller that keeps only pairs
    scoring at least `min_score` (by default the `possible` band); None keeps every pair."""
    lowest = model.possible if min_score is None else min_score
    if lowest <= 0.0:
        return None
    return math.log2(lowest / (1.0 - lowest)) - FLOOR_MARGIN_BITS if lowest < 1.0 else None


def score_sides_above(
    left: Side,
    right: Side,
    model: MatchModel = DEFAULT_MODEL,
    *,
    names: NameMatcher,
    name_frequencies: NameFrequencies = NO_FREQUENCIES,
    floor: float | None,
) -> PairScore | None:
    """`score_sides`, or None as soon as the pair is sure to weigh less than `floor` bits.

    The cheap clues (sex, dates, places, identifiers) are read first; before each costly
    one (names, relatives: the name matcher over several names), the pair's weight so far
    plus the best every unread clue could add is its ceiling, and a pair whose ceiling is
    under the floor is dropped unread. Most candidates a database returns for a record
    share a name part and little else, so matching a record reads most of their relatives
    not at all. The result, when there is one, is exactly `score_sides`'s.

    While a pair may still be dropped, its cheap clues are read for their level alone
    (`Comparison.level_of`); the compared values are written once it is kept.
    """
    pair = Pair(left=left, right=right, names=names)
    unread = sum(model.ceilings)
    weight = model.prior_weight
    # An observation is None where only the level was read (it is observed once kept).
    read: dict[int, tuple[Observation | None, Level, float | None]] = {}
    for index in model.reading_order:
        comparison = model.comparisons[index]
        best = model.ceilings[index]
        unread -= best
        if comparison.costly and floor is not None and weight + best + unread < floor:
            return None
        observation: Observation | None = None
        adjustment: float | None = None
        if floor is None or comparison.costly:
            # Nothing will be dropped, or the observation is the costly part anyway.
            observation = comparison.observe(pair)
            level = comparison.level(observation.level)
        else:
            level = comparison.level(comparison.level_of(pair))
            if level.tf:  # its weight depends on the agreeing name parts
                observation = comparison.observe(pair)
        if observation is not None:
            adjustment = _tf_adjustment(level, observation, name_frequencies, model.tf_limit)
            if adjustment is not None and abs(adjustment) < 0.05:
                adjustment = None
        read[index] = (observation, level, adjustment)
        weight += comparison.level_weight(level.id) + (adjustment or 0.0)
    steps = [Step("prior", "prior", "prior", "starting odds of a match", model.prior_weight)]
    vector: dict[str, str] = {}
    for index, comparison in enumerate(model.comparisons):
        observed, level, adjustment = read[index]
        # The pair is kept: the clues read for their level alone are observed now.
        observation = observed if observed is not None else comparison.observe(pair)
        vector[comparison.id] = level.id
        steps.append(
            Step(
                comparison.id,
                comparison.title,
                level.id,
                level.label,
                level.weight,
                observation.left,
                observation.right,
            )
        )
        if adjustment is not None:
            rare = adjustment > 0
            steps.append(
                Step(
                    f"{comparison.id}.frequency",
                    f"how common the {comparison.title} is",
                    "rare" if rare else "common",
                    "the agreeing name parts are rarer than most in the registry"
                    if rare
                    else "the agreeing name parts are common in the registry",
                    adjustment,
                    " ".join(a for a, _ in observation.tf_tokens),
                    " ".join(b for _, b in observation.tf_tokens),
                )
            )
    explanation = Explanation(tuple(steps))
    weight = explanation.total_bits
    probability = probability_from_weight(weight)
    return PairScore(
        left_record_id=left.record_id,
        left_index=left.index,
        right_record_id=right.record_id,
        right_index=right.index,
        model_version=model.version,
        match_weight=weight,
        score=probability,
        band=model.band(probability),
        comparison_vector=vector,
        explanation=explanation,
    )


def cheap_clue_bits(left: Side, right: Side, model: MatchModel, *, names: NameMatcher) -> float:
    """The weight two sides get from the clues that are cheap to read (every clue but the
    costly ones: names, relatives): sex, birth, places, separation, identifiers.

    With the first-pass score of shared name keys, it ranks a database's candidates
    before the best of them are scored in full: among the many records sharing a child's
    common name, the ones of the same sex and age from the same place come first.
    """
    pair = Pair(left=left, right=right, names=names)
    total = 0.0
    for comparison in model.comparisons:
        if not comparison.costly:
            total += comparison.level_weight(comparison.level_of(pair))
    return total


def has_cheap_clues(side: Side, model: MatchModel, *, names: NameMatcher) -> bool:
    """Whether a side has anything for the cheap clues to compare (`cheap_clue_bits`).

    Each clue is missing when either side lacks its value, so a side without any (a search
    by a name alone) gets the same cheap weight against every candidate: ranking its
    candidates by the cheap clues would change nothing.
    """
    pair = Pair(left=side, right=side, names=names)
    return any(
        not comparison.costly and comparison.level_of(pair) != MISSING
        for comparison in model.comparisons
    )


def compare_records(
    a: MatchableRecord,
    b: MatchableRecord,
    model: MatchModel = DEFAULT_MODEL,
    *,
    names: NameMatcher | None = None,
    name_frequencies: NameFrequencies = NO_FREQUENCIES,
) -> list[PairScore]:
    """Score every child of `a` against every child of `b`, best first.

    For a tracing request against an enquiry this is the subject against each sought
    child (`right_index` says which); for two records of one kind, probable duplicates.
    `names` defaults to the project's name matcher.
    """
    matcher = names or default_name_matcher()
    return compare_prepared(
        prepare_record(a, matcher),
        prepare_record(b, matcher),
        model,
        names=matcher,
        name_frequencies=name_frequencies,
    )


def compare_prepared(
    a: Sequence[Side],
    b: Sequence[Side],
    model: MatchModel = DEFAULT_MODEL,
    *,
    names: NameMatcher,
    name_frequencies: NameFrequencies = NO_FREQUENCIES,
    floor: float | None = None,
) -> list[PairScore]:
    """`compare_records` for records prepared once (`comparisons.prepare_record`).

    A service matching one new record against many candidates prepares the new record
    once and each candidate once, then calls this per candidate record. With a `floor`
    (`band_floor`), pairs sure to weigh less are left out, unscored (`score_sides_above`).
    """
    scores = [
        score
        for x in a
        for y in b
        if (
            score := score_sides_above(
                x, y, model, names=names, name_frequencies=name_frequencies, floor=floor
            )
        )
        is not None
    ]
    return sorted(exclusive_children(scores, model), key=lambda s: -s.match_weight)


def _log2_sum_exp2(weights: Sequence[float]) -> float:
    top = max(weights)
    return top + math.log2(sum(math.pow(2.0, w - top) for w in weights))


def exclusive_children(scores: Sequence[PairScore], model: MatchModel) -> list[PairScore]:
    """Scores of one pair of records, with each child matching at most one other child.

    A child is at most one of the children an enquiry seeks, so the hypotheses "this child
    is sought child 1", "... sought child 2" exclude each other: a pair's probability is
    its odds over one plus the odds of every pair it competes with (sharing either
    child). Siblings sought together then give way to the sibling that fits best. For
    records with one child each nothing changes; the waterfall shows the adjustment.
    """
    adjusted = []
    for score in scores:
        rivals = [
            other.match_weight
            for other in scores
            if other is not score
            and (other.left_index == score.left_index or other.right_index == score.right_index)
        ]
        if not rivals:
            adjusted.append(score)
            continue
        shift = -_log2_sum_exp2([0.0, *rivals])
        if shift > -0.05:
            adjusted.append(score)
            continue
        step = Step(
            "other_children",
            "other children of these records",
            "better_fit",
            "another child of these records fits as well or better (one child is one match)",
            shift,
        )
        weight = score.match_weight + shift
        probability = probability_from_weight(weight)
        adjusted.append(
            replace(
                score,
                match_weight=weight,
                score=probability,
                band=model.band(probability),
                explanation=Explanation((*score.explanation.steps, step)),
            )
        )
    return adjusted


def compare_person(
    person: Person,
    record: MatchableRecord,
    model: MatchModel = DEFAULT_MODEL,
    *,
    as_of: date | None = None,
    names: NameMatcher | None = None,
    name_frequencies: NameFrequencies = NO_FREQUENCIES,
) -> list[PairScore]:
    """Score an ad-hoc search person against each child of a record, best first.

    `as_of` places the person's age in time (the day of the search); relatives and
    separation are not part of a search, so those clues read as missing.
    """
    matcher = names or default_name_matcher()
    query = prepare_query(person, matcher, as_of=as_of)
    scores = [
        score_sides(query, y, model, names=matcher, name_frequencies=name_frequencies)
        for y in prepare_record(record, matcher)
    ]
    return sorted(exclusive_children(scores, model), key=lambda s: -s.match_weight)


# ------------------------------------------------------------ learning from the registry


def estimate_u(
    model: MatchModel,
    left: Sequence[Side],
    right: Sequence[Side] | None = None,
    *,
    names: NameMatcher,
    pairs: int = 20_000,
    seed: int = 0,
    min_count: int = 5,
) -> MatchModel:
    """A model whose u are the registry's own chance agreements, from random pairs.

    Random pairs of children (from `left` × `right`, or within `left` for duplicates) are
    almost all different children, so the share landing on each level is its u. A level
    seen fewer than `min_count` times keeps its default u, capped by what the sample
    could have seen; each clue's u are then renormalised over its non-null levels.
    """
    others = right if right is not None else left
    if not left or not others:
        return model
    rng = random.Random(seed)  # noqa: S311  (sampling, not security)
    counts: dict[str, Counter[str]] = {c.id: Counter() for c in model.comparisons}
    drawn = 0
    for _ in range(pairs * 2):
        if drawn >= pairs:
            break
        x, y = rng.choice(left), rng.choice(others)
        if x.record_id is not None and x.record_id == y.record_id:
            continue
        drawn += 1
        pair = Pair(left=x, right=y, names=names)
        for comparison in model.comparisons:
            if comparison.learn_u:
                counts[comparison.id][comparison.level_of(pair)] += 1
    u: dict[str, dict[str, float]] = {}
    for comparison in model.comparisons:
        if not comparison.learn_u:
            continue
        seen = counts[comparison.id]
        compared = sum(n for level_id, n in seen.items() if not comparison.level(level_id).null)
        if compared == 0:
            continue
        raw: dict[str, float] = {}
        for level in comparison.levels:
            if level.null:
                continue
            n = seen.get(level.id, 0)
            raw[level.id] = n / compared if n >= min_count else min(level.u, min_count / compared)
        total = sum(raw.values())
        u[comparison.id] = {k: v / total for k, v in raw.items()}
    return model.with_parameters(u=u)


def estimate_m(
    model: MatchModel,
    vectors: Iterable[Mapping[str, str]],
    *,
    iterations: int = 25,
    floor: float = 1e-4,
) -> MatchModel:
    """A model whose m are learnt without labels from candidate pairs, by EM (optional).

    The candidate pairs (those blocking let through) are a mixture of matches and
    non-matches. Expectation-maximisation alternates the probability that each pair is a
    match with the m (and a within-candidates u) that explain it, as Splink does; only m
    is kept, u stays the registry's random-pair estimate. Clues whose u is not a chance
    agreement (`learn_u` False) keep their parameters. Identical vectors are counted
    once. Not part of the defaults: on FEBRL it helps, but on tracing-like data, where
    candidates are found by name and a family's clues move together (siblings share
    parents, places and separation), it overrates family agreement and floods `likely`
    with siblings and namesakes (see bench/tracing --em).
    """
    trained = [c for c in model.comparisons if c.learn_u]
    counts = Counter(tuple(vector.get(c.id, "missing") for c in trained) for vector in vectors)
    if not counts:
        return model
    null = {c.id: {lv.id for lv in c.levels if lv.null} for c in trained}
    m = {c.id: {lv.id: lv.m for lv in c.levels if not lv.null} for c in trained}
    u = {c.id: {lv.id: lv.u for lv in c.levels if not lv.null} for c in trained}
    share = 0.1  # of candidate pairs that are matches; re-estimated at once
    for _ in range(iterations):
        match_mass: dict[str, defaultdict[str, float]] = {c.id: defaultdict(float) for c in trained}
        other_mass: dict[str, defaultdict[str, float]] = {c.id: defaultdict(float) for c in trained}
        total_match = 0.0
        total = 0
        for levels, n in counts.items():
            weight = math.log2(share / (1.0 - share))
            for comparison, level_id in zip(trained, levels, strict=True):
                if level_id not in null[comparison.id]:
                    weight += math.log2(m[comparison.id][level_id] / u[comparison.id][level_id])
            p = probability_from_weight(weight)
            total_match += p * n
            total += n
            for comparison, level_id in zip(trained, levels, strict=True):
                if level_id not in null[comparison.id]:
                    match_mass[comparison.id][level_id] += p * n
                    other_mass[comparison.id][level_id] += (1.0 - p) * n
        share = min(max(total_match / total, 1e-6), 1.0 - 1e-6)
        for comparison in trained:
            for table, mass in ((m, match_mass), (u, other_mass)):
                levels_mass = mass[comparison.id]
                seen = sum(levels_mass.values())
                if seen <= 0:
                    continue
                raw = {k: max(levels_mass.get(k, 0.0) / seen, floor) for k in table[comparison.id]}
                norm = sum(raw.values())
                table[comparison.id] = {k: v / norm for k, v in raw.items()}
    return model.with_parameters(m=m)
