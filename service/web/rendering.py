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
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute

from service.problems import Problem

HERE = Path(__file__).parent
STYLESHEET = (HERE / "static" / "ui.css").read_bytes()
STYLESHEET_URL = "/ui/static/ui.css?v=" + hashlib.sha256(STYLESHEET).hexdigest()[:12]
SIGN_IN_URL = "/ui/"


def _signed(bits: float) -> str:
    """A contribution with its sign, as the explanation writes it: +8.1, −6.0."""
    return f"{'+' if bits >= 0 else '−'}{abs(bits):.1f}"


def _field_id(name: str) -> str:
    return "f-" + name.replace(".", "-").replace("_", "-")


environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters["signed"] = _signed
environment.filters["field_id"] = _field_id


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

        return web_handler
