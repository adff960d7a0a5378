"""Recall of the first pass against exhaustive scoring, cached once and compared cheaply.

bench.scale measures recall against exhaustive scoring in the same run as everything else,
which at 100,000 records costs about ten seconds of scoring per query and process. To
compare variants of the first pass (caps, keys, weights) on one registry, this builds
bench.scale's registry once, scores its sample of tracing requests (those whose family's
enquiry is stored) against every enquiry once, saves the pairs that reach a band, and then
measures any variant against them in well under a second per query:

    .venv/bin/python -m bench.scale.recall_study build --db /tmp/s100k.sqlite3 \\
        --size 100000 --queries 300
    .venv/bin/python -m bench.scale.recall_study measure --db /tmp/s100k.sqlite3 \\
        [--first-pass-cap 1000] [--candidate-cap 40]

After a change to the code that derives keys, `measure` rebuilds the registry's stored keys
first (as `ftr migrate` would). The exhaustive pairs do not depend on the keys, only on the
scoring model: rebuild them (`build` with a new `--queries` or a fresh cache file) after a
change to scoring.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import time
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bench.scale.__main__ import (
    CHUNK,
    _pks_by_external_id,
    _store_only,
    open_registry,
    registry,
)
from bench.scale.exhaustive import banded_pairs, first_pass_and_shortlist
from service import store
from service.auth import Role
from service.db import create_db_engine
from service.store import matches as match_store
from service.store.bulk import refresh_after_bulk_load
from service.tables import RegistrySetting
from service.training import train_if_grown


def _cache_path(db: Path, queries: int) -> Path:
    return db.with_suffix(f".exhaustive-{queries}.json")


def banded_share(url: str, query_pks: list[int], enquiry_pks: list[int]) -> list[list[Any]]:
    """One process's share: [query, enquiry, likely] for every pair that reaches a band."""
    engine = create_db_engine(url)
    with Session(engine) as session:
        found = [list(pair) for pair in banded_pairs(session, query_pks, enquiry_pks)]
    engine.dispose()
    return found


def build(db: Path, size: int, queries: int, processes: int, seed: int) -> None:
    """Store bench.scale's registry (unless the file exists) and cache the exhaustive pairs."""
    url = f"sqlite:///{db}"
    family_file = db.with_suffix(".families.json")
    if not db.exists():
        reg = registry(size, seed)
        engine, _, cipher = open_registry(url)
        with Session(engine, expire_on_commit=False) as session:
            organisation = store.create_organisation(session, name="Study")
            issued = store.create_api_key(
                session, organisation=organisation, role=Role.PARTNER, holder="study"
            )
        assert issued.key.pk is not None
        for start in range(0, len(reg.rows), CHUNK):
            _store_only(engine, cipher, issued.key.pk, reg.rows[start : start + CHUNK])
        refresh_after_bulk_load(engine)
        train_if_grown(engine)
        with Session(engine) as session:
            # The keys were just derived by this code: no rebuild is due before `measure`.
            session.merge(
                RegistrySetting(name=match_store.KEYS_SETTING, value=match_store.keys_version())
            )
            session.commit()
        family_file.write_text(json.dumps(reg.family_of))
        print(f"stored {len(reg.rows)} records")
    engine = create_db_engine(url)
    family_of: dict[str, str] = json.loads(family_file.read_text())
    pks = _pks_by_external_id(engine)
    # bench.scale's sample of tracing requests whose family's enquiry is stored.
    requests = sorted(t for t, e in family_of.items() if t in pks and e in pks)
    sample = random.Random(1).sample(requests, k=min(queries, len(requests)))
    query_pks = [pks[t] for t in sample]
    enquiry_pks = [pk for external_id, pk in pks.items() if external_id.startswith("en-")]
    shares = [query_pks[i::processes] for i in range(processes) if query_pks[i::processes]]
    with ProcessPoolExecutor(len(shares), mp_context=mp.get_context("spawn")) as pool:
        found = [
            pair
            for share in pool.map(banded_share, repeat(url), shares, repeat(enquiry_pks))
            for pair in share
        ]
    cache = {
        "queries": query_pks,
        "banded": found,
        "true": {str(pks[t]): pks[family_of[t]] for t in sample},
    }
    _cache_path(db, queries).write_text(json.dumps(cache))
    print(f"{len(found)} pairs reach a band -> {_cache_path(db, queries)}")


def measure(db: Path, queries: int, first_pass_cap: int, candidate_cap: int) -> dict[str, Any]:
    """Share of the cached banded pairs in the first pass and among those scored in full."""
    engine = create_db_engine(f"sqlite:///{db}")
    rebuilt = match_store.rebuild_stale_keys(engine, batch=2000)
    if rebuilt:
        refresh_after_bulk_load(engine)
        print(f"keys rebuilt for {rebuilt} records")
    cache = json.loads(_cache_path(db, queries).read_text())
    banded: dict[int, set[int]] = {pk: set() for pk in cache["queries"]}
    likely: dict[int, set[int]] = {pk: set() for pk in cache["queries"]}
    for query, enquiry, is_likely in cache["banded"]:
        banded[query].add(enquiry)
        if is_likely:
            likely[query].add(enquiry)
    in_first = in_short = likely_short = true_short = 0
    times = []
    with Session(engine) as session:
        for pk in cache["queries"]:
            started = time.perf_counter()
            first, shortlisted = first_pass_and_shortlist(
                session, pk, first_pass_cap=first_pass_cap, candidate_cap=candidate_cap
            )
            short = set(shortlisted)
            times.append(time.perf_counter() - started)
            in_first += len(banded[pk] & {c for c, _ in first})
            in_short += len(banded[pk] & short)
            likely_short += len(likely[pk] & short)
            true_short += cache["true"][str(pk)] in short
    times.sort()
    total, total_likely = sum(map(len, banded.values())), sum(map(len, likely.values()))
    return {
        "queries": len(cache["queries"]),
        "banded_pairs": total,
        "in_first_pass": round(in_first / total, 4) if total else None,
        "recall_vs_exhaustive": round(in_short / total, 4) if total else None,
        "likely_scored": f"{likely_short} of {total_likely}",
        "true_pair_recall": round(true_short / len(times), 4) if times else None,
        "p50_ms": round(1000 * times[len(times) // 2], 1) if times else None,
        "p95_ms": round(1000 * times[int(0.95 * (len(times) - 1))], 1) if times else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=("build", "measure"))
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--first-pass-cap", type=int, default=match_store.FIRST_PASS_CAP)
    parser.add_argument("--candidate-cap", type=int, default=match_store.CANDIDATE_CAP)
    args = parser.parse_args()
    if args.action == "build":
        build(args.db, args.size, args.queries, max(1, args.processes), args.seed)
    else:
        result = measure(args.db, args.queries, args.first_pass_cap, args.candidate_cap)
        print(" | ".join(result))
        print(" | ".join(str(v) for v in result.values()))


if __name__ == "__main__":
    main()
