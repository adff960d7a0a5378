"""Registering, reading, replacing, erasing and listing records through HTTP."""

from __future__ import annotations

from api_tests.conftest import Api, enquiry, tracing_request

TR = "/api/v1/tracing-requests"
EN = "/api/v1/enquiries"


def test_officer_registers_a_tracing_request_and_reads_it_back(api: Api) -> None:
    officer = api.headers("officer")
    created = api.client.post(TR, json=tracing_request(), headers=officer)
    assert created.status_code == 201, created.text
    record = created.json()
    assert record["kind"] == "tracing_request"
    assert record["status"] == "open"
    assert record["external_id"] == "TR-1"
    assert record["subject"]["full_name"] == "محمد عبدالله حسن"
    assert created.headers["location"] == f"{TR}/{record['id']}"

    assert record["candidates"] == []
    read = api.client.get(f"{TR}/{record['id']}", headers=officer)
    assert read.status_code == 200
    assert read.json() == {k: v for k, v in record.items() if k != "candidates"}


def test_enquiry_keeps_every_sought_child_in_order_and_the_enquirer_contact(api: Api) -> None:
    partner = api.headers("partner")
    created = api.client.post(EN, json=enquiry(), headers=partner)
    assert created.status_code == 201, created.text
    body = created.json()
    assert [p["full_name"] for p in body["sought"]] == [
        "Mohamed Abdalla Hassan",
        "Amina Abdalla Hassan",
    ]
    assert body["enquirer"]["contact"]["email"] == "fatima.demo@example.org"
    assert body["relatives"][0]["relationship"] == "father"


def test_same_external_id_and_body_again_returns_the_stored_record_with_200(api: Api) -> None:
    officer = api.headers("officer")
    first = api.client.post(TR, json=tracing_request(), headers=officer)
    again = api.client.post(TR, json=tracing_request(), headers=officer)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert api.rows("SELECT count(*) FROM record")[0][0] == 1


def test_same_external_id_with_a_different_body_is_a_conflict_naming_it(api: Api) -> None:
    officer = api.headers("officer")
    api.client.post(TR, json=tracing_request(), headers=officer)
    changed = tracing_request()
    changed["subject"]["sex"] = "female"
    conflict = api.client.post(TR, json=changed, headers=officer)
    assert conflict.status_code == 409
    assert conflict.headers["content-type"] == "application/problem+json"
    assert conflict.json()["external_id"] == "TR-1"
    assert "PUT" in conflict.json()["detail"]


def test_external_id_is_per_organisation(api: Api) -> None:
    assert (
        api.client.post(TR, json=tracing_request(), headers=api.headers("officer")).status_code
        == 201
    )
    other = api.headers("officer", org="Org B")
    assert api.client.post(TR, json=tracing_request(), headers=other).status_code == 201


def test_key_order_and_spelt_out_defaults_count_as_the_same_body(api: Api) -> None:
    officer = api.headers("officer")
    body = tracing_request()
    api.client.post(TR, json=body, headers=officer)
    reordered = dict(reversed(list(body.items())))
    reordered["consent"] = {**body["consent"]}
    reordered["relatives"] = [{**body["relatives"][0], "other_names": []}]
    assert api.client.post(TR, json=reordered, headers=officer).status_code == 200


def test_put_replaces_the_people_and_bumps_updated_at(api: Api) -> None:
    officer = api.headers("officer")
    record = api.client.post(TR, json=tracing_request(), headers=officer).json()
    changed = tracing_request(relatives=[])
    changed["subject"]["other_names"] = ["Hamoudi"]
    replaced = api.client.put(f"{TR}/{record['id']}", json=changed, headers=officer)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["relatives"] == []
    assert replaced.json()["subject"]["other_names"] == ["Hamoudi"]
    assert replaced.json()["updated_at"] > record["updated_at"]
    assert api.rows("SELECT count(*) FROM person")[0][0] == 1


def test_put_can_close_a_record(api: Api) -> None:
    officer = api.headers("officer")
    record = api.client.post(TR, json=tracing_request(), headers=officer).json()
    closed = api.client.put(
        f"{TR}/{record['id']}", json=tracing_request(status="closed"), headers=officer
    )
    assert closed.json()["status"] == "closed"


def test_a_record_of_one_kind_is_not_found_under_the_other_kind(api: Api) -> None:
    officer = api.headers("officer")
    record = api.client.post(TR, json=tracing_request(), headers=officer).json()
    assert api.client.get(f"{EN}/{record['id']}", headers=officer).status_code == 404


def test_enquirer_contact_is_encrypted_in_the_database(api: Api) -> None:
    api.client.post(EN, json=enquiry(), headers=api.headers("partner"))
    stored = api.rows("SELECT contact_ciphertext, details FROM person WHERE role = 'enquirer'")
    ciphertext, details = stored[0]
    assert "example.org" not in ciphertext
    assert "0101" not in ciphertext
    assert "contact" not in str(details)


def test_erasure_removes_personal_data_and_keeps_a_tombstone(api: Api) -> None:
    partner = api.headers("partner")
    record = api.client.post(EN, json=enquiry(), headers=partner).json()
    assert api.client.delete(f"{EN}/{record['id']}", headers=partner).status_code == 204

    assert api.rows("SELECT count(*) FROM person")[0][0] == 0
    tombstone = api.rows(
        "SELECT separation, body_hash, erased_at, external_id FROM record WHERE id = :id",
        id=record["id"],
    )[0]
    assert tombstone[0] is None
    assert tombstone[1] is None
    assert tombstone[2] is not None
    assert tombstone[3] == "EN-1"
    gone = api.client.get(f"{EN}/{record['id']}", headers=partner)
    assert gone.status_code == 410
    listed = api.client.get(EN, headers=partner).json()
    assert listed["items"] == []


def test_erasure_is_idempotent_and_a_retried_create_cannot_resurrect_the_record(api: Api) -> None:
    partner = api.headers("partner")
    record = api.client.post(EN, json=enquiry(), headers=partner).json()
    api.client.delete(f"{EN}/{record['id']}", headers=partner)
    assert api.client.delete(f"{EN}/{record['id']}", headers=partner).status_code == 204
    retry = api.client.post(EN, json=enquiry(), headers=partner)
    assert retry.status_code == 409
    assert api.rows("SELECT count(*) FROM person")[0][0] == 0


def test_admin_of_the_agency_may_erase_any_record(api: Api) -> None:
    record = api.client.post(EN, json=enquiry(), headers=api.headers("partner", org="NGO")).json()
    admin = api.headers("admin", org="Agency")
    assert api.client.delete(f"{EN}/{record['id']}", headers=admin).status_code == 204


def test_list_pages_through_every_record_once_with_a_cursor(api: Api) -> None:
    officer = api.headers("officer")
    ids = {
        api.client.post(TR, json=tracing_request(f"TR-{n}"), headers=officer).json()["id"]
        for n in range(7)
    }
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = api.client.get(TR, params=params, headers=officer).json()
        seen.extend(item["id"] for item in page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(ids)


def test_list_filters_by_status_and_external_id(api: Api) -> None:
    officer = api.headers("officer")
    api.client.post(TR, json=tracing_request("A"), headers=officer)
    api.client.post(TR, json=tracing_request("B", status="closed"), headers=officer)
    closed = api.client.get(TR, params={"status": "closed"}, headers=officer).json()["items"]
    assert [r["external_id"] for r in closed] == ["B"]
    by_id = api.client.get(TR, params={"external_id": "A"}, headers=officer).json()["items"]
    assert [r["external_id"] for r in by_id] == ["A"]


def test_a_garbled_cursor_is_a_422_naming_the_cursor(api: Api) -> None:
    response = api.client.get(TR, params={"cursor": "not-a-cursor"}, headers=api.headers("officer"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "cursor"
