"""Retention: closed records are erased a set number of days after they were closed.

Erasure goes through `remove_personal_data`, the same path as `DELETE /api/v1/{kind}/{id}`,
so a record that ages out leaves exactly what a deleted one leaves: a tombstone and an
audit trail without personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.store.records import checkpoint_erasure, remove_personal_data
from service.tables import Record, utcnow


@dataclass(frozen=True, slots=True)
class ExpiredRecord:
    """A closed record past its retention period (ids only: no personal data)."""

    kind: str
    id: str
    closed_at: datetime


@dataclass(frozen=True, slots=True)
class RetentionRun:
    """What a retention run found past the cutoff, and whether it erased them."""

    cutoff: datetime
    expired: list[ExpiredRecord]
    erased: bool

    def ids_by_kind(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for record in self.expired:
            grouped.setdefault(record.kind, []).append(record.id)
        return grouped


def _closed_before(cutoff: datetime) -> tuple[sa.ColumnElement[bool], ...]:
    return (
        col(Record.status) == "closed",
        col(Record.erased_at).is_(None),
        col(Record.closed_at) < cutoff,
    )


def expired_closed_records(session: Session, *, cutoff: datetime) -> list[ExpiredRecord]:
    """Live records closed before the cutoff, oldest closing first."""
    rows = session.exec(
        select(Record.kind, Record.id, Record.closed_at)
        .where(*_closed_before(cutoff))
        .order_by(col(Record.closed_at), col(Record.pk))
    ).all()
    return [
        ExpiredRecord(kind=kind, id=record_id, closed_at=closed_at)
        for kind, record_id, closed_at in rows
        if closed_at is not None
    ]


def run_retention(
    session: Session, *, closed_days: int, dry_run: bool, now: datetime | None = None
) -> RetentionRun:
    """Erase every record closed more than `closed_days` days ago (none with `dry_run`)."""
    cutoff = (now or utcnow()) - timedelta(days=closed_days)
    expired = expired_closed_records(session, cutoff=cutoff)
    if dry_run:
        return RetentionRun(cutoff=cutoff, expired=expired, erased=False)
    erased: list[ExpiredRecord] = []
    for found in expired:
        # Checked again before erasing: the record may have been reopened (or erased by
        # someone else) since the list was read.
        record = session.exec(
            select(Record).where(Record.id == found.id, *_closed_before(cutoff))
        ).first()
        if record is None:
            continue
        remove_personal_data(
            session,
            record=record,
            actor=None,
            details={"reason": "retention", "closed_days": closed_days},
        )
        # One transaction per record: an interrupted run keeps what it erased, and a long
        # run never holds the write lock for more than one record.
        session.commit()
        erased.append(found)
    checkpoint_erasure(session)
    return RetentionRun(cutoff=cutoff, expired=erased, erased=True)
