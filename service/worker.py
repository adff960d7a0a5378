"""Background work: finish acknowledged imports, match records whose matching is owed,
deliver webhooks, and train the model as the registry grows.

Every piece of work is recorded in the database before it is acknowledged, so any worker in
any process can finish it: import jobs are claimed under leases, and a record whose
`matched_at` is empty (its matching was interrupted) is matched again. Several workers may
run at once; two matching the same record store each pair once.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from service import linkage
from service.crypto import ContactCipher
from service.imports import resume_unfinished_imports
from service.tables import ImportJob, Record, utcnow
from service.training import train_if_grown
from service.webhooks import deliver_due

log = logging.getLogger("ftr.worker")

# A record stored this recently may still be being matched by the request that stored it.
MATCHING_GRACE = timedelta(seconds=30)
BATCH = 100
# How often a worker looks whether the registry has outgrown its model (counting the
# registry's records is a scan; training itself happens only as the registry doubles).
TRAINING_CHECK = timedelta(minutes=5)


def owed_records(session: Session, *, limit: int, grace: timedelta = MATCHING_GRACE) -> list[int]:
    """Records whose current version has not been matched, oldest first."""
    cutoff = utcnow() - grace
    rows = session.exec(
        select(Record.pk)
        .where(
            col(Record.matched_at).is_(None),
            col(Record.erased_at).is_(None),
            col(Record.updated_at) < cutoff,
        )
        .order_by(col(Record.updated_at))
        .limit(limit)
    ).all()
    return [pk for pk in rows if pk is not None]


def match_owed_records(
    engine: Engine, *, limit: int = BATCH, grace: timedelta = MATCHING_GRACE
) -> int:
    """Match up to `limit` records whose matching is owed; returns how many."""
    with Session(engine, expire_on_commit=False) as session:
        pks = owed_records(session, limit=limit, grace=grace)
        linkage.match_records(session, pks, actor=None)
    return len(pks)


def run_once(
    engine: Engine,
    cipher: ContactCipher,
    *,
    grace: timedelta = MATCHING_GRACE,
    match_processes: int = 0,
    check_training: bool = True,
) -> int:
    """One round of background work; returns how many jobs and records it finished.
    `match_processes`: see `service.imports.process_import_job`; with `check_training`,
    the model is trained if the registry has outgrown it (`service.training`)."""
    done = resume_unfinished_imports(engine, cipher, match_processes=match_processes)
    done += match_owed_records(engine, grace=grace)
    done += deliver_due(engine, cipher)
    if check_training and train_if_grown(engine) is not None:
        done += 1
    return done


def run_worker(
    engine: Engine,
    cipher: ContactCipher,
    *,
    stop: threading.Event,
    poll_seconds: float = 2.0,
    match_processes: int = 0,
) -> None:
    """Work until `stop` is set; a database outage is waited out, not fatal."""
    log.info("worker started")
    checked = time.monotonic() - TRAINING_CHECK.total_seconds()
    while not stop.is_set():
        check_training = time.monotonic() - checked >= TRAINING_CHECK.total_seconds()
        if check_training:
            checked = time.monotonic()
        try:
            busy = (
                run_once(
                    engine,
                    cipher,
                    match_processes=match_processes,
                    check_training=check_training,
                )
                > 0
            )
        except SQLAlchemyError:
            log.warning("worker: database unavailable; retrying")
            busy = False
        except Exception:
            # Whatever went wrong is recorded in the database as work still owed; a worker
            # thread that died would leave it owed until the next restart.
            log.exception("worker: round failed; retrying")
            busy = False
        if not busy:
            stop.wait(poll_seconds)
    log.info("worker stopped")


def queue_depth(session: Session) -> dict[str, int]:
    """What is waiting: import rows not yet processed and records owed matching."""
    pending_jobs = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(col(ImportJob.total) - col(ImportJob.processed)), 0)
        ).where(col(ImportJob.status).in_(["queued", "running"]))
    ).scalar_one()
    unmatched = session.execute(
        sa.select(sa.func.count())
        .select_from(Record)
        .where(col(Record.matched_at).is_(None), col(Record.erased_at).is_(None))
    ).scalar_one()
    return {"import_rows": int(pending_jobs), "unmatched_records": int(unmatched)}
