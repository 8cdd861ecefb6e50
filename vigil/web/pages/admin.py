"""``/admin/audit`` and ``/admin/users``: the audit log (with its CSV / JSON Lines export) and the users page.

Admins only in multi-user mode (a 403 page for others); an admin sees their
own organisation's entries and users. In single-user mode the owner sees
everything, as at the CLI. The users page's forms post here and call
``vigil.share.accounts`` (which checks the admin's rights again) and audit the change.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from vigil.api.auth import audit, multi_user
from vigil.api.deps import get_viewer
from vigil.model.access import ROLES, Viewer
from vigil.share import accounts
from vigil.share import audit as audit_log
from vigil.store.audit import AuditFilter
from vigil.web.errors import PageError
from vigil.web.templating import page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 100
AUDIT_PARAMS = ("since", "until", "action", "user")
ERR_ADMIN = "Only an admin may see this page."


def admin_viewer(request: Request) -> Viewer | None:
    """The admin looking (None in single-user mode); a 403 page for anyone else."""
    viewer = get_viewer(request)
    if multi_user(request) and (viewer is None or not viewer.is_admin):
        raise PageError(403, ERR_ADMIN, title="Admins only")
    return viewer


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(request: Request, viewer: Viewer | None = Depends(admin_viewer)) -> HTMLResponse:
    from vigil.api.routers.admin import audit_filter  # the API's parsing of the same parameters

    params = {name: request.query_params.get(name) or None for name in AUDIT_PARAMS}
    offset = _whole(request.query_params.get("offset"))
    filter: AuditFilter = audit_filter(request, **params, record_type=None, record_id=None, limit=PAGE_SIZE, offset=offset)
    entries, total = audit_log.list_entries(request.app.state.store, filter)
    query = {name: value for name, value in params.items() if value}
    return page(
        request, "admin_audit.html", title="Audit log", entries=entries, total=total, offset=offset, size=PAGE_SIZE,
        params=query, query=urlencode(query), show_filters=False,
    )


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, viewer: Viewer | None = Depends(admin_viewer)) -> HTMLResponse:
    return _users(request, viewer)


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(
    request: Request,
    username: str = Form("", max_length=100),
    password: str = Form("", max_length=accounts.MAX_PASSWORD),
    role: str = Form("viewer"),
    viewer: Viewer | None = Depends(admin_viewer),
) -> Response:
    org_id = viewer.org_id if viewer else accounts.LOCAL_ORG
    try:
        user = accounts.create_user(request.app.state.store, username, password, role, org_id, by=viewer)
    except accounts.AccountError as error:
        return _users(request, viewer, error=str(error), status_code=400)
    audit(request, "user_created", "user", user.id, {"username": user.username, "role": user.role, "org_id": org_id, "via": "web"})
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/{action}", response_class=HTMLResponse)
def set_active(request: Request, user_id: str, action: str, viewer: Viewer | None = Depends(admin_viewer)) -> Response:
    if action not in ("activate", "deactivate"):
        raise PageError(404, f"There is no page at {request.url.path}.", title="Error 404")
    try:
        user = accounts.set_user_active(request.app.state.store, accounts.get_user(request.app.state.store, user_id).id,
                                        action == "activate", by=viewer)
    except accounts.AccountError as error:
        return _users(request, viewer, error=str(error), status_code=400)
    audit(request, f"user_{action}d", "user", user.id, {"username": user.username, "via": "web"})
    return RedirectResponse("/admin/users", status_code=303)


def _users(request: Request, viewer: Viewer | None, *, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    users = accounts.list_users(request.app.state.store, by=viewer)
    return page(request, "admin_users.html", status_code=status_code, title="Users", users=users, roles=ROLES,
                error=error, me=viewer, show_filters=False)


def _whole(value: str | None) -> int:
    try:
        return max(int(value or 0), 0)
    except ValueError:
        return 0
