"""bench.scale's exhaustive phase, in a module of its own so that its worker processes
(started by spawning, which cannot import a `python -m` entry point) can import it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator

from sqlmodel import Session

from matching.comparisons import Side, default_name_matcher, prepare_record
from matching.scoring import DEFAULT_MODEL, NameCounts, band_floor, compare_prepared
from service.db import create_db_engine
from service.linkage import ALL_KINDS, shortlist
from service.store import matches as match_store
from service.store.models import active_model


def first_pass_and_shortlist(
    session: Session,
    pk: int,
    *,
    first_pass_cap: int = match_store.FIRST_PASS_CAP,
    candidate_cap: int = match_store.CANDIDATE_CAP,
) -> tuple[list[tuple[int, float]], list[int]]:
    """The database's first pass for the stored record `pk`, and the candidates of it the
    service scores in full (shortlisted with the cheap clues), as matching `pk` reads them."""
    record = match_store.load_records(session, [pk])[pk]
    first_pass = match_store.candidate_scores(
        session,
        people=match_store.record_key_groups(record.core),
        kinds=ALL_KINDS,
        exclude_pk=pk,
        cap=first_pass_cap,
    )
    return first_pass, list(shortlist(session, record.core, first_pass, cap=candidate_cap))


def candidates_scored(session: Session, pk: int) -> list[int]:
    """What the service scores in full when it matches the stored record `pk`."""
    return first_pass_and_shortlist(session, pk)[1]


def name_counts(
    session: Session, sides: Iterable[Side], known: NameCounts | None = None
) -> NameCounts:
    """The registry's counts of every name part of these sides, read in chunks (one
    statement would bind more values than SQLite allows); `known` counts are kept."""
    counts: dict[str, int] = dict(known.counts) if known else {}
    people = known.people if known else 0
    parts = sorted(match_store.name_parts(sides) - counts.keys())
    for start in range(0, len(parts), 5_000):
        chunk = match_store.name_counts(session, parts[start : start + 5_000])
        counts |= chunk.counts
        people = chunk.people
    return NameCounts(counts=counts, people=people)


def banded_pairs(
    session: Session, query_pks: list[int], enquiry_pks: list[int]
) -> Iterator[tuple[int, int, bool]]:
    """(query, enquiry, likely) for every pair that reaches a band when the core scores
    each query against every enquiry, as the service scores; progress is printed."""
    began = time.perf_counter()
    names = default_name_matcher()
    loaded = match_store.load_records(session, enquiry_pks)
    gallery = [(pk, prepare_record(r.core, names)) for pk, r in loaded.items()]
    # Scored as the service scores (`linkage`): its active model for the registry's
    # size, with the registry's name counts.
    counts = name_counts(session, [s for _, sides in gallery for s in sides])
    model = active_model(session, DEFAULT_MODEL).for_registry(counts.people)
    # Pairs sure to stay under every band are dropped unscored, as the service drops
    # them: whether a pair reaches a band is exactly what full scoring says.
    floor = band_floor(model)
    print(
        f"    exhaustive: {len(gallery)} enquiries prepared in process {os.getpid()} "
        f"({time.perf_counter() - began:.0f} s)",
        flush=True,
    )
    for done, pk in enumerate(query_pks, start=1):
        query = match_store.load_records(session, [pk])[pk]
        sides = prepare_record(query.core, names)
        with_query = name_counts(session, sides, counts)
        for other_pk, other in gallery:
            scores = compare_prepared(
                sides, other, model, names=names, name_frequencies=with_query, floor=floor
            )
            bands = [s.band for s in scores if s.band is not None]
            if bands:
                yield pk, other_pk, "likely" in bands
        if done % 10 == 0:
            print(
                f"    exhaustive: {done} of {len(query_pks)} queries in process "
                f"{os.getpid()} ({time.perf_counter() - began:.0f} s)",
                flush=True,
            )


def exhaustive_share(url: str, query_pks: list[int], enquiry_pks: list[int]) -> tuple[int, int]:
    """One process's share of the exhaustive phase: each query scored by the core against
    every enquiry. Returns how many pairs reach a band, and how many of those are among
    the candidates the service scores in full."""
    engine = create_db_engine(url)
    banded = kept = 0
    scored: dict[int, set[int]] = {}
    with Session(engine) as session:
        for query, enquiry, _ in banded_pairs(session, query_pks, enquiry_pks):
            if query not in scored:
                scored[query] = set(candidates_scored(session, query))
            banded += 1
            kept += enquiry in scored[query]
    engine.dispose()
    return banded, kept
