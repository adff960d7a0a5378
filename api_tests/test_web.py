"""The web interface under /ui/ through HTTP: sign-in, sessions, CSRF, headers, role pages,
forms, decisions. All people are synthetic."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api_tests.conftest import Api, csrf_token, served, ui_browser, ui_key, ui_sign_in
from api_tests.test_matching import child_request, mother_enquiry
from service import store
from service.settings import Settings
from service.tables import UiSession, utcnow

TR = "/api/v1/tracing-requests"
EN = "/api/v1/enquiries"

PAGES = [
    "/ui/review",
    "/ui/records",
    "/ui/search",
    "/ui/register/tracing-request",
    "/ui/register/enquiry",
    "/ui/matches/some-id",
    "/ui/records/tracing-requests/some-id",
    "/ui/admin",
    "/ui/partner",
    "/ui/no-such-page",
]


def _pair(api: Api) -> tuple[str, str]:
    """The mother's enquiry (partner NGO) and the boy's request (Agency); their match id."""
    api.client.post(EN, json=mother_enquiry(), headers=api.headers("partner", org="NGO"))
    record = api.client.post(
        TR, json=child_request(), headers=api.headers("officer", "Agency")
    ).json()
    return record["id"], record["candidates"][0]["id"]


def _cookie(response: Any, name: str) -> str:
    cookies = [c for c in response.headers.get_list("set-cookie") if c.startswith(name + "=")]
    assert cookies, f"no {name} cookie set"
    return str(cookies[0])


# -- signing in ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_the_sign_in_page(api: Api, path: str) -> None:
    response = api.client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/"


def test_an_anonymous_form_post_is_sent_to_sign_in_too(api: Api) -> None:
    response = api.client.post("/ui/search", data={"person.full_name": "x"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/"


def test_pages_send_a_strict_content_security_policy_and_no_script(api: Api) -> None:
    response = api.client.get("/ui/")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src" not in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    assert '<html lang="en">' in response.text
    assert "<script" not in response.text
    assert '<label for="f-api-key">' in response.text


def test_the_api_keeps_its_own_headers(api: Api) -> None:
    response = api.client.get("/healthz")
    assert "content-security-policy" not in response.headers


def test_signing_in_sets_a_hardened_session_cookie(api: Api) -> None:
    response = ui_sign_in(api.client, ui_key(api, "reviewer"))
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/review"
    cookie = _cookie(response, "ftr_session")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/ui" in cookie
    assert "Max-Age=28800" in cookie
    assert "Secure" not in cookie  # plain HTTP in development


def test_cookies_are_secure_over_https(api: Api) -> None:
    client = TestClient(api.client.app, base_url="https://testserver")
    assert "Secure" in _cookie(client.get("/ui/"), "ftr_sign_in")
    assert "Secure" in _cookie(ui_sign_in(client, ui_key(api, "reviewer")), "ftr_session")


@pytest.fixture
def strict_app(engine: Engine, settings: Settings) -> Iterator[Api]:
    """Secure cookies forced on, five-minute sessions."""
    strict = settings.model_copy(update={"ui_secure_cookies": True, "ui_session_minutes": 5})
    with served(engine, strict, base_url="https://testserver") as api:
        yield api


def test_the_settings_make_cookies_secure_and_set_the_session_lifetime(strict_app: Api) -> None:
    response = ui_sign_in(strict_app.client, ui_key(strict_app, "reviewer"))
    cookie = _cookie(response, "ftr_session")
    assert "Secure" in cookie
    assert "Max-Age=300" in cookie


def test_an_expired_session_opens_nothing(api: Api) -> None:
    client = ui_browser(api, "reviewer")
    with Session(api.engine) as session:
        for row in session.exec(select(UiSession)).all():
            row.expires_at = utcnow() - timedelta(minutes=1)
            session.add(row)
        session.commit()
    assert client.get("/ui/review", follow_redirects=False).status_code == 303


def test_a_wrong_key_is_refused_on_the_sign_in_page(api: Api) -> None:
    response = ui_sign_in(api.client, "ftr_not-a-key-at-all")
    assert response.status_code == 401
    assert "This key is not valid" in response.text
    assert 'aria-invalid="true"' in response.text
    assert not [c for c in response.headers.get_list("set-cookie") if "ftr_session=" in c]


def test_signing_in_without_the_forms_token_is_refused(api: Api) -> None:
    key = ui_key(api, "reviewer")
    bare = TestClient(api.client.app)
    response = bare.post("/ui/", data={"api_key": key}, follow_redirects=False)
    assert response.status_code == 403
    bare.get("/ui/")  # has the cookie now, but the form still lacks the token
    response = bare.post("/ui/", data={"api_key": key, "csrf_token": "x" * 43})
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]


def test_signing_out_ends_the_session_on_the_server(api: Api) -> None:
    client = ui_browser(api, "reviewer")
    session_cookie = client.cookies["ftr_session"]
    page = client.get("/ui/review")
    response = client.post(
        "/ui/sign-out", data={"csrf_token": csrf_token(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/"
    client.cookies.set("ftr_session", session_cookie, path="/ui")
    assert client.get("/ui/review", follow_redirects=False).status_code == 303


def test_revoking_the_key_ends_its_sessions_at_once(api: Api) -> None:
    client = TestClient(api.client.app)
    key = ui_key(api, "reviewer")
    ui_sign_in(client, key)
    assert client.get("/ui/review").status_code == 200
    with Session(api.engine) as session:
        principal = store.find_principal(session, secret=key)
        assert principal is not None
        store.revoke_api_key(session, key_id=principal.key_id)
    assert client.get("/ui/review", follow_redirects=False).status_code == 303


def test_a_planted_session_cookie_is_never_adopted(api: Api) -> None:
    client = TestClient(api.client.app)
    client.cookies.set("ftr_session", "planted-by-someone-else", path="/ui")
    response = ui_sign_in(client, ui_key(api, "reviewer"))
    assert "planted-by-someone-else" not in _cookie(response, "ftr_session")
    planted = TestClient(api.client.app, cookies={"ftr_session": "planted-by-someone-else"})
    assert planted.get("/ui/review", follow_redirects=False).status_code == 303


# -- roles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("reviewer", "/ui/review"),
        ("officer", "/ui/records"),
        ("admin", "/ui/admin"),
        ("partner", "/ui/partner"),
    ],
)
def test_each_role_lands_on_its_own_page(api: Api, role: str, landing: str) -> None:
    response = ui_sign_in(api.client, ui_key(api, role))
    assert response.headers["location"] == landing
    assert api.client.get("/ui/").url.path == landing


def test_an_administrator_is_told_what_the_role_is_for(api: Api) -> None:
    _pair(api)
    page = ui_browser(api, "admin").get("/ui/admin")
    assert page.status_code == 200
    assert "never sees the content of records" in page.text
    assert "يوسف" not in page.text
    assert "Review queue" not in page.text


def test_a_partner_is_told_partners_use_the_api(api: Api) -> None:
    page = ui_browser(api, "partner", org="NGO").get("/ui/partner")
    assert page.status_code == 200
    assert "through the API" in page.text


@pytest.mark.parametrize("role", ["admin", "partner"])
def test_administrators_and_partners_have_no_pages_with_record_content(api: Api, role: str) -> None:
    record_id, match_id = _pair(api)
    client = ui_browser(api, role, org="NGO" if role == "partner" else "Agency")
    for path in (
        "/ui/review",
        "/ui/records",
        "/ui/search",
        f"/ui/matches/{match_id}",
        f"/ui/records/tracing-requests/{record_id}",
        "/ui/register/tracing-request",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Forbidden" in response.text
        assert "يوسف" not in response.text
        assert "Youssef" not in response.text


def test_an_officer_is_refused_the_review_pages_and_it_is_audited(api: Api) -> None:
    _, match_id = _pair(api)
    client = ui_browser(api, "officer")
    assert client.get("/ui/review").status_code == 403
    assert client.get(f"/ui/matches/{match_id}").status_code == 403
    denied = api.rows("SELECT details FROM audit_event WHERE action = 'access.denied'")
    assert len(denied) == 2


def test_a_signed_in_user_gets_a_404_page_for_an_unknown_address(api: Api) -> None:
    response = ui_browser(api, "reviewer").get("/ui/no-such-page")
    assert response.status_code == 404
    assert "There is no page at this address" in response.text


def test_the_stylesheet_is_served_with_a_long_cache(api: Api) -> None:
    page = api.client.get("/ui/")
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    assert href is not None
    css = api.client.get(href.group(1))
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert "max-age=31536000" in css.headers["cache-control"]
    assert len(css.content) < 10_000


# -- reviewers ----------------------------------------------------------------------------


def test_the_queue_shows_both_names_band_and_score(api: Api) -> None:
    _, match_id = _pair(api)
    page = ui_browser(api, "reviewer").get("/ui/review")
    assert page.status_code == 200
    assert '<span dir="auto" class="name">يوسف خالد الأحمد</span>' in page.text
    assert '<span dir="auto" class="name">Youssef Khaled Al-Ahmad</span>' in page.text
    assert f'href="/ui/matches/{match_id}"' in page.text
    assert re.search(r'class="band (likely|possible)"', page.text)
    assert re.search(r'<td class="num">[01]\.\d{3}</td>', page.text)


def test_the_queue_filters_by_status(api: Api) -> None:
    _pair(api)
    client = ui_browser(api, "reviewer")
    assert "No matches confirmed" in client.get("/ui/review?status=confirmed").text
    assert "Compare" in client.get("/ui/review?status=&band=&type=match").text


def test_the_compare_page_shows_both_children_and_the_explanation(api: Api) -> None:
    _, match_id = _pair(api)
    page = ui_browser(api, "reviewer").get(f"/ui/matches/{match_id}")
    assert page.status_code == 200
    text = page.text
    assert '<span dir="auto" class="name">يوسف خالد الأحمد</span>' in text
    assert '<span dir="auto" class="name">Youssef Khaled Al-Ahmad</span>' in text
    assert "Age today" in text
    assert "Mariam Hassan" in text  # the enquirer, a relative the child named
    assert re.search(r"[a-z ]+: \+\d+\.\d", text)  # "names agree …: +8.1"
    assert re.search(r"[a-z ]+: −\d+\.\d", text)  # the starting odds, signed
    assert 'value="confirm"' in text
    assert 'value="reject"' in text
    assert 'value="reopen"' not in text
    assert len(page.content) < 50_000


def test_deciding_through_the_form_changes_the_status(api: Api) -> None:
    record_id, match_id = _pair(api)
    client = ui_browser(api, "reviewer")
    page = client.get(f"/ui/matches/{match_id}")
    response = client.post(
        f"/ui/matches/{match_id}/decisions",
        data={
            "csrf_token": csrf_token(page.text),
            "version": re.search(r'name="version" value="(\d+)"', page.text).group(1),  # type: ignore[union-attr]
            "decision": "confirm",
            "reason": "Mother's name and home town agree.",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    after = client.get(response.headers["location"])
    assert "Your decision is recorded: confirm" in after.text
    assert '<span class="status confirmed">confirmed</span>' in after.text
    assert "Mother&#39;s name and home town agree." in after.text
    assert 'value="reopen"' in after.text
    assert 'value="disclose"' in after.text
    officer = api.headers("officer", "Agency")
    assert api.client.get(f"{TR}/{record_id}", headers=officer).json()["status"] == "matched"


def test_a_decision_that_needs_a_reason_says_so_on_the_page(api: Api) -> None:
    _, match_id = _pair(api)
    client = ui_browser(api, "reviewer")
    page = client.get(f"/ui/matches/{match_id}")
    response = client.post(
        f"/ui/matches/{match_id}/decisions",
        data={"csrf_token": csrf_token(page.text), "decision": "reject", "reason": "  "},
    )
    assert response.status_code == 422
    assert "A reason is required to reject" in response.text
    assert 'aria-invalid="true"' in response.text
    assert api.rows("SELECT status FROM match")[0][0] == "pending"


def test_a_stale_decision_form_is_refused(api: Api) -> None:
    _, match_id = _pair(api)
    client = ui_browser(api, "reviewer")
    page = client.get(f"/ui/matches/{match_id}")
    response = client.post(
        f"/ui/matches/{match_id}/decisions",
        data={"csrf_token": csrf_token(page.text), "decision": "confirm", "version": "999"},
    )
    assert response.status_code == 412
    assert "changed since you read it" in response.text


def test_a_decision_without_the_session_token_is_refused(api: Api) -> None:
    _, match_id = _pair(api)
    client = ui_browser(api, "reviewer")
    for data in ({"decision": "confirm"}, {"decision": "confirm", "csrf_token": "forged"}):
        response = client.post(f"/ui/matches/{match_id}/decisions", data=data)
        assert response.status_code == 403
        assert "could not be accepted" in response.text
    assert api.rows("SELECT status FROM match")[0][0] == "pending"


def test_reading_a_match_is_audited_like_the_api(api: Api) -> None:
    _, match_id = _pair(api)
    ui_browser(api, "reviewer").get(f"/ui/matches/{match_id}")
    events = api.rows(
        "SELECT actor_role FROM audit_event WHERE action = 'match.read' AND target_id = :id",
        id=match_id,
    )
    assert events == [("reviewer",)]


# -- officers -----------------------------------------------------------------------------


def _register_form(client: TestClient, path: str, fields: dict[str, str]) -> Any:
    page = client.get(path)
    return client.post(
        path, data={"csrf_token": csrf_token(page.text), **fields}, follow_redirects=False
    )


CHILD_FORM = {
    "external_id": "UI-TR-1",
    "subject.full_name": "يوسف خالد الأحمد",
    "subject.other_names": "Youssef\nYusuf",
    "subject.sex": "male",
    "subject.age": "9",
    "subject.age_as_of": "2024-06-01",
    "subject.place_of_origin.country": "SY",
    "subject.place_of_origin.locality": "حمص",
    "subject.languages": "ara, kur",
    "relatives.0.full_name": "",
    "relatives.1.full_name": "مريم حسن",
    "relatives.1.relationship": "mother",
    "relatives.1.sex": "female",
    "separation.date": "2024-03",
    "separation.place.country": "TR",
    "consent.tracing": "yes",
    "consent.given_by": "child",
}


def test_registering_through_the_form_creates_a_record_and_shows_its_matches(api: Api) -> None:
    api.client.post(EN, json=mother_enquiry(), headers=api.headers("partner", org="NGO"))
    client = ui_browser(api, "officer")
    response = _register_form(client, "/ui/register/tracing-request", CHILD_FORM)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/ui/records/tracing-requests/")
    page = client.get(location)
    assert "Registered, and matched against the registry" in page.text
    assert '<span dir="auto" class="name">يوسف خالد الأحمد</span>' in page.text
    assert "Youssef Khaled Al-Ahmad" in page.text  # the shared enquiry's child, a candidate
    record_id = location.rsplit("/", 1)[1].split("?")[0]
    stored = api.client.get(f"{TR}/{record_id}", headers=api.headers("officer", "Agency")).json()
    assert stored["subject"]["other_names"] == ["Youssef", "Yusuf"]
    assert stored["subject"]["languages"] == ["ara", "kur"]
    assert [(r["full_name"], r["relationship"]) for r in stored["relatives"]] == [
        ("مريم حسن", "mother")
    ]
    assert stored["consent"]["share_with_partners"] is False


def test_registering_an_enquiry_with_its_relatives(api: Api) -> None:
    client = ui_browser(api, "officer")
    response = _register_form(
        client,
        "/ui/register/enquiry",
        {
            "external_id": "UI-EN-1",
            "sought.0.full_name": "Олександр Коваленко",
            "sought.0.sex": "male",
            "sought.0.age": "8-10",
            "sought.2.full_name": "Марія Коваленко",
            "enquirer.full_name": "Ірина Коваленко",
            "enquirer.relationship": "mother",
            "enquirer.contact.phone": "+000 555 0142",
            "relatives.0.full_name": "Петро Коваленко",
            "relatives.0.relationship": "father",
            "consent.tracing": "yes",
            "consent.given_by": "parent",
        },
    )
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"])
    assert "Child sought 2" in page.text
    assert "Марія Коваленко" in page.text
    assert "+000 555 0142" in page.text  # the owning organisation sees its enquirer's contact


def test_form_errors_are_shown_next_to_their_fields(api: Api) -> None:
    client = ui_browser(api, "officer")
    response = _register_form(
        client,
        "/ui/register/tracing-request",
        {
            **CHILD_FORM,
            "subject.full_name": "",
            "subject.date_of_birth": "last spring",
            "subject.place_of_origin.country": "Syria",
            "relatives.1.relationship": "",
        },
    )
    assert response.status_code == 422
    text = response.text
    assert 'id="f-subject-full-name-error"' in text
    assert 'id="f-subject-date-of-birth-error"' in text
    assert "must be a partial ISO date" in text
    assert "ISO 3166-1 alpha-2" in text
    assert 'id="f-relatives-1-relationship-error"' in text  # the row as the officer typed it
    assert 'value="last spring"' in text  # what was typed is kept
    assert "Please correct these 4 things" in text
    assert api.rows("SELECT pk FROM record") == []


def test_a_case_number_used_for_other_content_is_an_error_on_the_field(api: Api) -> None:
    client = ui_browser(api, "officer")
    assert _register_form(client, "/ui/register/tracing-request", CHILD_FORM).status_code == 303
    again = _register_form(
        client, "/ui/register/tracing-request", {**CHILD_FORM, "subject.age": "10"}
    )
    assert again.status_code == 409
    assert 'id="f-external-id-error"' in again.text
    assert "already used" in again.text


def test_officers_see_other_organisations_candidates_without_their_details(api: Api) -> None:
    api.client.post(EN, json=mother_enquiry(share=False), headers=api.headers("partner", org="NGO"))
    client = ui_browser(api, "officer")
    response = _register_form(client, "/ui/register/tracing-request", CHILD_FORM)
    page = client.get(response.headers["location"])
    assert "Details not shared" in page.text
    assert "Al-Ahmad" not in page.text  # the other organisation's child
    assert "Mariam" not in page.text  # and its enquirer


def test_search_shows_the_apis_candidates_with_explanations(api: Api) -> None:
    record_id, _ = _pair(api)
    person = {
        "full_name": "يوسف خالد الأحمد",
        "sex": "male",
        "age": "11",
        "place_of_origin": {"country": "SY", "locality": "حمص"},
    }
    expected = api.client.post(
        "/api/v1/search", json={"person": person}, headers=api.headers("officer", "Agency")
    ).json()["candidates"]
    assert record_id in [c["record_id"] for c in expected]
    client = ui_browser(api, "officer")
    page = client.get("/ui/search")
    response = client.post(
        "/ui/search",
        data={
            "csrf_token": csrf_token(page.text),
            "person.full_name": person["full_name"],
            "person.sex": "male",
            "person.age": "11",
            "person.place_of_origin.country": "SY",
            "person.place_of_origin.locality": "حمص",
        },
    )
    assert response.status_code == 200
    results = response.text.split("<h2>Candidates</h2>", 1)[1]
    assert results.count("<h3>") == len(expected)
    # Only the officer's own organisation's records link to a record page.
    assert re.findall(r'href="/ui/records/[a-z-]+/([0-9a-f-]+)"', results) == [record_id]
    assert '<span dir="auto" class="name">يوسف خالد الأحمد</span>' in response.text
    for sentence in expected[0]["summary"]:
        assert f"<li>{sentence}</li>" in response.text
    assert 'value="يوسف خالد الأحمد"' in response.text
    assert len(api.rows("SELECT pk FROM audit_event WHERE action = 'search'")) == 2


def test_a_search_without_a_name_says_what_is_missing(api: Api) -> None:
    client = ui_browser(api, "officer")
    page = client.get("/ui/search")
    response = client.post(
        "/ui/search", data={"csrf_token": csrf_token(page.text), "person.age": "many"}
    )
    assert response.status_code == 422
    assert 'id="f-person-full-name-error"' in response.text
    assert 'id="f-person-age-error"' in response.text


def test_the_officers_record_list_links_to_each_record(api: Api) -> None:
    record_id, _ = _pair(api)
    page = ui_browser(api, "officer").get("/ui/records")
    assert f'href="/ui/records/tracing-requests/{record_id}"' in page.text
    assert '<span dir="auto" class="name">يوسف خالد الأحمد</span>' in page.text


def test_another_organisations_record_page_is_not_found(api: Api) -> None:
    record_id, _ = _pair(api)
    response = ui_browser(api, "officer", org="Elsewhere").get(
        f"/ui/records/tracing-requests/{record_id}"
    )
    assert response.status_code == 404
    assert "يوسف" not in response.text


@pytest.mark.parametrize(
    "path", ["/ui/records", "/ui/register/tracing-request", "/ui/register/enquiry", "/ui/search"]
)
def test_officer_pages_are_light(api: Api, path: str) -> None:
    _pair(api)
    page = ui_browser(api, "officer").get(path)
    assert page.status_code == 200
    assert len(page.content) < 50_000


def test_a_garbled_queue_address_is_a_page_not_a_crash(api: Api) -> None:
    client = ui_browser(api, "reviewer")
    garbled = client.get("/ui/review?cursor=not-a-cursor")
    assert garbled.status_code == 422
    assert "text/html" in garbled.headers["content-type"]
    too_long = client.get("/ui/review", params={"organisation_id": "x" * 100})
    assert too_long.status_code == 400
    assert "text/html" in too_long.headers["content-type"]
