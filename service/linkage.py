"""Matching a stored record against the registry, and explaining a stored match again.

The flow: a record is stored (its `matched_at` cleared), then matched here before the
response: its keys are written, candidates are found by shared keys, every pair of children
is scored by the core, and the store turns the scores into stored matches. If the process
dies in between, the record keeps `matched_at` empty and is matched again.
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from matching.blocking import NameLikeness, best_ranked, person_key_groups, regions_of
from matching.comparisons import (
    NameMatcher,
    Side,
    default_name_matcher,
    prepare_query,
    prepare_record,
)
from matching.explanation import Explanation, Step
from matching.model import MatchModel
from matching.names import (
    compare_names,
    name_key_groups,
    name_pair_codes,
    name_part_codes,
    place_codes,
)
from matching.records import MatchableRecord, Person, RecordKind
from matching.scoring import (
    DEFAULT_MODEL,
    NameCounts,
    PairScore,
    band_floor,
    cheap_clue_bits,
    compare_prepared,
    has_cheap_clues,
)
from service.observability import MATCHING_SECONDS
from service.problems import RETRY_AFTER_SECONDS, Problem
from service.store import matches as match_store
from service.store import models as model_store
from service.store.common import RequestContext
from service.tables import Match, utcnow

ALL_KINDS = (RecordKind.TRACING_REQUEST.value, RecordKind.ENQUIRY.value)


_name_parts = match_store.name_parts


class _SidesCache:
    """Prepared sides of records, by the identity of the record object and the matcher.

    The store's cache of loaded records hands out the same record object for as long as
    the record is unchanged, so identity is a cheap key: hashing a whole record on every
    lookup cost more than preparing it saved. An entry keeps its record and matcher
    alive, so their ids cannot be reused while it is cached.
    """

    def __init__(self, capacity: int) -> None:
        self._entries: OrderedDict[
            tuple[int, int], tuple[MatchableRecord, NameMatcher, tuple[Side, ...]]
        ] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def sides(self, record: MatchableRecord, names: NameMatcher) -> tuple[Side, ...]:
        key = (id(record), id(names))
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                return entry[2]
        sides = prepare_record(record, names)
        with self._lock:
            self._entries[key] = (record, names, sides)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)
        return sides


_SIDES = _SidesCache(capacity=50_000)


def prepared_sides(record: MatchableRecord, names: NameMatcher) -> tuple[Side, ...]:
    """A record's children prepared for comparison, memoised: a registry's records are
    compared again and again, and preparing one (romanising every name) is the costly part.
    A changed record is a new record object, so it is prepared afresh."""
    return _SIDES.sides(record, names)


# Sides without names, for the cheap clues alone: preparing names (romanising them) is
# what costs, and the shortlist reads no name.
_NAMELESS = NameMatcher(compare=compare_names, tokens=lambda name: ())


def _nameless_sides(record: MatchableRecord) -> tuple[Side, ...]:
    return _SIDES.sides(record, _NAMELESS)


def shortlist(
    session: Session,
    record: MatchableRecord,
    first_pass: Sequence[tuple[int, float]],
    model: MatchModel = DEFAULT_MODEL,
    *,
    cap: int = match_store.CANDIDATE_CAP,
    names: NameMatcher | None = None,
) -> dict[int, match_store.LoadedRecord]:
    """The candidates of a stored record to score in full (see `_shortlisted`)."""
    sides = prepared_sides(record, names or default_name_matcher())
    pks = [pk for pk, _ in first_pass]
    loaded = match_store.load_records(session, pks)
    parts = match_store.name_parts_of_records(session, pks) if len(pks) > cap else {}
    chosen = _shortlisted(sides, first_pass, parts, _current(session, model), cap, loaded)
    return {pk: loaded[pk] for pk in chosen}


def _name_parts_to_rank(
    session: Session, first_passes: Iterable[Sequence[tuple[int, float]]]
) -> dict[int, frozenset[str]]:
    """The name parts of the candidates `_shortlisted` must rank: those of first passes
    longer than the cap (shorter ones are scored whole)."""
    return match_store.name_parts_of_records(
        session,
        {
            pk
            for first_pass in first_passes
            if len(first_pass) > match_store.CANDIDATE_CAP
            for pk, _ in first_pass
        },
    )


def _shortlisted(
    sides: Sequence[Side],
    first_pass: Sequence[tuple[int, float]],
    parts: Mapping[int, frozenset[str]],
    model: MatchModel,
    cap: int = match_store.CANDIDATE_CAP,
    loaded: Mapping[int, match_store.LoadedRecord] | None = None,
) -> list[int]:
    """The `cap` best of the database's candidates, best first, ranked by
    `blocking.shortlist_weight`: their first-pass score (shared keys, weighted by rarity),
    how alike their name parts (`parts`) and the children's names are, and the weight of
    the cheap clues (sex, birth, places, separation, identifiers), so that among hundreds of
    records sharing a common name the ones that also agree on the rest are scored in full.

    The cheap clues are read from the `loaded` candidates (a candidate not loaded is gone);
    without them (a search by a name alone, where they would weigh the same everywhere)
    the ranking is by the rest.
    """
    if len(first_pass) <= cap:
        return [pk for pk, _ in first_pass if loaded is None or pk in loaded]
    likeness = [NameLikeness(side.child.tokens) for side in sides]
    candidates = []
    for pk, bits in first_pass:
        cheap = 0.0
        if loaded is not None:
            candidate = loaded.get(pk)
            if candidate is None:
                continue
            cheap = max(
                cheap_clue_bits(x, y, model, names=_NAMELESS)
                for x in sides
                for y in _nameless_sides(candidate.core)
            )
        candidates.append((pk, bits, cheap))
    return best_ranked(
        candidates, lambda pk: max(of_child.of(parts.get(pk, ())) for of_child in likeness), cap
    )


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
    names = names or default_name_matcher()
    for attempt in range(MATCHING_ATTEMPTS):
        try:
            _match_batch(session, [record_pk], actor, model, names)
            return
        except IntegrityError:
            session.rollback()
            time.sleep(random.uniform(0, 0.05 * (attempt + 1)))  # noqa: S311  (jitter)
    raise Problem(
        503,
        "Service unavailable",
        "The record is stored but matching it clashed with records registered at the "
        "same moment; it will be matched shortly. Retry to get the record.",
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


def match_records(
    session: Session,
    record_pks: Sequence[int],
    *,
    actor: RequestContext | None,
    model: MatchModel = DEFAULT_MODEL,
    names: NameMatcher | None = None,
    keep_alive: Callable[[], None] | None = None,
    before_commit: Callable[[], None] | None = None,
) -> None:
    """Match a batch of stored records (a bulk import's) and store their matches; commits.

    The same matches as `match_record` on each record in turn, for a fraction of the
    database work: the batch's records, their candidates and the name counts are read
    together, every record is scored, and all the matches are written in one transaction.
    `keep_alive` is called between records while scoring, when nothing is written yet (an
    import worker renews its lease there); `before_commit` runs inside the writing
    transaction. A clash with a registration stored at the same moment rolls the writes
    back and the records are matched one by one, each with `match_record`'s retries.
    """
    if not record_pks:
        return
    names = names or default_name_matcher()
    try:
        _match_batch(session, record_pks, actor, model, names, keep_alive, before_commit)
    except IntegrityError:
        session.rollback()
        for record_pk in record_pks:
            match_record(session, record_pk=record_pk, actor=actor, model=model, names=names)
            if keep_alive is not None:
                keep_alive()
        if before_commit is not None:
            before_commit()
            session.commit()


def _match_batch(
    session: Session,
    record_pks: Sequence[int],
    actor: RequestContext | None,
    model: MatchModel,
    names: NameMatcher,
    keep_alive: Callable[[], None] | None = None,
    before_commit: Callable[[], None] | None = None,
) -> None:
    """Score the records (reading only), then write every record's matches and commit."""
    started = time.perf_counter()
    # The trained model ranks the shortlist too: its chance agreements are the registry's.
    model = _current(session, model)
    facts = match_store.record_facts(session, record_pks)
    matchable = [pk for pk in dict.fromkeys(record_pks) if pk in facts]
    # Only records that may be candidates are loaded in full and scored: a bulk import
    # without tracing consent stores thousands of records that are never matched.
    records = match_store.load_records(
        session, [pk for pk in matchable if match_store.is_matchable(facts[pk])]
    )
    first_passes = match_store.candidate_scores_of_records(
        session,
        {pk: match_store.record_key_groups(record.core) for pk, record in records.items()},
        kinds=ALL_KINDS,
    )
    # Every candidate of the batch is loaded at once (most are shared by several records).
    every_candidate = {pk for first_pass in first_passes.values() for pk, _ in first_pass}
    loaded = match_store.load_records(session, every_candidate)
    parts = _name_parts_to_rank(session, first_passes.values())
    candidates = {
        pk: {
            chosen: loaded[chosen]
            for chosen in _shortlisted(
                prepared_sides(records[pk].core, names), first_pass, parts, model, loaded=loaded
            )
        }
        for pk, first_pass in first_passes.items()
    }
    scored = (
        _scored_batch(session, records, candidates, model, names, keep_alive) if candidates else {}
    )
    for record_pk in matchable:
        if record_pk in scored:
            match_store.save_matches(
                session, record_pk=record_pk, scored=scored[record_pk], actor=actor
            )
    match_store.withdraw_pending_matches_of_records(
        session,
        reasons={
            pk: "record closed" if facts[pk].consent_tracing else "no tracing consent"
            for pk in matchable
            if pk not in scored
        },
        actor=actor,
    )
    match_store.mark_matched(session, record_pks=matchable)
    if before_commit is not None:
        before_commit()
    session.commit()
    # Matching latency per record: a batch's time shared by its records.
    for _ in matchable:
        MATCHING_SECONDS.observe((time.perf_counter() - started) / len(matchable))


def _scored_batch(
    session: Session,
    records: Mapping[int, match_store.LoadedRecord],
    candidates: Mapping[int, Mapping[int, match_store.LoadedRecord]],
    model: MatchModel,
    names: NameMatcher,
    keep_alive: Callable[[], None] | None,
) -> dict[int, list[match_store.ScoredPair]]:
    """Each record's shortlisted candidates scored, the pairs reaching a band kept.
    `model` is the one matching uses (`_current`), set for the registry's size here."""
    prepared = {
        pk: prepared_sides(c.core, names)
        for shortlisted in [records, *candidates.values()]
        for pk, c in shortlisted.items()
    }
    # Name counts are read once for the batch: a part's count is the same in every pair.
    counts = match_store.name_counts(
        session, _name_parts(s for group in prepared.values() for s in group)
    )
    registry_model = model.for_registry(counts.people)
    # Only pairs reaching a band are stored: the others need not be scored in full.
    floor = band_floor(registry_model)
    scored: dict[int, list[match_store.ScoredPair]] = {}
    for record_pk, shortlisted in candidates.items():
        record = records[record_pk]
        scored[record_pk] = []
        for candidate in shortlisted.values():
            pair_type, left, right = _oriented(record, candidate)
            scored[record_pk].extend(
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
        if keep_alive is not None:
            keep_alive()
    return scored


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
    today = utcnow().date()
    query = prepare_query(person, names, as_of=today)
    keys = person_key_groups(
        person,
        name_key_groups,
        name_pair_codes,
        as_of=today,
        part_codes=name_part_codes,
        regions=regions_of((person.place_of_origin, person.last_known_address), place_codes),
    )
    first_pass = match_store.candidate_scores(session, people=[keys], kinds=list(kinds))
    model = _current(session, model)
    pks = [pk for pk, _ in first_pass]
    parts = _name_parts_to_rank(session, [first_pass])
    if has_cheap_clues(query, model, names=_NAMELESS):
        loaded = match_store.load_records(session, pks)
        chosen = _shortlisted((query,), first_pass, parts, model, loaded=loaded)
    else:
        # A name alone: the cheap clues would rank nothing, so only the best by their names
        # and keys are loaded (not the hundreds behind them).
        chosen = _shortlisted((query,), first_pass, parts, model)
        loaded = match_store.load_records(session, chosen)
    candidates = {pk: loaded[pk] for pk in chosen if pk in loaded}
    prepared = {pk: prepared_sides(c.core, names) for pk, c in candidates.items()}
    counts: NameCounts = match_store.name_counts(
        session, _name_parts([query, *(s for group in prepared.values() for s in group)])
    )
    registry_model = model.for_registry(counts.people)
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
