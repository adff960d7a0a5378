"""Matching a stored record against the registry, and explaining a stored match again.

The flow: a record is stored (its `matched_at` cleared), then matched here before the
response: its keys are written, candidates are found by shared keys, every pair of children
is scored by the core, and the store turns the scores into stored matches. If the process
dies in between, the record keeps `matched_at` empty and is matched again.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from matching.blocking import query_keys
from matching.comparisons import (
    NameMatcher,
    Side,
    default_name_matcher,
    prepare_query,
    prepare_record,
)
from matching.explanation import Explanation, Step
from matching.model import MatchModel
from matching.names import name_keys
from matching.records import MatchableRecord, Person, RecordKind
from matching.scoring import DEFAULT_MODEL, NameCounts, PairScore, band_floor, compare_prepared
from service.observability import MATCHING_SECONDS
from service.problems import RETRY_AFTER_SECONDS, Problem
from service.store import matches as match_store
from service.store import models as model_store
from service.store.common import RequestContext
from service.tables import Match, utcnow

ALL_KINDS = (RecordKind.TRACING_REQUEST.value, RecordKind.ENQUIRY.value)


_name_parts = match_store.name_parts


@lru_cache(maxsize=20_000)
def _prepared(record: MatchableRecord, names: NameMatcher) -> tuple[Side, ...]:
    return prepare_record(record, names)


def prepared_sides(record: MatchableRecord, names: NameMatcher) -> tuple[Side, ...]:
    """A record's children prepared for comparison, memoised: a registry's records are
    compared again and again, and preparing one (romanising every name) is the costly part.
    The record value itself is the key, so any change to it prepares it afresh."""
    return _prepared(record, names)


def _current(session: Session, model: MatchModel) -> MatchModel:
    """The trained model when `model` is the default one; a caller's own model as it is."""
    if model is DEFAULT_MODEL:
        return model_store.active_model(session, DEFAULT_MODEL)
    return model


MATCHING_ATTEMPTS = 10


def _oriented(
    record: match_store.LoadedRecord, other: match_store.LoadedRecord
) -> tuple[str, match_store.LoadedRecord, match_store.LoadedRecord]:
    """(type, left, right): the tracing request on the left of a match; for duplicates the
    older record, so that a pair is always stored and scored the same way round."""
    if record.row.kind != other.row.kind:
        if record.row.kind == RecordKind.TRACING_REQUEST.value:
            return "match", record, other
        return "match", other, record
    return ("duplicate", record, other) if record.pk < other.pk else ("duplicate", other, record)


def match_record(
    session: Session,
    *,
    record_pk: int,
    actor: RequestContext | None,
    model: MatchModel = DEFAULT_MODEL,
    names: NameMatcher | None = None,
) -> None:
    """Match one stored record and store its candidate matches; commits.

    Two records registered at the same moment may each find the other and store the same
    pair; the second to commit hits the pair's unique constraint, and simply matches again,
    now seeing the stored pair. Each clash means another transaction stored its pairs, so
    retries make progress; but many near-identical records registered at once (a partner
    resending one child under several ids, seen under bench.load) can clash again and
    again, hence a generous budget with a jittered pause. Past it, the record stays owed
    (the background worker matches it) and the caller gets 503 with Retry-After: the
    record itself is stored, so the retry answers 200 with it.
    """
    started = time.perf_counter()
    for attempt in range(MATCHING_ATTEMPTS):
        try:
            _match_once(session, record_pk, actor, model, names or default_name_matcher())
            break
        except IntegrityError:
            session.rollback()
            time.sleep(random.uniform(0, 0.05 * (attempt + 1)))  # noqa: S311  (jitter)
    else:
        raise Problem(
            503,
            "Service unavailable",
            "The record is stored but matching it clashed with records registered at the "
            "same moment; it will be matched shortly. Retry to get the record.",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )
    MATCHING_SECONDS.observe(time.perf_counter() - started)


def _match_once(
    session: Session,
    record_pk: int,
    actor: RequestContext | None,
    model: MatchModel,
    names: NameMatcher,
) -> None:
    record = match_store.load_records(session, [record_pk])[record_pk]
    if not match_store.is_matchable(record.row):
        reason = "record closed" if record.row.consent_tracing else "no tracing consent"
        match_store.withdraw_pending_matches(
            session, record_pk=record_pk, actor=actor, reason=reason
        )
    else:
        sides = prepared_sides(record.core, names)
        candidates = match_store.load_records(
            session,
            match_store.candidate_pks(
                session,
                keys=match_store.blocking_keys_of(session, record_pk=record_pk),
                kinds=ALL_KINDS,
                exclude_pk=record_pk,
            ),
        )
        prepared = {pk: prepared_sides(c.core, names) for pk, c in candidates.items()}
        prepared[record_pk] = sides
        counts = match_store.name_counts(
            session, _name_parts(s for group in prepared.values() for s in group)
        )
        registry_model = _current(session, model).for_registry(counts.people)
        # Only pairs reaching a band are stored: the others need not be scored in full.
        floor = band_floor(registry_model)
        scored: list[match_store.ScoredPair] = []
        for candidate in candidates.values():
            pair_type, left, right = _oriented(record, candidate)
            scored.extend(
                match_store.ScoredPair(
                    type=pair_type, left_pk=left.pk, right_pk=right.pk, score=score
                )
                for score in compare_prepared(
                    prepared[left.pk],
                    prepared[right.pk],
                    registry_model,
                    names=names,
                    name_frequencies=counts,
                    floor=floor,
                )
                if score.band is not None
            )
        match_store.save_matches(session, record_pk=record_pk, scored=scored, actor=actor)
    match_store.mark_matched(session, record_pk=record_pk)
    session.commit()


def rescore_match(
    session: Session,
    match: Match,
    *,
    model: MatchModel = DEFAULT_MODEL,
    names: NameMatcher | None = None,
) -> PairScore | None:
    """The match's pair scored again from the records as they are now, values included.

    Used to show a reviewer what was compared; None when a record no longer has the child
    (erased, or the sought children changed).
    """
    names = names or default_name_matcher()
    loaded = match_store.load_records(session, [match.left_record_pk, match.right_record_pk])
    left = loaded.get(match.left_record_pk)
    right = loaded.get(match.right_record_pk)
    if left is None or right is None:
        return None
    left_sides = prepare_record(left.core, names)
    right_sides = prepare_record(right.core, names)
    if match.left_index >= len(left_sides) or match.right_index >= len(right_sides):
        return None
    counts = match_store.name_counts(session, _name_parts([*left_sides, *right_sides]))
    scores = compare_prepared(
        left_sides,
        right_sides,
        _current(session, model).for_registry(counts.people),
        names=names,
        name_frequencies=counts,
    )
    return next(
        s for s in scores if (s.left_index, s.right_index) == (match.left_index, match.right_index)
    )


def stored_explanation(match: Match) -> Explanation:
    """The explanation stored with the match (no compared values)."""
    return Explanation(
        tuple(
            Step(
                clue=str(step["clue"]),
                title=str(step["title"]),
                level=str(step["level"]),
                label=str(step["label"]),
                bits=float(str(step["bits"])),
            )
            for step in match.explanation
        )
    )


def search(
    session: Session,
    *,
    person: Person,
    kinds: Iterable[str],
    min_score: float | None = None,
    model: MatchModel = DEFAULT_MODEL,
    names: NameMatcher | None = None,
) -> list[tuple[match_store.LoadedRecord, PairScore]]:
    """Score an ad-hoc person against the records that share a key with them, best first.

    Candidates sure to score under `min_score` (by default the `possible` band) may be
    left out unscored; with a `min_score` of 0 every candidate is scored.
    """
    names = names or default_name_matcher()
    keys = query_keys([person], name_keys)
    candidates = match_store.load_records(
        session, match_store.candidate_pks(session, keys=keys, kinds=list(kinds))
    )
    query = prepare_query(person, names, as_of=utcnow().date())
    prepared = {pk: prepared_sides(c.core, names) for pk, c in candidates.items()}
    counts: NameCounts = match_store.name_counts(
        session, _name_parts([query, *(s for group in prepared.values() for s in group)])
    )
    registry_model = _current(session, model).for_registry(counts.people)
    floor = band_floor(registry_model, min_score)
    results: list[tuple[match_store.LoadedRecord, PairScore]] = []
    for pk, candidate in candidates.items():
        scores = compare_prepared(
            (query,),
            prepared[pk],
            registry_model,
            names=names,
            name_frequencies=counts,
            floor=floor,
        )
        if scores:
            results.append((candidate, scores[0]))
    results.sort(key=lambda item: -item[1].match_weight)
    return results
