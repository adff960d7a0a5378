"""Webhooks: signed events from an outbox, retried with backoff, in order, without personal data."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx

from api_tests.conftest import Api
from api_tests.test_matching import child_request, mother_enquiry
from service.tables import utcnow
from service.webhooks import deliver_due, verify

HOOKS = "/api/v1/webhooks"


class Receiver:
    """A partner's endpoint: records what arrives and answers with the scripted statuses."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.received: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.received.append(request)
        status = self.statuses.pop(0) if self.statuses else 204
        return httpx.Response(status)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.received]


def _hook(api: Api, org: str, events: list[str], url: str = "http://partner.test/hook") -> Any:
    response = api.client.post(
        HOOKS,
        json={"organisation_id": api.organisation_id(org), "url": url, "events": events},
        headers=api.headers("admin", org="Agency"),
    )
    assert response.status_code == 201, response.text
    return response.json()


def _likely_match(api: Api) -> dict[str, Any]:
    api.client.post(
        "/api/v1/enquiries", json=mother_enquiry(), headers=api.headers("partner", "NGO")
    )
    record: dict[str, Any] = api.client.post(
        "/api/v1/tracing-requests", json=child_request(), headers=api.headers("officer", "Agency")
    ).json()
    return record


def _send(api: Api, receiver: Receiver, *, later: timedelta = timedelta(0)) -> int:
    cipher = api.client.app.state.cipher  # type: ignore[attr-defined]
    return deliver_due(api.engine, cipher, client=receiver.client(), now=utcnow() + later)


def test_a_new_likely_match_is_announced_signed_and_without_personal_data(api: Api) -> None:
    api.headers("partner", org="NGO")
    hook = _hook(api, "NGO", ["match.likely"])
    record = _likely_match(api)
    receiver = Receiver()
    assert _send(api, receiver) == 1
    request = receiver.received[0]
    assert request.headers["x-ftr-event"] == "match.likely"
    assert verify(
        hook["secret"],
        request.headers["x-ftr-timestamp"],
        request.content,
        request.headers["x-ftr-signature"],
    )
    body = receiver.bodies()[0]
    assert set(body) == {"event", "match_id", "record_id", "record_kind", "status", "delivery_id"}
    assert body["status"] == "under_review"
    assert body["record_kind"] == "enquiry"  # the NGO hears about its own record only
    assert body["match_id"] == record["candidates"][0]["id"]
    for value in ("Youssef", "يوسف", "Mariam", "0199"):
        assert value not in request.content.decode()


def test_a_failed_delivery_is_retried_later_and_then_delivered(api: Api) -> None:
    api.headers("partner", org="NGO")
    hook = _hook(api, "NGO", ["match.likely"])
    _likely_match(api)
    receiver = Receiver(500)
    assert _send(api, receiver) == 1
    assert _send(api, receiver) == 0  # not due yet
    assert _send(api, receiver, later=timedelta(seconds=31)) == 1
    log = api.client.get(
        f"{HOOKS}/{hook['id']}/deliveries", headers=api.headers("admin", org="Agency")
    ).json()["items"]
    assert log[0]["status"] == "delivered"
    assert log[0]["attempts"] == 2
    assert log[0]["last_status_code"] == 204


def test_events_reach_an_endpoint_in_order_even_across_retries(api: Api) -> None:
    api.headers("partner", org="NGO")
    _hook(api, "NGO", ["match.likely", "match.disclosed"])
    record = _likely_match(api)
    reviewer = api.headers("reviewer", org="Agency")
    match_id = record["candidates"][0]["id"]
    decide = f"/api/v1/matches/{match_id}/decisions"
    api.client.post(decide, json={"decision": "confirm"}, headers=reviewer)
    api.client.post(decide, json={"decision": "disclose", "reason": "checked"}, headers=reviewer)
    receiver = Receiver(503)
    _send(api, receiver)  # the first event fails; the second must wait for it
    assert [b["event"] for b in receiver.bodies()] == ["match.likely"]
    _send(api, receiver, later=timedelta(seconds=31))
    _send(api, receiver, later=timedelta(seconds=32))
    assert [b["event"] for b in receiver.bodies()] == [
        "match.likely",
        "match.likely",
        "match.disclosed",
    ]
    assert receiver.bodies()[-1]["status"] == "disclosed"


def test_an_endpoint_hears_only_the_events_it_asked_for(api: Api) -> None:
    api.headers("partner", org="NGO")
    _hook(api, "NGO", ["match.disclosed"])
    _likely_match(api)
    assert _send(api, Receiver()) == 0


def test_a_deactivated_endpoint_is_not_sent_to(api: Api) -> None:
    api.headers("partner", org="NGO")
    hook = _hook(api, "NGO", ["match.likely"])
    admin = api.headers("admin", org="Agency")
    assert api.client.delete(f"{HOOKS}/{hook['id']}", headers=admin).status_code == 204
    _likely_match(api)
    assert _send(api, Receiver()) == 0
    listed = api.client.get(HOOKS, headers=admin).json()["items"]
    assert listed[0]["active"] is False
    assert "secret" not in listed[0]


def test_an_unreachable_endpoint_is_an_attempt_not_a_crash(api: Api) -> None:
    api.headers("partner", org="NGO")
    hook = _hook(api, "NGO", ["match.likely"], url="http://127.0.0.1:1/hook")
    _likely_match(api)
    cipher = api.client.app.state.cipher  # type: ignore[attr-defined]
    assert deliver_due(api.engine, cipher) == 1
    log = api.client.get(
        f"{HOOKS}/{hook['id']}/deliveries", headers=api.headers("admin", org="Agency")
    ).json()["items"]
    assert log[0]["status"] == "pending"
    assert log[0]["last_error"] == "ConnectError"


def test_only_admins_manage_webhooks(api: Api) -> None:
    api.headers("partner", org="NGO")
    body = {
        "organisation_id": api.organisation_id("NGO"),
        "url": "https://x.test/h",
        "events": ["match.likely"],
    }
    for role in ("officer", "partner", "reviewer"):
        assert api.client.post(HOOKS, json=body, headers=api.headers(role)).status_code == 403


def test_bad_webhook_urls_are_422(api: Api) -> None:
    api.headers("partner", org="NGO")
    admin = api.headers("admin", org="Agency")
    for url in ("ftp://x.test/h", "https://user:pw@x.test/h", "not a url"):
        body = {
            "organisation_id": api.organisation_id("NGO"),
            "url": url,
            "events": ["match.likely"],
        }
        response = api.client.post(HOOKS, json=body, headers=admin)
        assert response.status_code == 422, url
