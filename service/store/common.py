"""What every part of the store shares: the caller, ids, cursors and the audit log."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from service.auth import Principal
from service.problems import Problem
from service.store.bulk import insert_rows
from service.tables import AuditEvent, utcnow


@dataclass(frozen=True, slots=True)
class RequestContext:
    """Who is asking, and the request id that ties the audit log to the server log."""

    principal: Principal
    request_id: str | None = None


def new_id() -> str:
    return str(uuid.uuid4())


# -- audit --------------------------------------------------------------------------------


def audit(
    session: Session,
    *,
    actor: RequestContext | None,
    action: str,
    outcome: str = "ok",
    target: tuple[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append an audit event (committed with the caller's transaction). No personal data."""
    session.add(AuditEvent(**_event(actor, action, outcome, target, details)))


def audit_many(
    session: Session, *, actor: RequestContext | None, action: str, targets: list[tuple[str, str]]
) -> None:
    """One event per target in a single insert (a bulk import's thousands of creations)."""
    if targets:
        insert_rows(session, AuditEvent, [_event(actor, action, "ok", t, None) for t in targets])


def _event(
    actor: RequestContext | None,
    action: str,
    outcome: str,
    target: tuple[str, str] | None,
    details: dict[str, Any] | None,
) -> dict[str, Any]:
    principal = actor.principal if actor else None
    return {
        "at": utcnow(),
        "action": action,
        "outcome": outcome,
        "actor_key_id": principal.key_id if principal else None,
        "actor_holder": principal.holder if principal else "command line",
        "actor_role": principal.role.value if principal else None,
        "actor_organisation_id": principal.organisation_id if principal else None,
        "target_type": target[0] if target else None,
        "target_id": target[1] if target else None,
        "request_id": actor.request_id if actor else None,
        "details": details,
    }


def audit_now(
    session: Session,
    *,
    actor: RequestContext,
    action: str,
    outcome: str,
    target: tuple[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append and commit at once: for events about requests that change nothing else."""
    audit(session, actor=actor, action=action, outcome=outcome, target=target, details=details)
    session.commit()


def list_audit_events(
    session: Session,
    *,
    actor: RequestContext,
    cursor: str | None,
    limit: int,
    action: str | None = None,
    actor_key_id: str | None = None,
    organisation_id: str | None = None,
    target_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[AuditEvent], str | None]:
    query = select(AuditEvent)
    after = decode_cursor(cursor)
    if after is not None:
        query = query.where(col(AuditEvent.pk) < after)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor_key_id:
        query = query.where(AuditEvent.actor_key_id == actor_key_id)
    if organisation_id:
        query = query.where(AuditEvent.actor_organisation_id == organisation_id)
    if target_id:
        query = query.where(AuditEvent.target_id == target_id)
    if since:
        query = query.where(col(AuditEvent.at) >= since)
    if until:
        query = query.where(col(AuditEvent.at) < until)
    # Newest first: an administrator looks at what just happened.
    rows = list(session.exec(query.order_by(col(AuditEvent.pk).desc()).limit(limit + 1)).all())
    next_cursor = encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    rows = rows[:limit]
    audit(session, actor=actor, action="audit.read", details={"count": len(rows)})
    session.commit()
    return rows, next_cursor


# -- cursors ------------------------------------------------------------------------------


def encode_cursor(position: int | list[float | int] | None) -> str:
    """An opaque cursor for the position of the last item of a page."""
    assert position is not None
    raw = json.dumps({"after": position}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


_BAD_CURSOR = Problem(
    422,
    "Invalid request",
    "cursor: is not a cursor this service gave out",
    errors=[{"field": "cursor", "message": "is not a cursor this service gave out"}],
)


def _decode(cursor: str) -> object:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        return value["after"]
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeEncodeError):
        raise _BAD_CURSOR from None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def decode_cursor(cursor: str | None) -> int | None:
    """The primary key a list cursor points after (422 for anything else)."""
    if not cursor:
        return None
    after = _decode(cursor)
    if not isinstance(after, int) or isinstance(after, bool):
        raise _BAD_CURSOR
    return after


def decode_position_cursor(cursor: str | None, length: int) -> list[float | int] | None:
    """A cursor holding a position of `length` numbers (422 for anything else)."""
    if not cursor:
        return None
    after = _decode(cursor)
    if not isinstance(after, list) or len(after) != length or not all(map(_is_number, after)):
        raise _BAD_CURSOR
    return after
