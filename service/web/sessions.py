"""Signing in with an API key, the session cookie, roles and CSRF for the web interface.

- The session is held on the server (`store.ui_sessions`); the cookie carries a random
  256-bit token only, HttpOnly, SameSite=Strict, Secure over HTTPS (always in production),
  limited to /ui and expiring with the session. The key behind a session is checked on
  every request, so revoking it signs its holder out at once.
- Every form of a signed-in page carries the session's synchronizer token, checked on
  every POST. The anonymous sign-in form uses a double-submit token: a random value both in
  a strict same-site cookie and in the form, which a page on another site can set neither of.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlmodel import Session

from service import store
from service.auth import Principal, Role
from service.deps import SessionDep
from service.problems import Problem
from service.settings import Settings
from service.store import ui_sessions
from service.web.rendering import SignInRequired

SESSION_COOKIE = "ftr_session"
SIGN_IN_COOKIE = "ftr_sign_in"
COOKIE_PATH = "/ui"
SIGN_IN_TOKEN_SECONDS = 3600
MAX_FORM_FIELDS = 400

CSRF_REFUSED = Problem(
    403,
    "Forbidden",
    "This form could not be accepted: it has expired or did not come from this site. "
    "Go back, reload the page and send it again.",
)

LANDING = {
    Role.REVIEWER: "/ui/review",
    Role.OFFICER: "/ui/records",
    Role.ADMIN: "/ui/admin",
    Role.PARTNER: "/ui/partner",
}


@dataclass(frozen=True, slots=True)
class WebUser:
    """The signed-in person: who they are, the audit context, and their forms' token."""

    principal: Principal
    context: store.RequestContext
    csrf_token: str
    session_pk: int

    @property
    def role(self) -> Role:
        return self.principal.role

    @property
    def landing(self) -> str:
        return LANDING[self.principal.role]


def secure_cookies(request: Request, settings: Settings) -> bool:
    if request.url.scheme == "https":
        return True
    if settings.ui_secure_cookies is not None:
        return settings.ui_secure_cookies
    return settings.is_production


def set_cookie(
    response: Response, request: Request, settings: Settings, name: str, value: str, seconds: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=seconds,
        path=COOKIE_PATH,
        secure=secure_cookies(request, settings),
        httponly=True,
        samesite="strict",
    )


def clear_cookie(response: Response, request: Request, settings: Settings, name: str) -> None:
    response.delete_cookie(
        name,
        path=COOKIE_PATH,
        secure=secure_cookies(request, settings),
        httponly=True,
        samesite="strict",
    )


def current_user(request: Request, session: Session) -> WebUser | None:
    """The user of the session the request's cookie names, if it is still live."""
    token = request.cookies.get(SESSION_COOKIE)
    active = ui_sessions.find_session(session, token=token) if token else None
    if active is None:
        return None
    user = WebUser(
        principal=active.principal,
        context=store.RequestContext(
            principal=active.principal, request_id=getattr(request.state, "request_id", None)
        ),
        csrf_token=active.csrf_token,
        session_pk=active.pk,
    )
    request.state.principal = active.principal  # for the access log's key id
    request.state.web_user = user  # for the page header and error pages
    return user


def signed_in(request: Request, session: SessionDep) -> WebUser:
    user = current_user(request, session)
    if user is None:
        raise SignInRequired
    return user


SignedIn = Annotated[WebUser, Depends(signed_in)]


def require(*roles: Role) -> Callable[[WebUser, Session], WebUser]:
    """A dependency that lets through only the given roles; the others get a 403 page."""
    allowed = frozenset(roles)

    def check(user: SignedIn, session: SessionDep) -> WebUser:
        if user.role not in allowed:
            store.audit_now(
                session,
                actor=user.context,
                action="access.denied",
                outcome="forbidden",
                details={"role": user.role.value, "via": "ui"},
            )
            raise Problem(
                403,
                "Forbidden",
                f"Your role ({user.role.value}) may not use this page. "
                "If you need it, ask your administrator for a key with the right role.",
            )
        return user

    return check


async def read_form(request: Request) -> dict[str, str]:
    """The posted form's text fields (the last value of a repeated name wins)."""
    form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
    return {name: value for name, value in form.multi_items() if isinstance(value, str)}


FormFields = Annotated[dict[str, str], Depends(read_form)]


def _same(sent: str | None, expected: str | None) -> bool:
    if not sent or not expected:
        return False
    return secrets.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))


def checked_form(user: SignedIn, form: FormFields) -> dict[str, str]:
    """The form, once its synchronizer token matches the session's (403 page otherwise)."""
    if not _same(form.get("csrf_token"), user.csrf_token):
        raise CSRF_REFUSED
    return form


CheckedForm = Annotated[dict[str, str], Depends(checked_form)]


def sign_in_token(request: Request) -> str:
    """The double-submit token of the sign-in form: the cookie's, or a fresh one."""
    existing = request.cookies.get(SIGN_IN_COOKIE, "")
    if 40 <= len(existing) <= 64 and existing.replace("-", "").replace("_", "").isalnum():
        return existing
    return secrets.token_urlsafe(32)


def check_sign_in_token(request: Request, form: dict[str, str]) -> None:
    if not _same(form.get("csrf_token"), request.cookies.get(SIGN_IN_COOKIE)):
        raise CSRF_REFUSED


def sign_in(
    request: Request, response: Response, session: Session, settings: Settings, secret: str
) -> Principal | None:
    """Open a session for the key, setting its cookie on `response`; None for a bad key."""
    principal = store.find_principal(session, secret=secret) if secret else None
    if principal is None:
        return None
    previous = current_user(request, session)
    if previous is not None:
        # A new sign-in never reuses a session: its token is always fresh.
        ui_sessions.close_session(session, actor=previous.context, session_pk=previous.session_pk)
    context = store.RequestContext(
        principal=principal, request_id=getattr(request.state, "request_id", None)
    )
    opened = ui_sessions.open_session(session, actor=context, minutes=settings.ui_session_minutes)
    set_cookie(response, request, settings, SESSION_COOKIE, opened.token, opened.minutes * 60)
    clear_cookie(response, request, settings, SIGN_IN_COOKIE)
    request.state.principal = principal
    return principal


def sign_out(
    request: Request, response: Response, session: Session, settings: Settings, user: WebUser
) -> None:
    ui_sessions.close_session(session, actor=user.context, session_pk=user.session_pk)
    clear_cookie(response, request, settings, SESSION_COOKIE)
