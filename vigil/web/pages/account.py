"""``/login`` and ``/logout``: the dashboard's login form and session cookie (multi-user mode).

The form posts here, not to the API, so it works without JavaScript; both call
``vigil.share.accounts`` as ``POST /api/auth/login`` does, and both audit the
attempt. ``next`` (where to go after logging in) must be a path on this site.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from vigil.api.auth import audit, clear_session_cookie, log_in, multi_user, set_session_cookie
from vigil.api.deps import get_settings, get_viewer
from vigil.model.access import ApiToken
from vigil.settings import Settings
from vigil.share import accounts
from vigil.share.login_guard import LoginBlocked
from vigil.web.templating import page

router = APIRouter(include_in_schema=False)
MSG_SINGLE = "Vigil runs in single-user mode: no login is needed."


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    if not multi_user(request) or get_viewer(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _form(request, next)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: str = Form("", max_length=100),
    password: str = Form("", max_length=accounts.MAX_PASSWORD),
    next: str = Form("/"),
    settings: Settings = Depends(get_settings),
) -> Response:
    if not multi_user(request):
        return RedirectResponse(safe_next(next), status_code=303)
    store = request.app.state.store
    try:
        user = log_in(request, username, password, "web")
    except LoginBlocked as error:
        response = _form(request, next, username=username, error=str(error), status_code=429)
        response.headers["Retry-After"] = str(error.retry_after_s)
        return response
    except accounts.AuthenticationFailed as error:
        return _form(request, next, username=username, error=str(error), status_code=401)
    issued = accounts.start_session(store, user, settings.session_hours)
    request.state.viewer = user.viewer()
    audit(request, "login", "user", user.id, {"via": "web"})
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(request, response, issued.secret, int(settings.session_hours * 3600))
    return response


@router.api_route("/logout", methods=["GET", "POST"])
def logout(request: Request) -> Response:
    """End the session (a link in the header; the SameSite=Strict cookie keeps other sites from doing it)."""
    token: ApiToken | None = getattr(request.state, "auth_token", None)
    if token is not None and token.kind == "session":
        accounts.revoke_token(request.app.state.store, token.id)
        audit(request, "logout", "session", token.id, {"via": "web"})
    response = RedirectResponse("/login" if multi_user(request) else "/", status_code=303)
    clear_session_cookie(request, response)
    return response


def safe_next(value: str | None) -> str:
    """A path on this site, never another site (``//host``, ``/\\host`` or a full URL become ``/``)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or any(c in value for c in "\r\n\\"):
        return "/"
    return value


def _form(request: Request, next: str, *, username: str = "", error: str | None = None, status_code: int = 200) -> Response:
    return page(request, "login.html", status_code=status_code, title="Log in", next=safe_next(next), username=username,
                error=error, show_filters=False)
