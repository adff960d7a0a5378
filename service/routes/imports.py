"""Bulk registration: acknowledge once stored, process in the background, report per row.

The body is JSON (`{"records": [...]}`), JSON Lines, CSV or PFIF XML, chosen by Content-Type;
the file is spooled to disk as it arrives, so a large one is never held in memory.
"""

import json
from tempfile import SpooledTemporaryFile
from typing import IO, Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from matching.records import RecordKind
from service import schemas, store
from service.auth import RECORD_WRITERS
from service.deps import CipherDep, EngineDep, SessionDep, allow
from service.formats.dispatch import format_of, read_import_file
from service.formats.rows import FormatError
from service.imports import FORMAT_ERROR, SOURCE_ROW, process_after_acknowledging
from service.problems import Problem, validation_errors
from service.store import imports as import_store
from service.tables import ImportJob

router = APIRouter(prefix="/api/v1", tags=["imports"])

Writer = Annotated[store.RequestContext, Depends(allow(*RECORD_WRITERS))]

MAX_FILE_ROWS = 100_000
SPOOL_IN_MEMORY = 8 * 1_048_576

IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": schemas.ImportRequest.model_json_schema(
                    ref_template="#/components/schemas/{model}"
                )
            },
            "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}},
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
            "application/xml": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _job_out(report: import_store.ImportReport) -> schemas.ImportJobOut:
    job = report.job
    rows = [
        schemas.ImportRowOut(
            index=row.position,
            external_id=row.external_id,
            outcome=row.outcome,
            record_id=row.record_id,
            reason=row.reason,
        )
        for row in report.rows
    ]
    return schemas.ImportJobOut(
        id=job.id,
        status=job.status,
        total=job.total,
        processed=job.processed,
        counts=schemas.ImportCounts(
            created=job.created, updated=job.updated, unchanged=job.unchanged, failed=job.failed
        ),
        errors=[row for row in rows if row.outcome == "failed"],
        rows=rows,
        duplicate_links=[
            schemas.ImportLinkOut(
                index=link.position,
                from_external_id=link.from_external_id,
                to_external_id=link.to_external_id,
                outcome=link.outcome,
                reason=link.reason,
            )
            for link in report.links
        ],
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def _invalid_file(message: str) -> Problem:
    return Problem(
        422,
        "Invalid file",
        message,
        errors=[{"field": "body", "message": message}],
    )


def _file_consent(
    tracing: bool | None, share: bool | None, given_by: str | None, date: str | None
) -> dict[str, Any] | None:
    """Consent given for the whole file in query parameters, or None when none was given."""
    if tracing is None and share is None and given_by is None and date is None:
        return None
    raw = {"tracing": bool(tracing), "share_with_partners": bool(share), "given_by": given_by}
    if date is not None:
        raw["date"] = date
    try:
        consent = schemas.Consent.model_validate(raw)
    except ValidationError as error:
        problems = validation_errors(list(error.errors()))
        raise Problem(
            422,
            "Invalid request",
            "; ".join(f"consent_{p['field']}: {p['message']}" for p in problems),
            errors=[
                {"field": f"query.consent_{p['field']}", "message": p["message"]} for p in problems
            ],
        ) from None
    return consent.model_dump(mode="json", exclude_none=True)


def _rows_of_json(body: IO[bytes]) -> list[Any]:
    try:
        raw = json.load(body)
    except (ValueError, RecursionError):
        raise Problem(400, "Malformed JSON", "The request body is not valid JSON.") from None
    try:
        return schemas.ImportRequest.model_validate(raw).records
    except ValidationError as error:
        problems = validation_errors(list(error.errors()))
        raise Problem(
            422,
            "Invalid request",
            "; ".join(f"{p['field']}: {p['message']}" for p in problems[:5]),
            errors=problems,
        ) from None


def _rows_of_file(
    content_type: str, body: IO[bytes], kind: str | None, consent: dict[str, Any] | None
) -> tuple[list[Any], list[tuple[str, str]]]:
    """Every row of a file, good ones as records and bad ones carrying their reason, and
    the pairs of external_ids its notes link (PFIF only)."""
    try:
        imported = read_import_file(content_type, body, kind=kind, consent=consent)
        rows: list[Any] = []
        for parsed in imported.rows:
            if len(rows) >= MAX_FILE_ROWS:
                raise _invalid_file(f"the file has more than {MAX_FILE_ROWS} records; split it")
            if parsed.record is not None:
                rows.append({**parsed.record, SOURCE_ROW: parsed.number})
            else:
                rows.append(
                    {
                        FORMAT_ERROR: parsed.error,
                        SOURCE_ROW: parsed.number,
                        "external_id": parsed.external_id,
                    }
                )
    except FormatError as error:
        raise _invalid_file(str(error)) from None
    if not rows and imported.format != "pfif":
        # A PFIF file may carry only notes; any other file without a record is a mistake.
        raise _invalid_file("the file holds no records")
    links = [(link.from_external_id, link.to_external_id) for link in imported.duplicate_links]
    return rows, links


def _store_job(
    engine: Engine,
    context: store.RequestContext,
    content_type: str,
    body: IO[bytes],
    kind: str | None,
    consent: dict[str, Any] | None,
) -> ImportJob:
    links: list[tuple[str, str]] = []
    if content_type.split(";", maxsplit=1)[0].strip().lower() in ("application/json", ""):
        rows = _rows_of_json(body)
    else:
        rows, links = _rows_of_file(content_type, body, kind, consent)
    with Session(engine, expire_on_commit=False) as session:
        return import_store.create_import_job(session, actor=context, rows=rows, links=links)


@router.post(
    "/imports",
    status_code=202,
    response_model=schemas.ImportJobOut,
    summary="Register many records at once; poll the job for per-row outcomes",
    description='JSON (`{"records": [...]}`, up to 10,000), JSON Lines, CSV (dotted field '
    "paths as the header) or PFIF 1.1–1.4 XML (up to 100,000 records), by Content-Type. "
    "Rows are upserted by external_id; a malformed row fails alone with its reason. Consent "
    "for a whole file goes in the consent_* parameters; rows without consent get none.",
    openapi_extra=IMPORT_BODY,
)
async def create_import(
    request: Request,
    context: Writer,
    engine: EngineDep,
    cipher: CipherDep,
    background: BackgroundTasks,
    response: Response,
    kind: Annotated[
        RecordKind | None, Query(description="Files: the kind of rows that do not say theirs.")
    ] = None,
    consent_tracing: bool | None = None,
    consent_share_with_partners: bool | None = None,
    consent_given_by: schemas.ConsentGivenBy | None = None,
    consent_date: Annotated[str | None, Query(max_length=10)] = None,
) -> schemas.ImportJobOut:
    content_type = request.headers.get("content-type", "application/json")
    try:
        is_file = format_of(content_type) is not None
    except FormatError as error:
        raise _invalid_file(str(error)) from None
    if not is_file and content_type.split(";")[0].strip().lower() != "application/json":
        raise Problem(
            415,
            "Unsupported media type",
            "Send application/json, application/x-ndjson, text/csv or application/xml.",
        )
    consent = _file_consent(
        consent_tracing,
        consent_share_with_partners,
        consent_given_by.value if consent_given_by else None,
        consent_date,
    )
    with SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        async for chunk in request.stream():
            spool.write(chunk)
        spool.seek(0)
        job = await run_in_threadpool(
            _store_job,
            engine,
            context,
            content_type,
            spool,
            kind.value if kind else None,
            consent,
        )
    assert job.pk is not None
    background.add_task(
        process_after_acknowledging,
        engine,
        cipher,
        job.pk,
        request.app.state.settings.effective_match_processes,
    )
    response.headers["Location"] = f"/api/v1/imports/{job.id}"
    return _job_out(import_store.ImportReport(job=job, rows=[]))


@router.get(
    "/imports/{id}",
    response_model=schemas.ImportJobOut,
    summary="An import's progress and the outcome of each row",
)
def read_import(
    id: str,
    context: Writer,
    session: SessionDep,
    rows: Annotated[
        Literal["all", "failed", "none"],
        Query(description="Which rows to list: all, only failed ones, or none (counts only)."),
    ] = "all",
) -> schemas.ImportJobOut:
    return _job_out(import_store.read_import_job(session, actor=context, job_id=id, rows=rows))
