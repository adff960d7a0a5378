"""PFIF notes' duplicate links: pending duplicates for a reviewer, never merges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api_tests.conftest import Api, ui_browser

URL = "/api/v1/imports"
PFIF_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "pfif"
CONSENT = {"consent_tracing": "true", "consent_given_by": "agency"}
# Synthetic people. The first person's note links the second, who comes later in the file.
AMINA = ("example.org/p.1", "Amina Noor Warsame", "female", "9")
HAWA = ("example.org/p.2", "Hawa Yusuf Abdi", "female", "10")
AMINA_AGAIN = ("example.org/p.3", "Amina Nur Warsame", "female", "9")


def _person(person: tuple[str, str, str, str], *, links_to: str | None = None) -> str:
    record_id, name, sex, age = person
    note = (
        f"<pfif:note><pfif:note_record_id>example.org/n.{record_id[-1]}</pfif:note_record_id>"
        f"<pfif:author_name>Synthetic Volunteer</pfif:author_name>"
        f"<pfif:linked_person_record_id>{links_to}</pfif:linked_person_record_id>"
        f"<pfif:text>same child</pfif:text></pfif:note>"
        if links_to
        else ""
    )
    return (
        f"<pfif:person><pfif:person_record_id>{record_id}</pfif:person_record_id>"
        f"<pfif:full_name>{name}</pfif:full_name><pfif:sex>{sex}</pfif:sex>"
        f"<pfif:age>{age}</pfif:age><pfif:home_country>SO</pfif:home_country>"
        f"<pfif:source_date>2025-01-15T00:00:00Z</pfif:source_date>{note}</pfif:person>"
    )


def _pfif(*people: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">' + "".join(people) + "</pfif:pfif>"
    ).encode()


LINKED = _pfif(_person(AMINA, links_to=HAWA[0]), _person(HAWA))


def _import(api: Api, content: bytes, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = api.client.post(
        URL,
        content=content,
        params={**CONSENT, **params},
        headers={**headers, "Content-Type": "application/xml"},
    )
    assert response.status_code == 202, response.text
    job: dict[str, Any] = api.client.get(response.headers["location"], headers=headers).json()
    assert job["status"] == "done", job
    return job


def _duplicates(api: Api) -> list[dict[str, Any]]:
    queue = api.client.get(
        "/api/v1/matches", params={"type": "duplicate"}, headers=api.headers("reviewer")
    )
    assert queue.status_code == 200, queue.text
    items: list[dict[str, Any]] = queue.json()["items"]
    return items


def _record_ids(job: dict[str, Any]) -> set[str]:
    return {row["record_id"] for row in job["rows"] if row["record_id"]}


def test_a_linking_note_becomes_one_pending_duplicate_in_the_review_queue(api: Api) -> None:
    officer = api.headers("officer", org="NGO")
    job = _import(api, LINKED, officer)
    assert job["counts"]["created"] == 2
    assert [(link["from_external_id"], link["outcome"]) for link in job["duplicate_links"]] == [
        (AMINA[0], "created")
    ]
    [match] = _duplicates(api)
    assert match["status"] == "pending"
    assert match["linked_by_source"] is True
    assert set(match["record_ids"]) == _record_ids(job)
    detail = api.client.get(f"/api/v1/matches/{match['id']}", headers=api.headers("reviewer"))
    assert detail.status_code == 200
    source_steps = [s for s in detail.json()["explanation"] if s["clue"] == "source_link"]
    assert len(source_steps) == 1
    assert source_steps[0]["bits"] == 0.0


def test_the_link_is_no_merge_both_records_stay_open_and_whole(api: Api) -> None:
    officer = api.headers("officer", org="NGO")
    job = _import(api, LINKED, officer)
    for record_id in _record_ids(job):
        record = api.client.get(f"/api/v1/enquiries/{record_id}", headers=officer).json()
        assert record["status"] == "open"
        assert record["sought"][0]["full_name"] in (AMINA[1], HAWA[1])


def test_importing_the_same_file_again_creates_nothing_new(api: Api) -> None:
    officer = api.headers("officer", org="NGO")
    _import(api, LINKED, officer)
    before = _duplicates(api)
    again = _import(api, LINKED, officer)
    assert again["counts"]["unchanged"] == 2
    assert [link["outcome"] for link in again["duplicate_links"]] == ["unchanged"]
    assert [m["id"] for m in _duplicates(api)] == [m["id"] for m in before]
    [match] = before
    detail = api.client.get(f"/api/v1/matches/{match['id']}", headers=api.headers("reviewer"))
    assert [s["clue"] for s in detail.json()["explanation"]].count("source_link") == 1


def test_a_pair_scoring_already_proposed_gets_the_link_instead_of_a_second_match(
    api: Api,
) -> None:
    officer = api.headers("officer", org="NGO")
    _import(api, _pfif(_person(AMINA), _person(AMINA_AGAIN)), officer)
    [scored] = _duplicates(api)
    assert scored["linked_by_source"] is False
    job = _import(
        api, _pfif(_person(AMINA, links_to=AMINA_AGAIN[0]), _person(AMINA_AGAIN)), officer
    )
    assert [link["outcome"] for link in job["duplicate_links"]] == ["updated"]
    [linked] = _duplicates(api)
    assert linked["id"] == scored["id"]
    assert linked["linked_by_source"] is True
    assert linked["score"] == scored["score"]


def test_a_link_to_a_record_in_a_later_import_resolves_when_the_linking_file_comes_again(
    api: Api,
) -> None:
    officer = api.headers("officer", org="NGO")
    first = _import(api, _pfif(_person(AMINA, links_to=HAWA[0])), officer)
    [link] = first["duplicate_links"]
    assert link["outcome"] == "failed"
    assert HAWA[0] in link["reason"]
    assert _duplicates(api) == []
    _import(api, _pfif(_person(HAWA)), officer)
    again = _import(api, _pfif(_person(AMINA, links_to=HAWA[0])), officer)
    assert [link["outcome"] for link in again["duplicate_links"]] == ["created"]
    assert len(_duplicates(api)) == 1


def test_a_link_to_an_unknown_record_is_reported_and_the_person_is_kept(api: Api) -> None:
    officer = api.headers("officer", org="NGO")
    sample = (PFIF_SAMPLES / "personfinder-test.pfif-1.4.xml").read_bytes()
    job = _import(api, sample, officer)
    assert job["counts"]["created"] >= 1
    failed = [link for link in job["duplicate_links"] if link["outcome"] == "failed"]
    assert [link["to_external_id"] for link in failed] == ["test.google.com/person.999"]
    assert "test.google.com/person.999" in failed[0]["reason"]
    only_failed = api.client.get(
        f"{URL}/{job['id']}", params={"rows": "failed"}, headers=officer
    ).json()
    assert [link["outcome"] for link in only_failed["duplicate_links"]] == ["failed"]
    assert _duplicates(api) == []


def test_a_link_never_reaches_another_organisations_record(api: Api) -> None:
    _import(api, _pfif(_person(HAWA)), api.headers("officer", org="Other NGO"))
    officer = api.headers("officer", org="NGO")
    job = _import(api, _pfif(_person(AMINA, links_to=HAWA[0])), officer)
    [link] = job["duplicate_links"]
    assert link["outcome"] == "failed"
    assert "your organisation's registry" in link["reason"]
    assert [m for m in _duplicates(api) if m["linked_by_source"]] == []


def test_a_link_to_a_record_without_tracing_consent_is_refused_with_its_reason(
    api: Api,
) -> None:
    officer = api.headers("officer", org="NGO")
    response = api.client.post(
        URL, content=_pfif(_person(HAWA)), headers={**officer, "Content-Type": "application/xml"}
    )
    assert response.status_code == 202
    job = _import(api, _pfif(_person(AMINA, links_to=HAWA[0])), officer)
    [link] = job["duplicate_links"]
    assert link["outcome"] == "failed"
    assert "consent" in link["reason"]
    assert _duplicates(api) == []


def test_a_partner_learns_only_that_its_records_match_is_under_review(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    job = _import(api, LINKED, partner)
    assert [link["outcome"] for link in job["duplicate_links"]] == ["created"]
    [match] = _duplicates(api)
    for record_id in _record_ids(job):
        seen = api.client.get(f"/api/v1/enquiries/{record_id}/matches", headers=partner).json()
        assert seen["items"] == [{"id": match["id"], "status": "under_review"}]
    assert api.client.get("/api/v1/matches", headers=partner).status_code == 403
    assert api.client.get(f"/api/v1/matches/{match['id']}", headers=partner).status_code == 403


def test_matching_the_records_again_keeps_the_link_for_review(api: Api) -> None:
    officer = api.headers("officer", org="NGO")
    job = _import(api, LINKED, officer)
    [match] = _duplicates(api)
    amina = next(r for r in job["rows"] if r["external_id"] == AMINA[0])["record_id"]
    record = api.client.get(f"/api/v1/enquiries/{amina}", headers=officer).json()
    body = {k: record[k] for k in ("external_id", "consent", "sought")}
    body["sought"][0]["distinguishing_marks"] = "a scar on the left hand"
    assert (
        api.client.put(f"/api/v1/enquiries/{amina}", json=body, headers=officer).status_code == 200
    )
    [after] = _duplicates(api)
    assert after["id"] == match["id"]
    detail = api.client.get(f"/api/v1/matches/{match['id']}", headers=api.headers("reviewer"))
    assert [s["clue"] for s in detail.json()["explanation"]].count("source_link") == 1


def test_the_audit_log_names_no_one_from_the_note(api: Api) -> None:
    _import(api, LINKED, api.headers("officer", org="NGO"))
    details = " ".join(str(row) for row in api.rows("SELECT action, details FROM audit_event"))
    assert "match.propose" in details
    for word in ("Synthetic Volunteer", "Amina", "Hawa", "same child"):
        assert word not in details


def test_the_reviewers_compare_page_says_the_source_linked_the_pair(api: Api) -> None:
    _import(api, LINKED, api.headers("officer", org="NGO"))
    [match] = _duplicates(api)
    page = ui_browser(api, "reviewer").get(f"/ui/matches/{match['id']}")
    assert page.status_code == 200
    assert "The source says these are the same person" in page.text
