"""The application factory."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from service.crypto import ContactCipher
from service.db import create_db_engine, migrate
from service.limits import BodySizeLimitMiddleware
from service.matching_pool import close_pools
from service.observability import RequestContextMiddleware, configure_logging
from service.problems import install_problem_handlers
from service.ratelimit import RateLimiter
from service.routes import (
    audit,
    exports,
    imports,
    matches,
    names,
    operations,
    records,
    webhooks,
)
from service.settings import Settings, get_settings
from service.store.matches import rebuild_stale_keys
from service.web import SecurityHeadersMiddleware
from service.web import router as web_router
from service.worker import run_worker

DESCRIPTION = """
Finds separated children and the relatives looking for them across scripts and spellings,
and ranks candidate matches for **human review**. It never reunites anyone by itself.

Authenticate with `Authorization: Bearer <api key>`. Errors are RFC 9457 problem documents
(`application/problem+json`) naming each offending field.
"""


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    run_migrations: bool = True,
    background_worker: bool = True,
) -> FastAPI:
    """Build the app. Tests pass their own settings and engine."""
    settings = settings or get_settings()
    engine = engine or create_db_engine(settings.effective_database_url)
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The embedded default migrates itself so that `ftr serve` just works; production
        # runs `ftr migrate` as its own step before starting workers.
        if run_migrations and engine.dialect.name == "sqlite":
            migrate(engine)
            rebuild_stale_keys(engine)
        stop = threading.Event()
        if background_worker and settings.background_worker:
            # Finishes imports and matching left owed by a crash or a restart, and whatever
            # another process acknowledged; leases keep several workers out of each other's way.
            threading.Thread(
                target=run_worker,
                args=(engine, app.state.cipher),
                kwargs={"stop": stop, "match_processes": settings.effective_match_processes},
                name="ftr-worker",
                daemon=True,
            ).start()
        yield
        stop.set()
        # Chunks waiting for a matching process are dropped (their records stay owed and
        # the next worker matches them); the processes themselves stop here.
        close_pools()

    app = FastAPI(
        title="FTR matching service",
        version="1.0.0",
        summary="Family tracing and reunification: candidate matches for human review",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.cipher = ContactCipher(settings.encryption_keys)
    limit = settings.effective_rate_limit
    app.state.rate_limiter = RateLimiter(limit) if limit else None
    install_problem_handlers(app)
    app.include_router(records.router)
    app.include_router(imports.router)
    app.include_router(exports.router)
    app.include_router(matches.router)
    app.include_router(names.router)
    app.include_router(webhooks.router)
    app.include_router(audit.router)
    app.include_router(operations.router)
    app.include_router(web_router)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        larger={"/api/v1/imports": settings.max_import_bytes},
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestContextMiddleware)
    return app
