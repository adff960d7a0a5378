"""The web interface in a real browser: Debian's headless Chromium, driven by Playwright,
against `ftr serve --demo` on a real uvicorn (the demo gives reviewers real pending matches).

Skipped with a reason where /usr/bin/chromium is missing (`make browser` installs it); CI sets
FTR_REQUIRE_BROWSER so that there they fail instead. The compare page's screenshot is kept in
test-artifacts/ for people to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api_tests import servers

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

if not CHROMIUM.exists():
    if os.environ.get("FTR_REQUIRE_BROWSER"):
        pytest.fail("FTR_REQUIRE_BROWSER is set but /usr/bin/chromium is missing", pytrace=False)
    pytest.skip(
        "browser tests need Debian's Chromium at /usr/bin/chromium (make browser installs it)",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

Server = tuple[str, dict[str, str]]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`ftr serve --demo` on a free port; yields its address and the printed dev keys."""
    with servers.demo_server(tmp_path_factory.mktemp("ui-demo")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile (no cookies) per test; fails on any CSP violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    violations: list[str] = []
    tab.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield tab
    context.close()
    assert violations == []


def _sign_in(page: Page, base: str, key: str) -> None:
    page.goto(f"{base}/ui/")
    page.get_by_label("Your API key").fill(key)
    page.get_by_role("button", name="Sign in").click()


def test_a_reviewer_signs_in_and_lands_on_the_queue(page: Page, server: Server) -> None:
    base, keys = server
    _sign_in(page, base, keys["reviewer"])
    expect(page).to_have_url(f"{base}/ui/review")
    expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
    assert page.locator("table.queue tbody tr").count() > 0
    expect(page.locator("table.queue .name[dir=auto]").first).to_be_visible()


def _a_child_named_in_arabic(base: str, key: str) -> dict[str, str]:
    """One of the officer's demo children with a full name in Arabic script and a birth date."""
    page = httpx.get(
        f"{base}/api/v1/tracing-requests",
        params={"limit": 1000},
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    ).json()
    return next(
        item["subject"]
        for item in page["items"]
        if re.search("[\u0600-\u06ff]", item["subject"]["full_name"])
        and len(item["subject"]["full_name"].split()) >= 2
        and item["subject"].get("date_of_birth")
    )


def test_an_officer_searches_by_a_name_in_arabic_script(page: Page, server: Server) -> None:
    base, keys = server
    child = _a_child_named_in_arabic(base, keys["officer"])
    _sign_in(page, base, keys["officer"])
    expect(page).to_have_url(f"{base}/ui/records")
    page.get_by_role("link", name="Search").first.click()
    page.get_by_label("Name").fill(child["full_name"])
    page.get_by_label("Sex").select_option(child["sex"])
    page.get_by_label("Date of birth").fill(child["date_of_birth"])
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Candidates")).to_be_visible()
    results = page.locator("ol.matches > li")
    assert results.count() > 0
    expect(results.first.locator("ul.why li").first).to_be_visible()


def test_an_officer_registers_an_enquiry_and_sees_its_record(page: Page, server: Server) -> None:
    base, keys = server
    _sign_in(page, base, keys["officer"])
    page.get_by_role("link", name="Register an enquiry").first.click()
    page.get_by_label("Your case number").fill("UI-BROWSER-1")
    page.locator("#f-sought-0-full-name").fill("Олександр Коваленко")
    page.locator("#f-sought-0-sex").select_option("male")
    page.locator("#f-sought-0-age").fill("9")
    page.locator("#f-enquirer-full-name").fill("Ірина Коваленко")
    page.locator("#f-enquirer-relationship").select_option("mother")
    page.get_by_label("Consent given by").select_option("parent")
    page.get_by_role("button", name="Register and look for matches").click()
    expect(page.get_by_role("heading", name="Enquiry UI-BROWSER-1")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Registered")
    expect(page.locator(".name[dir=auto]", has_text="Олександр Коваленко").first).to_be_visible()


def test_a_reviewer_confirms_a_match_with_a_reason(page: Page, server: Server) -> None:
    base, keys = server
    _sign_in(page, base, keys["reviewer"])
    page.get_by_label("Kind of pair").select_option("match")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"type=match"))
    page.locator("table.queue").get_by_role("link", name=re.compile("^Compare")).first.click()
    expect(page.get_by_role("heading", name=re.compile("^Compare"))).to_be_visible()
    expect(page.locator("table.waterfall")).to_contain_text("+")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "compare-page.png"), full_page=True)
    page.get_by_label("Reason").fill("Names, ages and the mother's name agree; checked the file.")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("status")).to_contain_text("Your decision is recorded: confirm")
    expect(page.locator("p.meta .status")).to_have_text("confirmed")
    history = page.locator("h2:text('Decision history') + table")
    expect(history).to_contain_text("the mother's name agree")
    expect(page.get_by_role("button", name="Reopen")).to_be_visible()


def test_an_officer_is_refused_the_review_pages(page: Page, server: Server) -> None:
    base, keys = server
    _sign_in(page, base, keys["officer"])
    response = page.goto(f"{base}/ui/review")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", name="Forbidden")).to_be_visible()


def test_signing_out_ends_the_session(page: Page, server: Server) -> None:
    base, keys = server
    _sign_in(page, base, keys["reviewer"])
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(f"{base}/ui/review")
    expect(page).to_have_url(f"{base}/ui/")
