"""Exports of an organisation's own records: PFIF 1.4 and CSV, streamed."""

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from service import store
from service.auth import RECORD_WRITERS
from service.deps import CipherDep, EngineDep, SettingsDep, allow
from service.formats.csv_export import csv_columns, iter_csv_export
from service.formats.pfif_export import iter_pfif_export

router = APIRouter(prefix="/api/v1", tags=["exports"])

Owner = Annotated[store.RequestContext, Depends(allow(*RECORD_WRITERS))]


@router.get(
    "/exports/pfif",
    summary="Your organisation's records as PFIF 1.4 XML (no enquirer contact details)",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/xml": {}}}},
)
def export_pfif(
    context: Owner, engine: EngineDep, cipher: CipherDep, settings: SettingsDep
) -> StreamingResponse:
    records = store.iter_organisation_records(
        engine, actor=context, cipher=cipher, action="export.pfif"
    )
    return StreamingResponse(
        iter_pfif_export(records, domain=settings.pfif_domain),
        media_type="application/xml",
        headers={"Content-Disposition": 'attachment; filename="records.pfif.xml"'},
    )


@router.get(
    "/exports/csv",
    summary="Your organisation's records as CSV with the import's columns",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
def export_csv(context: Owner, engine: EngineDep, cipher: CipherDep) -> StreamingResponse:
    def chunks() -> Iterator[str]:
        # Two passes: the header is the union of the columns the records need.
        first: Iterator[dict[str, Any]] = store.iter_organisation_records(
            engine, actor=context, cipher=cipher, action="export.columns"
        )
        columns = csv_columns(first)
        yield from iter_csv_export(
            store.iter_organisation_records(
                engine, actor=context, cipher=cipher, action="export.csv"
            ),
            columns=columns,
        )

    return StreamingResponse(
        chunks(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="records.csv"'},
    )
