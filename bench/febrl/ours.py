"""The matching core on FEBRL: prepare, learn from the registry, block, score.

`link` is the one step that turns records into scored pairs; when the service's import
endpoint exists, it can be swapped for an HTTP import that returns the stored matches.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from matching.comparisons import NameMatcher, Side, prepare_record
from matching.model import MatchModel
from matching.records import MatchableRecord
from matching.scoring import DEFAULT_MODEL, NameCounts, estimate_m, estimate_u, score_sides


@dataclass
class LinkRun:
    """Scored candidate pairs (id_a, id_b, probability) and where the time went."""

    scored: list[tuple[str, str, float]]
    pairs_compared: int
    model: MatchModel
    timings: dict[str, float] = field(default_factory=dict)


def blocking_keys(side: Side) -> set[str]:
    """Simple bench blocking: any exact shared value of a strong field lets a pair through."""
    person = side.child.person
    keys: set[str] = set()
    for tokens in side.child.tokens:
        # Two name parts together, in either order (like Splink's given+surname rules).
        parts = sorted(set(tokens))
        keys.update(f"name:{a}|{b}" for i, a in enumerate(parts) for b in parts[i + 1 :])
    if person.date_of_birth is not None:
        d = person.date_of_birth
        keys.add(f"dob:{d.year}-{d.month}-{d.day}")
    for identifier in person.identifiers:
        keys.add(f"id:{identifier.value}")
    address = person.last_known_address
    if address is not None and address.postcode:
        keys.add(f"postcode:{address.postcode}")
    if address is not None and address.street:
        keys.add(f"street:{address.street}|{address.admin1}")
    return keys


def candidate_pairs(
    left: Sequence[Side], right: Sequence[Side] | None, *, max_block: int = 400
) -> set[tuple[int, int]]:
    """Index pairs sharing a blocking key; keys shared by more than `max_block` are dropped."""
    dedupe = right is None
    others = left if right is None else right
    index: dict[str, list[int]] = defaultdict(list)
    for j, side in enumerate(others):
        for key in blocking_keys(side):
            index[key].append(j)
    pairs: set[tuple[int, int]] = set()
    for i, side in enumerate(left):
        for key in blocking_keys(side):
            block = index.get(key, [])
            if len(block) > max_block:
                continue
            for j in block:
                if dedupe and j <= i:
                    continue
                pairs.add((i, j))
    return pairs


def link(
    left_records: Iterable[MatchableRecord],
    right_records: Iterable[MatchableRecord] | None,
    *,
    names: NameMatcher,
    model: MatchModel = DEFAULT_MODEL,
    u_pairs: int = 20_000,
    min_score: float = 0.01,
    em: bool = False,
) -> LinkRun:
    """Records in, scored pairs out, with the service's defaults and nothing labelled.

    `em` adds the optional unsupervised step: m learnt by EM from the candidate pairs'
    comparison vectors, then every pair scored again.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    left = [s for r in left_records for s in prepare_record(r, names)]
    right = (
        None
        if right_records is None
        else [s for r in right_records for s in prepare_record(r, names)]
    )
    timings["prepare"] = time.perf_counter() - start

    t = time.perf_counter()
    frequencies = NameCounts.from_sides(left + (right or []))
    # The prior from the registry's size (records of the other kind), as the service can.
    sized = model.for_registry(len(right) if right is not None else len(left))
    learned = estimate_u(sized, left, right, names=names, pairs=u_pairs)
    timings["learn u and name frequencies"] = time.perf_counter() - t

    t = time.perf_counter()
    pairs = candidate_pairs(left, right)
    timings["block"] = time.perf_counter() - t

    others = left if right is None else right
    if em:
        t = time.perf_counter()
        vectors = [
            score_sides(left[i], others[j], learned, names=names).comparison_vector
            for i, j in pairs
        ]
        learned = estimate_m(learned, vectors)
        timings["learn m (EM)"] = time.perf_counter() - t

    t = time.perf_counter()
    scored = []
    for i, j in pairs:
        score = score_sides(left[i], others[j], learned, names=names, name_frequencies=frequencies)
        if score.score >= min_score:
            a, b = left[i].record_id or "", others[j].record_id or ""
            scored.append((a, b, score.score))
    timings["score"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - start
    return LinkRun(scored=scored, pairs_compared=len(pairs), model=learned, timings=timings)
