"""Sending webhooks from the outbox: signed, retried with backoff, in order per endpoint.

Each request carries `X-FTR-Signature: sha256=<hex>`, the HMAC-SHA256 of
`<X-FTR-Timestamp>.<body>` under the endpoint's secret. A receiver recomputes it, compares
in constant time, and refuses timestamps older than a few minutes (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import datetime, timedelta

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session

from service.crypto import ContactCipher
from service.store import webhooks as webhook_store
from service.tables import utcnow

log = logging.getLogger("ftr.webhooks")

SEND_TIMEOUT = httpx.Timeout(10.0)
CLAIM_FOR = timedelta(minutes=2)
USER_AGENT = "ftr-matching-webhooks/1"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The value of X-FTR-Signature for a body sent at `timestamp`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return hmac.compare_digest(signature(secret, timestamp, body), header)


def deliver_due(
    engine: Engine,
    cipher: ContactCipher,
    *,
    client: httpx.Client | None = None,
    now: datetime | None = None,
) -> int:
    """Send every delivery whose time has come (one per endpoint); returns how many were tried."""
    moment = now or utcnow()
    owned = client is None
    http = client or httpx.Client(timeout=SEND_TIMEOUT, follow_redirects=False)
    tried = 0
    try:
        with Session(engine, expire_on_commit=False) as session:
            for delivery in webhook_store.due_deliveries(session, now=moment):
                if not webhook_store.claim_delivery(session, delivery, until=moment + CLAIM_FOR):
                    continue
                assert delivery.pk is not None
                url, secret = webhook_store.endpoint_secret(session, delivery.endpoint_pk, cipher)
                body = json.dumps(
                    {**delivery.payload, "delivery_id": delivery.id}, separators=(",", ":")
                ).encode()
                timestamp = str(int(moment.timestamp()))
                status_code: int | None = None
                error: str | None = None
                try:
                    response = http.post(
                        url,
                        content=body,
                        headers={
                            "Content-Type": "application/json",
                            "User-Agent": USER_AGENT,
                            "X-FTR-Event": delivery.event,
                            "X-FTR-Delivery": delivery.id,
                            "X-FTR-Timestamp": timestamp,
                            "X-FTR-Signature": signature(secret, timestamp, body),
                        },
                    )
                    status_code = response.status_code
                    if not 200 <= status_code < 300:
                        error = f"HTTP {status_code}"
                except httpx.HTTPError as failure:
                    error = type(failure).__name__
                webhook_store.record_attempt(
                    session,
                    delivery_pk=delivery.pk,
                    now=moment,
                    status_code=status_code,
                    error=error,
                )
                tried += 1
    finally:
        if owned:
            http.close()
    if tried:
        log.info("webhooks sent", extra={"status": tried})
    return tried
