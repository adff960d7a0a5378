"""Signing in and out, and the pages of the roles that have no record pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from service.auth import ROLE_DESCRIPTIONS, Role
from service.deps import SessionDep, SettingsDep
from service.settings import Settings
from service.web import sessions
from service.web.rendering import render, router

Admin = Annotated[sessions.WebUser, Depends(sessions.require(Role.ADMIN))]
Partner = Annotated[sessions.WebUser, Depends(sessions.require(Role.PARTNER))]


def _sign_in_page(
    request: Request, settings: Settings, *, status: int = 200, error: str = ""
) -> HTMLResponse:
    token = sessions.sign_in_token(request)
    response = render(
        request,
        "sign_in.html",
        status=status,
        title="Sign in",
        sign_in_token=token,
        errors={"api_key": error} if error else {},
    )
    sessions.set_cookie(
        response,
        request,
        settings,
        sessions.SIGN_IN_COOKIE,
        token,
        sessions.SIGN_IN_TOKEN_SECONDS,
    )
    return response


@router.get("/")
def sign_in_form(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    user = sessions.current_user(request, session)
    if user is not None:
        return RedirectResponse(user.landing, status_code=303)
    return _sign_in_page(request, settings)


@router.post("/")
def sign_in(
    request: Request, form: sessions.FormFields, session: SessionDep, settings: SettingsDep
) -> Response:
    sessions.check_sign_in_token(request, form)
    response = RedirectResponse("/ui/", status_code=303)
    principal = sessions.sign_in(
        request, response, session, settings, form.get("api_key", "").strip()
    )
    if principal is None:
        return _sign_in_page(
            request,
            settings,
            status=401,
            error="This key is not valid: check it was copied whole, or ask your "
            "administrator whether it was revoked.",
        )
    response.headers["location"] = sessions.LANDING[principal.role]
    return response


@router.post("/sign-out")
def sign_out(
    request: Request,
    user: sessions.SignedIn,
    _form: sessions.CheckedForm,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    response = RedirectResponse("/ui/", status_code=303)
    sessions.sign_out(request, response, session, settings, user)
    return response


@router.get("/admin")
def admin_page(request: Request, _user: Admin) -> HTMLResponse:
    return render(
        request,
        "role.html",
        title="The administrator role",
        purpose=ROLE_DESCRIPTIONS[Role.ADMIN],
    )


@router.get("/partner")
def partner_page(request: Request, _user: Partner) -> HTMLResponse:
    return render(
        request,
        "role.html",
        title="Partner systems use the API",
        purpose=ROLE_DESCRIPTIONS[Role.PARTNER],
    )
