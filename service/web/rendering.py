"""Templates, the stylesheet, and the route class that turns refusals into pages.

A web route raises the same `Problem`s as the API (the store raises them); `WebRoute` shows
them as an HTML page instead of a problem document, and sends an anonymous visitor to the
sign-in page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from service.problems import DATABASE_UNAVAILABLE, Problem, database_problem

HERE = Path(__file__).parent
STYLESHEET = (HERE / "static" / "ui.css").read_bytes()
STYLESHEET_URL = "/ui/static/ui.css?v=" + hashlib.sha256(STYLESHEET).hexdigest()[:12]
SIGN_IN_URL = "/ui/"


def _signed(bits: float) -> str:
    """A contribution with its sign, as the explanation writes it: +8.1, −6.0."""
    return f"{'+' if bits >= 0 else '−'}{abs(bits):.1f}"


def _field_id(name: str) -> str:
    return "f-" + name.replace(".", "-").replace("_", "-")


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


_GROUPS = {
    "subject": "the child",
    "sought": "child sought",
    "relatives": "family member",
    "enquirer": "enquirer",
    "person": "",
    "place_of_origin": "place of origin",
    "last_known_address": "last address",
    "identifiers": "document",
    "full_name": "full name",
    "date_of_birth": "date of birth",
    "age_as_of": "age estimated on",
    "external_id": "case number",
    "given_by": "given by",
    "admin1": "province or region",
    "locality": "town or village",
}


def _field_label(name: str) -> str:
    """A field path in words for the error summary: `sought.1.age` → "child sought 2, age"."""
    words: list[str] = []
    for part in name.split("."):
        if part.isdigit() and words:
            words[-1] = f"{words[-1]} {int(part) + 1}"
        elif part in _GROUPS:
            if _GROUPS[part]:
                words.append(_GROUPS[part])
        else:
            words.append(part.replace("_", " "))
    text = ", ".join(words) or "the form"
    return text[0].upper() + text[1:]


environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters["signed"] = _signed
environment.filters["field_id"] = _field_id
environment.filters["field_label"] = _field_label
environment.filters["first_upper"] = _first_upper


class SignInRequired(Exception):  # noqa: N818  (a redirect, not an error)
    """No live session: the visitor is sent to the sign-in page."""


def render(
    request: Request,
    template: str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page, with the signed-in user (if any) for the header and the forms' CSRF token."""
    user = getattr(request.state, "web_user", None)
    context.setdefault("errors", {})
    context.setdefault("values", {})
    html = environment.get_template(template).render(
        user=user,
        csrf_token=user.csrf_token if user else "",
        stylesheet=STYLESHEET_URL,
        path=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def problem_page(request: Request, problem: Problem) -> HTMLResponse:
    return render(
        request,
        "problem.html",
        status=problem.status,
        title=problem.title,
        detail=problem.detail or problem.title,
        headers=problem.headers,
    )


def sign_in_redirect() -> RedirectResponse:
    return RedirectResponse(SIGN_IN_URL, status_code=303)


class WebRoute(APIRoute):
    """A route whose refusals are pages: 303 to sign in, or a page naming the problem."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def web_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                return sign_in_redirect()
            except Problem as problem:
                return problem_page(request, problem)
            except RequestValidationError:
                return problem_page(
                    request, Problem(400, "Bad request", "This address is not one this site uses.")
                )
            except HTTPException as error:  # e.g. a form too large or malformed to read
                detail = error.detail if isinstance(error.detail, str) else None
                return problem_page(request, Problem(error.status_code, "Error", detail))
            except DATABASE_UNAVAILABLE as error:
                # A person at a browser gets a page saying to come back, not JSON.
                return problem_page(request, database_problem(error))

        return web_handler


# Every page hangs on this one router, so that routes carry their full path (/ui/...) in the
# access log and the metrics.
router = APIRouter(prefix="/ui", route_class=WebRoute, include_in_schema=False)
