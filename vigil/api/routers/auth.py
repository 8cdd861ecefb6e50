"""Logging in and out, who am I, and one's own API tokens (over ``vigil.share.accounts``).

``POST /auth/login`` answers with the user and sets the session cookie
(HttpOnly, SameSite=Strict); the session's secret is never in a response body.
``POST /tokens`` shows a new token's secret once. Every login (and failed
login), logout, token creation and revocation is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from vigil.api.auth import (
    as_api_error,
    audit,
    clear_session_cookie,
    log_in,
    multi_user,
    require_role,
    set_session_cookie,
)
from vigil.api.deps import get_settings, get_viewer
from vigil.api.errors import ApiError
from vigil.api.schemas import ErrorResponse
from vigil.model.access import ApiToken, Organisation, User, Viewer
from vigil.settings import Settings
from vigil.share import accounts
from vigil.share.login_guard import LoginBlocked

router = APIRouter(tags=["accounts"], responses={400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}})
ERR_SINGLE = "Vigil runs in single-user mode (VIGIL_AUTH=single): there are no logins or user tokens; set VIGIL_AUTH=multi."
_logged_in = require_role("viewer")


class LoginInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=accounts.MAX_PASSWORD)


class LoginResult(BaseModel):
    user: User
    expires_at: dt.datetime = Field(description="when the session ends")


class Me(BaseModel):
    mode: str = Field(description="single (no logins) or multi")
    user: Optional[User] = None
    organisation: Optional[Organisation] = None
    via: Optional[str] = Field(default=None, description="session, token or partner")


class TokenInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Optional[str] = Field(default=None, max_length=200, description="what the token is for")
    expires_in_days: Optional[int] = Field(default=None, ge=1, le=3650, description="default: never expires")


class IssuedToken(BaseModel):
    token: ApiToken
    secret: str = Field(description="the token to send as 'Authorization: Bearer <secret>'; shown this once only")


class LoggedOut(BaseModel):
    logged_out: bool


@router.post("/auth/login", response_model=LoginResult, summary="Log in (sets the session cookie)")
def login(
    body: LoginInput, request: Request, response: Response, settings: Settings = Depends(get_settings)
) -> LoginResult:
    """Check the user name and password; start a session of ``session_hours`` (401 for wrong credentials; 429 with Retry-After after too many failures)."""
    if not multi_user(request):
        raise ApiError(400, ERR_SINGLE)
    store = request.app.state.store
    try:
        user = log_in(request, body.username, body.password, "api")
    except (accounts.AuthenticationFailed, LoginBlocked) as error:
        raise as_api_error(error) from None
    issued = accounts.start_session(store, user, settings.session_hours)
    request.state.viewer = user.viewer()
    audit(request, "login", "user", user.id, {"via": "api"})
    set_session_cookie(request, response, issued.secret, int(settings.session_hours * 3600))
    return LoginResult(user=user, expires_at=issued.token.expires_at)  # type: ignore[arg-type]


@router.post("/auth/logout", response_model=LoggedOut, dependencies=[Depends(_logged_in)], summary="Log out")
def logout(request: Request, response: Response) -> LoggedOut:
    """End the current login session (its cookie stops working at once). API tokens are revoked with DELETE /tokens/{id}."""
    token: ApiToken | None = getattr(request.state, "auth_token", None)
    if token is not None and token.kind == "session":
        accounts.revoke_token(request.app.state.store, token.id)
        audit(request, "logout", "session", token.id)
    clear_session_cookie(request, response)
    return LoggedOut(logged_out=token is not None and token.kind == "session")


@router.get("/auth/me", response_model=Me, summary="Who am I")
def me(request: Request, viewer: Viewer | None = Depends(get_viewer)) -> Me:
    if not multi_user(request) or viewer is None:
        return Me(mode=request.app.state.settings.auth_mode)
    token: ApiToken | None = getattr(request.state, "auth_token", None)
    store = request.app.state.store
    user = accounts.get_user(store, viewer.user_id) if viewer.user_id else None
    organisation = next((o for o in accounts.list_organisations(store) if o.id == viewer.org_id), None)
    return Me(mode="multi", user=user, organisation=organisation, via=token.kind if token else None)


@router.post("/tokens", response_model=IssuedToken, status_code=201, dependencies=[Depends(_logged_in)],
             summary="Create an API token (shown once)")
def create_token(body: TokenInput, request: Request, viewer: Viewer | None = Depends(get_viewer)) -> IssuedToken:
    """A token for yourself, with your role; keep the secret: it cannot be shown again."""
    if viewer is None or viewer.user_id is None:
        raise ApiError(400, ERR_SINGLE)
    store = request.app.state.store
    expires = None
    if body.expires_in_days is not None:
        expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=body.expires_in_days)
    try:
        issued = accounts.create_token(store, accounts.get_user(store, viewer.user_id), body.name, expires_at=expires, by=viewer)
    except accounts.AccountError as error:
        raise as_api_error(error) from None
    audit(request, "token_created", "token", issued.token.id, {"name": body.name, "expires_at": _iso(expires)})
    return IssuedToken(token=issued.token, secret=issued.secret)


@router.get("/tokens", response_model=list[ApiToken], dependencies=[Depends(_logged_in)], summary="List API tokens")
def list_tokens(
    request: Request,
    user: Optional[str] = Query(None, description="Another user's name (admins, for their organisation)"),
    revoked: bool = Query(False, description="Include revoked tokens and ended sessions"),
    viewer: Viewer | None = Depends(get_viewer),
) -> list[ApiToken]:
    """Your tokens and sessions (never their secrets), newest first."""
    store = request.app.state.store
    try:
        owner = accounts.find_user(store, user) if user else None
        return accounts.list_tokens(store, by=viewer, user=owner, include_revoked=revoked)
    except accounts.AccountError as error:
        raise as_api_error(error) from None


@router.delete("/tokens/{token_id}", response_model=ApiToken, dependencies=[Depends(_logged_in)], summary="Revoke a token")
def revoke_token(token_id: str, request: Request, viewer: Viewer | None = Depends(get_viewer)) -> ApiToken:
    """Revoke one of your tokens (admins: any of their organisation's); it stops working at once."""
    try:
        token = accounts.revoke_token(request.app.state.store, token_id, by=viewer)
    except accounts.AccountError as error:
        raise as_api_error(error) from None
    audit(request, "token_revoked", "token", token.id, {"owner": token.user_id, "kind": token.kind})
    return token


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
