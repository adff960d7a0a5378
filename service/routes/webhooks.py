"""Webhook endpoints per organisation, and their delivery log (administrators)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from service import schemas, store
from service.auth import Role
from service.deps import CipherDep, SessionDep, SettingsDep, allow
from service.problems import Problem
from service.store import webhooks as webhook_store
from service.tables import Organisation, WebhookEndpoint

router = APIRouter(prefix="/api/v1", tags=["webhooks"])

Admin = Annotated[store.RequestContext, Depends(allow(Role.ADMIN))]


def _out(endpoint: WebhookEndpoint, organisation: Organisation) -> schemas.WebhookOut:
    return schemas.WebhookOut(
        id=endpoint.id,
        organisation=schemas.OrganisationRef(id=organisation.id, name=organisation.name),
        url=endpoint.url,
        events=[schemas.WebhookEvent(e) for e in endpoint.events],
        active=endpoint.active,
        created_at=endpoint.created_at,
    )


@router.post(
    "/webhooks",
    status_code=201,
    response_model=schemas.WebhookCreated,
    summary="Register an organisation's webhook endpoint; the signing secret is shown once",
)
def create_webhook(
    body: schemas.WebhookIn,
    context: Admin,
    session: SessionDep,
    cipher: CipherDep,
    settings: SettingsDep,
) -> schemas.WebhookCreated:
    if settings.is_production and not body.url.startswith("https://"):
        raise Problem(
            422,
            "Invalid request",
            "url: webhooks are sent over https in production",
            errors=[{"field": "url", "message": "must start with https:// in production"}],
        )
    endpoint, secret = webhook_store.create_endpoint(
        session,
        actor=context,
        organisation_id=body.organisation_id,
        url=body.url,
        events=[e.value for e in body.events],
        cipher=cipher,
    )
    organisation = session.get(Organisation, endpoint.organisation_pk)
    assert organisation is not None
    return schemas.WebhookCreated(**_out(endpoint, organisation).model_dump(), secret=secret)


@router.get("/webhooks", response_model=schemas.WebhookList, summary="Every webhook endpoint")
def list_webhooks(context: Admin, session: SessionDep) -> schemas.WebhookList:
    del context
    return schemas.WebhookList(items=[_out(e, o) for e, o in webhook_store.list_endpoints(session)])


@router.delete("/webhooks/{id}", status_code=204, summary="Stop sending to an endpoint")
def delete_webhook(id: str, context: Admin, session: SessionDep) -> Response:
    webhook_store.deactivate_endpoint(session, actor=context, endpoint_id=id)
    return Response(status_code=204)


@router.get(
    "/webhooks/{id}/deliveries",
    response_model=schemas.WebhookDeliveryPage,
    summary="An endpoint's delivery log, newest first",
)
def webhook_deliveries(
    id: str,
    context: Admin,
    session: SessionDep,
    settings: SettingsDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> schemas.WebhookDeliveryPage:
    del context
    size = min(limit or settings.default_page_size, settings.max_page_size)
    rows = webhook_store.list_deliveries(
        session, endpoint_id=id, after=store.decode_cursor(cursor), limit=size
    )
    next_cursor = store.encode_cursor(rows[size - 1].pk) if len(rows) > size else None
    return schemas.WebhookDeliveryPage(
        items=[
            schemas.WebhookDeliveryOut.model_validate(webhook_store.delivery_view(d))
            for d in rows[:size]
        ],
        next_cursor=next_cursor,
    )
