"""Administration: users, organisations and the audit log (over ``vigil.share.accounts`` and ``vigil.share.audit``).

Admins manage the users of their own organisation; admins of the instance's
own organisation (``local``) also manage organisations and may add users to
any. The audit log shows an admin their organisation's entries, as a page of
JSON or a CSV / JSON Lines download. Every change is written to the audit log.
In single-user mode these routes act for the database's owner, as the CLI does.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from vigil.api.auth import as_api_error, audit, require_role
from vigil.api.deps import get_viewer
from vigil.api.errors import bad_request
from vigil.api.schemas import ErrorResponse
from vigil.model.access import ROLES, AuditEntry, Organisation, User, Viewer
from vigil.share import accounts
from vigil.share import audit as audit_log
from vigil.store.audit import AuditFilter
from vigil.store.views import Page

router = APIRouter(
    tags=["administration"],
    responses={400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
)
_admin = require_role("admin")
_analyst = require_role("analyst")
EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
ERR_DATE = "{name}: {value!r} is not a date or time; use YYYY-MM-DD or YYYY-MM-DDTHH:MM."


class UserInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(max_length=100)
    password: str = Field(max_length=accounts.MAX_PASSWORD, description=f"at least {accounts.MIN_PASSWORD} characters")
    role: str = Field(default="viewer", description=", ".join(ROLES))
    org_id: Optional[str] = Field(default=None, description="default: your organisation")


class PasswordInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(max_length=accounts.MAX_PASSWORD)


class OrganisationInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(max_length=100, examples=["un-monitoring-team"])
    name: str = Field(max_length=200, examples=["UN Monitoring Team"])


# -- users ------------------------------------------------------------------------------------------
@router.get("/users", response_model=list[User], summary="List users")
def list_users(
    request: Request, org: Optional[str] = Query(None, description="Organisation id (default: yours)"),
    viewer: Viewer | None = Depends(_admin),
) -> list[User]:
    try:
        return accounts.list_users(request.app.state.store, by=viewer, org_id=org)
    except accounts.AccountError as error:
        raise as_api_error(error) from None


@router.post("/users", response_model=User, status_code=201, summary="Create a user")
def create_user(body: UserInput, request: Request, viewer: Viewer | None = Depends(_admin)) -> User:
    org_id = body.org_id or (viewer.org_id if viewer else accounts.LOCAL_ORG)
    try:
        user = accounts.create_user(request.app.state.store, body.username, body.password, body.role, org_id, by=viewer)
    except accounts.AccountError as error:
        raise as_api_error(error) from None
    audit(request, "user_created", "user", user.id, {"username": user.username, "role": user.role, "org_id": user.org_id})
    return user


@router.post("/users/{user}/deactivate", response_model=User, summary="Deactivate a user (revokes their tokens)")
def deactivate_user(user: str, request: Request, viewer: Viewer | None = Depends(_admin)) -> User:
    return _set_user_active(request, user, False, viewer)


@router.post("/users/{user}/activate", response_model=User, summary="Reactivate a user")
def activate_user(user: str, request: Request, viewer: Viewer | None = Depends(_admin)) -> User:
    return _set_user_active(request, user, True, viewer)


@router.post("/users/{user}/password", response_model=User, summary="Set a user's password (ends their sessions)")
def set_password(user: str, body: PasswordInput, request: Request, viewer: Viewer | None = Depends(_admin)) -> User:
    try:
        changed = accounts.set_password(request.app.state.store, user, body.password, by=viewer)
    except accounts.AccountError as error:
        raise as_api_error(error) from None
    audit(request, "password_set", "user", changed.id, {"username": changed.username})
    return changed


def _set_user_active(request: Request, user: str, active: bool, viewer: Viewer | None) -> User:
    try:
        changed = accounts.set_user_active(request.app.state.store, user, active, by=viewer)
    except accounts.AccountError as error:
        raise as_api_error(error) from None
    audit(request, "user_activated" if active else "user_deactivated", "user", changed.id, {"username": changed.username})
    return changed


# -- organisations ----------------------------------------------------------------------------------
@router.get("/organisations", response_model=list[Organisation], dependencies=[Depends(_analyst)],
            summary="List organisations")
def list_organisations(request: Request) -> list[Organisation]:
    """Every organisation of the instance (analysts need them to share records)."""
    return accounts.list_organisations(request.app.state.store)


@router.post("/organisations", response_model=Organisation, status_code=201, summary="Create an organisation")
def create_organisation(body: OrganisationInput, request: Request, viewer: Viewer | None = Depends(_admin)) -> Organisation:
    try:
        organisation = accounts.create_organisation(request.app.state.store, body.id, body.name, by=viewer)
    except accounts.AccountError as error:
        raise as_api_error(error) from None
    audit(request, "organisation_created", "organisation", organisation.id, {"name": organisation.name})
    return organisation


@router.post("/organisations/{org_id}/deactivate", response_model=Organisation, summary="Deactivate an organisation")
def deactivate_organisation(org_id: str, request: Request, viewer: Viewer | None = Depends(_admin)) -> Organisation:
    return _set_organisation_active(request, org_id, False, viewer)


@router.post("/organisations/{org_id}/activate", response_model=Organisation, summary="Reactivate an organisation")
def activate_organisation(org_id: str, request: Request, viewer: Viewer | None = Depends(_admin)) -> Organisation:
    return _set_organisation_active(request, org_id, True, viewer)


def _set_organisation_active(request: Request, org_id: str, active: bool, viewer: Viewer | None) -> Organisation:
    try:
        changed = accounts.set_organisation_active(request.app.state.store, org_id, active, by=viewer)
    except accounts.AccountError as error:
        raise as_api_error(error) from None
    audit(request, "organisation_activated" if active else "organisation_deactivated", "organisation", org_id)
    return changed


# -- audit log --------------------------------------------------------------------------------------
def audit_filter(
    request: Request,
    since: Optional[str] = Query(None, description="From this day or instant (UTC), YYYY-MM-DD[THH:MM]"),
    until: Optional[str] = Query(None, description="Up to this day (inclusive) or instant (UTC)"),
    action: Optional[str] = Query(None, description="e.g. login, login_failed, export, token_revoked"),
    user: Optional[str] = Query(None, description="User name"),
    record_type: Optional[str] = Query(None, description="e.g. document, event, user, token"),
    record_id: Optional[str] = Query(None),
    limit: int = Query(100, ge=1, le=1000, description="Entries per page (exports: all unless given)"),
    offset: int = Query(0, ge=0),
) -> AuditFilter:
    """The filter of an audit read; an admin's is limited to their organisation."""
    viewer = get_viewer(request)
    try:
        return AuditFilter(
            since=_instant("since", since, end_of_day=False), until=_instant("until", until, end_of_day=True),
            org_id=viewer.org_id if viewer is not None else None, username=user.strip().lower() if user else None,
            action=action, record_type=record_type, record_id=record_id,
            limit=None if "limit" not in request.query_params and request.query_params.get("format") else limit,
            offset=offset,
        )
    except ValueError as error:
        raise bad_request(str(error)) from None


@router.get("/audit", response_model=Page[AuditEntry], dependencies=[Depends(_admin)], summary="Read the audit log",
            responses={200: {"content": {"application/json": {}, "text/csv": {}, "application/x-ndjson": {}}}})
def read_audit(
    request: Request,
    filter: AuditFilter = Depends(audit_filter),
    format: Optional[Literal["csv", "jsonl"]] = Query(None, description="Download every match as csv or jsonl"),
) -> Page[AuditEntry] | Response:
    """Entries newest first (your organisation's); ``format=csv|jsonl`` downloads them (the download is audited)."""
    store = request.app.state.store
    if format is None:
        entries, total = audit_log.list_entries(store, filter)
        return Page[AuditEntry](items=entries, total=total, limit=filter.limit, offset=filter.offset)
    body, rows = audit_log.export_entries(store, filter, format)
    audit(request, "export", "audit_log", None, {"format": format, "rows": rows})
    headers = {"Content-Disposition": f'attachment; filename="vigil-audit.{format}"'}
    return Response(content=body, media_type=EXPORT_TYPES[format], headers=headers)


def _instant(name: str, value: Optional[str], *, end_of_day: bool) -> dt.datetime | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min)
        else:
            moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise bad_request(ERR_DATE.format(name=name, value=value)) from None
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment
