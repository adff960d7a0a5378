"""The web interface under /ui/: server-rendered pages over the same store, matching and
visibility rules as the API, usable without JavaScript.

`router` holds every page; `SecurityHeadersMiddleware` gives them their headers.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from service.problems import Problem
from service.web import account, records, review, search
from service.web.rendering import STYLESHEET, WebRoute
from service.web.security import SecurityHeadersMiddleware
from service.web.sessions import SignedIn

__all__ = ["SecurityHeadersMiddleware", "router"]

router = APIRouter(prefix="/ui", route_class=WebRoute, include_in_schema=False)


@router.get("/static/ui.css")
def stylesheet() -> Response:
    # The address carries the file's hash, so it can be cached for a year.
    return Response(
        STYLESHEET,
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


for _module in (account, review, records, search):
    router.include_router(_module.router)


@router.api_route("/{rest:path}", methods=["GET", "POST"])
def not_a_page(rest: str, request: Request, _user: SignedIn) -> Response:
    """Any other address: sign in first (like every page), then a page saying it is unknown."""
    raise Problem(404, "Not found", "There is no page at this address.")
