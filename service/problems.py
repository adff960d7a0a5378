"""Errors as RFC 9457 problem documents.

Domain code raises `Problem` (or a subclass) with a status; one set of handlers turns every
failure, including validation errors and a database that went away, into
`application/problem+json` with a clear message and the offending fields. Nothing the client
sends should reach the generic handler; if something does, it still answers in the same shape
and the log carries the request id to find it.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("ftr.problems")

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = "5"


# Database failures that are the database's state, not the request's: the server down or
# restarting, no connection free in the pool, the disk full, the file read-only.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
    sa.exc.TimeoutError,
)

# SQLite's primary result codes (the low byte of the extended code) and PostgreSQL's
# SQLSTATE that say why the database refused a write.
SQLITE_READONLY, SQLITE_INTERRUPT, SQLITE_FULL = 8, 9, 13
PG_DISK_FULL = "53100"
PG_QUERY_CANCELED = "57014"  # statement_timeout reached


class Problem(Exception):  # noqa: N818  (a problem document, not an "error" in the HTTP sense)
    """A failure the client should hear about, with its HTTP status."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
        self.extra = extra or {}


class NotFound(Problem):
    def __init__(self, what: str = "record") -> None:
        # The same answer whether the thing does not exist or belongs to someone else:
        # existence itself must not leak.
        super().__init__(404, "Not found", f"No {what} with this id is available to you.")


class Forbidden(Problem):
    def __init__(self, detail: str) -> None:
        super().__init__(403, "Forbidden", detail)


class Conflict(Problem):
    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(409, "Conflict", detail, extra=extra)


def database_problem(exc: Exception) -> Problem:
    """The problem document for a database that cannot do what was asked (never a 500).

    A full disk is 507 (retrying soon will not help; an operator must free space); a
    read-only database and an unreachable one are 503 with Retry-After. Every case says that
    nothing was changed, which holds because writes are committed only as a whole.
    """
    orig = getattr(exc, "orig", None)
    sqlite_code = getattr(orig, "sqlite_errorcode", None)
    primary = sqlite_code & 0xFF if isinstance(sqlite_code, int) else None
    sqlstate = getattr(orig, "sqlstate", None)
    if primary == SQLITE_FULL or sqlstate == PG_DISK_FULL:
        return Problem(
            507,
            "Insufficient storage",
            "The database has no space left; nothing was changed. "
            "An operator must free disk space before writes can succeed again.",
        )
    if primary == SQLITE_READONLY:
        return Problem(
            503,
            "Service unavailable",
            # Reads are refused too: every read of a person's data writes an audit event.
            "The database is read-only right now; nothing was changed. Retry later.",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )
    if primary == SQLITE_INTERRUPT or sqlstate == PG_QUERY_CANCELED:
        return Problem(
            503,
            "Service unavailable",
            "The database took longer than its time limit to answer (the service is busy, "
            "or the request asks for too much at once); nothing was changed. Retry later.",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
        )
    return Problem(
        503,
        "Service unavailable",
        "The database is not reachable right now; nothing was changed. Retry later.",
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


def problem_response(
    request: Request,
    status: int,
    title: str,
    detail: str | None = None,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.url.path
    if errors:
        body["errors"] = errors
    request_id = getattr(request.state, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def _field_path(location: tuple[int | str, ...]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:] if parts[0] == "body" else parts
    # Pydantic names the branch of a union or a validator function in the location;
    # the client wants the field it sent.
    parts = [p for p in parts if not p.startswith(("function-", "union[")) and "[" not in p]
    return ".".join(parts) or "body"


def validation_errors(raw: list[Any]) -> list[dict[str, str]]:
    """Pydantic's errors as `{field, message}` pairs a person can act on."""
    errors: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for error in raw:
        field = _field_path(tuple(error.get("loc", ())))
        message = str(error.get("msg", "is not valid"))
        message = message.removeprefix("Value error, ")
        if error.get("type") == "extra_forbidden":
            message = "is not a field of this object"
        if (field, message) not in seen:
            seen.add((field, message))
            errors.append({"field": field, "message": message})
    return errors


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(
            request,
            exc.status,
            exc.title,
            exc.detail,
            errors=exc.errors,
            headers=exc.headers,
            extra=exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        raw = list(exc.errors())
        if any(error.get("type") == "json_invalid" for error in raw):
            return problem_response(
                request, 400, "Malformed JSON", "The request body is not valid JSON."
            )
        errors = validation_errors(raw)
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        return problem_response(
            request, 422, "Invalid request", summary or "The request is not valid.", errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {400: "Bad request", 404: "Not found", 405: "Method not allowed"}
        detail = exc.detail if isinstance(exc.detail, str) else None
        if exc.status_code == 400 and detail == "There was an error parsing the body":
            detail = "The request body could not be read as JSON."
        return problem_response(
            request,
            exc.status_code,
            titles.get(exc.status_code, "Error"),
            detail,
            headers=dict(exc.headers) if exc.headers else None,
        )

    async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
        problem = database_problem(exc)
        log.warning("database unavailable: %s (%d)", type(exc).__name__, problem.status)
        return await _problem(request, problem)

    for unavailable in DATABASE_UNAVAILABLE:
        app.add_exception_handler(unavailable, _database_unavailable)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return problem_response(
            request, 500, "Internal error", "Something went wrong; nothing was changed."
        )
