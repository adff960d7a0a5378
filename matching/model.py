"""The Fellegi–Sunter model as data: clues, their agreement levels, m and u, prior and bands.

A *comparison* (one clue: the child's name, sex, date of birth…) is an ordered list of
*levels*, strongest agreement first. Each level carries two probabilities:

- `m`: how often a true pair (the same child) lands on this level;
- `u`: how often two unrelated children land on it by chance.

A pair's match weight is the prior's log-odds plus, for each clue, `log2(m / u)` of the
level it landed on. The level's `label` is written for a reviewer: it is the explanation.

The model is a value. Re-estimating u from the registry (`scoring.estimate_u`) returns a
new model with a new version string, so each stored match can name the exact parameters
that produced it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from matching.comparisons import Comparison

Band = Literal["likely", "possible"]


@dataclass(frozen=True, slots=True)
class Level:
    """One level of agreement of a clue, with the words a reviewer reads.

    `null` marks the "nothing to compare" level: it moves the score by nothing, whatever
    its m and u. `tf` marks levels whose weight is adjusted for how common the agreeing
    name parts are in the registry (agreeing on a rare name is stronger evidence).
    """

    id: str
    label: str
    m: float = 1.0
    u: float = 1.0
    null: bool = False
    tf: bool = False

    @property
    def weight(self) -> float:
        """The level's contribution in bits: log2(m / u), zero for the null level."""
        if self.null:
            return 0.0
        return math.log2(self.m / self.u)


#: The id of the null level every clue ends with (`missing_level`).
MISSING = "missing"


def missing_level(label: str) -> Level:
    """The null level every clue ends with: one side says nothing, so no evidence either way."""
    return Level(MISSING, label, null=True)


@dataclass(frozen=True, slots=True)
class MatchModel:
    """Everything that turns comparison levels into a score and a band.

    `prior` is the probability that two children picked at random from the two sides are
    the same child. `likely` and `possible` are probabilities: a pair at or above `likely`
    is more probable a match than not under the model (the service's decision threshold),
    one at or above `possible` is worth a reviewer's look. `tf_limit` caps, in bits, how
    far the rarity of a name can move one clue either way, so that one registry with a
    skewed name distribution cannot drown the other clues.
    """

    name: str
    comparisons: tuple[Comparison, ...]
    prior: float = 1e-4
    likely: float = 0.5
    possible: float = 0.05
    tf_limit: float = 6.0

    # The name and a short fingerprint of every parameter that moves a score; computed
    # once, as every scored pair carries it.
    version: str = field(init=False, compare=False, default="")
    # The most each clue (in the order of `comparisons`) can add to a pair's weight: its
    # strongest level, plus the name-rarity bonus where it has one. Scoring uses these
    # ceilings to stop early on a pair that cannot reach a band.
    ceilings: tuple[float, ...] = field(init=False, compare=False, default=())
    # The order scoring reads the clues in: the cheap ones first, then the costly ones
    # (`Comparison.costly`), each group in model order.
    reading_order: tuple[int, ...] = field(init=False, compare=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "reading_order",
            tuple(sorted(range(len(self.comparisons)), key=lambda i: self.comparisons[i].costly)),
        )
        object.__setattr__(
            self,
            "ceilings",
            tuple(
                max(level.weight for level in c.levels)
                + (self.tf_limit if any(level.tf for level in c.levels) else 0.0)
                for c in self.comparisons
            ),
        )
        digest = hashlib.sha256(
            json.dumps(self.parameters(), sort_keys=True).encode("utf-8")
        ).hexdigest()
        object.__setattr__(self, "version", f"{self.name}+{digest[:10]}")

    @property
    def prior_weight(self) -> float:
        """The prior as log2-odds: where every pair starts before any clue is read."""
        return math.log2(self.prior / (1.0 - self.prior))

    def for_registry(
        self,
        candidates: int,
        *,
        matches_per_record: float = 1.0,
        lowest: float = 1e-6,
        highest: float = 1e-3,
    ) -> MatchModel:
        """The model with its prior set from the registry's size, no labels needed.

        A record compared with `candidates` children of the other kind has about
        `matches_per_record` true matches among them, so the prior is their ratio. It is
        rounded to a power of two (the model version then changes only when the registry
        doubles) and kept within [lowest, highest]: a registry of a few dozen records
        does not make a name alone a likely match.
        """
        raw = matches_per_record / max(candidates, 1)
        rounded = 2.0 ** round(math.log2(raw)) if raw > 0 else lowest
        return self.with_parameters(prior=min(highest, max(lowest, rounded)))

    def comparison(self, clue: str) -> Comparison:
        """The comparison with this clue id."""
        for comparison in self.comparisons:
            if comparison.id == clue:
                return comparison
        raise KeyError(clue)

    def band(self, probability: float) -> Band | None:
        """'likely', 'possible' or None for a match probability."""
        if probability >= self.likely:
            return "likely"
        if probability >= self.possible:
            return "possible"
        return None

    def parameters(self) -> dict[str, object]:
        """The model as plain JSON data (for storage next to matches, and for review)."""
        return {
            "name": self.name,
            "prior": self.prior,
            "likely": self.likely,
            "possible": self.possible,
            "tf_limit": self.tf_limit,
            "comparisons": {
                c.id: {
                    level.id: {"m": level.m, "u": level.u, "tf": level.tf}
                    for level in c.levels
                    if not level.null
                }
                for c in self.comparisons
            },
        }

    def with_parameters(
        self,
        *,
        m: Mapping[str, Mapping[str, float]] | None = None,
        u: Mapping[str, Mapping[str, float]] | None = None,
        prior: float | None = None,
    ) -> MatchModel:
        """A copy with some m and u replaced (by clue id, then level id) or a new prior."""
        comparisons = []
        for comparison in self.comparisons:
            levels = []
            for level in comparison.levels:
                new_m = (m or {}).get(comparison.id, {}).get(level.id, level.m)
                new_u = (u or {}).get(comparison.id, {}).get(level.id, level.u)
                levels.append(replace(level, m=new_m, u=new_u))
            comparisons.append(replace(comparison, levels=tuple(levels)))
        return replace(
            self,
            comparisons=tuple(comparisons),
            prior=self.prior if prior is None else prior,
        )


def probability_from_weight(weight: float) -> float:
    """The match probability for a total match weight (log2-odds), safe at the extremes."""
    if weight >= 0:
        return 1.0 / (1.0 + math.pow(2.0, -weight))
    odds = math.pow(2.0, weight)
    return odds / (1.0 + odds)


def level_ids(levels: Iterable[Level]) -> tuple[str, ...]:
    """The level ids in order (the alphabet of one position of a comparison vector)."""
    return tuple(level.id for level in levels)
