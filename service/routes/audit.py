"""The audit log, for administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from service import schemas, store
from service.auth import Role
from service.deps import SessionDep, SettingsDep, allow

router = APIRouter(prefix="/api/v1", tags=["audit"])

Admin = Annotated[store.RequestContext, Depends(allow(Role.ADMIN))]


@router.get("/audit", response_model=schemas.AuditPage, summary="Read the audit log, newest first")
def read_audit_log(
    context: Admin,
    session: SessionDep,
    settings: SettingsDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
    action: Annotated[str | None, Query(max_length=40)] = None,
    actor_key_id: Annotated[str | None, Query(max_length=36)] = None,
    organisation_id: Annotated[str | None, Query(max_length=36)] = None,
    target_id: Annotated[str | None, Query(max_length=36)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> schemas.AuditPage:
    events, next_cursor = store.list_audit_events(
        session,
        actor=context,
        cursor=cursor,
        limit=min(limit or settings.default_page_size, settings.max_page_size),
        action=action,
        actor_key_id=actor_key_id,
        organisation_id=organisation_id,
        target_id=target_id,
        since=since,
        until=until,
    )
    return schemas.AuditPage(
        items=[
            schemas.AuditEventOut(
                id=event.pk or 0,
                at=event.at,
                action=event.action,
                outcome=event.outcome,
                actor_key_id=event.actor_key_id,
                actor_holder=event.actor_holder,
                actor_role=event.actor_role,
                actor_organisation_id=event.actor_organisation_id,
                target_type=event.target_type,
                target_id=event.target_id,
                request_id=event.request_id,
                details=event.details,
            )
            for event in events
        ],
        next_cursor=next_cursor,
    )
