"""The audit log: every read and write of person data, never the data itself."""

from __future__ import annotations

import json

from api_tests.conftest import Api, enquiry, tracing_request

TR = "/api/v1/tracing-requests"
EN = "/api/v1/enquiries"


def _events(api: Api, **params: str) -> list[dict[str, object]]:
    response = api.client.get(
        "/api/v1/audit", params=params, headers=api.headers("admin", "Agency")
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


def test_create_read_update_and_erase_are_audited_with_who_and_what(api: Api) -> None:
    officer = api.headers("officer", holder="Officer Amal Test")
    record = api.client.post(TR, json=tracing_request(), headers=officer).json()
    api.client.get(f"{TR}/{record['id']}", headers=officer)
    changed = tracing_request(relatives=[])
    api.client.put(f"{TR}/{record['id']}", json=changed, headers=officer)
    api.client.delete(f"{TR}/{record['id']}", headers=officer)

    events = _events(api, target_id=record["id"])
    assert [e["action"] for e in reversed(events)] == [
        "record.create",
        "record.read",
        "record.update",
        "record.erase",
    ]
    assert {e["actor_holder"] for e in events} == {"Officer Amal Test"}
    assert {e["actor_role"] for e in events} == {"officer"}
    assert all(e["request_id"] for e in events)


def test_the_audit_log_holds_no_personal_data(api: Api) -> None:
    partner = api.headers("partner")
    record = api.client.post(EN, json=enquiry(), headers=partner).json()
    api.client.get(f"{EN}/{record['id']}", headers=partner)
    api.client.get(EN, headers=partner)
    dump = json.dumps(_events(api), ensure_ascii=False)
    for value in ("Mohamed", "Fatima", "example.org", "0101", "2016-05", "Abdalla"):
        assert value not in dump


def test_a_refused_look_at_someone_elses_record_is_audited(api: Api) -> None:
    record = api.client.post(TR, json=tracing_request(), headers=api.headers("officer")).json()
    api.client.get(f"{TR}/{record['id']}", headers=api.headers("partner", org="Org B"))
    refused = _events(api, action="record.access")
    assert refused[0]["outcome"] == "not_found"
    assert refused[0]["target_id"] == record["id"]


def test_a_role_refusal_is_audited(api: Api) -> None:
    api.client.get("/api/v1/audit", headers=api.headers("officer"))
    denied = _events(api, action="access.denied")
    assert denied[0]["actor_role"] == "officer"


def test_the_audit_log_pages_newest_first(api: Api) -> None:
    officer = api.headers("officer")
    for n in range(5):
        api.client.post(TR, json=tracing_request(f"TR-{n}"), headers=officer)
    admin = api.headers("admin", "Agency")
    first = api.client.get(
        "/api/v1/audit", params={"limit": 2, "action": "record.create"}, headers=admin
    ).json()
    second = api.client.get(
        "/api/v1/audit",
        params={"limit": 2, "action": "record.create", "cursor": first["next_cursor"]},
        headers=admin,
    ).json()
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == 4


def test_the_database_refuses_to_change_or_delete_audit_events(api: Api) -> None:
    import pytest
    import sqlalchemy as sa

    api.client.post(TR, json=tracing_request(), headers=api.headers("officer"))
    with pytest.raises(sa.exc.DatabaseError), api.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM audit_event")
    with pytest.raises(sa.exc.DatabaseError), api.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE audit_event SET action = 'x'")
