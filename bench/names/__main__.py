"""Benchmark of the name matcher on the development data; prints tables.

Run from the repository root: .venv/bin/python -m bench.names [--sample N] [--no-retrieval]

- pairs (dev_pairs.jsonl): the rate of "match" per kind of pair and, for cross-script
  true pairs, per script; with and without the lexicon, beside the anyascii +
  Jaro-Winkler baseline (its threshold set for a 10% false-positive rate on the pooled
  hard negatives, as in the data README);
- retrieval (dev.jsonl, dev_fullnames.jsonl): register the Latin spellings, query with
  the native-script forms; candidates come from the blocking keys (`name_keys`, as the
  database does) and are ranked by `compare_names`; recall@1 and @10 per script;
- speed: name comparisons per second on one core, names' romanisations cached.

Every figure is given for the tuning half (lexicon derived and weights fitted there), the
held-out half (the honest estimate) and all. Results are also written to bench/out/.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from bench.names.data import HELD_OUT, TUNE, Cluster, Pair, load_clusters, load_pairs
from bench.names.lexicon import build as build_lexicon
from matching import names
from matching.name_lexicon import NameLexicon
from matching.names import NAME_MATCH_THRESHOLD, NameMatcher

OUT_DIR = Path(__file__).resolve().parents[1] / "out"
WIDE_PREFILTER = 30
HARD_KINDS = ("neg_latin_hard", "neg_cross_script_hard", "neg_same_script_hard")
KINDS = (
    "pos_cross_script",
    "pos_latin",
    "pos_same_script",
    *HARD_KINDS,
    "neg_cross_script_random",
)
SPLITS = (TUNE, HELD_OUT, "all")


def _baseline_form(text: str) -> str:
    return anyascii(text).lower()


def baseline_score(a: str, b: str) -> float:
    """anyascii + Jaro-Winkler: the obvious approach the issue measures against."""
    return float(JaroWinkler.similarity(_baseline_form(a), _baseline_form(b)))


def _in_split(pair_split: str, split: str) -> bool:
    return split in {"all", pair_split}


def baseline_threshold(pairs: list[Pair], scores: list[float]) -> float:
    """The threshold at which 10% of the pooled hard negatives are called a match."""
    hard = sorted(
        (s for p, s in zip(pairs, scores, strict=True) if p.kind in HARD_KINDS), reverse=True
    )
    return hard[max(0, int(0.10 * len(hard)) - 1)]


def pair_rates(
    pairs: list[Pair], decisions: list[bool], split: str
) -> tuple[dict[str, float], dict[str, tuple[float, int]]]:
    """Rate of 'match' per kind, and per script for cross-script true pairs."""
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_script: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair, decision in zip(pairs, decisions, strict=True):
        if not _in_split(pair.split, split):
            continue
        by_kind[pair.kind][0] += decision
        by_kind[pair.kind][1] += 1
        if pair.kind in HARD_KINDS:
            by_kind["hard (pooled)"][0] += decision
            by_kind["hard (pooled)"][1] += 1
        if pair.kind == "pos_cross_script":
            by_script[pair.script][0] += decision
            by_script[pair.script][1] += 1
    kinds = {k: v[0] / v[1] for k, v in by_kind.items() if v[1]}
    scripts = {k: (v[0] / v[1], v[1]) for k, v in by_script.items() if v[1]}
    return kinds, scripts


def run_pairs(pairs: list[Pair], matchers: dict[str, NameMatcher]) -> dict[str, object]:
    """Decisions of the baseline and of each matcher on every pair, with rates."""
    base_scores = [baseline_score(p.a, p.b) for p in pairs]
    threshold = baseline_threshold(pairs, base_scores)
    decisions: dict[str, list[bool]] = {"baseline": [s >= threshold for s in base_scores]}
    for label, matcher in matchers.items():
        decisions[label] = [matcher.compare(p.a, p.b).match for p in pairs]
    results: dict[str, object] = {"baseline_threshold": threshold}
    for split in SPLITS:
        results[split] = {
            label: pair_rates(pairs, values, split) for label, values in decisions.items()
        }
    return results


def print_pair_tables(results: dict[str, object], labels: Iterable[str]) -> None:
    labels = list(labels)
    print(
        f"\nPairs: rate called a match (threshold {NAME_MATCH_THRESHOLD}; baseline "
        f"anyascii+JW at {results['baseline_threshold']:.3f})"
    )
    for split in SPLITS:
        table = results[split]
        assert isinstance(table, dict)
        print(f"\n[{split}]")
        print(f"{'kind':28}" + "".join(f"{label:>14}" for label in labels))
        for kind in (*KINDS, "hard (pooled)"):
            cells = [table[label][0].get(kind) for label in labels]
            print(
                f"{kind:28}"
                + "".join(f"{c:>14.3f}" if c is not None else f"{'-':>14}" for c in cells)
            )
    print("\nCross-script true pairs called a match, per script [held-out | all]")
    print(
        f"{'script':8}{'n':>6}"
        + "".join(f"{label:>14}" for label in labels)
        + "   |"
        + "".join(f"{label:>14}" for label in labels)
    )
    held, every = results[HELD_OUT], results["all"]
    assert isinstance(held, dict)
    assert isinstance(every, dict)
    scripts = sorted(every[labels[0]][1], key=lambda s: -every[labels[0]][1][s][1])
    for script in scripts:
        n = every[labels[0]][1][script][1]
        left = "".join(
            f"{held[label][1].get(script, (float('nan'), 0))[0]:>14.3f}" for label in labels
        )
        right = "".join(f"{every[label][1][script][0]:>14.3f}" for label in labels)
        print(f"{script:8}{n:>6}{left}   |{right}")


# --- retrieval -------------------------------------------------------------------------
def _queries_and_gallery(
    clusters: list[Cluster],
) -> tuple[list[tuple[str, str, str, frozenset[str]]], list[str], dict[str, set[str]]]:
    """Queries (text, script, split, right answers), gallery spellings, clusters per spelling."""
    gallery_ids: dict[str, set[str]] = defaultdict(set)
    for cluster in clusters:
        for spelling in cluster.latin:
            gallery_ids[spelling].add(cluster.id)
    spellings_of: dict[str, set[str]] = defaultdict(set)
    for spelling, ids in gallery_ids.items():
        for cluster_id in ids:
            spellings_of[cluster_id].add(spelling)
    queries = []
    seen: set[tuple[str, str]] = set()
    for cluster in clusters:
        if cluster.script == "Latn":
            continue
        for text in cluster.native:
            if (text, cluster.id) in seen or not spellings_of[cluster.id]:
                continue
            seen.add((text, cluster.id))
            queries.append(
                (text, cluster.script, cluster.split, frozenset(spellings_of[cluster.id]))
            )
    return queries, sorted(gallery_ids), gallery_ids


def run_retrieval(
    clusters: list[Cluster],
    matchers: dict[str, NameMatcher],
    sample: int | None,
    seed: int = 7,
) -> dict[str, dict[str, dict[str, tuple[float, float, int]]]]:
    """Recall@1 and @10 per script and split for the baseline and each matcher.

    Each matcher ranks the gallery entries that share a blocking key with the query (as
    the database does). The first matcher also ranks a wider candidate set, the keys'
    candidates plus the WIDE_PREFILTER gallery entries closest to any romanisation of the
    query by Jaro-Winkler ("wide"): how well the matcher ranks when blocking misses.
    """
    queries, gallery, _ = _queries_and_gallery(clusters)
    if sample and sample < len(queries):
        queries = random.Random(seed).sample(queries, sample)
    base_gallery = [_baseline_form(g) for g in gallery]
    first_label, first = next(iter(matchers.items()))
    folded_gallery = [" ".join(first.canonical_forms(g)) for g in gallery]
    index: dict[str, list[int]] = defaultdict(list)
    for position, spelling in enumerate(gallery):
        for key in first.keys(spelling):
            index[key].append(position)
    hits: dict[str, dict[tuple[str, str], list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0, 0])
    )
    block_hits: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    candidates_total = 0
    wide_label = f"{first_label}, wide"
    for text, script, split, answers in queries:
        base = process.extract(
            _baseline_form(text), base_gallery, scorer=JaroWinkler.similarity, limit=10
        )
        _count(hits["baseline"], script, split, [gallery[i] for _, _, i in base], answers)
        candidates: set[int] = set()
        for key in first.keys(text):
            candidates.update(index.get(key, ()))
        candidates_total += len(candidates)
        cell = block_hits[(script, split)]
        cell[0] += any(gallery[i] in answers for i in candidates)
        cell[1] += 1
        for label, matcher in matchers.items():
            _count(hits[label], script, split, _rank(matcher, text, gallery, candidates), answers)
        wide = set(candidates)
        for form in first.canonical_forms(text):
            for _, _, i in process.extract(
                form, folded_gallery, scorer=JaroWinkler.similarity, limit=WIDE_PREFILTER
            ):
                wide.add(i)
        _count(hits[wide_label], script, split, _rank(first, text, gallery, wide), answers)
    results = {label: _summarise(cells) for label, cells in hits.items()}
    results["keys (blocking recall)"] = _summarise(
        {k: [v[0], v[0], v[1]] for k, v in block_hits.items()}
    )
    print(
        f"  mean candidates per query from the keys: {candidates_total / max(1, len(queries)):.0f}"
        f" of {len(gallery)}"
    )
    return results


def _rank(matcher: NameMatcher, text: str, gallery: list[str], candidates: set[int]) -> list[str]:
    scored = sorted(
        ((matcher.compare(text, gallery[i]).score, gallery[i]) for i in candidates),
        key=lambda item: (-item[0], item[1]),
    )
    return [g for _, g in scored[:10]]


def _count(
    cells: dict[tuple[str, str], list[int]],
    script: str,
    split: str,
    ranked: list[str],
    answers: frozenset[str],
) -> None:
    cell = cells[(script, split)]
    cell[0] += bool(ranked) and ranked[0] in answers
    cell[1] += any(r in answers for r in ranked[:10])
    cell[2] += 1


def _summarise(
    cells: dict[tuple[str, str], list[int]],
) -> dict[str, dict[str, tuple[float, float, int]]]:
    out: dict[str, dict[str, tuple[float, float, int]]] = {}
    for split in SPLITS:
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for (script, cell_split), (at1, at10, n) in cells.items():
            if not _in_split(cell_split, split):
                continue
            for key in (script, "ALL"):
                totals[key][0] += at1
                totals[key][1] += at10
                totals[key][2] += n
        out[split] = {k: (v[0] / v[2], v[1] / v[2], v[2]) for k, v in totals.items() if v[2]}
    return out


def print_retrieval(
    title: str, results: dict[str, dict[str, dict[str, tuple[float, float, int]]]]
) -> None:
    labels = list(results)
    print(f"\n{title}: recall@1 / recall@10 [held-out | all]")
    print(
        f"{'script':8}{'n':>6}"
        + "".join(f"{label[:16]:>18}" for label in labels)
        + "  |"
        + "".join(f"{label[:16]:>18}" for label in labels)
    )
    every = results[labels[0]]["all"]
    for script in sorted(every, key=lambda s: (s != "ALL", -every[s][2])):
        n = every[script][2]
        print(
            f"{script:8}{n:>6}"
            + "".join(_cell(results, script, HELD_OUT, label) for label in labels)
            + "  |"
            + "".join(_cell(results, script, "all", label) for label in labels)
        )


def _cell(
    results: dict[str, dict[str, dict[str, tuple[float, float, int]]]],
    script: str,
    split: str,
    label: str,
) -> str:
    value = results[label][split].get(script)
    return f"{value[0]:>8.3f} /{value[1]:>6.3f}  " if value else f"{'-':>18}"


def measure_speed(pairs: list[tuple[str, str]], compare: Callable[[str, str], object]) -> float:
    """Comparisons per second over distinct name pairs, names already romanised."""
    for a, b in pairs:  # warm the per-name caches (romanisation), as the service would
        compare(a, a)
        compare(b, b)
    # Only names are cached, not pairs: the memoised part-pair similarities left by the
    # figures above, or by the matcher measured before this one on the same pairs, would
    # make the second matcher look twice as fast as the first.
    names._compare_forms.cache_clear()
    names.folded_similarity.cache_clear()
    start = time.perf_counter()
    for a, b in pairs:
        compare(a, b)
    return len(pairs) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=None, help="queries per retrieval run")
    parser.add_argument("--no-retrieval", action="store_true")
    parser.add_argument("--no-fullnames", action="store_true", help="skip the full-name run")
    parser.add_argument("--fullnames-sample", type=int, default=None)
    parser.add_argument("--pairs-sample", type=int, default=None)
    args = parser.parse_args()
    # The lexicon of the tuning half only, so that the held-out figures are honest even
    # when the shipped lexicon was derived from all the development data.
    tuning_lexicon = NameLexicon(build_lexicon())
    matchers = {
        "no lexicon": NameMatcher(use_lexicon=False),
        "lexicon": NameMatcher(use_lexicon=True, lexicon=tuning_lexicon),
    }
    labels = ["baseline", *matchers]
    pairs = load_pairs()
    if args.pairs_sample:
        pairs = random.Random(3).sample(pairs, args.pairs_sample)
    started = time.perf_counter()
    pair_results = run_pairs(pairs, matchers)
    print_pair_tables(pair_results, labels)
    print(f"  ({time.perf_counter() - started:.0f} s)")
    output: dict[str, object] = {"pairs": pair_results}
    if not args.no_retrieval:
        started = time.perf_counter()
        single = run_retrieval(load_clusters("dev.jsonl"), matchers, args.sample)
        print_retrieval("Retrieval, dev.jsonl (Latin gallery, native-script queries)", single)
        output["retrieval"] = {"dev": single}
        if not args.no_fullnames:
            full = run_retrieval(
                load_clusters("dev_fullnames.jsonl"),
                matchers,
                args.fullnames_sample or args.sample,
            )
            print_retrieval("Retrieval, dev_fullnames.jsonl (Arabic-script full names)", full)
            output["retrieval"] = {"dev": single, "fullnames": full}
        print(f"  ({time.perf_counter() - started:.0f} s)")
    rng = random.Random(11)
    names = [p.a for p in pairs] + [p.b for p in pairs]
    speed_pairs = [(rng.choice(names), rng.choice(names)) for _ in range(20000)]
    speeds = {
        "baseline": measure_speed(speed_pairs, baseline_score),
        **{label: measure_speed(speed_pairs, m.compare) for label, m in matchers.items()},
    }
    print(
        "\nComparisons per second (one core, distinct pairs, names cached): "
        + ", ".join(f"{label} {value:,.0f}" for label, value in speeds.items())
    )
    output["speed"] = speeds
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "names.json").write_text(json.dumps(output, indent=1, default=str))


if __name__ == "__main__":
    main()
