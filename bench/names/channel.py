"""Estimate the transliteration channel tables (matching/data/name_channel.json).

Run: .venv/bin/python -m bench.names.channel. Uses the true pairs of the tuning half
only. For each source script the romanised forms of the native name are aligned with
the Latin spelling (Viterbi, under the current tables, starting from the hand-set
costs); the counted operations, smoothed towards the pooled counts of all scripts and
those towards the hand-set costs, give the operation probabilities. Letters and sounds
are learned, not names: the tables hold no name.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import partial
from pathlib import Path

from bench.names.data import TUNE, load_pairs, synthetic_pairs
from matching.name_channel import (
    CHANNEL_FILE,
    DEFAULT_GROUP,
    LETTERS,
    Channel,
    _hand_set_channel,
    group_of,
    neg_log,
)
from matching.name_parts import parse_name
from matching.names import compared_forms

OUTPUT = Path(__file__).resolve().parents[2] / "matching" / "data" / CHANNEL_FILE
SMOOTHING_TO_POOLED = 300.0  # pseudo-operations of the pooled table in each script's
SMOOTHING_TO_PRIOR = 200.0  # pseudo-operations of the hand-set table in the pooled one
ITERATIONS = 3

Op = tuple[str, str]  # (x letter or "", y letter or "")


def align(channel: Channel, x: str, y: str) -> tuple[float, list[Op]]:
    """Best alignment cost and its operations."""
    rows, cols = len(x) + 1, len(y) + 1
    cost = [[0.0] * cols for _ in range(rows)]
    back = [[""] * cols for _ in range(rows)]
    fb = channel.fallback
    for j in range(1, cols):
        cost[0][j] = cost[0][j - 1] + channel.insertion.get(y[j - 1], fb)
        back[0][j] = "i"
    for i in range(1, rows):
        cost[i][0] = cost[i - 1][0] + channel.deletion.get(x[i - 1], fb)
        back[i][0] = "d"
        for j in range(1, cols):
            options = (
                (cost[i - 1][j - 1] + channel.substitution.get((x[i - 1], y[j - 1]), fb), "s"),
                (cost[i - 1][j] + channel.deletion.get(x[i - 1], fb), "d"),
                (cost[i][j - 1] + channel.insertion.get(y[j - 1], fb), "i"),
            )
            cost[i][j], back[i][j] = min(options)
    ops: list[Op] = []
    i, j = len(x), len(y)
    while i or j:
        step = back[i][j]
        if step == "s":
            ops.append((x[i - 1], y[j - 1]))
            i, j = i - 1, j - 1
        elif step == "d":
            ops.append((x[i - 1], ""))
            i -= 1
        else:
            ops.append(("", y[j - 1]))
            j -= 1
    return cost[len(x)][len(y)], ops


def training_pairs() -> list[tuple[str, tuple[str, ...], tuple[str, ...], bool]]:
    """(group, native folded forms, Latin folded forms, symmetric) for tuning positives."""
    out = []
    for pair in load_pairs() + synthetic_pairs():
        if pair.split != TUNE or not pair.same:
            continue
        parts_a, parts_b = parse_name(pair.a), parse_name(pair.b)
        if len(parts_a) != 1 or len(parts_b) != 1:
            continue
        a, b = parts_a[0], parts_b[0]
        if pair.kind == "pos_cross_script":
            native, latin = (a, b) if a.script != "Latn" else (b, a)
            group = group_of(native.script)
            spellings = compared_forms(latin, group, spelling=True)
            out.append((group, native.folded, spellings, False))
        else:
            out.append(("Latn", a.folded, b.folded, True))
    return out


def _probabilities(counts: Counter[Op], prior: dict[Op, float], weight: float) -> dict[Op, float]:
    total = sum(counts.values())
    return {op: (counts.get(op, 0) + weight * p) / (total + weight) for op, p in prior.items()}


def _channel(probabilities: dict[Op, float], letter: dict[str, float]) -> Channel:
    substitution = {(a, b): neg_log(p) for (a, b), p in probabilities.items() if a and b}
    deletion = {a: neg_log(p) for (a, b), p in probabilities.items() if a and not b}
    insertion = {b: neg_log(p) for (a, b), p in probabilities.items() if b and not a}
    return Channel(substitution, deletion, insertion, letter)


def _all_ops() -> list[Op]:
    return (
        [(a, b) for a in LETTERS for b in LETTERS]
        + [(a, "") for a in LETTERS]
        + [("", b) for b in LETTERS]
    )


def _hand_prior() -> dict[Op, float]:
    hand = _hand_set_channel()
    import math

    weights: dict[Op, float] = {}
    for op in _all_ops():
        a, b = op
        cost = (
            hand.substitution[(a, b)] if a and b else hand.deletion[a] if a else hand.insertion[b]
        )
        weights[op] = math.exp(-cost)
    total = sum(weights.values())
    return {op: w / total for op, w in weights.items()}


def main() -> None:
    pairs = training_pairs()
    letters: Counter[str] = Counter()
    for _, xs, ys, _ in pairs:
        letters.update(xs[0])
        letters.update(ys[0])
    total_letters = sum(letters[c] for c in LETTERS)
    letter = {c: neg_log((letters[c] + 1) / (total_letters + 26)) for c in LETTERS}
    prior = _hand_prior()
    channels: dict[str, Channel] = defaultdict(lambda: _channel(prior, letter))
    for iteration in range(ITERATIONS):
        counts: dict[str, Counter[Op]] = defaultdict(Counter)
        for group, xs, ys, symmetric in pairs:
            channel = channels[group]
            best = min((align(channel, x, y) for x in xs[:6] for y in ys[:6]), key=lambda r: r[0])
            counts[group].update(best[1])
            if symmetric:
                counts[group].update((b, a) for a, b in best[1])
        pooled: Counter[Op] = Counter()
        for group, group_counts in counts.items():
            if group != "Latn":
                pooled.update(group_counts)
        pooled_probabilities = _probabilities(pooled, prior, SMOOTHING_TO_PRIOR)
        new_channels = {DEFAULT_GROUP: _channel(pooled_probabilities, letter)}
        for group, group_counts in counts.items():
            probabilities = _probabilities(group_counts, pooled_probabilities, SMOOTHING_TO_POOLED)
            new_channels[group] = _channel(probabilities, letter)
        channels = defaultdict(partial(dict.__getitem__, new_channels, DEFAULT_GROUP))
        channels.update(new_channels)
        print(
            f"iteration {iteration}: "
            + ", ".join(f"{g} {sum(c.values())}" for g, c in sorted(counts.items()))
        )
    OUTPUT.write_text(
        json.dumps(
            {
                group: {
                    "sub": {a + b: round(c, 3) for (a, b), c in ch.substitution.items()},
                    "del": {a: round(c, 3) for a, c in ch.deletion.items()},
                    "ins": {b: round(c, 3) for b, c in ch.insertion.items()},
                    "letter": {a: round(c, 3) for a, c in ch.letter.items()},
                }
                for group, ch in sorted(dict(channels).items())
            },
            sort_keys=True,
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )
    print(f"-> {OUTPUT} ({OUTPUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
