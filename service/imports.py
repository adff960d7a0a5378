"""Processing bulk imports: each row validated, upserted by external_id and matched.

A malformed row fails alone with its reason; the others go on. Rows are processed in order
under a lease that each row renews, so a worker that dies leaves a job another worker can
resume from its first unprocessed row; a row is done once its record is stored and matched.
The file's duplicate links (PFIF notes) are resolved once every row is stored: see
`service.duplicate_links`.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from service import duplicate_links, linkage, schemas, store
from service.crypto import ContactCipher
from service.leases import holder_is_gone, new_lease_owner
from service.matching_pool import MatchingPool, forget_pool, pool_for
from service.problems import DATABASE_UNAVAILABLE, Problem, validation_errors
from service.schemas import NO_CONSENT
from service.store import imports as import_store
from service.store.bulk import REFRESH_AFTER_RECORDS, refresh_after_bulk_load
from service.store.keys import principal_of_key
from service.tables import ImportJob, ImportRow

log = logging.getLogger("ftr.imports")

LEASE = timedelta(minutes=2)
# How often a worker renews its lease while it matches: well inside the lease.
LEASE_RENEWAL = timedelta(seconds=15)
# Rows stored per transaction: each commit rewrites every page of the key index the batch
# touched, so larger batches store faster (on SQLite at 100,000 rows, 1,000 a batch took
# a third less time than 200). Matching goes by smaller batches, which it does no faster.
BATCH = 1000
MATCH_BATCH = 200
SCHEMA_OF_KIND: dict[str, type[schemas.TracingRequestIn] | type[schemas.EnquiryIn]] = {
    "tracing_request": schemas.TracingRequestIn,
    "enquiry": schemas.EnquiryIn,
}


# Keys a stored row may carry besides the record: where it was in the file, and why the file
# reader could not make a record of it.
SOURCE_ROW = "_row"
FORMAT_ERROR = "_format_error"


class RowFailed(Exception):  # noqa: N818  (a row's outcome, not a program error)
    """A row cannot be imported; the message is the reason reported for it."""


def parse_row(row: Any) -> store.RecordBody:
    """A submitted row as a validated record body, or RowFailed with every bad field."""
    if not isinstance(row, dict) or "_not_an_object" in row:
        raise RowFailed("each record must be a JSON object")
    source_row = row.pop(SOURCE_ROW, None)
    where = f"row {source_row}: " if isinstance(source_row, int) else ""
    if FORMAT_ERROR in row:
        raise RowFailed(f"{where}{row[FORMAT_ERROR]}")
    if "consent" not in row:
        # Bulk imports state consent per row or for the whole file; absent means none.
        row = {**row, "consent": NO_CONSENT}
    try:
        return _validated(row)
    except RowFailed as failure:
        raise RowFailed(f"{where}{failure}") from None


def _validated(row: dict[str, Any]) -> store.RecordBody:
    kind = row.get("kind")
    schema = SCHEMA_OF_KIND.get(kind) if isinstance(kind, str) else None
    if schema is None:
        raise RowFailed("kind: must be tracing_request or enquiry")
    try:
        return schema.model_validate({k: v for k, v in row.items() if k != "kind"})
    except ValidationError as error:
        problems = validation_errors(list(error.errors()))
        raise RowFailed("; ".join(f"{p['field']}: {p['message']}" for p in problems)) from None


def process_import_job(
    engine: Engine,
    cipher: ContactCipher,
    job_pk: int,
    *,
    takeover_from: str | None = None,
    match_processes: int = 0,
) -> None:
    """Claim a job and process its remaining rows; returns at once if another worker has it.

    `takeover_from` names a lease holder known to be dead (see service.leases), whose job
    may be taken before its lease runs out. With `match_processes`, the job's records are
    matched in that many processes while this thread stores (`service.matching_pool`).
    """
    owner = new_lease_owner()
    with Session(engine, expire_on_commit=False) as session:
        claimed = import_store.claim_import_job(
            session, job_pk=job_pk, owner=owner, lease=LEASE, takeover_from=takeover_from
        )
        if not claimed:
            return
        job = import_store.import_job_by_pk(session, job_pk)
        actor = store.RequestContext(
            principal=principal_of_key(session, key_pk=job.key_pk), request_id=f"import-{job.id}"
        )
        matching = _JobMatching(session, job_pk, actor, owner, pool_for(engine, match_processes))
        try:
            # A worker that died between storing a batch and matching it left records owed.
            matching.owe(import_store.unmatched_records_of_job(session, job_pk=job_pk))
            after = -1
            grown = 0
            while rows := import_store.pending_rows(
                session, job_pk=job_pk, limit=BATCH, after=after
            ):
                created = job.created
                _process_batch(session, job, rows, actor, cipher, owner, matching)
                after = rows[-1].position
                grown += job.created - created
                if grown >= REFRESH_AFTER_RECORDS:
                    refresh_after_bulk_load(engine)
                    grown = 0
            matching.finish()
            # Only now are all the records a link may name stored (and matched, so that a
            # pair scoring already proposed gets the link instead of a second match).
            duplicate_links.resolve_import_links(
                session, job=job, actor=actor, owner=owner, lease=LEASE
            )
            import_store.hold_lease(session, job_pk=job_pk, owner=owner, lease=LEASE)
            import_store.finish_import_job(session, job=job)
        except import_store.LeaseLost:
            # This worker was too slow to renew its lease and another one has the job now.
            session.rollback()
            log.warning(
                "import lease lost to another worker", extra={"request_id": actor.request_id}
            )
            return
        finally:
            # A job that stops early is resumed from the database: chunks not yet started
            # are dropped (their records stay owed), those running finish on their own.
            # A finished job has none left.
            matching.abandon()
        log.info("import done", extra={"request_id": actor.request_id})


# What interrupts a job without being any row's fault.
INTERRUPTED: tuple[type[Exception], ...] = (*DATABASE_UNAVAILABLE, Problem)
# What stops a batch without failing its rows: they stay pending for the job's next claim.
NOT_THE_ROWS_FAULT: tuple[type[Exception], ...] = (*DATABASE_UNAVAILABLE, import_store.LeaseLost)


def process_after_acknowledging(
    engine: Engine, cipher: ContactCipher, job_pk: int, match_processes: int = 0
) -> None:
    """The import route's own processing, after the 202 has been sent.

    The job is already stored, so a database that goes away now (or matching that keeps
    clashing with concurrent registrations) only delays it: the background worker resumes
    it from its first unprocessed row when the lease runs out.
    Raising here would only reach the ASGI server's log as an unhandled error.
    """
    try:
        process_import_job(engine, cipher, job_pk, match_processes=match_processes)
    except INTERRUPTED:
        log.warning("import interrupted; the worker resumes it")


def _process_batch(
    session: Session,
    job: ImportJob,
    rows: list[ImportRow],
    actor: store.RequestContext,
    cipher: ContactCipher,
    owner: str,
    matching: _JobMatching,
) -> None:
    """Store a batch of rows in one transaction with their outcomes, then match them.

    One transaction per batch instead of several per row is what makes bulk storing fast;
    rows whose external_ids are new (the bulk of a first import) are stored in a handful of
    multi-row inserts. A row that fails validation or is refused (an erased external_id,
    the other kind) is reported without touching the database; anything unexpected rolls
    the whole batch back and its rows are processed one by one, so that only the bad row
    fails.
    """
    outcomes: dict[int, tuple[str, str | None, str | None]] = {}
    bodies: dict[int, store.RecordBody] = {}
    for index, row in enumerate(rows):
        try:
            bodies[index] = parse_row(row.body)
        except RowFailed as failure:
            outcomes[index] = ("failed", None, str(failure))
    owed: list[int] = []
    try:
        seen = Counter(body.external_id for body in bodies.values())
        new = store.new_external_ids(
            session,
            organisation_pk=actor.principal.organisation_pk,
            external_ids=[e for e, n in seen.items() if n == 1],
        )
        fresh = [i for i, body in bodies.items() if body.external_id in new]
        stored = store.register_new_records(
            session, actor=actor, bodies=[bodies[i] for i in fresh], cipher=cipher
        )
        for index, new_record in zip(fresh, stored, strict=True):
            outcomes[index] = ("created", new_record.id, None)
            if new_record.needs_matching:
                owed.append(new_record.pk)
        for index, body in bodies.items():
            if index in outcomes:
                continue
            try:
                upsert = store.upsert_record(
                    session, actor=actor, body=body, cipher=cipher, commit=False
                )
            except Problem as problem:
                # Refusals are decided before anything of the row is written.
                outcomes[index] = ("failed", None, problem.detail or problem.title)
                continue
            outcomes[index] = (upsert.outcome, upsert.registration.record_id, None)
            if upsert.registration.needs_matching:
                owed.append(upsert.registration.record_pk)
        import_store.record_row_outcomes(
            session,
            job=job,
            outcomes=[(row, *outcomes[index]) for index, row in enumerate(rows)],
            owner=owner,
            lease=LEASE,
        )
        session.commit()
    except NOT_THE_ROWS_FAULT:
        # Not the rows' fault: leave them pending for this job's next claim.
        session.rollback()
        raise
    except Exception:
        session.rollback()
        log.warning(
            "import batch retried row by row",
            extra={"request_id": actor.request_id, "count": len(rows)},
        )
        for row in rows:
            _process_row(session, job, row, actor, cipher, owner)
        return
    matching.owe(owed)


class _JobMatching:
    """The matching of one job's stored records: in this thread, or in a pool of matching
    processes while this worker stores the next batch (`service.matching_pool`).

    Either way a batch's records are matched `MATCH_BATCH` at a time
    (`linkage.match_records`), and the lease is renewed while they are scored and inside the
    transaction that stores their matches: matching can take longer than the lease on a busy
    machine, and a lease that runs out meanwhile would let a second worker process the same
    job at the same time. `finish` returns once every record handed over is matched.

    A pool whose process died (killed, out of memory) is replaced for the next job, and
    this one matches the chunks it had handed over in its own thread: matching a record
    twice stores its pairs once, so a chunk the dead process had partly stored is safe to
    match again.
    """

    def __init__(
        self,
        session: Session,
        job_pk: int,
        actor: store.RequestContext,
        owner: str,
        pool: MatchingPool | None,
    ) -> None:
        self._session = session
        self._job_pk = job_pk
        self._actor = actor
        self._owner = owner
        self._pool = pool
        self._in_flight: deque[tuple[list[int], Future[None]]] = deque()
        self._renewed = time.monotonic()

    def _hold(self) -> None:
        import_store.hold_lease(self._session, job_pk=self._job_pk, owner=self._owner, lease=LEASE)

    def _keep_alive(self) -> None:
        if time.monotonic() - self._renewed >= LEASE_RENEWAL.total_seconds():
            self._hold()
            self._session.commit()
            self._renewed = time.monotonic()

    def _match_here(self, record_pks: list[int]) -> None:
        linkage.match_records(
            self._session,
            record_pks,
            actor=self._actor,
            keep_alive=self._keep_alive,
            before_commit=self._hold,
        )

    def owe(self, record_pks: list[int]) -> None:
        """Match these stored records (now, or in the pool before `finish` returns)."""
        for start in range(0, len(record_pks), MATCH_BATCH):
            chunk = record_pks[start : start + MATCH_BATCH]
            if self._pool is None:
                self._match_here(chunk)
                continue
            try:
                future = self._pool.submit(
                    chunk, actor=self._actor, job_pk=self._job_pk, owner=self._owner, lease=LEASE
                )
            except BrokenProcessPool:
                self._lose_pool()
                self._match_here(chunk)
                continue
            self._in_flight.append((chunk, future))
        if self._pool is not None:
            # Stored records wait in the database, not in the pool's queue: a few chunks per
            # process keep every process busy while this worker stores the next batch.
            self._wait(keep=2 * self._pool.processes)

    def finish(self) -> None:
        """Wait until every record handed over is matched; a chunk's failure is raised."""
        self._wait(keep=0)

    def abandon(self) -> None:
        """Stop waiting for chunks not yet started (the job stops; its records stay owed)."""
        for _, future in self._in_flight:
            future.cancel()
        self._in_flight.clear()

    def _lose_pool(self) -> None:
        """The pool broke: the next job gets a new one; this one matches in its thread."""
        log.warning("a matching process died; matching goes on in the import's thread")
        if self._pool is not None:
            forget_pool(self._pool)
        self._pool = None
        chunks = [chunk for chunk, _ in self._in_flight]
        self._in_flight.clear()
        for chunk in chunks:
            self._match_here(chunk)

    def _wait(self, keep: int) -> None:
        while len(self._in_flight) > keep:
            try:
                self._in_flight[0][1].result(timeout=LEASE_RENEWAL.total_seconds())
            except FutureTimeout:
                self._keep_alive()
                continue
            except BrokenProcessPool:
                self._lose_pool()
                return
            except BaseException:
                self.abandon()
                raise
            self._in_flight.popleft()
            self._keep_alive()


def _process_row(
    session: Session,
    job: ImportJob,
    row: ImportRow,
    actor: store.RequestContext,
    cipher: ContactCipher,
    owner: str,
) -> None:
    outcome, record_id, reason = "failed", None, None
    try:
        body = parse_row(row.body)
        upsert = store.upsert_record(session, actor=actor, body=body, cipher=cipher)
        if upsert.registration.needs_matching:
            linkage.match_record(session, record_pk=upsert.registration.record_pk, actor=actor)
        outcome, record_id = upsert.outcome, upsert.registration.record_id
    except RowFailed as failure:
        reason = str(failure)
    except Problem as problem:
        session.rollback()
        reason = problem.detail or problem.title
    except DATABASE_UNAVAILABLE:
        session.rollback()
        raise
    except Exception:
        # One row must not sink the job: report it and go on; the log has the trace.
        session.rollback()
        log.exception("import row failed", extra={"request_id": actor.request_id})
        reason = "internal error while storing this row; retry it"
    import_store.record_row_outcome(
        session,
        job=job,
        row=row,
        outcome=outcome,
        record_id=record_id,
        reason=reason,
        owner=owner,
        lease=LEASE,
    )


def resume_unfinished_imports(
    engine: Engine, cipher: ContactCipher, *, match_processes: int = 0
) -> int:
    """Process every job left queued or abandoned; returns how many it looked at.

    Abandoned: a lease that ran out, or one still held by a process of this machine that no
    longer exists (a server killed and restarted resumes its imports at once instead of
    waiting out the lease; holders on other machines are always waited out).
    A database that is not reachable yet leaves the jobs for the next round.
    """
    try:
        with Session(engine) as session:
            job_pks = import_store.unfinished_import_jobs(session)
            orphaned = [
                (pk, owner)
                for pk, owner in import_store.leased_import_jobs(session)
                if holder_is_gone(owner)
            ]
    except SQLAlchemyError:
        log.warning("could not look for unfinished imports: database unreachable")
        return 0
    for job_pk in job_pks:
        process_import_job(engine, cipher, job_pk, match_processes=match_processes)
    for job_pk, owner in orphaned:
        log.info("import taken over from a dead worker")
        process_import_job(
            engine, cipher, job_pk, takeover_from=owner, match_processes=match_processes
        )
    return len(job_pks) + len(orphaned)
