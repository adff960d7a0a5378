"""Tracing requests and enquiries: register, read, replace, erase, list."""

from datetime import datetime
from typing import Annotated, Generic, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel
from sqlmodel import Session

from matching.records import RecordKind
from service import linkage, match_views, schemas, store
from service.auth import RECORD_ERASERS, RECORD_READERS, RECORD_WRITERS, Role
from service.deps import CipherDep, SessionDep, SettingsDep, allow

router = APIRouter(prefix="/api/v1", tags=["records"])

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    next_cursor: str | None


Writer = Annotated[store.RequestContext, Depends(allow(*RECORD_WRITERS))]
Reader = Annotated[store.RequestContext, Depends(allow(*RECORD_READERS))]
Eraser = Annotated[store.RequestContext, Depends(allow(*RECORD_ERASERS))]


def _page_limit(settings: SettingsDep, limit: int | None) -> int:
    return min(limit or settings.default_page_size, settings.max_page_size)


CANDIDATES_SHOWN = 10


def _registered(
    session: Session,
    context: store.RequestContext,
    registration: store.Registration,
    registered_type: type[schemas.TracingRequestRegistered] | type[schemas.EnquiryRegistered],
) -> store.RecordOut | schemas.TracingRequestRegistered | schemas.EnquiryRegistered:
    """Match the record if it is owed matching; officers also get its best candidates."""
    if registration.needs_matching:
        linkage.match_record(session, record_pk=registration.record_pk, actor=context)
    if context.principal.role is not Role.OFFICER:
        return registration.record
    candidates = match_views.record_matches(
        session, actor=context, record_pk=registration.record_pk, limit=CANDIDATES_SHOWN
    )
    return registered_type.model_validate(
        {**registration.record.model_dump(), "candidates": candidates}
    )


def _add_record_routes(
    path: str,
    kind: RecordKind,
    body_type: type[schemas.TracingRequestIn] | type[schemas.EnquiryIn],
    out_type: type[schemas.TracingRequestOut] | type[schemas.EnquiryOut],
    registered_type: type[schemas.TracingRequestRegistered] | type[schemas.EnquiryRegistered],
    noun: str,
) -> None:
    @router.post(
        path,
        status_code=201,
        response_model=registered_type | out_type,
        summary=f"Register a {noun}",
        description="Matching is done before the response; an officer's response carries "
        "the record's best candidate matches.",
        responses={200: {"description": "The same submission again: the stored record"}},
        name=f"create_{kind.value}",
    )
    def create(
        body: body_type,  # type: ignore[valid-type]
        response: Response,
        context: Writer,
        session: SessionDep,
        cipher: CipherDep,
    ) -> store.RecordOut | schemas.TracingRequestRegistered | schemas.EnquiryRegistered:
        registration = store.register_record(session, actor=context, body=body, cipher=cipher)
        if not registration.created:
            response.status_code = 200
        response.headers["Location"] = f"{router.prefix}{path}/{registration.record_id}"
        return _registered(session, context, registration, registered_type)

    @router.get(
        f"{path}/{{id}}",
        response_model=out_type,
        summary=f"Read a {noun}",
        name=f"read_{kind.value}",
    )
    def read(id: str, context: Reader, session: SessionDep, cipher: CipherDep) -> store.RecordOut:
        return store.read_record(session, actor=context, kind=kind, record_id=id, cipher=cipher)

    @router.put(
        f"{path}/{{id}}",
        response_model=registered_type | out_type,
        summary=f"Replace a {noun}; a changed record is matched again before the response",
        name=f"replace_{kind.value}",
    )
    def replace(
        id: str,
        body: body_type,  # type: ignore[valid-type]
        context: Writer,
        session: SessionDep,
        cipher: CipherDep,
    ) -> store.RecordOut | schemas.TracingRequestRegistered | schemas.EnquiryRegistered:
        registration = store.replace_record(
            session, actor=context, record_id=id, body=body, cipher=cipher
        )
        return _registered(session, context, registration, registered_type)

    @router.delete(
        f"{path}/{{id}}",
        status_code=204,
        summary=f"Erase a {noun}: its personal data is removed, a tombstone is kept",
        name=f"erase_{kind.value}",
    )
    def erase(id: str, context: Eraser, session: SessionDep) -> Response:
        store.erase_record(session, actor=context, kind=kind, record_id=id)
        return Response(status_code=204)

    @router.get(
        path,
        response_model=Page[out_type],  # type: ignore[valid-type]
        summary=f"List {noun}s",
        name=f"list_{kind.value}",
    )
    def list_(
        context: Reader,
        session: SessionDep,
        cipher: CipherDep,
        settings: SettingsDep,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
        status: Literal["open", "matched", "closed"] | None = None,
        external_id: Annotated[str | None, Query(max_length=200)] = None,
        organisation_id: Annotated[
            str | None, Query(max_length=36, description="Reviewers only: one organisation.")
        ] = None,
        updated_since: datetime | None = None,
    ) -> dict[str, object]:
        items, next_cursor = store.list_records(
            session,
            actor=context,
            kind=kind,
            cipher=cipher,
            cursor=cursor,
            limit=_page_limit(settings, limit),
            status=status,
            external_id=external_id,
            organisation_id=organisation_id,
            updated_since=updated_since,
        )
        return {"items": items, "next_cursor": next_cursor}


_add_record_routes(
    "/tracing-requests",
    RecordKind.TRACING_REQUEST,
    schemas.TracingRequestIn,
    schemas.TracingRequestOut,
    schemas.TracingRequestRegistered,
    "tracing request",
)
_add_record_routes(
    "/enquiries",
    RecordKind.ENQUIRY,
    schemas.EnquiryIn,
    schemas.EnquiryOut,
    schemas.EnquiryRegistered,
    "enquiry",
)
