"""Bulk registration jobs: rows stored on arrival, claimed under a lease, processed in order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.problems import NotFound
from service.store.bulk import insert_rows
from service.store.common import RequestContext, audit, new_id
from service.tables import ImportJob, ImportLink, ImportRow, Record, table_of, utcnow

OUTCOMES = ("created", "updated", "unchanged", "failed")


def create_import_job(
    session: Session,
    *,
    actor: RequestContext,
    rows: list[Any],
    links: Sequence[tuple[str, str]] = (),
) -> ImportJob:
    """Store every submitted row durably, then acknowledge: nothing accepted is ever lost.

    `links` are pairs of external_ids the file says are one person (PFIF notes), kept with
    the rows and resolved once the rows are stored.
    """
    principal = actor.principal
    job = ImportJob(
        id=new_id(),
        organisation_pk=principal.organisation_pk,
        key_pk=principal.key_pk,
        status="queued",
        total=len(rows),
    )
    session.add(job)
    session.flush()
    assert job.pk is not None
    # Rows go in in bulk: an ORM object per row cost most of the time a client waits for
    # its acknowledgement (seconds for 100,000 rows).
    insert_rows(
        session,
        ImportRow,
        [
            {
                "job_pk": job.pk,
                "position": position,
                "external_id": _external_id(row),
                # A row that is not an object is kept as one, to fail with its reason later.
                "body": row if isinstance(row, dict) else {"_not_an_object": row},
            }
            for position, row in enumerate(rows)
        ],
    )
    insert_rows(
        session,
        ImportLink,
        [
            {
                "job_pk": job.pk,
                "position": position,
                "from_external_id": from_id[:200],
                "to_external_id": to_id[:200],
            }
            for position, (from_id, to_id) in enumerate(links)
        ],
    )
    audit(
        session,
        actor=actor,
        action="import.create",
        target=("import", job.id),
        details={"rows": len(rows), "links": len(links)} if links else {"rows": len(rows)},
    )
    session.commit()
    return job


def _external_id(row: Any) -> str | None:
    value = row.get("external_id") if isinstance(row, dict) else None
    return value[:200] if isinstance(value, str) else None


def claim_import_job(
    session: Session,
    *,
    job_pk: int,
    owner: str,
    lease: timedelta,
    takeover_from: str | None = None,
) -> bool:
    """Take a queued job, one whose worker's lease ran out, or one still leased to
    `takeover_from` (a holder the caller knows is dead); False if someone else holds it.

    The takeover is a compare-and-swap on the owner: of two workers that both find the same
    holder dead, one replaces it and the other finds the owner changed.
    """
    now = utcnow()
    claimable = [
        col(ImportJob.status) == "queued",
        sa.and_(col(ImportJob.status) == "running", col(ImportJob.lease_expires_at) < now),
    ]
    if takeover_from is not None:
        claimable.append(
            sa.and_(col(ImportJob.status) == "running", col(ImportJob.lease_owner) == takeover_from)
        )
    claimed = session.execute(
        sa.update(ImportJob)
        .where(col(ImportJob.pk) == job_pk, sa.or_(*claimable))
        .values(
            status="running",
            lease_owner=owner,
            lease_expires_at=now + lease,
            started_at=sa.func.coalesce(col(ImportJob.started_at), now),
        )
    )
    session.commit()
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def unfinished_import_jobs(session: Session) -> list[int]:
    """Jobs waiting for a worker or whose worker's lease has run out."""
    now = utcnow()
    rows = session.exec(
        select(ImportJob.pk).where(
            sa.or_(
                col(ImportJob.status) == "queued",
                sa.and_(col(ImportJob.status) == "running", col(ImportJob.lease_expires_at) < now),
            )
        )
    ).all()
    return [pk for pk in rows if pk is not None]


def leased_import_jobs(session: Session) -> list[tuple[int, str]]:
    """Running jobs whose lease has not run out yet, with their holders."""
    rows = session.execute(
        sa.select(col(ImportJob.pk), col(ImportJob.lease_owner)).where(
            col(ImportJob.status) == "running",
            col(ImportJob.lease_expires_at) >= utcnow(),
            col(ImportJob.lease_owner).is_not(None),
        )
    ).all()
    return [(int(pk), str(owner)) for pk, owner in rows]


def pending_rows(session: Session, *, job_pk: int, limit: int, after: int = -1) -> list[ImportRow]:
    """The job's first rows not processed yet, in file order, from position `after` on.

    A worker going through a job passes the last position it processed: without it, each
    batch's query would step over every row processed before (quadratic in the rows).
    """
    return list(
        session.exec(
            select(ImportRow)
            .where(
                ImportRow.job_pk == job_pk,
                col(ImportRow.position) > after,
                col(ImportRow.outcome).is_(None),
            )
            .order_by(col(ImportRow.position))
            .limit(limit)
        ).all()
    )


def unmatched_records_of_job(session: Session, *, job_pk: int) -> list[int]:
    """Records this job stored whose matching has not finished (a worker died in between).

    A batch's rows are noted with their records, and the records matched after; a job is
    done only once these are matched too.
    """
    rows = session.execute(
        sa.select(col(Record.pk))
        .join(ImportRow, col(ImportRow.record_id) == col(Record.id))
        .where(
            col(ImportRow.job_pk) == job_pk,
            col(Record.matched_at).is_(None),
            col(Record.erased_at).is_(None),
        )
        .order_by(col(Record.pk))
    ).all()
    return [int(pk) for (pk,) in rows]


class LeaseLost(Exception):  # noqa: N818  (a state to stop on, not a program error)
    """Another worker took the job over (this one's lease ran out while it worked)."""


def hold_lease(session: Session, *, job_pk: int, owner: str, lease: timedelta) -> None:
    """Renew this worker's lease, or raise LeaseLost if the job has another owner now.

    A compare-and-swap on the owner, inside the caller's transaction: the job's row stays
    locked until that transaction ends, so a worker that lost its lease cannot commit rows
    or counters (the job's counters are written whole, and two writers would lose counts).
    """
    held = session.execute(
        sa.update(ImportJob)
        .where(col(ImportJob.pk) == job_pk, col(ImportJob.lease_owner) == owner)
        .values(lease_expires_at=utcnow() + lease)
    )
    if held.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLost(job_pk)


def record_row_outcome(
    session: Session,
    *,
    job: ImportJob,
    row: ImportRow,
    outcome: str,
    record_id: str | None,
    reason: str | None,
    owner: str,
    lease: timedelta,
) -> None:
    """Note a row's outcome, drop its body (the record holds the data now), renew the lease
    (LeaseLost if another worker has taken the job over); commits."""
    record_row_outcomes(
        session, job=job, outcomes=[(row, outcome, record_id, reason)], owner=owner, lease=lease
    )
    session.commit()


RowOutcome = tuple[ImportRow, str, str | None, str | None]  # row, outcome, record id, reason


def record_row_outcomes(
    session: Session,
    *,
    job: ImportJob,
    outcomes: Sequence[RowOutcome],
    owner: str,
    lease: timedelta,
) -> None:
    """Note the outcomes of a batch of rows in the caller's transaction, which stores their
    records too: the lease is renewed once, and the job's counters written once."""
    assert job.pk is not None
    hold_lease(session, job_pk=job.pk, owner=owner, lease=lease)
    noted: list[dict[str, Any]] = []
    for row, outcome, record_id, reason in outcomes:
        assert outcome in OUTCOMES
        noted.append(
            {"row_pk": row.pk, "noted_outcome": outcome, "noted_id": record_id, "noted": reason}
        )
        job.processed += 1
        setattr(job, outcome, getattr(job, outcome) + 1)
    if noted:
        # One executemany on the Core table; the rows' ORM objects are not used again (the
        # next batch reads its own), so they need not carry the outcome.
        rows = table_of(ImportRow)
        session.execute(
            sa.update(rows)
            .where(rows.c.pk == sa.bindparam("row_pk"))
            .values(
                outcome=sa.bindparam("noted_outcome"),
                record_id=sa.bindparam("noted_id"),
                reason=sa.bindparam("noted"),
                body=None,
            ),
            noted,
        )
    session.add(job)


def pending_links(session: Session, *, job_pk: int) -> list[ImportLink]:
    """The job's duplicate links not resolved yet, in file order."""
    return list(
        session.exec(
            select(ImportLink)
            .where(ImportLink.job_pk == job_pk, col(ImportLink.outcome).is_(None))
            .order_by(col(ImportLink.position))
        ).all()
    )


def record_link_outcome(
    session: Session,
    *,
    job: ImportJob,
    link: ImportLink,
    outcome: str,
    reason: str | None,
    owner: str,
    lease: timedelta,
) -> None:
    """Note a link's outcome and renew the lease (LeaseLost if another worker has the job),
    in the caller's transaction."""
    assert outcome in OUTCOMES
    assert job.pk is not None
    hold_lease(session, job_pk=job.pk, owner=owner, lease=lease)
    link.outcome = outcome
    link.reason = reason
    session.add(link)


def finish_import_job(session: Session, *, job: ImportJob) -> None:
    job.status = "done"
    job.finished_at = utcnow()
    job.lease_owner = None
    job.lease_expires_at = None
    session.add(job)
    session.commit()


def import_job_by_pk(session: Session, job_pk: int) -> ImportJob:
    return session.exec(select(ImportJob).where(ImportJob.pk == job_pk)).one()


@dataclass(frozen=True, slots=True)
class ImportReport:
    job: ImportJob
    rows: list[ImportRow]
    links: list[ImportLink] = field(default_factory=list)


def read_import_job(
    session: Session, *, actor: RequestContext, job_id: str, rows: str = "all"
) -> ImportReport:
    """A job of the caller's organisation with its rows' outcomes (404 for anyone else's).

    `rows` is "all", "failed" (only rows that failed) or "none" (counts only): a client
    polling a large job asks for less until it is done.
    """
    job = session.exec(select(ImportJob).where(ImportJob.id == job_id)).first()
    if job is None or job.organisation_pk != actor.principal.organisation_pk:
        raise NotFound("import")
    assert job.pk is not None
    query = select(ImportRow).where(ImportRow.job_pk == job.pk)
    if rows == "failed":
        query = query.where(ImportRow.outcome == "failed")
    found = (
        [] if rows == "none" else list(session.exec(query.order_by(col(ImportRow.position))).all())
    )
    # The file's duplicate links follow the same choice: all, the failed ones, or none.
    link_query = select(ImportLink).where(ImportLink.job_pk == job.pk)
    if rows == "failed":
        link_query = link_query.where(ImportLink.outcome == "failed")
    links = (
        []
        if rows == "none"
        else list(session.exec(link_query.order_by(col(ImportLink.position))).all())
    )
    audit(session, actor=actor, action="import.read", target=("import", job.id))
    session.commit()
    return ImportReport(job=job, rows=found, links=links)
