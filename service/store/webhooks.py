"""Webhook endpoints and their outbox.

Events are written to the outbox in the same transaction as the change that causes them, so
an event is never sent for a change that was rolled back nor lost for one that was kept.
Deliveries carry ids and statuses only; the receiver fetches what it may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from service.crypto import ContactCipher
from service.problems import NotFound
from service.settings import new_api_key
from service.store.common import RequestContext, audit, new_id
from service.tables import Organisation, Record, WebhookDelivery, WebhookEndpoint

EVENTS = ("match.likely", "match.disclosed")
MAX_ATTEMPTS = 12
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)


def create_endpoint(
    session: Session,
    *,
    actor: RequestContext,
    organisation_id: str,
    url: str,
    events: list[str],
    cipher: ContactCipher,
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its signing secret, shown this once."""
    organisation = session.exec(
        select(Organisation).where(Organisation.id == organisation_id)
    ).first()
    if organisation is None or organisation.pk is None:
        raise NotFound("organisation")
    secret = new_api_key().replace("ftr_", "whsec_", 1)
    endpoint = WebhookEndpoint(
        id=new_id(),
        organisation_pk=organisation.pk,
        url=url,
        events=sorted(set(events)),
        secret_ciphertext=cipher.encrypt({"secret": secret}),
    )
    session.add(endpoint)
    session.flush()
    audit(
        session,
        actor=actor,
        action="webhook.create",
        target=("webhook", endpoint.id),
        details={"organisation_id": organisation_id, "events": endpoint.events},
    )
    session.commit()
    return endpoint, secret


def list_endpoints(session: Session) -> list[tuple[WebhookEndpoint, Organisation]]:
    return list(
        session.exec(
            select(WebhookEndpoint, Organisation)
            .join(Organisation, col(Organisation.pk) == col(WebhookEndpoint.organisation_pk))
            .order_by(col(WebhookEndpoint.pk))
        ).all()
    )


def endpoint_by_id(session: Session, endpoint_id: str) -> WebhookEndpoint:
    endpoint = session.exec(
        select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
    ).first()
    if endpoint is None:
        raise NotFound("webhook")
    return endpoint


def deactivate_endpoint(session: Session, *, actor: RequestContext, endpoint_id: str) -> None:
    endpoint = endpoint_by_id(session, endpoint_id)
    endpoint.active = False
    session.add(endpoint)
    audit(session, actor=actor, action="webhook.deactivate", target=("webhook", endpoint.id))
    session.commit()


def enqueue_for_records(
    session: Session, *, event: str, match_id: str, record_pks: Iterable[int], status: str
) -> None:
    """Queue `event` for every organisation holding one of these records, in this transaction.

    Each organisation hears about its own record only: the match id, its record's id and
    kind, and a status it may know.
    """
    assert event in EVENTS
    records = session.execute(
        sa.select(
            col(Record.pk), col(Record.id), col(Record.kind), col(Record.organisation_pk)
        ).where(col(Record.pk).in_(list(record_pks)))
    ).all()
    for _pk, record_id, kind, organisation_pk in records:
        endpoints = session.exec(
            select(WebhookEndpoint).where(
                WebhookEndpoint.organisation_pk == organisation_pk,
                col(WebhookEndpoint.active).is_(True),
            )
        ).all()
        for endpoint in endpoints:
            if event not in endpoint.events:
                continue
            assert endpoint.pk is not None
            session.add(
                WebhookDelivery(
                    id=new_id(),
                    endpoint_pk=endpoint.pk,
                    event=event,
                    payload={
                        "event": event,
                        "match_id": match_id,
                        "record_id": record_id,
                        "record_kind": kind,
                        "status": status,
                    },
                    status="pending",
                )
            )


def due_deliveries(session: Session, *, now: datetime, limit: int = 50) -> list[WebhookDelivery]:
    """The oldest pending delivery of each active endpoint, if its time has come.

    One at a time per endpoint and oldest first, so a receiver sees its events in the order
    they happened even across retries.
    """
    heads = (
        sa.select(sa.func.min(col(WebhookDelivery.pk)))
        .join(WebhookEndpoint, col(WebhookEndpoint.pk) == col(WebhookDelivery.endpoint_pk))
        .where(col(WebhookDelivery.status) == "pending", col(WebhookEndpoint.active).is_(True))
        .group_by(col(WebhookDelivery.endpoint_pk))
    )
    return list(
        session.exec(
            select(WebhookDelivery)
            .where(col(WebhookDelivery.pk).in_(heads), col(WebhookDelivery.next_attempt_at) <= now)
            .order_by(col(WebhookDelivery.pk))
            .limit(limit)
        ).all()
    )


def claim_delivery(session: Session, delivery: WebhookDelivery, *, until: datetime) -> bool:
    """Hold a delivery while it is being sent, so that two workers never send it twice."""
    claimed = session.execute(
        sa.update(WebhookDelivery)
        .where(
            col(WebhookDelivery.pk) == delivery.pk,
            col(WebhookDelivery.status) == "pending",
            col(WebhookDelivery.next_attempt_at) == delivery.next_attempt_at,
        )
        .values(next_attempt_at=until)
    )
    session.commit()
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def endpoint_secret(session: Session, endpoint_pk: int, cipher: ContactCipher) -> tuple[str, str]:
    """The endpoint's URL and signing secret."""
    endpoint = session.exec(select(WebhookEndpoint).where(WebhookEndpoint.pk == endpoint_pk)).one()
    return endpoint.url, str(cipher.decrypt(endpoint.secret_ciphertext)["secret"])


def record_attempt(
    session: Session,
    *,
    delivery_pk: int,
    now: datetime,
    status_code: int | None,
    error: str | None,
) -> None:
    """Note an attempt: delivered on a 2xx; else retried later, with a growing wait."""
    delivery = session.exec(select(WebhookDelivery).where(WebhookDelivery.pk == delivery_pk)).one()
    delivery.attempts += 1
    delivery.last_status_code = status_code
    delivery.last_error = error[:500] if error else None
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = "delivered"
        delivery.delivered_at = now
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = "failed"
    else:
        wait = min(FIRST_RETRY * 2 ** (delivery.attempts - 1), LONGEST_WAIT)
        delivery.next_attempt_at = now + wait
    session.add(delivery)
    session.commit()


def list_deliveries(
    session: Session, *, endpoint_id: str, after: int | None, limit: int
) -> list[WebhookDelivery]:
    endpoint = endpoint_by_id(session, endpoint_id)
    query = select(WebhookDelivery).where(WebhookDelivery.endpoint_pk == endpoint.pk)
    if after is not None:
        query = query.where(col(WebhookDelivery.pk) < after)
    return list(session.exec(query.order_by(col(WebhookDelivery.pk).desc()).limit(limit + 1)).all())


def delivery_view(delivery: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "event": delivery.event,
        "payload": delivery.payload,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "created_at": delivery.created_at,
        "next_attempt_at": delivery.next_attempt_at,
        "delivered_at": delivery.delivered_at,
    }
