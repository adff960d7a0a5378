"""Candidate retrieval, record keys and stored matches.

The SQL that matching needs lives here: which records share keys with a new one, how common
a name part is, and how a fresh set of scores becomes stored matches without undoing a
person's decision.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from matching.blocking import (
    EXACT_PREFIX,
    KeyGroup,
    child_regions,
    family_key_groups,
    key_weight,
    person_key_groups,
    record_keys,
    weigh_key_groups,
)
from matching.comparisons import Side, default_name_matcher, prepare_record
from matching.names import (
    name_key_groups,
    name_keys,
    name_pair_codes,
    name_pair_keys,
    name_part_codes,
    place_codes,
)
from matching.records import (
    AgeEstimate,
    Identifier,
    MatchableRecord,
    PartialDate,
    Person,
    Place,
    RecordKind,
    Relationship,
)
from matching.scoring import NameCounts, PairScore
from service.store.bulk import insert_rows
from service.store.common import RequestContext, audit, new_id
from service.store.core import CHILD_ROLES, core_record, matchable_record
from service.store.webhooks import enqueue_for_records
from service.tables import (
    Match,
    Organisation,
    PersonRow,
    Record,
    RecordKey,
    RegistrySetting,
    utcnow,
)

TF_PREFIX = EXACT_PREFIX
# Candidates scored in full per new record (or search) at most, the best of the shortlist's
# ranking (`blocking.shortlist_weight`) first. A true pair outside the cap is a missed
# child: bench.scale measures how often the cap loses a pair that exhaustive scoring finds.
CANDIDATE_CAP = 30
# Candidates read from the database by their shared keys, to be ranked again with the
# cheap clues (sex, birth, places) before the best `CANDIDATE_CAP` are scored in full:
# shared name keys alone tie hundreds of records in a registry full of one family name.
FIRST_PASS_CAP = 500


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """What matching and its views read of a record row, as a value that outlives a session."""

    pk: int
    id: str
    kind: str
    organisation_pk: int
    status: str
    consent_tracing: bool
    consent_share_with_partners: bool
    created_at: datetime
    updated_at: datetime
    erased_at: datetime | None


@dataclass(frozen=True, slots=True)
class OrganisationFacts:
    pk: int
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class LoadedRecord:
    """A record with its organisation and its core form."""

    row: RecordFacts
    organisation: OrganisationFacts
    core: MatchableRecord
    children_details: tuple[dict[str, Any], ...]  # as stored, in the order of core.children

    @property
    def pk(self) -> int:
        return self.row.pk


def is_matchable(record: Record | RecordFacts) -> bool:
    """Only open or matched records with tracing consent are ever candidates."""
    return record.erased_at is None and may_be_candidate(record.consent_tracing, record.status)


def may_be_candidate(consent_tracing: bool, status: str) -> bool:
    """`is_matchable` for a live record with this consent and status."""
    return consent_tracing and status != "closed"


class _LoadedCache:
    """Recently loaded records by primary key, valid while their `updated_at` is unchanged.

    Matching reads the same candidates over and over (every new Amina is compared with the
    registry's Aminas); rebuilding them from rows each time cost more than scoring them.
    Any change to a record, erasure included, changes `updated_at`, so a stale entry is
    never served.
    """

    def __init__(self, capacity: int) -> None:
        self._entries: OrderedDict[int, LoadedRecord] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def get(self, pk: int, updated_at: datetime) -> LoadedRecord | None:
        with self._lock:
            entry = self._entries.get(pk)
            if entry is None or entry.row.updated_at != updated_at:
                return None
            self._entries.move_to_end(pk)
            return entry

    def put(self, entry: LoadedRecord) -> None:
        with self._lock:
            self._entries[entry.pk] = entry
            self._entries.move_to_end(entry.pk)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)


_caches: weakref.WeakKeyDictionary[Engine, _LoadedCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _loaded_cache(session: Session) -> _LoadedCache:
    """The cache of the session's database (tests and tools may open several)."""
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = _LoadedCache(capacity=50_000)
        return cache


def load_records(session: Session, pks: Collection[int]) -> dict[int, LoadedRecord]:
    """Records by primary key with their people, in core form (from the cache when current)."""
    if not pks:
        return {}
    versions = session.execute(
        sa.select(col(Record.pk), col(Record.updated_at)).where(col(Record.pk).in_(pks))
    ).all()
    loaded: dict[int, LoadedRecord] = {}
    missing: list[int] = []
    cache = _loaded_cache(session)
    for pk, updated_at in versions:
        cached = cache.get(pk, _utc(updated_at))
        if cached is None:
            missing.append(pk)
        else:
            loaded[pk] = cached
    if missing:
        for entry in _load_uncached(session, missing):
            cache.put(entry)
            loaded[entry.pk] = entry
    return loaded


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_FACT_COLUMNS = (
    col(Record.pk),
    col(Record.id),
    col(Record.kind),
    col(Record.organisation_pk),
    col(Record.status),
    col(Record.consent_tracing),
    col(Record.consent_share_with_partners),
    col(Record.created_at),
    col(Record.updated_at),
    col(Record.erased_at),
)


def record_facts(session: Session, pks: Collection[int]) -> dict[int, RecordFacts]:
    """The facts of records by primary key, without their people: enough to tell which are
    matchable before loading those in full (a bulk import without consent loads none)."""
    if not pks:
        return {}
    rows = session.execute(sa.select(*_FACT_COLUMNS).where(col(Record.pk).in_(pks))).all()
    return {int(row.pk): RecordFacts(**row._asdict()) for row in rows}


def _load_uncached(session: Session, pks: list[int]) -> list[LoadedRecord]:
    # Plain rows, not ORM objects: matching loads hundreds of candidates per record, and
    # building an ORM object per record and per person cost half of the loading.
    connection = session.connection()
    rows = connection.execute(
        sa.select(*_FACT_COLUMNS, col(Record.separation)).where(col(Record.pk).in_(pks))
    ).all()
    people: dict[int, list[tuple[str, int, dict[str, Any]]]] = {}
    for record_pk, role, position, details in connection.execute(
        sa.select(
            col(PersonRow.record_pk),
            col(PersonRow.role),
            col(PersonRow.position),
            col(PersonRow.details),
        ).where(col(PersonRow.record_pk).in_(pks))
    ):
        people.setdefault(record_pk, []).append((role, position, details))
    organisations = {
        o.pk: OrganisationFacts(pk=o.pk, id=o.id, name=o.name)
        for o in session.exec(
            select(Organisation).where(col(Organisation.pk).in_({r.organisation_pk for r in rows}))
        ).all()
        if o.pk is not None
    }
    loaded = []
    for row in rows:
        facts = RecordFacts(**{k: v for k, v in row._asdict().items() if k != "separation"})
        own = sorted(people.get(facts.pk, []), key=lambda p: (p[0], p[1]))
        loaded.append(
            LoadedRecord(
                row=facts,
                organisation=organisations[facts.organisation_pk],
                core=core_record(
                    record_id=facts.id,
                    kind=facts.kind,
                    created_at=facts.created_at,
                    separation=row.separation,
                    people=own,
                ),
                children_details=tuple(details for role, _, details in own if role in CHILD_ROLES),
            )
        )
    return loaded


def mark_matched(session: Session, *, record_pks: Collection[int]) -> None:
    """Note that the records' current versions have been matched (in the caller's
    transaction)."""
    if record_pks:
        session.execute(
            sa.update(Record).where(col(Record.pk).in_(record_pks)).values(matched_at=utcnow())
        )


def find_record_pk(session: Session, record_id: str) -> int | None:
    return session.exec(select(Record.pk).where(Record.id == record_id)).first()


def name_parts(sides: Iterable[Side]) -> set[str]:
    """The canonical name parts of prepared children, for name frequencies."""
    return {part for side in sides for tokens in side.child.tokens for part in tokens}


def search_keys(core: MatchableRecord) -> set[str]:
    """Every key stored for a record: blocking keys (its children's name parts alone, in
    their birth periods and in their regions, relatives' pairs of parts) and its children's
    name parts (`tf:`)."""
    keys = set(
        record_keys(core, name_keys, name_pair_keys, name_pair_codes, name_part_codes, place_codes)
    )
    keys |= {TF_PREFIX + part for part in name_parts(prepare_record(core, default_name_matcher()))}
    return {key[:80] for key in keys}


def record_key_groups(core: MatchableRecord) -> list[tuple[KeyGroup, ...]]:
    """The keys of each child of a record clue by clue, to find its candidates with; the
    record's relatives' names (`blocking.family_key_groups`) are clues of every child."""
    family = family_key_groups(core, name_pair_keys)
    return [
        (
            *person_key_groups(
                child,
                name_key_groups,
                name_pair_codes,
                as_of=core.registered_on,
                part_codes=name_part_codes,
                regions=child_regions(core, child, place_codes),
            ),
            *family,
        )
        for child in core.children
    ]


def index_record(
    session: Session, *, record: Record, people: Sequence[PersonRow], new: bool = False
) -> None:
    """Write a record's keys afresh, in the caller's transaction (an update may change them all).

    Keys are written with the record itself, before any matching, so that two records
    registered at the same moment always find each other: whichever searches second sees
    the first one's keys. A `new` record has no keys to remove yet.
    """
    assert record.pk is not None
    if not new:
        session.execute(sa.delete(RecordKey).where(col(RecordKey.record_pk) == record.pk))
    keys = search_keys(matchable_record(record, people))
    if keys:
        # One multi-row insert, without an ORM object per key: a record has dozens of keys.
        insert_rows(
            session,
            RecordKey,
            [{"record_pk": record.pk, "kind": record.kind, "key": key} for key in sorted(keys)],
        )


# -- keeping stored keys in step with the code that derives them ----------------------------

KEYS_SETTING = "search_keys_version"
_PROBE_PEOPLE = (
    # Synthetic people in the scripts and shapes keys are made from; if any of their keys
    # changes, the code that derives keys has changed and stored keys are stale.
    Person(
        full_name="Amina Yusuf Abdi",
        other_names=("Ameena",),
        date_of_birth=PartialDate(2014, 3, 9),
        identifiers=(Identifier("unhcr", "123-45 AB"),),
        place_of_origin=Place(country="SO", admin1="Banadir", locality="Muqdisho"),
        last_known_address=Place(country="SO", postcode="BN 10"),
    ),
    Person(full_name="محمد عبد الرحمن"),
    Person(full_name="Олександр Коваленко", age=AgeEstimate(9, 10, date(2020, 6, 1))),
    Person(full_name="ዮናስ ተስፋዬ"),
    Person(full_name="Nguyễn Văn An"),
    Person(full_name="王小明"),
    Person(full_name="Ελένη Παπαδοπούλου"),
    Person(full_name="אברהם כהן"),
    Person(full_name="Такаси Ёсида"),
    # A place with a name in another language (the list of places' other names).
    Person(full_name="Khalil Murad", place_of_origin=Place(country="IQ", locality="Shingal")),
    # One name per family of romanisation and folding rules, so that a change to any of
    # them changes the fingerprint (a rule no probe exercises would leave keys stale).
    *(
        Person(full_name=name)
        for name in (
            "田中 孝 三谷",
            "Shahrukh Żukowski",
            "George Javanshir clan",
            "Stewart Beatrice Göran Iqboljon",
            "Абдурахмон Әбдіқалық",
            "Çelik Xhafer Cumar Müller Dvořák",
            "Иванова Clarková Ernsts",
            "ウィルキンス 斯维尼 김민준",
            "پرویز ٹیپو عبدالله فاضلۃ",
            "ფრიცი გაბაიძე Հովհաննես राम রহিম สมชาย",
            "Γιώργος Τσέλσι Φάμπρε",
            "အောင် ဝင်း",
        )
    ),
)


@lru_cache(maxsize=1)
def keys_version() -> str:
    """A fingerprint of the code that derives search keys, from the keys of probe people."""
    probe = MatchableRecord(
        record_id="probe",
        kind=RecordKind.ENQUIRY,
        children=_PROBE_PEOPLE,
        family=(Person(full_name="Yusuf Abdi Hassan", relationship=Relationship.FATHER),),
    )
    keys = "\n".join(sorted(search_keys(probe)))
    return hashlib.sha256(keys.encode("utf-8")).hexdigest()[:16]


def rebuild_stale_keys(engine: Engine, *, batch: int = 500) -> int:
    """Re-derive every record's keys if they were made by other code; returns how many.

    Keys are derived data: when the name matcher or the blocking code changes, records
    stored before would be found by the old keys only. Run before the servers start
    (`ftr migrate`, or `ftr serve` on the embedded default). The new version is noted only
    once every record is done, so an interrupted rebuild simply runs again.
    """
    version = keys_version()
    with Session(engine) as session:
        stored = session.get(RegistrySetting, KEYS_SETTING)
        if stored is not None and stored.value == version:
            return 0
    rebuilt, after = 0, 0
    while True:
        with Session(engine, expire_on_commit=False) as session:
            rows = list(
                session.exec(
                    select(Record)
                    .where(col(Record.pk) > after, col(Record.erased_at).is_(None))
                    .order_by(col(Record.pk))
                    .limit(batch)
                ).all()
            )
            if not rows:
                break
            people: dict[int, list[PersonRow]] = {}
            for person in session.exec(
                select(PersonRow).where(col(PersonRow.record_pk).in_([r.pk for r in rows]))
            ).all():
                people.setdefault(person.record_pk, []).append(person)
            for row in rows:
                assert row.pk is not None
                own = sorted(people.get(row.pk, []), key=lambda p: (p.role, p.position))
                index_record(session, record=row, people=own)
                after = row.pk
            session.commit()
            rebuilt += len(rows)
    with Session(engine) as session:
        session.merge(RegistrySetting(name=KEYS_SETTING, value=version))
        session.commit()
    forget_caches(engine)
    return rebuilt


def remove_record_keys(session: Session, *, record_pk: int) -> None:
    session.execute(sa.delete(RecordKey).where(col(RecordKey.record_pk) == record_pk))


def candidate_scores(
    session: Session,
    *,
    people: Sequence[Sequence[KeyGroup]],
    kinds: Collection[str],
    exclude_pk: int | None = None,
    cap: int = FIRST_PASS_CAP,
) -> list[tuple[int, float]]:
    """Matchable records sharing keys with any of these people, with their first-pass
    score in bits, the best first: the `cap` most promising.

    Each person is given clue by clue (`blocking.person_key_groups`: a name part with its
    keys in every romanisation, an identifier, a date of birth). A candidate's first-pass
    score for a person is, summed over the person's clues, the weight of the rarest key it
    shares of that clue (`weigh_keys`: rare keys weigh more, over-common ones are not
    followed): how many of the person's name parts it shares, and how rare they are. A
    candidate sharing one common part in five romanisations scores as one common part.
    The database sums; over several people (an enquiry's sought children) the best counts.
    """
    return candidate_scores_of_records(
        session,
        {exclude_pk or 0: people},
        kinds=kinds,
        exclude_self=exclude_pk is not None,
        cap=cap,
    ).get(exclude_pk or 0, [])


def candidate_scores_of_records(
    session: Session,
    people: Mapping[int, Sequence[Sequence[KeyGroup]]],
    *,
    kinds: Collection[str],
    exclude_self: bool = True,
    cap: int = FIRST_PASS_CAP,
) -> dict[int, list[tuple[int, float]]]:
    """`candidate_scores` for several stored records at once (a batch being matched), by
    record pk: the keys of the whole batch are counted in one statement."""
    clues_of = {
        pk: [[frozenset(key[:80] for key in group) for group in groups] for groups in of_record]
        for pk, of_record in people.items()
    }
    every_key = frozenset(
        key for of_record in clues_of.values() for clues in of_record for c in clues for key in c
    )
    if not every_key:
        return {pk: [] for pk in people}
    # Counts only weigh and prune keys, so a minute-old count does no harm (a key counted
    # when no one carried it yet is still followed: see `weigh_keys`).
    counts, population = _key_counts(session, every_key, exact=False)
    scores: dict[int, list[tuple[int, float]]] = {}
    for record_pk, of_record in clues_of.items():
        best: dict[int, float] = {}
        for clues in of_record:
            weights = _wanted_keys(clues, counts, population)
            excluded = record_pk if exclude_self else None
            for pk, score in _first_pass(session, weights, kinds, excluded, cap):
                best[pk] = max(score, best.get(pk, score))
        scores[record_pk] = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:cap]
    return scores


@dataclass(frozen=True, slots=True)
class WantedKey:
    """A key of a person's clue as the first pass uses it.

    `followed` keys find candidates; the others (too common to follow: a scan of thousands
    of entries that finds everyone) only add their weight to candidates found otherwise,
    so that a candidate sharing three name parts, two of them by common sounds only, still
    ranks above the hundreds sharing one.
    """

    weight: float
    clue: int
    followed: bool


def _wanted_keys(
    clues: Sequence[frozenset[str]], counts: Mapping[str, int], population: int
) -> dict[str, WantedKey]:
    wanted: dict[str, WantedKey] = {}
    for index, followed in enumerate(weigh_key_groups(clues, counts, population)):
        for key in sorted(followed):
            wanted.setdefault(key, WantedKey(followed[key], index, followed=True))
    for index, clue in enumerate(clues):
        for key in sorted(clue):
            if key not in wanted:
                weight = key_weight(counts.get(key, 0), population)
                wanted[key] = WantedKey(weight, index, followed=False)
    return wanted


#: How many candidates, by their followed keys, the first pass weighs again with every key.
FIRST_PASS_POOL = 1_000
#: How many more records than it needs the first pass reads by their keys before leaving
#: out those that are no longer candidates (closed, erased, without tracing consent).
FIRST_PASS_SLACK = 1.25
#: Past this many times what it needs, the first pass reads every record sharing a key.
FIRST_PASS_READ_MOST = 20


class _LiveShare:
    """The share of the records read by their keys that are still candidates, lately: the
    first pass reads as many more as this says it needs, so that a registry of mostly
    closed records is not read twice each time. An estimate, updated without a lock."""

    def __init__(self) -> None:
        self.of_read = 1.0

    def seen(self, read: int, live: int) -> None:
        if read:
            share = max(live / read, 1 / FIRST_PASS_READ_MOST)
            self.of_read = min(1.0, 0.8 * self.of_read + 0.2 * share)


_LIVE_SHARE = _LiveShare()


def _first_pass(
    session: Session,
    wanted: Mapping[str, WantedKey],
    kinds: Collection[str],
    exclude_pk: int | None,
    cap: int,
) -> list[tuple[int, float]]:
    """The candidates' summed weights, by a join on a table of the wanted keys.

    Candidates are the records sharing a followed key: the best `FIRST_PASS_POOL` of them
    by those keys are weighed again with every key, over-common ones included (each of
    them reads a few dozen index entries, where following a common key reads thousands).

    The keys are summed from the key index alone, and only the best records are then
    looked up to leave out those that are no longer candidates: checking every record
    sharing a key (tens of thousands in a big registry) cost a third of the first pass.
    When too many of the best are left out to be sure that the pool holds the best live
    records, it reads again as many more as their share says are needed, up to all.
    Written as text: the statement differs with every record (its keys), so SQLAlchemy's
    statement cache never hits, and building it as expressions cost more than running it.
    """
    if not any(key.followed for key in wanted.values()):
        return []
    params: dict[str, Any] = {"open": True}
    values = []
    for i, (key, want) in enumerate(wanted.items()):
        params[f"k{i}"], params[f"w{i}"] = key, want.weight
        params[f"c{i}"], params[f"f{i}"] = want.clue, int(want.followed)
        # The first row names the column types (PostgreSQL infers the rest from it).
        values.append(
            f"(CAST(:k{i} AS VARCHAR), CAST(:w{i} AS FLOAT), CAST(:c{i} AS INTEGER), "
            f"CAST(:f{i} AS INTEGER))"
            if i == 0
            else f"(:k{i}, :w{i}, :c{i}, :f{i})"
        )
    wanted_table = f"wanted(key, weight, clue, followed) AS (VALUES {', '.join(values)})"
    kind_names = []
    for i, kind in enumerate(sorted(kinds)):
        params[f"kind{i}"] = kind
        kind_names.append(f":kind{i}")
    excluded = ""
    if exclude_pk is not None:
        params["exclude"] = exclude_pk
        excluded = "AND record_key.record_pk != :exclude"
    every_key_followed = all(key.followed for key in wanted.values())
    needed = cap if every_key_followed else FIRST_PASS_POOL
    params |= {"cap": cap, "needed": needed}
    found = f"""
        SELECT best.record_pk AS record_pk, SUM(best.weight) AS score
        FROM (
            SELECT record_key.record_pk AS record_pk, MAX(wanted.weight) AS weight
            FROM wanted
            JOIN record_key ON record_key.key = wanted.key
            WHERE wanted.followed = 1
              AND record_key.kind IN ({", ".join(kind_names)}) {excluded}
            -- One row per clue: the rarest key the candidate shares of it.
            GROUP BY record_key.record_pk, wanted.clue
        ) AS best
        GROUP BY best.record_pk
        ORDER BY score DESC, best.record_pk
    """  # noqa: S608  (only placeholders are formatted in; every value is a bound parameter)
    pool = """
        SELECT found.record_pk AS record_pk, found.score AS score
        FROM found JOIN record ON record.pk = found.record_pk
        WHERE record.erased_at IS NULL
          AND record.consent_tracing = :open
          AND record.status != 'closed'
        ORDER BY found.score DESC, found.record_pk
        LIMIT :needed
    """
    best = (
        "SELECT record_pk, score FROM pool"
        if every_key_followed
        else """
        SELECT again.record_pk AS record_pk, SUM(again.weight) AS score
        FROM (
            SELECT record_key.record_pk AS record_pk, MAX(wanted.weight) AS weight
            FROM pool
            JOIN record_key ON record_key.record_pk = pool.record_pk
            JOIN wanted ON wanted.key = record_key.key
            GROUP BY record_key.record_pk, wanted.clue
        ) AS again
        GROUP BY again.record_pk
        """
    )
    limit = _read_limit(needed, _LIVE_SHARE.of_read)
    while True:
        params["limit"] = limit
        # The last row counts the records read by their keys and those still candidates.
        rows = session.execute(
            sa.text(
                f"""
                WITH {wanted_table},
                found AS ({found} {"LIMIT :limit" if limit else ""}),
                pool AS ({pool}),
                best AS ({best})
                SELECT * FROM (
                    SELECT record_pk, score, 0 AS read_count, 0 AS live_count FROM best
                    ORDER BY score DESC, record_pk LIMIT :cap
                ) AS ranked
                UNION ALL
                SELECT NULL, NULL, (SELECT COUNT(*) FROM found), (SELECT COUNT(*) FROM pool)
                """  # noqa: S608
            ),
            params,
        ).all()
        *ranked, (_, _, read, live) = rows
        _LIVE_SHARE.seen(read, live)
        if not limit or read < limit or live >= needed:
            return [(int(pk), float(score)) for pk, score, _, _ in ranked]
        # Too many of the best are no longer candidates: read as many more as their share
        # among those read says are needed (a registry of mostly closed records: all).
        limit = _read_limit(needed, max(live, 1) / read)


def _read_limit(needed: int, live_share: float) -> int:
    """How many records to read by their keys for `needed` live ones when `live_share` of
    them are still candidates; 0 (all of them) past `FIRST_PASS_READ_MOST` times."""
    limit = math.ceil(needed * FIRST_PASS_SLACK / live_share)
    return 0 if limit > FIRST_PASS_READ_MOST * needed else limit


class _FrequencyCache:
    """Name-part counts and the registry size, re-read at most once a `ttl` in a big registry.

    How common a name is moves slowly in a big registry and only needs to be roughly right
    there; counting it for every new record (a scan of every record carrying "muhammad")
    would not scale. A small registry changes fast relative to its size and is cheap to
    count, so below `exact_below` records nothing is cached.
    """

    def __init__(self, ttl: float, exact_below: int) -> None:
        self.ttl = ttl
        self.exact_below = exact_below
        self._counts: dict[str, tuple[float, int]] = {}
        self._total: tuple[float, int] | None = None
        self._lock = threading.Lock()

    def lookup(
        self, parts: Collection[str], now: float, *, exact: bool
    ) -> tuple[dict[str, int], list[str]]:
        with self._lock:
            if exact and (self._total is None or self._total[1] < self.exact_below):
                return {}, list(parts)
            known = {p: c[1] for p in parts if (c := self._counts.get(p)) and now - c[0] < self.ttl}
        return known, [p for p in parts if p not in known]

    def remember(self, counts: dict[str, int], now: float) -> None:
        with self._lock:
            if len(self._counts) > 200_000:
                self._counts.clear()
            self._counts.update({p: (now, n) for p, n in counts.items()})

    def total(self, session: Session, now: float) -> int:
        with self._lock:
            fresh = self._total is not None and now - self._total[0] < self.ttl
            if fresh and self._total is not None and self._total[1] >= self.exact_below:
                return self._total[1]
        counted = int(
            session.execute(
                sa.select(sa.func.count())
                .select_from(Record)
                .where(col(Record.erased_at).is_(None))
            ).scalar_one()
        )
        with self._lock:
            self._total = (now, counted)
        return counted


_frequencies: weakref.WeakKeyDictionary[Engine, _FrequencyCache] = weakref.WeakKeyDictionary()
FREQUENCY_TTL_SECONDS = 60.0
FREQUENCIES_EXACT_BELOW = 10_000
FREQUENCIES_FROM = 1_000


def forget_caches(engine: Engine) -> None:
    """Drop what this process remembers of a database (loaded records, name counts)."""
    with _caches_lock:
        _caches.pop(engine, None)
        _frequencies.pop(engine, None)


def _frequency_cache(session: Session) -> _FrequencyCache:
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    with _caches_lock:
        cache = _frequencies.get(engine)
        if cache is None:
            cache = _frequencies[engine] = _FrequencyCache(
                FREQUENCY_TTL_SECONDS, FREQUENCIES_EXACT_BELOW
            )
        return cache


def _key_counts(
    session: Session, keys: Collection[str], *, exact: bool
) -> tuple[dict[str, int], int]:
    """How many records carry each key, and how many live records there are.

    `exact` counts afresh in a small registry; otherwise a count may be up to a minute old.
    """
    cache = _frequency_cache(session)
    now = time.monotonic()
    population = cache.total(session, now)
    counts, unknown = cache.lookup(keys, now, exact=exact)
    if unknown:
        rows = session.execute(
            sa.select(col(RecordKey.key), sa.func.count())
            .where(col(RecordKey.key).in_(unknown))
            .group_by(col(RecordKey.key))
        ).all()
        fresh = dict.fromkeys(unknown, 0) | {str(key): int(n) for key, n in rows}
        cache.remember(fresh, now)
        counts |= fresh
    return counts, population


#: Records read at once by `name_parts_of_records` (a bound parameter each).
_PARTS_READ_AT_ONCE = 5_000


def name_parts_of_records(session: Session, pks: Collection[int]) -> dict[int, frozenset[str]]:
    """The canonical name parts of the records' children (their `tf:` keys), by record:
    what the shortlist compares with a child's names, read from the key index alone
    instead of loading and romanising hundreds of candidates."""
    found: dict[int, set[str]] = {}
    ordered = sorted(pks)
    for start in range(0, len(ordered), _PARTS_READ_AT_ONCE):
        rows = session.execute(
            sa.select(col(RecordKey.record_pk), col(RecordKey.key)).where(
                col(RecordKey.record_pk).in_(ordered[start : start + _PARTS_READ_AT_ONCE]),
                # The keys beginning with the prefix: a range the index serves on both
                # databases (a LIKE pattern is not, on SQLite).
                col(RecordKey.key) >= TF_PREFIX,
                col(RecordKey.key) < TF_PREFIX[:-1] + chr(ord(TF_PREFIX[-1]) + 1),
            )
        ).all()
        for record_pk, key in rows:
            found.setdefault(int(record_pk), set()).add(str(key).removeprefix(TF_PREFIX))
    return {pk: frozenset(parts) for pk, parts in found.items()}


def name_counts(session: Session, parts: Collection[str]) -> NameCounts:
    """How many records carry each of these canonical name parts, out of all live records."""
    if not parts:
        return NameCounts(counts={}, people=0)
    counts, people = _key_counts(session, {TF_PREFIX + p for p in parts}, exact=True)
    if people < FREQUENCIES_FROM:
        # In a small registry every name is "common" (one in a handful of records): name
        # frequencies say nothing yet, so they adjust nothing.
        return NameCounts(counts={}, people=0)
    return NameCounts(
        counts={key.removeprefix(TF_PREFIX): n for key, n in counts.items()}, people=people
    )


# -- stored matches -----------------------------------------------------------------------

PairKey = tuple[int, int, int, int]

# The explanation step of a duplicate the source named (see `service.duplicate_links`): it
# moves the score by nothing, since the score stays the comparison's honest verdict, and it
# names no one, since the note's author is personal data the service does not keep.
SOURCE_LINK_STEP: dict[str, Any] = {
    "clue": "source_link",
    "title": "The source's own link",
    "level": "linked_by_source",
    "label": "the file's source (a PFIF note's author) says these are the same person",
    "bits": 0.0,
}


def matches_of_record(session: Session, record_pk: int) -> list[Match]:
    return list(
        session.exec(
            select(Match).where(
                sa.or_(
                    col(Match.left_record_pk) == record_pk, col(Match.right_record_pk) == record_pk
                )
            )
        ).all()
    )


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """A score with the stored records it links, oriented as the match table wants."""

    type: str  # "match" or "duplicate"
    left_pk: int
    right_pk: int
    score: PairScore

    @property
    def key(self) -> PairKey:
        return (self.left_pk, self.score.left_index, self.right_pk, self.score.right_index)


def propose_match(
    session: Session,
    *,
    pair_type: str,
    left_pk: int,
    right_pk: int,
    score: PairScore,
    explanation: list[dict[str, Any]],
    actor: RequestContext | None,
    now: datetime,
    linked_by_source: bool = False,
    audit_details: dict[str, Any] | None = None,
) -> Match:
    """Store a new pending match of a scored pair, in the caller's transaction (the caller
    made sure none is stored); a pair reaching no band is proposed as `possible`."""
    match = Match(
        id=new_id(),
        type=pair_type,
        left_record_pk=left_pk,
        left_index=score.left_index,
        right_record_pk=right_pk,
        right_index=score.right_index,
        score=score.score,
        match_weight=score.match_weight,
        band=score.band or "possible",
        status="pending",
        comparison_vector=score.comparison_vector,
        vector_key=score.vector_key,
        explanation=explanation,
        model_version=score.model_version,
        linked_by_source=linked_by_source,
        created_at=now,
        updated_at=now,
    )
    session.add(match)
    session.flush()
    audit(
        session,
        actor=actor,
        action="match.propose",
        target=("match", match.id),
        details={"band": match.band, "type": match.type} | (audit_details or {}),
    )
    return match


def save_matches(
    session: Session,
    *,
    record_pk: int,
    scored: Sequence[ScoredPair],
    actor: RequestContext | None,
) -> None:
    """Make the stored matches of one record agree with its fresh scores.

    - a new pair above the `possible` band is stored as pending;
    - a pending pair is re-scored, or withdrawn when it no longer reaches a band;
    - a rejected pair stays rejected unless its comparison vector changed (the records now
      say something different about each other), when it is proposed again;
    - a confirmed pair keeps the score and model version it was decided under.
    """
    existing = {
        (m.left_record_pk, m.left_index, m.right_record_pk, m.right_index): m
        for m in matches_of_record(session, record_pk)
    }
    now = utcnow()
    fresh = {pair.key: pair for pair in scored if pair.score.band is not None}
    for key, pair in fresh.items():
        match = existing.get(key)
        explanation = pair.score.explanation.to_list(with_values=False)
        if match is None:
            match = propose_match(
                session,
                pair_type=pair.type,
                left_pk=pair.left_pk,
                right_pk=pair.right_pk,
                score=pair.score,
                explanation=explanation,
                actor=actor,
                now=now,
            )
            if match.band == "likely":
                _announce_likely(session, match)
            continue
        if match.status == "confirmed":
            continue
        if match.status == "rejected":
            if match.vector_key == pair.score.vector_key:
                continue
            match.status = "pending"
            audit(
                session,
                actor=actor,
                action="match.repropose",
                target=("match", match.id),
                details={"reason": "comparison vector changed"},
            )
        apply_score(session, match, pair.score, now=now)
    for key, match in existing.items():
        # A pair the source itself linked stays for a reviewer whatever its score now.
        if key not in fresh and match.status == "pending" and not match.linked_by_source:
            withdraw_match(session, match, actor=actor, reason="no longer a candidate")


def withdraw_match(
    session: Session, match: Match, *, actor: RequestContext | None, reason: str
) -> None:
    """Delete a pending match (no decision was made on it), audited with the reason."""
    session.delete(match)
    audit(
        session,
        actor=actor,
        action="match.withdraw",
        target=("match", match.id),
        details={"reason": reason},
    )


def apply_score(session: Session, match: Match, score: PairScore, *, now: datetime) -> None:
    """Give a stored match a fresh score (a changed record, or a retrained model)."""
    if score.band is None:
        raise ValueError("a stored match needs a band")
    became_likely = match.band != "likely" and score.band == "likely"
    match.score = score.score
    match.match_weight = score.match_weight
    match.band = score.band
    match.comparison_vector = score.comparison_vector
    match.vector_key = score.vector_key
    match.explanation = score.explanation.to_list(with_values=False)
    if match.linked_by_source:
        match.explanation.append(SOURCE_LINK_STEP)
    match.model_version = score.model_version
    match.updated_at = now
    match.version += 1
    session.add(match)
    if became_likely:
        _announce_likely(session, match)


def pending_matches(session: Session, *, after: int, limit: int) -> list[Match]:
    return list(
        session.exec(
            select(Match)
            .where(Match.status == "pending", col(Match.pk) > after)
            .order_by(col(Match.pk))
            .limit(limit)
        ).all()
    )


def _announce_likely(session: Session, match: Match) -> None:
    enqueue_for_records(
        session,
        event="match.likely",
        match_id=match.id,
        record_pks=(match.left_record_pk, match.right_record_pk),
        status="under_review",
    )


def withdraw_pending_matches(
    session: Session, *, record_pk: int, actor: RequestContext | None, reason: str
) -> None:
    """Withdraw a record's pending matches (consent withdrawn, record closed or erased)."""
    withdraw_pending_matches_of_records(session, reasons={record_pk: reason}, actor=actor)


def withdraw_pending_matches_of_records(
    session: Session, *, reasons: Mapping[int, str], actor: RequestContext | None
) -> None:
    """`withdraw_pending_matches` for several records, each with its reason, in one query:
    a match between two of them is withdrawn once, for the reason of the first named."""
    if not reasons:
        return
    pks = list(reasons)
    order = {pk: position for position, pk in enumerate(pks)}
    pending = session.exec(
        select(Match)
        .where(
            col(Match.status) == "pending",
            sa.or_(col(Match.left_record_pk).in_(pks), col(Match.right_record_pk).in_(pks)),
        )
        .order_by(col(Match.pk))
    ).all()
    for match in pending:
        ends = [pk for pk in (match.left_record_pk, match.right_record_pk) if pk in order]
        withdraw_match(
            session, match, actor=actor, reason=reasons[min(ends, key=order.__getitem__)]
        )


def match_by_id(session: Session, match_id: str) -> Match | None:
    return session.exec(select(Match).where(Match.id == match_id)).first()


_band_rank: sa.ColumnElement[int] = sa.case((col(Match.band) == "likely", 0), else_=1)


def queue_position(match: Match) -> list[float | int]:
    """Where a match stands in the queue; a cursor is the position of a page's last item."""
    assert match.pk is not None
    return [0 if match.band == "likely" else 1, match.score, match.pk]


def review_queue(
    session: Session,
    *,
    after: list[float | int] | None,
    limit: int,
    status: str | None,
    band: str | None,
    type_: str | None,
    organisation_id: str | None,
) -> list[Match]:
    """Matches in the order a reviewer works them: likely first, best score first, then the
    longest waiting; filtered. Returns up to `limit + 1` so the caller knows if more follow."""
    query = select(Match)
    if after is not None:
        rank, score, pk = after
        query = query.where(
            sa.or_(
                _band_rank > rank,
                sa.and_(_band_rank.is_not_distinct_from(rank), col(Match.score) < score),
                sa.and_(
                    _band_rank.is_not_distinct_from(rank),
                    col(Match.score) == score,
                    col(Match.pk) > pk,
                ),
            )
        )
    if status:
        query = query.where(Match.status == status)
    if band:
        query = query.where(Match.band == band)
    if type_:
        query = query.where(Match.type == type_)
    if organisation_id:
        organisation_pks = select(Organisation.pk).where(Organisation.id == organisation_id)
        record_pks = select(Record.pk).where(col(Record.organisation_pk).in_(organisation_pks))
        query = query.where(
            sa.or_(
                col(Match.left_record_pk).in_(record_pks),
                col(Match.right_record_pk).in_(record_pks),
            )
        )
    ordered = query.order_by(_band_rank, col(Match.score).desc(), col(Match.pk))
    return list(session.exec(ordered.limit(limit + 1)).all())


def record_ids(session: Session, pks: Collection[int]) -> dict[int, tuple[str, str]]:
    """Public id and kind of records by primary key."""
    if not pks:
        return {}
    rows = session.execute(
        sa.select(col(Record.pk), col(Record.id), col(Record.kind)).where(col(Record.pk).in_(pks))
    ).all()
    return {int(pk): (str(rid), str(kind)) for pk, rid, kind in rows}
