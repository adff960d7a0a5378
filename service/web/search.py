"""Search the registry for a person by name in any script, with optional age, sex and place.

The form is posted (not a query string), so names searched for stay out of addresses,
browser history and server logs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from matching.scoring import DEFAULT_MODEL
from service import linkage, match_views, schemas
from service.auth import Role
from service.deps import SessionDep
from service.store.core import person_from_details
from service.web import people, sessions
from service.web.forms import errors_by_input, form_body
from service.web.records import record_url
from service.web.rendering import render, router

Searcher = Annotated[sessions.WebUser, Depends(sessions.require(Role.OFFICER, Role.REVIEWER))]

RESULTS = 20


def _page(
    request: Request,
    user: sessions.WebUser,
    *,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    results: schemas.SearchResults | None = None,
) -> HTMLResponse:
    return render(
        request,
        "search.html",
        status=status,
        title="Search",
        values=values or {},
        errors=errors or {},
        results=results,
        sexes=people.SEXES,
        kinds=people.KINDS,
        record_url=record_url,
        sees_all=user.role is Role.REVIEWER,
        own_organisation=user.principal.organisation_id,
    )


@router.get("/search")
def search_form(request: Request, user: Searcher) -> HTMLResponse:
    return _page(request, user)


@router.post("/search")
def search(
    request: Request, user: Searcher, form: sessions.CheckedForm, session: SessionDep
) -> HTMLResponse:
    parsed = form_body(form)
    try:
        body = schemas.SearchRequest.model_validate({"person": {}, "limit": RESULTS} | parsed.body)
    except ValidationError as error:
        return _page(request, user, status=422, values=form, errors=errors_by_input(error, parsed))
    person = person_from_details(
        body.person.model_dump(mode="json", exclude_none=True), registered_on=None
    )
    kinds = [body.kind.value] if body.kind else list(linkage.ALL_KINDS)
    found = linkage.search(session, person=person, kinds=kinds, min_score=DEFAULT_MODEL.possible)
    results = match_views.search_results(
        session,
        actor=user.context,
        results=found,
        min_score=DEFAULT_MODEL.possible,
        limit=body.limit,
    )
    return _page(request, user, values=form, results=results)
