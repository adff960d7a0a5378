"""Officers' pages: their records, registering a tracing request or an enquiry, a record
with its matches. The forms post the API's own request bodies, field by field."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from matching.records import RecordKind
from service import linkage, match_views, schemas, store
from service.auth import Role
from service.deps import CipherDep, SessionDep, SettingsDep
from service.problems import Conflict, NotFound
from service.schemas import today
from service.web import people, sessions
from service.web.forms import errors_by_input, form_body
from service.web.rendering import render, router

Officer = Annotated[sessions.WebUser, Depends(sessions.require(Role.OFFICER))]
Reader = Annotated[sessions.WebUser, Depends(sessions.require(Role.OFFICER, Role.REVIEWER))]

KIND_PATHS = {"tracing-requests": RecordKind.TRACING_REQUEST, "enquiries": RecordKind.ENQUIRY}
PATH_OF_KIND = {kind.value: path for path, kind in KIND_PATHS.items()}
FORMS: dict[str, tuple[RecordKind, type[schemas.TracingRequestIn] | type[schemas.EnquiryIn]]] = {
    "tracing-request": (RecordKind.TRACING_REQUEST, schemas.TracingRequestIn),
    "enquiry": (RecordKind.ENQUIRY, schemas.EnquiryIn),
}
CONSENT_FLAGS = frozenset({"consent.tracing", "consent.share_with_partners"})
LIST_PAGE = 25
RELATIVE_ROWS = 3
SOUGHT_ROWS = 3


def record_url(kind: str, record_id: str) -> str:
    return f"/ui/records/{PATH_OF_KIND[kind]}/{record_id}"


@router.get("/records")
def my_records(
    request: Request,
    user: Reader,
    session: SessionDep,
    cipher: CipherDep,
    kind: str | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """The organisation's records (a reviewer: everyone's), newest registrations last."""
    lists = []
    for path, record_kind in KIND_PATHS.items():
        if kind and kind != path:
            continue
        items, next_cursor = store.list_records(
            session,
            actor=user.context,
            kind=record_kind,
            cipher=cipher,
            cursor=cursor if kind == path else None,
            limit=LIST_PAGE,
        )
        lists.append(
            {
                "path": path,
                "label": people.KINDS[record_kind.value] + "s",
                "records": [people.record_view(item, today=today()) for item in items],
                "next_url": f"/ui/records?kind={path}&cursor={next_cursor}"
                if next_cursor
                else None,
            }
        )
    return render(request, "records.html", title="Records", lists=lists, record_url=record_url)


def _form_page(
    request: Request,
    form_name: str,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    kind, _ = FORMS[form_name]
    return render(
        request,
        "register.html",
        status=status,
        title="Register "
        + ("a tracing request" if kind is RecordKind.TRACING_REQUEST else "an enquiry"),
        kind=kind.value,
        action=f"/ui/register/{form_name}",
        errors=errors or {},
        values=values if values is not None else {"consent.tracing": "yes"},
        relative_rows=RELATIVE_ROWS,
        sought_rows=SOUGHT_ROWS,
        relationships=people.RELATIONSHIPS,
        sexes=people.SEXES,
        consent_givers=[(g, g) for g in people.CONSENT_GIVERS],
    )


def _form_name(name: str) -> str:
    if name not in FORMS:
        raise NotFound("form")
    return name


@router.get("/register/{form_name}")
def register_form(form_name: str, request: Request, _user: Officer) -> HTMLResponse:
    return _form_page(request, _form_name(form_name))


@router.post("/register/{form_name}")
def register(
    form_name: str,
    request: Request,
    user: Officer,
    form: sessions.CheckedForm,
    session: SessionDep,
    cipher: CipherDep,
) -> Response:
    kind, schema = FORMS[_form_name(form_name)]
    parsed = form_body(form, skip=CONSENT_FLAGS)
    body = parsed.body
    body["consent"] = {
        **body.get("consent", {}),
        "tracing": "consent.tracing" in form,
        "share_with_partners": "consent.share_with_partners" in form,
    }
    if kind is RecordKind.TRACING_REQUEST:
        body.setdefault("subject", {})
    else:
        body.setdefault("sought", [{}])
    try:
        validated = schema.model_validate(body)
    except ValidationError as error:
        return _form_page(
            request, form_name, status=422, errors=errors_by_input(error, parsed), values=form
        )
    try:
        registration = store.register_record(
            session, actor=user.context, body=validated, cipher=cipher
        )
    except Conflict as conflict:
        return _form_page(
            request,
            form_name,
            status=409,
            errors={"external_id": conflict.detail or "is already used"},
            values=form,
        )
    if registration.needs_matching:
        linkage.match_record(session, record_pk=registration.record_pk, actor=user.context)
    outcome = "registered" if registration.created else "already"
    return RedirectResponse(
        record_url(kind.value, registration.record.id) + f"?done={outcome}", status_code=303
    )


@router.get("/records/{kind_path}/{id}")
def record_page(
    kind_path: str,
    id: str,
    request: Request,
    user: Reader,
    session: SessionDep,
    cipher: CipherDep,
    settings: SettingsDep,
    done: str | None = None,
) -> HTMLResponse:
    kind = KIND_PATHS.get(kind_path)
    if kind is None:
        raise NotFound("record")
    row = store.visible_record(session, actor=user.context, kind=kind, record_id=id)
    store.refuse_erased(row)
    assert row.pk is not None
    record = store.read_record(session, actor=user.context, kind=kind, record_id=id, cipher=cipher)
    matches = match_views.record_matches(session, actor=user.context, record_pk=row.pk)
    view = people.record_view(record, today=today())
    return render(
        request,
        "record.html",
        title=f"{view.kind_label} {view.external_id}",
        record=view,
        matches=matches,
        done=done if done in ("registered", "already") else None,
        record_url=record_url,
        is_reviewer=user.role is Role.REVIEWER,
        own_organisation=user.principal.organisation_id,
        confirmations_required=settings.confirmations_required,
    )
