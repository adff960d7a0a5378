"""Reviewers' decisions: confirm, reject, reopen, disclose; four-eyes; concurrency; history."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from api_tests.conftest import Api, served
from api_tests.test_matching import child_request, mother_enquiry
from service.settings import Settings

TR = "/api/v1/tracing-requests"
EN = "/api/v1/enquiries"


def _pair(api: Api) -> tuple[dict[str, Any], dict[str, Any], dict[str, str], str]:
    """A child's request and his mother's enquiry, matched; returns the match id too."""
    partner = api.headers("partner", org="NGO")
    enquiry = api.client.post(EN, json=mother_enquiry(), headers=partner).json()
    record = api.client.post(
        TR, json=child_request(), headers=api.headers("officer", "Agency")
    ).json()
    match_id = record["candidates"][0]["id"]
    return record, enquiry, partner, match_id


def _decide(
    api: Api,
    match_id: str,
    decision: str,
    headers: dict[str, str],
    reason: str | None = "checked",
    **extra_headers: str,
) -> Any:
    body: dict[str, Any] = {"decision": decision}
    if reason is not None:
        body["reason"] = reason
    return api.client.post(
        f"/api/v1/matches/{match_id}/decisions", json=body, headers={**headers, **extra_headers}
    )


def test_confirming_marks_both_records_matched(api: Api) -> None:
    record, enquiry, partner, match_id = _pair(api)
    reviewer = api.headers("reviewer", org="Agency", holder="Reviewer One")
    response = _decide(api, match_id, "confirm", reviewer, reason=None)
    assert response.status_code == 200, response.text
    detail = response.json()
    assert detail["status"] == "confirmed"
    assert detail["history"][0]["decided_by"] == "Reviewer One"
    officer = api.headers("officer", "Agency")
    assert api.client.get(f"{TR}/{record['id']}", headers=officer).json()["status"] == "matched"
    assert api.client.get(f"{EN}/{enquiry['id']}", headers=partner).json()["status"] == "matched"


def test_the_partner_learns_of_a_confirmed_match_only_once_it_is_disclosed(api: Api) -> None:
    _, enquiry, partner, match_id = _pair(api)
    reviewer = api.headers("reviewer", org="Agency")
    statuses = f"{EN}/{enquiry['id']}/matches"
    _decide(api, match_id, "confirm", reviewer)
    assert api.client.get(statuses, headers=partner).json()["items"][0]["status"] == "under_review"
    disclosed = _decide(api, match_id, "disclose", reviewer, reason="best-interests check done")
    assert disclosed.status_code == 200
    assert disclosed.json()["disclosed"] is True
    assert api.client.get(statuses, headers=partner).json()["items"] == [
        {"id": match_id, "status": "disclosed"}
    ]


def test_a_rejected_candidate_vanishes_from_the_partners_view(api: Api) -> None:
    _, enquiry, partner, match_id = _pair(api)
    _decide(api, match_id, "reject", api.headers("reviewer", "Agency"), reason="different child")
    assert api.client.get(f"{EN}/{enquiry['id']}/matches", headers=partner).json()["items"] == []


@pytest.mark.parametrize("decision", ["reject", "reopen", "disclose"])
def test_reject_reopen_and_disclose_need_a_reason(api: Api, decision: str) -> None:
    _, _, _, match_id = _pair(api)
    response = _decide(api, match_id, decision, api.headers("reviewer", "Agency"), reason=None)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"


def test_disclosing_needs_a_confirmed_match(api: Api) -> None:
    _, _, _, match_id = _pair(api)
    response = _decide(api, match_id, "disclose", api.headers("reviewer", "Agency"))
    assert response.status_code == 409


def test_reopening_returns_a_confirmed_match_to_pending_and_the_records_to_open(api: Api) -> None:
    record, _, _, match_id = _pair(api)
    reviewer = api.headers("reviewer", org="Agency")
    _decide(api, match_id, "confirm", reviewer)
    reopened = _decide(api, match_id, "reopen", reviewer, reason="new information")
    assert reopened.json()["status"] == "pending"
    officer = api.headers("officer", "Agency")
    assert api.client.get(f"{TR}/{record['id']}", headers=officer).json()["status"] == "open"
    assert [h["decision"] for h in reopened.json()["history"]] == ["confirm", "reopen"]


def test_deciding_twice_the_same_way_is_a_conflict(api: Api) -> None:
    _, _, _, match_id = _pair(api)
    reviewer = api.headers("reviewer", org="Agency")
    _decide(api, match_id, "reject", reviewer)
    assert _decide(api, match_id, "reject", reviewer).status_code == 409
    assert _decide(api, match_id, "confirm", reviewer).status_code == 409


def test_only_reviewers_decide(api: Api) -> None:
    _, _, _, match_id = _pair(api)
    for role in ("officer", "partner", "admin"):
        assert _decide(api, match_id, "confirm", api.headers(role, "Agency")).status_code == 403
    assert _decide(api, "no-such-match", "confirm", api.headers("reviewer")).status_code == 404


def test_a_stale_if_match_is_refused_with_412(api: Api) -> None:
    _, _, _, match_id = _pair(api)
    first, second = api.headers("reviewer", "Agency"), api.headers("reviewer", "Agency")
    read = api.client.get(f"/api/v1/matches/{match_id}", headers=first)
    etag = read.headers["etag"]
    assert (
        _decide(api, match_id, "reject", second, reason="not him", **{"If-Match": etag}).status_code
        == 200
    )
    stale = _decide(api, match_id, "confirm", first, **{"If-Match": etag})
    assert stale.status_code == 412
    fresh_etag = api.client.get(f"/api/v1/matches/{match_id}", headers=first).headers["etag"]
    assert fresh_etag != etag
    garbled = _decide(api, match_id, "reopen", first, reason="x", **{"If-Match": "yesterday"})
    assert garbled.status_code == 422


def test_the_decision_history_and_the_audit_log_record_who_decided(api: Api) -> None:
    _, _, _, match_id = _pair(api)
    reviewer = api.headers("reviewer", org="Agency", holder="Reviewer Two")
    _decide(api, match_id, "reject", reviewer, reason="different birth year and village")
    events = api.client.get(
        "/api/v1/audit",
        params={"target_id": match_id, "action": "match.reject"},
        headers=api.headers("admin", "Agency"),
    ).json()["items"]
    assert events[0]["actor_holder"] == "Reviewer Two"
    assert "village" not in str(events)


@pytest.fixture
def four_eyes(engine: Engine, settings: Settings) -> Iterator[Api]:
    with served(engine, settings.model_copy(update={"confirmations_required": 2})) as api:
        yield api


def test_four_eyes_needs_two_different_reviewers(four_eyes: Api) -> None:
    api = four_eyes
    _, _, _, match_id = _pair(api)
    first = api.headers("reviewer", org="Agency", holder="Reviewer A")
    second = api.headers("reviewer", org="Agency", holder="Reviewer B")
    once = _decide(api, match_id, "confirm", first)
    assert once.json()["status"] == "pending"
    assert once.json()["confirmations"] == 1
    assert _decide(api, match_id, "confirm", first).status_code == 409
    twice = _decide(api, match_id, "confirm", second)
    assert twice.json()["status"] == "confirmed"
    assert twice.json()["confirmations"] == 2


def test_a_contradiction_in_a_family_group_is_flagged(api: Api) -> None:
    """A = B and C = B are confirmed, yet A ≠ C was rejected: flagged, not resolved."""
    partner = api.headers("partner", org="NGO")
    api.client.post(EN, json=mother_enquiry(), headers=partner)
    officer = api.headers("officer", "Agency")
    first = api.client.post(TR, json=child_request("TR-A"), headers=officer).json()
    second = api.client.post(
        TR, json=child_request("TR-C", full_name="Youssef Khaled Al Ahmad"), headers=officer
    ).json()
    by_type = {c["type"]: c["id"] for c in second["candidates"]}
    reviewer = api.headers("reviewer", org="Agency")
    assert _decide(api, first["candidates"][0]["id"], "confirm", reviewer).status_code == 200
    assert _decide(api, by_type["match"], "confirm", reviewer).status_code == 200
    rejected = _decide(api, by_type["duplicate"], "reject", reviewer, reason="two boys")
    assert rejected.json()["contradictions"] == [by_type["duplicate"]]
    confirmed = api.client.get(f"/api/v1/matches/{by_type['match']}", headers=reviewer).json()
    assert confirmed["contradictions"] == [by_type["duplicate"]]


def test_other_candidates_show_that_a_confirmed_link_exists(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    api.client.post(EN, json=mother_enquiry(), headers=partner)
    officer = api.headers("officer", "Agency")
    first = api.client.post(TR, json=child_request("TR-A"), headers=officer).json()
    _decide(api, first["candidates"][0]["id"], "confirm", api.headers("reviewer", "Agency"))
    second = api.client.post(
        TR, json=child_request("TR-C", full_name="Youssef Khaled Al Ahmad"), headers=officer
    ).json()
    assert all(c["confirmed_link_exists"] for c in second["candidates"])


def test_the_queue_puts_likely_matches_first_and_pages_without_repeats(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    officer = api.headers("officer", "Agency")
    api.client.post(EN, json=mother_enquiry(), headers=partner)
    for n in range(3):
        api.client.post(TR, json=child_request(f"TR-{n}"), headers=officer)
    reviewer = api.headers("reviewer", "Agency")
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = api.client.get("/api/v1/matches", params=params, headers=reviewer).json()
        seen.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len({m["id"] for m in seen}) == len(seen) == api.rows("SELECT count(*) FROM match")[0][0]
    ranks = [(0 if m["band"] == "likely" else 1, -m["score"]) for m in seen]
    assert ranks == sorted(ranks)
