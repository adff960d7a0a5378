"""Every page of the web interface × every kind of visitor: who gets in, who is refused and
how, and what a tracing officer never reads of another organisation's records.

The matrix is checked against the app's own routes: a new /ui/ page without a row here fails
`test_every_web_route_is_in_the_matrix`. All people are synthetic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api_tests.conftest import Api, csrf_token, ui_browser
from api_tests.test_matching import child_request, mother_enquiry

ANONYMOUS = "anonymous"
SIGNED_IN = ("admin", "reviewer", "officer A", "officer B", "partner")
VISITORS = (ANONYMOUS, *SIGNED_IN)
# (role, organisation) behind each signed-in visitor. Reviewers and administrators belong to
# the agency that runs the operation; the partner system submits for organisation A.
KEYS = {
    "admin": ("admin", "Agency"),
    "reviewer": ("reviewer", "Agency"),
    "officer A": ("officer", "Org A"),
    "officer B": ("officer", "Org B"),
    "partner": ("partner", "Org A"),
}
READERS = ("reviewer", "officer A", "officer B")
OFFICERS = ("officer A", "officer B")
SIGN_IN_PAGE = "/ui/"
MISSING_ID = "00000000-0000-4000-8000-000000000000"

# Organisation B's enquiry, not shared with partners: what officer A must never read. Its
# sought boy is the child organisation A registered (in Arabic script), spelt here in Latin
# letters; the sister, an aunt and the mother's e-mail are B's alone.
PRIVATE_TO_B = ("Youssef", "Vashtirelle", "Ondraxia", "Mirovetz", "mirovetz.demo", "EN-B-PRIVATE")
# Organisation B's enquiry shared with partners: officer A may read its child's name.
SHARED_BY_B = "Yusuf"
SEARCHED_NAME = "يوسف خالد الأحمد"  # as A wrote it, so that the page's echo of it says nothing


def _only(status: int, *allowed: str, others: int = 403) -> dict[str, int]:
    """Signed-in visitors: `status` for the allowed, `others` for the rest; anonymous
    visitors are sent to the sign-in page (303)."""
    return {ANONYMOUS: 303} | {who: status if who in allowed else others for who in SIGNED_IN}


def _everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(VISITORS, status)


@dataclass(frozen=True)
class Visit:
    """One request to one page of the web interface, and what each visitor gets."""

    method: str
    route: str  # the route's path template, as the app's router holds it
    url: str  # with {placeholders} from the world
    expected: dict[str, int]
    # POST only: whether to send the session's CSRF token, and the other form fields.
    with_token: bool = True
    form: dict[str, str] = field(default_factory=dict)


RECORD = "/ui/records/{kind_path}/{id}"
DECISIONS = "/ui/matches/{id}/decisions"
REGISTER = "/ui/register/{form_name}"
SEARCH_FORM = {"person.full_name": SEARCHED_NAME}

# Pages that change state come last (the decision, then signing out), so that each visitor
# walks the others as they were seeded.
MATRIX: list[Visit] = [
    Visit("GET", "/ui/", "/ui/", {ANONYMOUS: 200} | dict.fromkeys(SIGNED_IN, 303)),
    Visit("GET", "/ui/static/ui.css", "/ui/static/ui.css", _everyone(200)),
    Visit("GET", "/ui/admin", "/ui/admin", _only(200, "admin")),
    Visit("GET", "/ui/partner", "/ui/partner", _only(200, "partner")),
    Visit("GET", "/ui/records", "/ui/records", _only(200, *READERS)),
    Visit("GET", "/ui/review", "/ui/review", _only(200, "reviewer")),
    Visit("GET", "/ui/search", "/ui/search", _only(200, *READERS)),
    Visit("GET", REGISTER, "/ui/register/tracing-request", _only(200, *OFFICERS)),
    Visit("GET", REGISTER, "/ui/register/enquiry", _only(200, *OFFICERS)),
    # Another organisation's record answers exactly like a missing one (404), never 403.
    Visit(
        "GET",
        RECORD,
        "/ui/records/tracing-requests/{tr_a}",
        _only(200, "reviewer", "officer A") | {"officer B": 404},
    ),
    Visit(
        "GET",
        RECORD,
        "/ui/records/enquiries/{en_b}",
        _only(200, "reviewer", "officer B") | {"officer A": 404},
    ),
    Visit(
        "GET",
        RECORD,
        "/ui/records/tracing-requests/" + MISSING_ID,
        _only(404, *READERS),
    ),
    Visit("GET", "/ui/matches/{id}", "/ui/matches/{match}", _only(200, "reviewer")),
    Visit("GET", "/ui/matches/{id}", "/ui/matches/" + MISSING_ID, _only(404, "reviewer")),
    Visit("GET", "/ui/{rest:path}", "/ui/no-such-page", _only(404, *SIGNED_IN)),
    Visit("POST", "/ui/search", "/ui/search", _only(200, *READERS), form=SEARCH_FORM),
    # An empty registration form reaches the form's own checks (422): the gate let them in.
    Visit("POST", REGISTER, "/ui/register/tracing-request", _only(422, *OFFICERS)),
    Visit("POST", "/ui/{rest:path}", "/ui/no-such-page", _only(404, *SIGNED_IN)),
    # Without the session's token every form is refused, whoever sends it.
    Visit("POST", "/ui/", "/ui/", _everyone(403), with_token=False),
    Visit("POST", "/ui/search", "/ui/search", _only(403), with_token=False, form=SEARCH_FORM),
    Visit("POST", REGISTER, "/ui/register/enquiry", _only(403), with_token=False),
    Visit(
        "POST",
        DECISIONS,
        "/ui/matches/{match}/decisions",
        _only(403),
        with_token=False,
        form={"decision": "reject", "reason": "not the same family"},
    ),
    Visit("POST", "/ui/sign-out", "/ui/sign-out", _only(403), with_token=False),
    Visit(
        "POST",
        DECISIONS,
        "/ui/matches/{match}/decisions",
        _only(303, "reviewer"),
        form={"decision": "reject", "reason": "not the same family"},
    ),
    Visit("POST", "/ui/sign-out", "/ui/sign-out", _only(303, *SIGNED_IN)),
]


@pytest.fixture
def world(api: Api) -> dict[str, str]:
    """Organisation A's boy, registered in Arabic script; organisation B's two enquiries for
    him (one private, one shared with partners); the match between A's boy and B's private
    enquiry."""
    officer_b = api.headers("officer", org="Org B")
    private = mother_enquiry("EN-B-PRIVATE", share=False)
    private["sought"][0]["full_name"] = "Vashtirelle Khaled Al-Ahmad"
    private["enquirer"]["contact"] = {"email": "mirovetz.demo@example.org"}
    private["relatives"] = [{"full_name": "Ondraxia Mirovetz", "relationship": "aunt_uncle"}]
    en_b = api.client.post("/api/v1/enquiries", json=private, headers=officer_b).json()["id"]
    shared = mother_enquiry("EN-B-SHARED", share=True)
    shared["sought"][1]["full_name"] = "Yusuf Khaled Al-Ahmad"
    api.client.post("/api/v1/enquiries", json=shared, headers=officer_b)
    record = api.client.post(
        "/api/v1/tracing-requests",
        json=child_request("TR-A"),
        headers=api.headers("officer", org="Org A"),
    ).json()
    (match,) = (c for c in record["candidates"] if c["candidate"]["record_id"] == en_b)
    return {"tr_a": record["id"], "en_b": en_b, "match": match["id"]}


def _visitor(api: Api, who: str) -> TestClient:
    if who == ANONYMOUS:
        return TestClient(api.client.app)
    role, org = KEYS[who]
    return ui_browser(api, role, org)


def _send(client: TestClient, visit: Visit, world: dict[str, str], token: str | None) -> Any:
    url = visit.url.format(**world)
    if visit.method == "GET":
        return client.get(url, follow_redirects=False)
    form = visit.form | ({"csrf_token": token} if visit.with_token and token else {})
    return client.post(url, data=form, follow_redirects=False)


def _session_token(client: TestClient, who: str) -> str | None:
    """The CSRF token of the visitor's session, from the page they land on."""
    if who == ANONYMOUS:
        return None
    return csrf_token(client.get("/ui/", follow_redirects=True).text)


def _walk(
    api: Api, world: dict[str, str], who: str, check: Callable[[Visit, Any], None]
) -> list[str]:
    """Every visit of the matrix as `who`; the mismatches in status, each with its page."""
    client = _visitor(api, who)
    token = _session_token(client, who)
    wrong = []
    for visit in MATRIX:
        response = _send(client, visit, world, token)
        expected = visit.expected[who]
        if response.status_code != expected:
            wrong.append(f"{visit.method} {visit.url}: {response.status_code}, not {expected}")
        elif expected == 303 and (who == ANONYMOUS or visit.route == "/ui/sign-out"):
            assert response.headers["location"] == SIGN_IN_PAGE, visit.url
        check(visit, response)
    return wrong


def _routes(router: Any) -> Iterator[APIRoute]:
    """Every route the app answers, through included routers at any depth (FastAPI keeps
    an included router as one entry that holds the original router)."""
    for route in router.routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _routes(route.original_router)


def test_every_web_route_is_in_the_matrix(api: Api) -> None:
    routes = {
        (method, route.path)
        for route in _routes(api.client.app.router)
        if route.path.startswith("/ui")
        for method in route.methods
    }
    assert ("GET", "/ui/review") in routes  # the app's router was read through its includes
    assert routes == {(visit.method, visit.route) for visit in MATRIX}


@pytest.mark.parametrize("who", VISITORS)
def test_each_visitor_gets_what_the_matrix_says_and_nothing_of_b_they_may_not_read(
    api: Api, world: dict[str, str], who: str
) -> None:
    """Anonymous: the sign-in page; wrong role: 403; another organisation's record: 404;
    allowed: the page. No one but B's officers and the reviewer reads B's private record."""
    may_read_b = who in ("reviewer", "officer B")

    def no_private_values(visit: Visit, response: Any) -> None:
        if not may_read_b:
            leaked = [value for value in PRIVATE_TO_B if value in response.text]
            assert not leaked, f"{visit.method} {visit.url} shows {leaked}"

    assert _walk(api, world, who, no_private_values) == []


@pytest.mark.parametrize("who", ["reviewer", "officer A"])
def test_the_candidate_b_lets_partners_see_is_shown_by_name(
    api: Api, world: dict[str, str], who: str
) -> None:
    """The other side of the leak check: the same pages do show B's shared child (and the
    reviewer B's private one), so the absence of B's private values above means something."""
    role, org = KEYS[who]
    client = ui_browser(api, role, org)
    record_page = client.get(f"/ui/records/tracing-requests/{world['tr_a']}").text
    search_page = client.post(
        "/ui/search", data=SEARCH_FORM | {"csrf_token": csrf_token(record_page)}
    ).text
    for page in (record_page, search_page):
        assert SHARED_BY_B in page
        assert ("Youssef" in page) is (who == "reviewer")


def test_another_organisations_record_and_a_missing_one_look_the_same(
    api: Api, world: dict[str, str]
) -> None:
    client = ui_browser(api, "officer", "Org A")
    others = client.get(f"/ui/records/enquiries/{world['en_b']}")
    missing = client.get(f"/ui/records/enquiries/{MISSING_ID}")
    assert others.status_code == missing.status_code == 404
    assert others.text.replace(world["en_b"], MISSING_ID) == missing.text
