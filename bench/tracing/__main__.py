"""Recall@10, the share of true pairs in band `likely`, and the precision of `likely`.

    .venv/bin/python -m bench.tracing [--families 600] [--seed 7]

Half the families have a tracing request per child and an enquiry; the other half only an
enquiry (other families looking for other children). Every tracing request is scored
against the enquiries' sought children that share a name key with it (the service's
candidate retrieval), with the service's defaults and nothing labelled.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from pathlib import Path

from bench.tracing.synth import enquiry, load_parts, make_families, tracing_request
from matching.comparisons import Side, default_name_matcher, prepare_record
from matching.names import name_keys
from matching.scoring import (
    DEFAULT_MODEL,
    NameCounts,
    PairScore,
    estimate_m,
    estimate_u,
    exclusive_children,
    score_sides,
)

OUT = Path("bench/out")


def _keys(side: Side) -> set[str]:
    keys: set[str] = set()
    for name in side.child.names:
        keys |= name_keys(name)
    return keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--diagnose", action="store_true", help="print missed true pairs")
    parser.add_argument("--em", action="store_true", help="also run the optional EM step")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    families = make_families(args.families, load_parts(), rng)
    traced = families[: len(families) // 2]
    tracing = [tracing_request(f, c, rng) for f in traced for c in range(len(f.children))]
    enquiries = [enquiry(f, rng, record_id=f"en-{f.family_id}") for f in families]
    truth = {
        (f"tr-{f.family_id}-{c}", (f"en-{f.family_id}", c))
        for f in traced
        for c in range(len(f.children))
    }
    names = default_name_matcher()
    start = time.perf_counter()
    left = [s for r in tracing for s in prepare_record(r, names)]
    right = [s for r in enquiries for s in prepare_record(r, names)]
    frequencies = NameCounts.from_sides(left + right)
    model = estimate_u(
        DEFAULT_MODEL.for_registry(len(right)), left, right, names=names, pairs=10_000
    )
    learned = time.perf_counter() - start

    index: dict[str, list[int]] = defaultdict(list)
    for j, side in enumerate(right):
        for key in _keys(side):
            index[key].append(j)
    if args.em:
        # The optional unsupervised step: m by EM over the candidate pairs' vectors.
        vectors = [
            score_sides(side, right[j], model, names=names).comparison_vector
            for side in left
            for j in {j for key in _keys(side) for j in index.get(key, [])}
        ]
        model = estimate_m(model, vectors)
        learned = time.perf_counter() - start
    compared = 0
    ranks: list[int | None] = []
    likely_true = likely_all = likely_sibling = possible_true = 0
    in_candidates = 0
    for side in left:
        candidates = {j for key in _keys(side) for j in index.get(key, [])}
        compared += len(candidates)
        by_record: dict[str | None, list[PairScore]] = defaultdict(list)
        for j in candidates:
            score = score_sides(side, right[j], model, names=names, name_frequencies=frequencies)
            by_record[score.right_record_id].append(score)
        # As compare_records does: the child is at most one of an enquiry's sought children.
        scored = sorted(
            (s for group in by_record.values() for s in exclusive_children(group, model)),
            key=lambda s: -s.match_weight,
        )
        target = next(t for t in truth if t[0] == side.record_id)[1]
        rank = next(
            (i for i, s in enumerate(scored) if (s.right_record_id, s.right_index) == target),
            None,
        )
        in_candidates += any(
            right[j].record_id == target[0] and right[j].index == target[1] for j in candidates
        )
        ranks.append(rank)
        for s in scored:
            is_true = (s.right_record_id, s.right_index) == target
            if s.band == "likely":
                likely_all += 1
                likely_true += is_true
                likely_sibling += (not is_true) and s.right_record_id == target[0]
            if s.band in ("likely", "possible") and is_true:
                possible_true += 1
            if args.diagnose and (is_true != (s.band == "likely")):
                print("MISSED" if is_true else "FALSE LIKELY", round(s.match_weight, 1))
                for step in s.explanation.steps:
                    if step.bits:
                        print(f"    {step.sentence()}  [{step.left} | {step.right}]")
    elapsed = time.perf_counter() - start
    n = len(left)
    rows = {
        "tracing requests (children)": n,
        "enquiries (sought children)": f"{len(enquiries)} ({len(right)})",
        "pairs compared": compared,
        "seconds (prepare, learn u, score)": round(elapsed, 1),
        "  of which prepare and learn u (and m with --em)": round(learned, 1),
        "candidate retrieval recall (name keys)": round(in_candidates / n, 4),
        "recall@1": round(sum(r == 0 for r in ranks) / n, 4),
        "recall@10": round(sum(r is not None and r < 10 for r in ranks) / n, 4),
        "true pairs in band likely": round(likely_true / n, 4),
        "true pairs in likely or possible": round(possible_true / n, 4),
        "precision of likely": round(likely_true / likely_all, 4) if likely_all else None,
        "  likely pairs that are a sibling sought together": likely_sibling,
        "  likely pairs (all)": likely_all,
    }
    width = max(len(k) for k in rows)
    for key, value in rows.items():
        print(f"{key.ljust(width)}  {value}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tracing.json").write_text(json.dumps({"model": model.version, **rows}, indent=1))


if __name__ == "__main__":
    main()
