"""Who is asking: authentication of every request in multi-user mode, and the role checks of routes.

With ``Settings.auth_mode == "multi"`` the middleware installed by
``install_auth`` runs before any route or page. It reads ``Authorization:
Bearer <token>`` (API tokens, partner tokens) or the login session cookie, puts
the ``Viewer`` on ``request.state.viewer`` (which ``deps.get_store`` hands to the
store's query-level policy) and refuses the rest: 401 JSON with
``WWW-Authenticate`` for the API (and any client asking for JSON), a redirect
to ``/login`` for dashboard pages. Only the login page, the login route and
the static files are open. A state-changing request whose ``Origin`` is another
site is refused (403), whatever its credentials.

Roles: ``require_role("analyst")`` is a dependency that answers 403 to a lower
role; ``writes_need_analyst`` is put on every data router by ``create_app``, so
a POST, PUT, PATCH or DELETE added to any of them later is covered without a
line of its own. In single-user mode nothing is checked and
``request.state.viewer`` stays unset.

``audit`` records an action of the current request; ``audit_current`` does the
same for code that has no request at hand (the export responses), through a
context variable the middleware sets.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, RedirectResponse, Response

from vigil.api.deps import get_viewer
from vigil.api.errors import API_PREFIX, ApiError, error_body
from vigil.model.access import ROLES, User, Viewer
from vigil.share import accounts
from vigil.share import audit as audit_log
from vigil.share.login_guard import LoginBlocked, LoginGuard

SESSION_COOKIE = "vigil_session"
TAXII_PREFIX = "/taxii2/"  # vigil.api.routers.taxii
TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
LOGIN_PATH = "/login"
LOGIN_ROUTE = API_PREFIX + "/auth/login"
PUBLIC_PATHS = frozenset({LOGIN_PATH, LOGIN_ROUTE})
PUBLIC_PREFIXES = ("/static/",)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Non-GET API routes any logged-in user may call (their own session and tokens); every other one needs analyst.
OPEN_TO_EVERY_ROLE = frozenset({
    ("POST", LOGIN_ROUTE), ("POST", API_PREFIX + "/auth/logout"), ("POST", API_PREFIX + "/tokens"),
    ("DELETE", API_PREFIX + "/tokens/{token_id}"),
})
_RANK = {role: rank for rank, role in enumerate(reversed(ROLES))}  # viewer 0, analyst 1, admin 2

ERR_LOGIN_NEEDED = "Log in first: send 'Authorization: Bearer <token>' or log in at POST /api/auth/login."
ERR_BAD_TOKEN = "The token is not valid: unknown, revoked or expired, or its account is deactivated."
ERR_BAD_SESSION = "The login session has ended or is not valid; log in again."
ERR_ROLE = "This needs the {role} role; you are {username} ({actual})."
ERR_CROSS_SITE = "A request from another site ({origin}) may not change anything here."

_current: ContextVar[Request | None] = ContextVar("vigil_request", default=None)


def multi_user(request: Request) -> bool:
    return request.app.state.settings.auth_mode == "multi"


def require_role(role: str) -> Callable[[Request], Viewer | None]:
    """A dependency: the viewer, if their role is at least ``role`` (403 otherwise; nothing checked in single mode)."""
    if role not in _RANK:
        raise ValueError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")

    def check(request: Request) -> Viewer | None:
        if not multi_user(request):
            return None
        viewer = get_viewer(request)
        if viewer is None:  # the middleware lets no one through without one; be safe anyway
            raise ApiError(401, ERR_LOGIN_NEEDED)
        if _RANK.get(viewer.role, -1) < _RANK[role]:
            raise ApiError(403, ERR_ROLE.format(role=role, username=viewer.username, actual=viewer.role))
        return viewer

    check.required_role = role  # type: ignore[attr-defined]  (read by the route-walking test)
    return check


_need_analyst = require_role("analyst")


def writes_need_analyst(request: Request) -> None:
    """A router-wide dependency: reads are open to every role, anything else needs analyst."""
    if request.method not in SAFE_METHODS:
        _need_analyst(request)


writes_need_analyst.required_role = "analyst"  # type: ignore[attr-defined]


def install_auth(app: FastAPI) -> None:
    """Authenticate every request in multi-user mode; in both modes, let ``audit_current`` find the request."""

    @app.middleware("http")
    async def authenticate(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        reset = _current.set(request)
        try:
            if not multi_user(request):
                return await call_next(request)
            refused = await run_in_threadpool(_identify, request)
            if refused is not None:
                return refused
            return await call_next(request)
        finally:
            _current.reset(reset)


def audit(
    request: Request, action: str, record_type: str | None = None, record_id: object = None,
    detail: Mapping[str, Any] | None = None, *, username: str | None = None, org_id: str | None = None,
) -> None:
    """Record ``action`` by the request's viewer, from the request's address."""
    audit_log.record(
        request.app.state.store, get_viewer(request), action, record_type,
        None if record_id is None else str(record_id), detail, client_address(request), username=username,
        org_id=org_id,
    )


def audit_current(action: str, record_type: str | None = None, record_id: object = None,
                  detail: Mapping[str, Any] | None = None) -> None:
    """Record ``action`` for the request being served (no-op outside one, e.g. a library call in a test)."""
    request = _current.get()
    if request is not None:
        audit(request, action, record_type, record_id, detail)


def log_in(request: Request, username: str, password: str, via: str) -> User:
    """Check a login through the app's ``LoginGuard``, auditing failures and refusals.

    Raises ``LoginBlocked`` (without checking the password) after too many recent failures
    for this user name or address, else ``AuthenticationFailed`` for wrong credentials. The
    API route and the dashboard's form both log in here.
    """
    store = request.app.state.store
    guard: LoginGuard = request.app.state.login_guard
    address = client_address(request)
    name = username.strip()[:100]
    try:
        guard.check(username, address)
    except LoginBlocked as blocked:
        audit(request, "login_blocked", "user", None, {"via": via, "retry_after_s": blocked.retry_after_s},
              username=name or None, org_id=_org_of(store, name))
        raise
    try:
        user = accounts.authenticate(store, username, password)
    except accounts.AuthenticationFailed:
        guard.failed(username, address)
        audit(request, "login_failed", "user", None, {"via": via}, username=name or None, org_id=_org_of(store, name))
        raise
    guard.succeeded(username)
    return user


def _org_of(store: Any, username: str) -> str | None:  # noqa: ANN401 (a Store)
    """The organisation of the user name tried, for the audit log (None when there is no such user)."""
    if not username:
        return None
    try:
        return accounts.find_user(store, username).org_id
    except accounts.AccountError:
        return None


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def set_session_cookie(request: Request, response: Response, secret: str, max_age_s: int) -> None:
    """HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure over HTTPS."""
    response.set_cookie(
        SESSION_COOKIE, secret, max_age=max_age_s, httponly=True, samesite="strict",
        secure=request.url.scheme == "https", path="/",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/")


# -- the middleware's work ------------------------------------------------------------------------
def _identify(request: Request) -> Response | None:
    """Put the viewer on ``request.state``; or the response refusing the request."""
    if request.method not in SAFE_METHODS and not _same_origin(request):
        return _refuse(403, ERR_CROSS_SITE.format(origin=request.headers.get("origin")), path=request.url.path)
    path = request.url.path
    store = request.app.state.store
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, secret = header.partition(" ")
        found = accounts.resolve_token(store, secret.strip(), kinds=("token", "partner")) if scheme.lower() == "bearer" else None
        if found is None:
            return _refuse(401, ERR_BAD_TOKEN, error="invalid_token", path=path)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        found = accounts.resolve_token(store, cookie, kinds=("session",)) if cookie else None
        if found is None and _is_public(path):
            return None
        if found is None:
            if _wants_page(request):
                response = RedirectResponse(f"{LOGIN_PATH}?next={quote(_here(request), safe='/')}", status_code=303)
                if cookie:
                    clear_session_cookie(request, response)
                return response
            return _refuse(401, ERR_BAD_SESSION if cookie else ERR_LOGIN_NEEDED, error="invalid_token" if cookie else None,
                           path=path)
    request.state.viewer = found.viewer
    request.state.auth_token = found.token
    return None


def _refuse(status: int, message: str, *, error: str | None = None, path: str = "") -> JSONResponse:
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="vigil"' + (f', error="{error}"' if error else "")
    if path.startswith(TAXII_PREFIX):  # the TAXII server's clients expect TAXII error messages
        body = {"title": "Unauthorized" if status == 401 else "Forbidden", "description": message, "http_status": str(status)}
        return JSONResponse(body, status_code=status, headers=headers, media_type=TAXII_MEDIA_TYPE)
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)


def _is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def _wants_page(request: Request) -> bool:
    """A browser asking for a dashboard page (not the API, not a client that wants JSON)."""
    path = request.url.path
    if path == API_PREFIX or path.startswith((API_PREFIX + "/", TAXII_PREFIX)):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "json" not in accept


def _same_origin(request: Request) -> bool:
    """No ``Origin`` (not a browser, or a same-origin GET), or one naming this host."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == request.headers.get("host", "").lower()


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def as_api_error(error: Exception) -> ApiError:
    """An account error as the API answers it: 401, 403, 404, 409, 429 or 400."""
    if isinstance(error, LoginBlocked):
        return ApiError(429, str(error), {"Retry-After": str(error.retry_after_s)})
    if isinstance(error, accounts.AuthenticationFailed):
        return ApiError(401, str(error))
    if isinstance(error, accounts.NotPermitted):
        return ApiError(403, str(error))
    if isinstance(error, accounts.UnknownAccount):
        return ApiError(404, str(error))
    if isinstance(error, accounts.AccountConflict):
        return ApiError(409, str(error))
    return ApiError(400, str(error))
