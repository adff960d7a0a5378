"""Signed-in sessions of the web interface, held on the server.

A browser holds a random token in a cookie; the table holds its SHA-256 only. A session acts
for the API key it was opened with and is checked against that key on every request, so a
revoked key ends its sessions at once, and a session past its expiry is gone.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.auth import Principal
from service.store.common import RequestContext, audit
from service.store.keys import principal_of_key
from service.tables import ApiKey, UiSession, utcnow


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class OpenedSession:
    token: str  # for the cookie; never stored
    csrf_token: str
    minutes: int


@dataclass(frozen=True, slots=True)
class ActiveSession:
    pk: int
    principal: Principal
    csrf_token: str


def open_session(session: Session, *, actor: RequestContext, minutes: int) -> OpenedSession:
    """Start a session for the key behind `actor`; also sweeps away expired sessions."""
    now = utcnow()
    session.execute(sa.delete(UiSession).where(col(UiSession.expires_at) <= now))
    token = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    session.add(
        UiSession(
            token_hash=hash_token(token),
            key_pk=actor.principal.key_pk,
            csrf_token=csrf_token,
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    audit(session, actor=actor, action="ui.sign_in", details={"minutes": minutes})
    session.commit()
    return OpenedSession(token=token, csrf_token=csrf_token, minutes=minutes)


def find_session(session: Session, *, token: str) -> ActiveSession | None:
    """The live session a cookie's token names: unexpired, its key not revoked; else None."""
    if not token or len(token) > 200:
        return None
    found = session.exec(
        select(UiSession)
        .join(ApiKey, col(ApiKey.pk) == col(UiSession.key_pk))
        .where(
            UiSession.token_hash == hash_token(token),
            col(UiSession.expires_at) > utcnow(),
            col(ApiKey.revoked_at).is_(None),
        )
    ).first()
    if found is None or found.pk is None:
        return None
    return ActiveSession(
        pk=found.pk,
        principal=principal_of_key(session, key_pk=found.key_pk),
        csrf_token=found.csrf_token,
    )


def close_session(session: Session, *, actor: RequestContext, session_pk: int) -> None:
    """Sign out: the session row is deleted, so its cookie opens nothing any more."""
    session.execute(sa.delete(UiSession).where(col(UiSession.pk) == session_pk))
    audit(session, actor=actor, action="ui.sign_out")
    session.commit()
