"""FastAPI dependencies as named aliases: the database session, the caller, the settings."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service import store
from service.auth import Principal, Role, parse_bearer
from service.crypto import ContactCipher
from service.problems import DATABASE_UNAVAILABLE, Problem
from service.ratelimit import RateLimiter
from service.settings import Settings

log = logging.getLogger("ftr.deps")


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_cipher(request: Request) -> ContactCipher:
    cipher: ContactCipher = request.app.state.cipher
    return cipher


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    # Store functions commit their own writes before returning; this only makes sure a
    # session is closed (and anything unfinished rolled back) whatever happens.
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
    finally:
        try:
            session.close()
        except DATABASE_UNAVAILABLE:
            # The database went away after the answer was decided (and perhaps sent):
            # raising now would only cut the client's connection. The pool drops the
            # broken connection; nothing uncommitted was ever acknowledged.
            log.warning("session closed on a lost database connection")


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]
CipherDep = Annotated[ContactCipher, Depends(get_cipher)]

UNAUTHENTICATED = Problem(
    401,
    "Unauthorized",
    "Send a valid API key as `Authorization: Bearer <key>`.",
    headers={"WWW-Authenticate": "Bearer"},
)


def get_context(request: Request, session: SessionDep) -> store.RequestContext:
    secret = parse_bearer(request.headers.get("authorization"))
    principal: Principal | None = store.find_principal(session, secret=secret) if secret else None
    if principal is None:
        raise UNAUTHENTICATED
    limiter: RateLimiter | None = request.app.state.rate_limiter
    if limiter is not None:
        wait = limiter.acquire(principal.key_id)
        if wait is not None:
            raise Problem(
                429,
                "Too many requests",
                "This key has made too many requests; slow down and retry after the wait.",
                headers={"Retry-After": RateLimiter.retry_after(wait)},
            )
    request.state.principal = principal
    return store.RequestContext(principal=principal, request_id=request.state.request_id)


ContextDep = Annotated[store.RequestContext, Depends(get_context)]


def allow(*roles: Role) -> Callable[[store.RequestContext, Session], store.RequestContext]:
    """A dependency that lets through only the given roles (403 for the others)."""
    allowed = frozenset(roles)

    def check(context: ContextDep, session: SessionDep) -> store.RequestContext:
        if context.principal.role not in allowed:
            store.audit_now(
                session,
                actor=context,
                action="access.denied",
                outcome="forbidden",
                details={"role": context.principal.role.value},
            )
            names = ", ".join(sorted(role.value for role in allowed))
            raise Problem(
                403,
                "Forbidden",
                f"The role {context.principal.role.value!r} may not do this; it needs: {names}.",
            )
        return context

    return check
