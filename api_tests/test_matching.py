"""Matching through the API: candidates on registration, what each role sees, search."""

from __future__ import annotations

from typing import Any

from api_tests.conftest import Api

TR = "/api/v1/tracing-requests"
EN = "/api/v1/enquiries"


def child_request(external_id: str = "TR-1", **subject: Any) -> dict[str, Any]:
    """A boy registered in Arabic script, naming his mother (all people invented)."""
    return {
        "external_id": external_id,
        "consent": {"tracing": True, "share_with_partners": False, "given_by": "child"},
        "subject": {
            "full_name": "يوسف خالد الأحمد",
            "sex": "male",
            "age": 9,
            "age_as_of": "2024-06-01",
            "place_of_origin": {"country": "SY", "locality": "حمص"},
            **subject,
        },
        "relatives": [{"full_name": "مريم حسن", "relationship": "mother", "sex": "female"}],
        "separation": {"date": "2024-03", "place": {"country": "TR"}},
    }


def mother_enquiry(external_id: str = "EN-1", share: bool = True, **extra: Any) -> dict[str, Any]:
    """His mother asking, in Latin letters, for him and his sister."""
    body: dict[str, Any] = {
        "external_id": external_id,
        "consent": {"tracing": True, "share_with_partners": share, "given_by": "parent"},
        "sought": [
            {"full_name": "Rania Khaled Al-Ahmad", "sex": "female", "date_of_birth": "2012"},
            {
                "full_name": "Youssef Khaled Al-Ahmad",
                "sex": "male",
                "date_of_birth": "2015",
                "place_of_origin": {"country": "SY", "locality": "Homs"},
            },
        ],
        "enquirer": {
            "full_name": "Mariam Hassan",
            "relationship": "mother",
            "sex": "female",
            "contact": {"phone": "+000 555 0199"},
        },
        "separation": {"date": "2024-03", "place": {"country": "TR"}},
    }
    body.update(extra)
    return body


def unrelated_request(external_id: str = "TR-9") -> dict[str, Any]:
    return {
        "external_id": external_id,
        "consent": {"tracing": True, "given_by": "child"},
        "subject": {
            "full_name": "Тарас Шевчук",
            "sex": "male",
            "age": 15,
            "place_of_origin": {"country": "UA"},
        },
    }


def test_an_officer_gets_the_matching_enquiry_as_a_candidate_on_registration(api: Api) -> None:
    api.client.post(EN, json=mother_enquiry(), headers=api.headers("partner", org="NGO"))
    officer = api.headers("officer", org="Agency")
    response = api.client.post(TR, json=child_request(), headers=officer)
    assert response.status_code == 201, response.text
    candidates = response.json()["candidates"]
    assert len(candidates) >= 1
    best = candidates[0]
    assert best["type"] == "match"
    assert best["band"] == "likely"
    assert best["candidate"]["kind"] == "enquiry"
    assert best["candidate"]["child_index"] == 1  # Youssef, not his sister
    assert best["candidate"]["organisation"]["name"] == "NGO"
    assert best["summary"]
    assert sum(step["bits"] for step in best["explanation"]) > 0


def test_a_partner_registration_response_carries_no_candidates(api: Api) -> None:
    api.client.post(TR, json=child_request(), headers=api.headers("officer", org="Agency"))
    response = api.client.post(EN, json=mother_enquiry(), headers=api.headers("partner", "NGO"))
    assert response.status_code == 201
    assert "candidates" not in response.json()


def test_unrelated_children_are_not_proposed(api: Api) -> None:
    officer = api.headers("officer", org="Agency")
    api.client.post(EN, json=mother_enquiry(), headers=api.headers("partner", org="NGO"))
    response = api.client.post(TR, json=unrelated_request(), headers=officer)
    assert response.json()["candidates"] == []


def test_another_organisations_candidate_is_shown_only_as_its_consent_allows(api: Api) -> None:
    api.client.post(EN, json=mother_enquiry(share=False), headers=api.headers("partner", "NGO"))
    officer = api.headers("officer", org="Agency")
    best = api.client.post(TR, json=child_request(), headers=officer).json()["candidates"][0]
    assert best["candidate"]["person"] is None
    assert all(step["left"] is None and step["right"] is None for step in best["explanation"])
    assert best["score"] > 0.5


def test_a_shared_candidate_shows_the_other_child_and_the_compared_values(api: Api) -> None:
    api.client.post(EN, json=mother_enquiry(share=True), headers=api.headers("partner", "NGO"))
    officer = api.headers("officer", org="Agency")
    best = api.client.post(TR, json=child_request(), headers=officer).json()["candidates"][0]
    assert best["candidate"]["person"]["full_name"] == "Youssef Khaled Al-Ahmad"
    named = [step for step in best["explanation"] if step.get("right")]
    assert named


def test_a_partner_sees_only_the_status_of_its_records_matches(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    enquiry = api.client.post(EN, json=mother_enquiry(), headers=partner).json()
    api.client.post(TR, json=child_request(), headers=api.headers("officer", org="Agency"))
    matches = api.client.get(f"{EN}/{enquiry['id']}/matches", headers=partner).json()["items"]
    assert len(matches) == 1
    assert set(matches[0]) == {"id", "status"}
    assert matches[0]["status"] == "under_review"


def test_a_record_of_another_organisation_has_no_visible_matches(api: Api) -> None:
    enquiry = api.client.post(
        EN, json=mother_enquiry(), headers=api.headers("partner", "NGO")
    ).json()
    other = api.headers("officer", org="Agency")
    assert api.client.get(f"{EN}/{enquiry['id']}/matches", headers=other).status_code == 404


def test_siblings_sought_together_are_each_matched_to_their_own_request(api: Api) -> None:
    api.client.post(EN, json=mother_enquiry(), headers=api.headers("partner", org="NGO"))
    officer = api.headers("officer", org="Agency")
    youssef = api.client.post(TR, json=child_request("TR-Y"), headers=officer).json()
    rania = api.client.post(
        TR,
        json=child_request(
            "TR-R", full_name="رانيا خالد الأحمد", sex="female", age=12, age_as_of="2024-06-01"
        ),
        headers=officer,
    ).json()
    assert youssef["candidates"][0]["candidate"]["child_index"] == 1
    assert rania["candidates"][0]["candidate"]["child_index"] == 0


def test_the_same_child_registered_twice_is_flagged_as_a_probable_duplicate(api: Api) -> None:
    api.client.post(TR, json=child_request("TR-1"), headers=api.headers("partner", org="NGO"))
    officer = api.headers("officer", org="Agency")
    second = child_request("TR-2", full_name="Youssef Khaled Al Ahmad")
    candidates = api.client.post(TR, json=second, headers=officer).json()["candidates"]
    assert [c["type"] for c in candidates] == ["duplicate"]


def test_a_record_without_tracing_consent_is_never_a_candidate(api: Api) -> None:
    body = mother_enquiry()
    body["consent"]["tracing"] = False
    api.client.post(EN, json=body, headers=api.headers("partner", org="NGO"))
    officer = api.headers("officer", org="Agency")
    assert api.client.post(TR, json=child_request(), headers=officer).json()["candidates"] == []


def test_withdrawing_consent_withdraws_pending_matches(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    enquiry = api.client.post(EN, json=mother_enquiry(), headers=partner).json()
    officer = api.headers("officer", org="Agency")
    record = api.client.post(TR, json=child_request(), headers=officer).json()
    withdrawn = mother_enquiry()
    withdrawn["consent"]["tracing"] = False
    assert (
        api.client.put(f"{EN}/{enquiry['id']}", json=withdrawn, headers=partner).status_code == 200
    )
    assert api.client.get(f"{TR}/{record['id']}/matches", headers=officer).json()["items"] == []


def test_erasure_withdraws_pending_matches_and_leaves_no_values_in_them(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    enquiry = api.client.post(EN, json=mother_enquiry(), headers=partner).json()
    officer = api.headers("officer", org="Agency")
    record = api.client.post(TR, json=child_request(), headers=officer).json()
    api.client.delete(f"{EN}/{enquiry['id']}", headers=partner)
    assert api.client.get(f"{TR}/{record['id']}/matches", headers=officer).json()["items"] == []
    assert (
        api.rows(
            "SELECT count(*) FROM record_key WHERE record_pk = "
            "(SELECT pk FROM record WHERE id = :id)",
            id=enquiry["id"],
        )[0][0]
        == 0
    )


def test_stored_explanations_hold_no_personal_values(api: Api) -> None:
    api.client.post(EN, json=mother_enquiry(), headers=api.headers("partner", org="NGO"))
    api.client.post(TR, json=child_request(), headers=api.headers("officer", org="Agency"))
    stored = " ".join(str(row[0]) for row in api.rows("SELECT explanation FROM match"))
    for value in ("Youssef", "يوسف", "Mariam", "Homs", "حمص", "2015"):
        assert value not in stored


def test_a_rejected_pair_stays_rejected_until_its_comparison_changes(api: Api) -> None:
    partner = api.headers("partner", org="NGO")
    enquiry = api.client.post(EN, json=mother_enquiry(), headers=partner).json()
    officer = api.headers("officer", org="Agency")
    record = api.client.post(TR, json=child_request(), headers=officer).json()
    with api.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE match SET status = 'rejected'")

    # A re-save that changes nothing the comparison sees keeps the pair rejected.
    resaved = mother_enquiry()
    resaved["enquirer"]["contact"] = {"phone": "+000 555 0100"}
    assert api.client.put(f"{EN}/{enquiry['id']}", json=resaved, headers=partner).status_code == 200
    assert {row[0] for row in api.rows("SELECT status FROM match")} == {"rejected"}
    assert {row[0] for row in api.rows("SELECT status FROM match")} == {"rejected"}

    # New information about the child (his date of birth, where only an estimated age
    # was known) proposes it again.
    changed = child_request(date_of_birth="2015")
    del changed["subject"]["age"], changed["subject"]["age_as_of"]
    assert api.client.put(f"{TR}/{record['id']}", json=changed, headers=officer).status_code == 200
    assert "pending" in {row[0] for row in api.rows("SELECT status FROM match")}


def test_the_review_queue_lists_matches_with_both_record_ids(api: Api) -> None:
    enquiry = api.client.post(
        EN, json=mother_enquiry(), headers=api.headers("partner", "NGO")
    ).json()
    record = api.client.post(
        TR, json=child_request(), headers=api.headers("officer", "Agency")
    ).json()
    reviewer = api.headers("reviewer", org="Agency")
    queue = api.client.get("/api/v1/matches", params={"status": "pending"}, headers=reviewer)
    assert queue.status_code == 200, queue.text
    items = queue.json()["items"]
    assert items[0]["record_ids"] == [record["id"], enquiry["id"]]
    assert items[0]["sought_index"] == 1
    assert (
        api.client.get(
            "/api/v1/matches", params={"band": "possible", "type": "duplicate"}, headers=reviewer
        ).json()["items"]
        == []
    )


def test_a_reviewer_sees_both_records_side_by_side_with_the_values(api: Api) -> None:
    api.client.post(EN, json=mother_enquiry(share=False), headers=api.headers("partner", "NGO"))
    api.client.post(TR, json=child_request(), headers=api.headers("officer", "Agency"))
    reviewer = api.headers("reviewer", org="Agency")
    match_id = api.client.get("/api/v1/matches", headers=reviewer).json()["items"][0]["id"]
    detail = api.client.get(f"/api/v1/matches/{match_id}", headers=reviewer).json()
    assert detail["records"][0]["subject"]["full_name"] == "يوسف خالد الأحمد"
    assert detail["records"][1]["enquirer"]["contact"]["phone"] == "+000 555 0199"
    assert any(step.get("left") for step in detail["current_explanation"])


def test_only_reviewers_work_the_queue(api: Api) -> None:
    for role in ("officer", "partner", "admin"):
        assert api.client.get("/api/v1/matches", headers=api.headers(role)).status_code == 403
    assert api.client.get("/api/v1/matches/x", headers=api.headers("officer")).status_code == 403
    assert api.client.get("/api/v1/matches/x", headers=api.headers("reviewer")).status_code == 404


def test_search_finds_a_child_written_in_another_script(api: Api) -> None:
    api.client.post(TR, json=child_request(), headers=api.headers("officer", org="Agency"))
    api.client.post(TR, json=unrelated_request(), headers=api.headers("officer", org="Agency"))
    response = api.client.post(
        "/api/v1/search",
        json={"person": {"full_name": "Youssef Khaled Al-Ahmad", "sex": "male", "age": 11}},
        headers=api.headers("officer", org="Agency"),
    )
    assert response.status_code == 200, response.text
    candidates = response.json()["candidates"]
    assert len(candidates) == 1
    assert candidates[0]["kind"] == "tracing_request"
    assert 0.0 <= candidates[0]["score"] <= 1.0


def test_search_respects_kind_and_min_score(api: Api) -> None:
    api.client.post(TR, json=child_request(), headers=api.headers("officer", org="Agency"))
    officer = api.headers("officer", org="Agency")
    person = {"full_name": "Yousef Al-Ahmad", "sex": "male"}
    only_enquiries = api.client.post(
        "/api/v1/search", json={"person": person, "kind": "enquiry"}, headers=officer
    ).json()
    assert only_enquiries["candidates"] == []
    strict = api.client.post(
        "/api/v1/search", json={"person": person, "min_score": 1.0}, headers=officer
    ).json()
    assert strict["candidates"] == []


def test_partners_and_admins_cannot_search(api: Api) -> None:
    body = {"person": {"full_name": "Yousef"}}
    for role in ("partner", "admin"):
        assert (
            api.client.post("/api/v1/search", json=body, headers=api.headers(role)).status_code
            == 403
        )


def test_search_stores_nothing_but_an_audit_event(api: Api) -> None:
    before = api.rows("SELECT count(*) FROM record")[0][0]
    api.client.post(
        "/api/v1/search", json={"person": {"full_name": "Yousef"}}, headers=api.headers("officer")
    )
    assert api.rows("SELECT count(*) FROM record")[0][0] == before
    events = api.rows("SELECT action, details FROM audit_event WHERE action = 'search'")
    assert len(events) == 1
    assert "Yousef" not in str(events[0][1])
