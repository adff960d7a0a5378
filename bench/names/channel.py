"""Estimate the transliteration channel tables (matching/data/name_channel.json).

Run: .venv/bin/python -m bench.names.channel. Uses the true pairs of the tuning half
only. For each source script the romanised forms of the native name are aligned with
the Latin spelling (Viterbi, under the current tables, starting from the hand-set
costs); the counted operations, smoothed towards the pooled counts of all scripts and
those towards the hand-set costs, give the operation probabilities. Letters and sounds
are learned, not names: the tables hold no name.

A last, discriminative step sets the costs apart where true pairs and look-alikes differ
(`discriminative_weights`): each operation's cost is lowered by how much more often it
occurs in the alignments of true pairs than in those of look-alike names (the hard
negatives of the tuning half, and the synthetic ones for scripts that have none). A
channel fitted on true pairs alone makes dropping an m or a k (Amina / Amira, Karim /
Kareem's look-alike Kamir) hardly dearer than a vowel change, because true pairs drop
letters too; look-alikes drop consonants far more often, and vowel changes, b/p, j/z far
less, which is what a match decision needs to weigh.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from functools import lru_cache, partial
from pathlib import Path

from bench.names.data import TUNE, Pair, load_pairs, synthetic_pairs
from matching.name_channel import (
    CHANNEL_FILE,
    DEFAULT_GROUP,
    LETTERS,
    Channel,
    _hand_set_channel,
    group_of,
    neg_log,
)
from matching.name_parts import NamePart, parse_name
from matching.names import _oriented, compared_forms

OUTPUT = Path(__file__).resolve().parents[2] / "matching" / "data" / CHANNEL_FILE
SMOOTHING_TO_POOLED = 300.0  # pseudo-operations of the pooled table in each script's
SMOOTHING_TO_PRIOR = 200.0  # pseudo-operations of the hand-set table in the pooled one
ITERATIONS = 3
#: How far the discriminative step moves a cost: this share of the log-ratio of the
#: operation's frequency in true pairs' alignments to its frequency in look-alikes'.
#: Chosen on the tuning half (0.3 to 1.0 tried; 0.6 gave most true pairs at the same
#: share of look-alikes called a match).
DISCRIMINATIVE_WEIGHT = 0.6
#: Pseudo-count of each operation in both frequencies, so that a rare one moves little.
DISCRIMINATIVE_SMOOTHING = 5.0
#: Look-alike operations a script needs for its own ratios to count as much as the
#: pooled ones of all scripts (its ratios are shrunk towards the pooled ones below that).
DISCRIMINATIVE_POOLING = 3000.0
HARD_NEGATIVES = frozenset({"neg_latin_hard", "neg_cross_script_hard", "neg_same_script_hard"})

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


@lru_cache(maxsize=1)
def _tuning_pairs_of_one_part() -> tuple[tuple[Pair, NamePart, NamePart], ...]:
    """The tuning half's pairs (the data's and the synthetic ones) whose two names are one
    part each, with those parts; read once for both steps of the fit."""
    out = []
    for pair in load_pairs() + synthetic_pairs():
        if pair.split != TUNE:
            continue
        parts_a, parts_b = parse_name(pair.a), parse_name(pair.b)
        if len(parts_a) == 1 and len(parts_b) == 1:
            out.append((pair, parts_a[0], parts_b[0]))
    return tuple(out)


def training_pairs() -> list[tuple[str, tuple[str, ...], tuple[str, ...], bool]]:
    """(group, native folded forms, Latin folded forms, symmetric) for tuning positives."""
    out = []
    for pair, a, b in _tuning_pairs_of_one_part():
        if not pair.same:
            continue
        if pair.kind == "pos_cross_script":
            native, latin = (a, b) if a.script != "Latn" else (b, a)
            group = group_of(native.script)
            spellings = compared_forms(latin, group, spelling=True)
            out.append((group, native.folded, spellings, False))
        else:
            out.append(("Latn", a.folded, b.folded, True))
    return out


def labelled_pairs() -> list[tuple[str, tuple[str, ...], tuple[str, ...], bool]]:
    """(group, source forms, spelling forms, same) for the tuning half's true pairs and
    look-alikes of one part each, oriented and grouped as the matcher compares them."""
    out = []
    for pair, a, b in _tuning_pairs_of_one_part():
        if not (pair.same or pair.kind in HARD_NEGATIVES):
            continue
        source, spelling, group, _ = _oriented(a, b)
        xs = compared_forms(source, group, spelling=False)
        ys = compared_forms(spelling, group, spelling=True)
        if set(xs) & set(ys):
            continue  # identical forms: no operation to learn from
        out.append((group, xs, ys, pair.same))
    return out


def _pooled_bucket(group: str) -> str:
    """Latin spellings against each other pool apart from the other scripts' spellings."""
    return "Latn" if group == "Latn" else DEFAULT_GROUP


def _log_ratios(true_ops: Counter[Op], lookalike_ops: Counter[Op]) -> dict[Op, float]:
    ops = set(true_ops) | set(lookalike_ops)
    k = DISCRIMINATIVE_SMOOTHING
    true_total = sum(true_ops.values()) + k * len(ops)
    lookalike_total = sum(lookalike_ops.values()) + k * len(ops)
    return {
        op: math.log((true_ops[op] + k) / true_total)
        - math.log((lookalike_ops[op] + k) / lookalike_total)
        for op in ops
    }


def discriminative_weights(
    channels: dict[str, Channel],
) -> dict[str, dict[Op, float]]:
    """Per group, how much more often each operation aligns true pairs than look-alikes
    (a log-ratio, shrunk towards the pooled ratio of the group's kind of pair)."""
    counts: dict[str, tuple[Counter[Op], Counter[Op]]] = defaultdict(lambda: (Counter(), Counter()))
    for group, xs, ys, same in labelled_pairs():
        channel = channels.get(group) or channels[DEFAULT_GROUP]
        _, ops = min((align(channel, x, y) for x in xs[:6] for y in ys[:6]), key=lambda r: r[0])
        for bucket in {group, "pooled:" + _pooled_bucket(group)}:
            counts[bucket][0 if same else 1].update(ops)
    pooled = {
        bucket: _log_ratios(*counts["pooled:" + bucket]) for bucket in ("Latn", DEFAULT_GROUP)
    }
    weights: dict[str, dict[Op, float]] = {DEFAULT_GROUP: pooled[DEFAULT_GROUP]}
    for group, (true_ops, lookalike_ops) in counts.items():
        if group.startswith("pooled:"):
            continue
        base = pooled[_pooled_bucket(group)]
        if group == "Latn":
            weights[group] = base
            continue
        own = _log_ratios(true_ops, lookalike_ops)
        lookalikes = sum(lookalike_ops.values())
        share = lookalikes / (lookalikes + DISCRIMINATIVE_POOLING)
        weights[group] = {
            op: (1 - share) * base.get(op, 0.0) + share * own.get(op, 0.0)
            for op in set(base) | set(own)
        }
    return weights


def discriminative(channel: Channel, weights: dict[Op, float]) -> Channel:
    """The channel with each operation's cost lowered by its weighted log-ratio."""

    def moved(op: Op, cost: float) -> float:
        return cost - DISCRIMINATIVE_WEIGHT * weights.get(op, 0.0)

    return Channel(
        {(a, b): moved((a, b), cost) for (a, b), cost in channel.substitution.items()},
        {a: moved((a, ""), cost) for a, cost in channel.deletion.items()},
        {b: moved(("", b), cost) for b, cost in channel.insertion.items()},
        channel.letter,
    )


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
    weights = discriminative_weights(dict(channels))
    channels = {
        group: discriminative(channel, weights.get(group) or weights[DEFAULT_GROUP])
        for group, channel in dict(channels).items()
    }
    OUTPUT.write_text(
        json.dumps(
            {
                group: {
                    "sub": {a + b: round(c, 3) for (a, b), c in ch.substitution.items()},
                    "del": {a: round(c, 3) for a, c in ch.deletion.items()},
                    "ins": {b: round(c, 3) for b, c in ch.insertion.items()},
                    "letter": {a: round(c, 3) for a, c in ch.letter.items()},
                }
                for group, ch in sorted(channels.items())
            },
            sort_keys=True,
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )
    print(f"-> {OUTPUT} ({OUTPUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
