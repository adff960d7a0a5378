"""Bulk registration: acknowledge once stored, process in the background, report per row."""

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Response

from service import schemas, store
from service.auth import RECORD_WRITERS
from service.deps import CipherDep, EngineDep, SessionDep, allow
from service.imports import process_import_job
from service.store import imports as import_store

router = APIRouter(prefix="/api/v1", tags=["imports"])

Writer = Annotated[store.RequestContext, Depends(allow(*RECORD_WRITERS))]


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
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


@router.post(
    "/imports",
    status_code=202,
    response_model=schemas.ImportJobOut,
    summary="Register up to 10,000 records at once; poll the job for per-row outcomes",
)
def create_import(
    body: schemas.ImportRequest,
    context: Writer,
    session: SessionDep,
    engine: EngineDep,
    cipher: CipherDep,
    background: BackgroundTasks,
    response: Response,
) -> schemas.ImportJobOut:
    job = import_store.create_import_job(session, actor=context, rows=body.records)
    assert job.pk is not None
    background.add_task(process_import_job, engine, cipher, job.pk)
    response.headers["Location"] = f"/api/v1/imports/{job.id}"
    return _job_out(import_store.ImportReport(job=job, rows=[]))


@router.get(
    "/imports/{id}",
    response_model=schemas.ImportJobOut,
    summary="An import's progress and the outcome of each row",
)
def read_import(id: str, context: Writer, session: SessionDep) -> schemas.ImportJobOut:
    return _job_out(import_store.read_import_job(session, actor=context, job_id=id))
