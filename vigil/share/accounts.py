"""Organisations, users, roles, API tokens and login sessions: the rules, over ``vigil.store.accounts``.

Passwords are hashed with argon2id (``argon2-cffi``) and never stored, logged
or returned. A token is ``vgl_`` + 43 URL-safe characters (256 random bits),
shown once when made; the store keeps its SHA-256 digest, so a stolen database
yields no usable token. A token is found by its digest, and the digest read
back is compared in constant time. A login session is a token of kind
``session`` with an expiry (``Settings.session_hours``).

Who may manage what (the API and the CLI both ask here): ``by`` None is the
owner of the database at the CLI and may do anything; an admin manages the
users and tokens of their own organisation; organisations are created and
deactivated by the admins of the instance's own organisation (``local``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from vigil.errors import VigilError
from vigil.model.access import LOCAL_ORG, ROLES, ApiToken, Organisation, User, Viewer
from vigil.store import accounts as rows
from vigil.store.database import Store

TOKEN_PREFIX = "vgl_"
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_used_at is written at most this often per token

ERR_USERNAME = "username: {value!r} is not a valid user name (2 to 100 letters, digits, '.', '_', '-' or '@', starting with a letter or digit)."
ERR_ORG_ID = "organisation id: {value!r} is not valid (2 to 100 lower-case letters, digits or '-', starting with a letter or digit)."
ERR_ORG_NAME = "organisation name: give 1 to 200 characters."
ERR_ROLE = "role: {value!r} is not a role; use one of: {choices}."
ERR_PASSWORD_SHORT = f"password: too short; use at least {MIN_PASSWORD} characters."
ERR_PASSWORD_LONG = f"password: too long; use at most {MAX_PASSWORD} characters."
ERR_TOKEN_NAME = "token name: at most 200 characters."
ERR_EXPIRY_PAST = "expires: {value} is not in the future."
ERR_USER_EXISTS = "username: {value!r} is already taken."
ERR_ORG_EXISTS = "organisation: {value!r} already exists (same id or name)."
ERR_NO_ORG = "organisation: no organisation with id {value!r} (see `vigil orgs list`)."
ERR_ORG_INACTIVE = "organisation: {value!r} is deactivated."
ERR_NO_USER = "user: no user {value!r} (see `vigil users list`)."
ERR_NO_TOKEN = "token: no token with id {value!r} that you may revoke."
ERR_LOCAL_ORG = "organisation: the instance's own organisation {value!r} cannot be deactivated."
ERR_NOT_ADMIN = "Only an admin may {what}."
ERR_OTHER_ORG = "An admin manages only the users of their own organisation ({org})."
ERR_LOCAL_ADMIN = "Only an admin of the instance's own organisation ({org}) may {what}."
ERR_SELF = "You cannot deactivate your own account; ask another admin."
ERR_LOGIN = "Unknown user name or wrong password."

_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{1,99}")
_USER_ID = re.compile(r"[0-9a-f]{32}")  # uuid4().hex: no user name may look like one
_ORG_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,99}")
_TOKEN = re.compile(re.escape(TOKEN_PREFIX) + r"[A-Za-z0-9_-]{43}")
_hasher = PasswordHasher()


class AccountError(VigilError):
    """Bad input for an account operation; the message names the field (HTTP 400)."""


class AccountConflict(AccountError):
    """The user name, organisation id or name is taken (HTTP 409)."""


class UnknownAccount(AccountError):
    """No such user, organisation or token, or none the caller may see (HTTP 404)."""


class NotPermitted(AccountError):
    """The caller's role or organisation does not allow this (HTTP 403)."""


class AuthenticationFailed(VigilError):
    """Wrong user name or password, or an inactive account: one message for all, so nothing leaks (HTTP 401)."""

    def __init__(self) -> None:
        super().__init__(ERR_LOGIN)


@dataclass(frozen=True)
class IssuedToken:
    """A token just made: ``secret`` is the only copy there will ever be."""

    token: ApiToken
    secret: str


@dataclass(frozen=True)
class Resolved:
    """Who a presented token stands for, and the token itself (logout revokes it)."""

    viewer: Viewer
    token: ApiToken


# -- organisations --------------------------------------------------------------------------------
def create_organisation(store: Store, org_id: str, name: str, *, by: Viewer | None = None) -> Organisation:
    """Add an organisation (``by``: an admin of ``local``, or None at the CLI)."""
    _require_local_admin(by, "create organisations")
    org_id = org_id.strip()
    name = " ".join(name.split())
    if not _ORG_ID.fullmatch(org_id):
        raise AccountError(ERR_ORG_ID.format(value=org_id))
    if not 1 <= len(name) <= 200:
        raise AccountError(ERR_ORG_NAME)
    if rows.get_organisation(store, org_id) is not None or rows.organisation_by_name(store, name) is not None:
        raise AccountConflict(ERR_ORG_EXISTS.format(value=org_id))
    organisation = Organisation(id=org_id, name=name, active=True, created_at=_now())
    try:
        return rows.insert_organisation(store, organisation)
    except rows.DuplicateAccount:  # created at the same moment by someone else
        raise AccountConflict(ERR_ORG_EXISTS.format(value=org_id)) from None


def list_organisations(store: Store) -> list[Organisation]:
    return rows.list_organisations(store)


def set_organisation_active(store: Store, org_id: str, active: bool, *, by: Viewer | None = None) -> Organisation:
    """Deactivate (its users and tokens stop working at once) or reactivate an organisation."""
    _require_local_admin(by, "deactivate organisations")
    if org_id == LOCAL_ORG and not active:
        raise AccountError(ERR_LOCAL_ORG.format(value=org_id))
    if not rows.set_organisation_active(store, org_id, active):
        raise UnknownAccount(ERR_NO_ORG.format(value=org_id))
    return rows.get_organisation(store, org_id)  # type: ignore[return-value]


# -- users ------------------------------------------------------------------------------------------
def create_user(
    store: Store, username: str, password: str, role: str = "viewer", org_id: str = LOCAL_ORG, *, by: Viewer | None = None
) -> User:
    """Add a user to an organisation with a role; the password is kept only as its argon2 hash."""
    _require_manager(by, org_id, "create users")
    username = _check_username(username)
    if role not in ROLES:
        raise AccountError(ERR_ROLE.format(value=role, choices=", ".join(ROLES)))
    _check_password(password)
    organisation = rows.get_organisation(store, org_id)
    if organisation is None:
        raise UnknownAccount(ERR_NO_ORG.format(value=org_id))
    if not organisation.active:
        raise AccountError(ERR_ORG_INACTIVE.format(value=org_id))
    if rows.user_by_name(store, username) is not None:
        raise AccountConflict(ERR_USER_EXISTS.format(value=username))
    user = User(id=uuid.uuid4().hex, org_id=org_id, username=username, role=role, active=True, created_at=_now())
    try:
        return rows.insert_user(store, user, _hasher.hash(password))
    except rows.DuplicateAccount:
        raise AccountConflict(ERR_USER_EXISTS.format(value=username)) from None


def get_user(store: Store, user_id: str) -> User:
    """A user by id; ``UnknownAccount`` otherwise."""
    user = rows.get_user(store, user_id)
    if user is None:
        raise UnknownAccount(ERR_NO_USER.format(value=user_id))
    return user


def find_user(store: Store, name_or_id: str) -> User:
    """A user by user name (case-insensitive) or id; ``UnknownAccount`` otherwise."""
    user = rows.user_by_name(store, name_or_id.strip().lower()) or rows.get_user(store, name_or_id.strip())
    if user is None:
        raise UnknownAccount(ERR_NO_USER.format(value=name_or_id))
    return user


def list_users(store: Store, *, by: Viewer | None = None, org_id: str | None = None) -> list[User]:
    """Users (of ``org_id`` when given); an admin sees their own organisation's (``local`` admins: any)."""
    if by is not None:
        org_id = org_id or by.org_id
        _require_manager(by, org_id, "list users")
    return rows.list_users(store, org_id)


def set_user_active(store: Store, name_or_id: str, active: bool, *, by: Viewer | None = None) -> User:
    """Deactivate (revoking every token and session) or reactivate a user."""
    user = find_user(store, name_or_id)
    _require_manager(by, user.org_id, "deactivate users")
    if by is not None and by.user_id == user.id and not active:
        raise NotPermitted(ERR_SELF)
    rows.set_user_active(store, user.id, active)
    if not active:
        rows.revoke_user_tokens(store, user.id, _now(), ("token", "session"))
    return rows.get_user(store, user.id)  # type: ignore[return-value]


def set_password(store: Store, name_or_id: str, password: str, *, by: Viewer | None = None) -> User:
    """Give a user a new password; their login sessions end (API tokens stay)."""
    user = find_user(store, name_or_id)
    if by is None or by.user_id != user.id:
        _require_manager(by, user.org_id, "set other users' passwords")
    _check_password(password)
    rows.set_password_hash(store, user.id, _hasher.hash(password))
    rows.revoke_user_tokens(store, user.id, _now(), ("session",))
    return user


def authenticate(store: Store, username: str, password: str) -> User:
    """The user these credentials belong to; ``AuthenticationFailed`` for a wrong name or password or an inactive account."""
    found = rows.credentials(store, username.strip().lower()) if _USERNAME.fullmatch(username.strip()) else None
    hashed = found.password_hash if found is not None else _dummy_hash()
    try:
        _hasher.verify(hashed, password)
        verified = found is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        verified = False
    if not verified or found is None or not found.user.active or not found.org_active:
        raise AuthenticationFailed()
    if _hasher.check_needs_rehash(found.password_hash):  # parameters raised since it was stored
        rows.set_password_hash(store, found.user.id, _hasher.hash(password))
    return found.user


# -- tokens and sessions -----------------------------------------------------------------------------
def create_token(
    store: Store, user: User, name: str | None = None, *, expires_at: dt.datetime | None = None, by: Viewer | None = None
) -> IssuedToken:
    """A new API token for ``user`` (themselves, their admin, or the CLI); its secret is returned once."""
    if by is not None and by.user_id != user.id:
        _require_manager(by, user.org_id, "create tokens for other users")
    return _issue(store, user.id, user.org_id, "token", name, expires_at)


def start_session(store: Store, user: User, hours: float) -> IssuedToken:
    """A login session for the dashboard, ending after ``hours``."""
    return _issue(store, user.id, user.org_id, "session", "login", _now() + dt.timedelta(hours=hours))


def create_partner_token(
    store: Store, org_id: str, name: str | None = None, *, expires_at: dt.datetime | None = None, by: Viewer | None = None
) -> IssuedToken:
    """A token for another instance of ``org_id`` (no user; it reads as a viewer of that organisation)."""
    _require_local_admin(by, "create partner tokens")
    if rows.get_organisation(store, org_id) is None:
        raise UnknownAccount(ERR_NO_ORG.format(value=org_id))
    return _issue(store, None, org_id, "partner", name, expires_at)


def list_tokens(
    store: Store, *, by: Viewer | None = None, user: User | None = None, include_revoked: bool = False
) -> list[ApiToken]:
    """Tokens of ``user`` (default: the caller's own); admins may list their organisation's users'."""
    if user is not None and by is not None and by.user_id != user.id:
        _require_manager(by, user.org_id, "list other users' tokens")
    user_id = user.id if user is not None else (by.user_id if by is not None else None)
    return rows.list_tokens(store, user_id=user_id, include_revoked=include_revoked)


def revoke_token(store: Store, token_id: str, *, by: Viewer | None = None) -> ApiToken:
    """Revoke a token at once: the caller's own, one of their organisation's (admins), or any (CLI)."""
    token = rows.get_token(store, token_id)
    if token is None or token.revoked_at is not None or not _may_revoke(by, token):
        raise UnknownAccount(ERR_NO_TOKEN.format(value=token_id))
    if not rows.revoke_token(store, token.id, _now()):
        raise UnknownAccount(ERR_NO_TOKEN.format(value=token_id))
    return rows.get_token(store, token.id)  # type: ignore[return-value]


def resolve_token(store: Store, secret: str | None, *, kinds: tuple[str, ...] | None = None) -> Resolved | None:
    """Who ``secret`` stands for, or None: malformed, unknown, revoked, expired, or its user or organisation inactive.

    ``kinds`` limits which kinds count (the session cookie accepts only sessions).
    """
    if not secret or not _TOKEN.fullmatch(secret):
        return None
    digest = token_digest(secret)
    owner = rows.token_owner(store, digest)
    if owner is None:
        return None
    if not hmac.compare_digest(owner.token_hash.encode("ascii"), digest.encode("ascii")):
        return None
    token, now = owner.token, _now()
    if kinds is not None and token.kind not in kinds:
        return None
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now) or not owner.org_active:
        return None
    if token.kind == "partner":
        viewer = Viewer(user_id=None, org_id=token.org_id, role="viewer", username=f"partner:{token.org_id}")
    elif owner.user is None or not owner.user.active:
        return None
    else:
        viewer = owner.user.viewer()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        rows.touch_token(store, token.id, now)
    return Resolved(viewer=viewer, token=token)


def token_digest(secret: str) -> str:
    """The SHA-256 hex digest the store keeps in place of a token."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# -- helpers -------------------------------------------------------------------------------------------
def _issue(
    store: Store, user_id: str | None, org_id: str, kind: str, name: str | None, expires_at: dt.datetime | None
) -> IssuedToken:
    if name is not None and len(name) > 200:
        raise AccountError(ERR_TOKEN_NAME)
    if expires_at is not None:
        expires_at = expires_at.replace(tzinfo=dt.timezone.utc) if expires_at.tzinfo is None else expires_at
        if expires_at <= _now():
            raise AccountError(ERR_EXPIRY_PAST.format(value=expires_at.isoformat()))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        id=secrets.token_hex(8), user_id=user_id, org_id=org_id, kind=kind, name=name, created_at=_now(),
        expires_at=expires_at,
    )
    return IssuedToken(token=rows.insert_token(store, token, token_digest(secret)), secret=secret)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Checked against when the user name is unknown, so a wrong name costs the time of a wrong password."""
    return _hasher.hash(secrets.token_urlsafe(16))


def _may_revoke(by: Viewer | None, token: ApiToken) -> bool:
    if by is None:
        return True
    if token.user_id is not None and token.user_id == by.user_id:
        return True
    return by.is_admin and (by.org_id == token.org_id or by.org_id == LOCAL_ORG)


def _require_manager(by: Viewer | None, org_id: str, what: str) -> None:
    """``by`` administers ``org_id``: None (the CLI), an admin of it, or an admin of ``local``."""
    if by is None:
        return
    if not by.is_admin:
        raise NotPermitted(ERR_NOT_ADMIN.format(what=what))
    if by.org_id != org_id and by.org_id != LOCAL_ORG:
        raise NotPermitted(ERR_OTHER_ORG.format(org=by.org_id))


def _require_local_admin(by: Viewer | None, what: str) -> None:
    if by is None:
        return
    if not by.is_admin:
        raise NotPermitted(ERR_NOT_ADMIN.format(what=what))
    if by.org_id != LOCAL_ORG:
        raise NotPermitted(ERR_LOCAL_ADMIN.format(org=LOCAL_ORG, what=what))


def _check_username(username: str) -> str:
    cleaned = username.strip()
    if not _USERNAME.fullmatch(cleaned) or _USER_ID.fullmatch(cleaned.lower()):
        raise AccountError(ERR_USERNAME.format(value=username))
    return cleaned.lower()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(ERR_PASSWORD_SHORT)
    if len(password) > MAX_PASSWORD:
        raise AccountError(ERR_PASSWORD_LONG)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
