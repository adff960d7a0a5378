"""Processing bulk imports: each row validated, upserted by external_id and matched.

A malformed row fails alone with its reason; the others go on. Rows are processed in order
under a lease that each row renews, so a worker that dies leaves a job another worker can
resume from its first unprocessed row; a row is done once its record is stored and matched.
The file's duplicate links (PFIF notes) are resolved once every row is stored: see
`service.duplicate_links`.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from service import duplicate_links, linkage, schemas, store
from service.crypto import ContactCipher
from service.problems import Problem, validation_errors
from service.schemas import NO_CONSENT
from service.store import imports as import_store
from service.store.keys import principal_of_key
from service.tables import ImportJob, ImportRow

log = logging.getLogger("ftr.imports")

LEASE = timedelta(minutes=2)
BATCH = 200
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


def process_import_job(engine: Engine, cipher: ContactCipher, job_pk: int) -> None:
    """Claim a job and process its remaining rows; returns at once if another worker has it."""
    owner = uuid.uuid4().hex
    with Session(engine, expire_on_commit=False) as session:
        if not import_store.claim_import_job(session, job_pk=job_pk, owner=owner, lease=LEASE):
            return
        job = import_store.import_job_by_pk(session, job_pk)
        actor = store.RequestContext(
            principal=principal_of_key(session, key_pk=job.key_pk), request_id=f"import-{job.id}"
        )
        # A worker that died between storing a batch and matching it left records owed.
        _match(session, import_store.unmatched_records_of_job(session, job_pk=job_pk), actor)
        while rows := import_store.pending_rows(session, job_pk=job_pk, limit=BATCH):
            _process_batch(session, job, rows, actor, cipher, owner)
        # Only now are all the records a link may name stored (and matched, so that a pair
        # scoring already proposed gets the link instead of a second match).
        duplicate_links.resolve_import_links(
            session, job=job, actor=actor, owner=owner, lease=LEASE
        )
        import_store.finish_import_job(session, job=job)
        log.info("import done", extra={"request_id": actor.request_id})


def _process_batch(
    session: Session,
    job: ImportJob,
    rows: list[ImportRow],
    actor: store.RequestContext,
    cipher: ContactCipher,
    owner: str,
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
        for index, (record_pk, new_id) in zip(fresh, stored, strict=True):
            outcomes[index] = ("created", new_id, None)
            owed.append(record_pk)
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
        for index, row in enumerate(rows):
            outcome, stored_id, reason = outcomes[index]
            import_store.record_row_outcome(
                session,
                job=job,
                row=row,
                outcome=outcome,
                record_id=stored_id,
                reason=reason,
                owner=owner,
                lease=LEASE,
                commit=False,
            )
        session.commit()
    except Exception:
        session.rollback()
        log.warning(
            "import batch retried row by row",
            extra={"request_id": actor.request_id, "count": len(rows)},
        )
        for row in rows:
            _process_row(session, job, row, actor, cipher, owner)
        return
    _match(session, owed, actor)


def _match(session: Session, record_pks: list[int], actor: store.RequestContext) -> None:
    for record_pk in record_pks:
        linkage.match_record(session, record_pk=record_pk, actor=actor)


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


def resume_unfinished_imports(engine: Engine, cipher: ContactCipher) -> int:
    """Process every job left queued or abandoned (a lease that ran out); returns how many.

    Run at start-up, so that an import acknowledged before a crash or a restart is finished.
    A database that is not reachable yet leaves the jobs for the next start or worker.
    """
    try:
        with Session(engine) as session:
            job_pks = import_store.unfinished_import_jobs(session)
    except SQLAlchemyError:
        log.warning("could not look for unfinished imports: database unreachable")
        return 0
    for job_pk in job_pks:
        process_import_job(engine, cipher, job_pk)
    return len(job_pks)
