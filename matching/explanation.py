"""The waterfall a reviewer reads: where the score started and how each clue moved it.

Each step is one clue at the level it landed on, in plain words, with its contribution
in bits (log2 of the likelihood ratio: +1 doubles the odds of a match, -1 halves them).
The compared values travel with the step for reviewers entitled to them; an officer of
another organisation gets `without_values()`, the same steps with the values removed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Step:
    """One bar of the waterfall: a clue, the level reached, and how far it moved the score.

    `clue` is the comparison id ('prior' for the starting point, '<clue>.frequency' for the
    term-frequency adjustment of a name clue); `level` the level id; `label` the level's
    words; `bits` the contribution; `left` and `right` what was compared (None when
    withheld or when there was nothing to show).
    """

    clue: str
    title: str
    level: str
    label: str
    bits: float
    left: str | None = None
    right: str | None = None

    def sentence(self) -> str:
        """The step in words with its signed contribution, e.g. 'sex differs: −6.0'."""
        sign = "+" if self.bits >= 0 else "−"
        return f"{self.label}: {sign}{abs(self.bits):.1f}"

    def to_dict(self, *, with_values: bool = True) -> dict[str, object]:
        """The step as JSON data, with or without the compared values."""
        data: dict[str, object] = {
            "clue": self.clue,
            "title": self.title,
            "level": self.level,
            "label": self.label,
            "bits": round(self.bits, 3),
        }
        if with_values:
            data["left"] = self.left
            data["right"] = self.right
        return data


@dataclass(frozen=True, slots=True)
class Explanation:
    """The prior, then one step per clue (and per name-frequency adjustment), in model order."""

    steps: tuple[Step, ...]

    @property
    def total_bits(self) -> float:
        """The match weight: the sum of every step."""
        return sum(step.bits for step in self.steps)

    def evidence(self) -> tuple[Step, ...]:
        """The steps that moved the score (the prior and clues with something to compare)."""
        return tuple(s for s in self.steps if s.clue == "prior" or s.bits != 0.0)

    def without_values(self) -> Explanation:
        """The same explanation with every compared value removed."""
        return Explanation(tuple(replace(s, left=None, right=None) for s in self.steps))

    def sentences(self) -> list[str]:
        """One line per step that moved the score, strongest evidence first after the prior."""
        prior = [s for s in self.steps if s.clue == "prior"]
        moved = sorted(
            (s for s in self.steps if s.clue != "prior" and s.bits != 0.0),
            key=lambda s: -abs(s.bits),
        )
        return [s.sentence() for s in prior + moved]

    def to_list(self, *, with_values: bool = True) -> list[dict[str, object]]:
        """The steps as JSON data, with or without the compared values."""
        return [s.to_dict(with_values=with_values) for s in self.steps]
