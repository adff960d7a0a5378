"""Precision, recall and F1 of predicted links against true links."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Accuracy:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 0.0

    @property
    def recall(self) -> float:
        real = self.true_positives + self.false_negatives
        return self.true_positives / real if real else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def accuracy(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> Accuracy:
    """Compare predicted pairs with true pairs (both in the same orientation)."""
    tp = len(predicted & truth)
    return Accuracy(tp, len(predicted) - tp, len(truth) - tp)
