"""The web interface under /ui/: server-rendered pages over the same store, matching and
visibility rules as the API, usable without JavaScript.

| page | who |
| --- | --- |
| `/ui/` sign in with an API key (POST), `/ui/sign-out` (POST) | anyone |
| `/ui/review` the queue with filters; `/ui/matches/{id}` compare and decide | reviewer |
| `/ui/records`; `/ui/records/{kind}/{id}`: a record and its matches | officer, reviewer |
| `/ui/register/{tracing-request,enquiry}` | officer |
| `/ui/search` (the form is posted: names stay out of addresses) | officer, reviewer |
| `/ui/admin`, `/ui/partner`: what the role is for, no record content | admin, partner |

Anonymous requests for any page but the sign-in page are sent there (303). `router` holds
every page; `SecurityHeadersMiddleware` gives them their headers.
"""

from __future__ import annotations

from fastapi import Request, Response

from service.problems import Problem
from service.web import account, records, review, search  # noqa: F401  (they add the pages)
from service.web.rendering import STYLESHEET, router
from service.web.security import SecurityHeadersMiddleware
from service.web.sessions import SignedIn

__all__ = ["SecurityHeadersMiddleware", "router"]


@router.get("/static/ui.css")
def stylesheet() -> Response:
    # The address carries the file's hash, so it can be cached for a year.
    return Response(
        STYLESHEET,
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


@router.api_route("/{rest:path}", methods=["GET", "POST"])
def not_a_page(rest: str, request: Request, _user: SignedIn) -> Response:
    """Any other address: sign in first (like every page), then a page saying it is unknown."""
    raise Problem(404, "Not found", "There is no page at this address.")
