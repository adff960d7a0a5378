"""Liveness, readiness and metrics: for load balancers and monitoring, no personal data."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from service.db import database_is_reachable
from service.deps import EngineDep
from service.observability import QUEUE_DEPTH
from service.problems import RETRY_AFTER_SECONDS
from service.worker import queue_depth

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Liveness: the process answers")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: the database is reachable",
    responses={503: {"description": "The database is not reachable"}},
)
def readyz(response: Response, engine: EngineDep) -> dict[str, str]:
    if database_is_reachable(engine):
        return {"status": "ready"}
    response.status_code = 503
    response.headers["Retry-After"] = RETRY_AFTER_SECONDS
    return {"status": "database unreachable"}


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
def metrics(engine: EngineDep) -> Response:
    try:
        with Session(engine) as session:
            for kind, depth in queue_depth(session).items():
                QUEUE_DEPTH.labels(kind).set(depth)
    except SQLAlchemyError:
        pass  # the request metrics still answer while the database is away
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
