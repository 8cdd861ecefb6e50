"""Organisations, users and API tokens in the store: the one place that maps them to rows and back.

Rules (who may do what, hashing, token secrets) live in ``vigil.share.accounts``;
this module only reads and writes. It never sees a password or a token in
clear: it stores and compares their hashes. A write that breaks a unique key
(a username, an organisation name, a token hash) raises ``DuplicateAccount``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from vigil.errors import StoreError
from vigil.model.access import ApiToken, Organisation, User
from vigil.store.database import Store, describe_error
from vigil.store.mapping import as_utc
from vigil.store.tables import ApiTokenRow, OrganisationRow, UserRow

ERR_WRITE = "Could not write the accounts: {reason}"


class DuplicateAccount(StoreError):
    """A username, organisation id or name, or token hash that is already stored."""


@dataclass(frozen=True)
class Credentials:
    """A user with their password hash, for checking a login (never leaves ``vigil.share.accounts``)."""

    user: User
    password_hash: str
    org_active: bool


@dataclass(frozen=True)
class TokenOwner:
    """A stored token, the user it belongs to (None for a partner token) and whether their organisation is active."""

    token: ApiToken
    token_hash: str
    user: User | None
    org_active: bool


def organisation_from_row(row: OrganisationRow) -> Organisation:
    return Organisation(id=row.id, name=row.name, active=row.active, created_at=as_utc(row.created_at))


def user_from_row(row: UserRow) -> User:
    return User(
        id=row.id, org_id=row.org_id, username=row.username, role=row.role, active=row.active,
        created_at=as_utc(row.created_at),
    )


def token_from_row(row: ApiTokenRow) -> ApiToken:
    return ApiToken(
        id=row.id, user_id=row.user_id, org_id=row.org_id, kind=row.kind, name=row.name,
        created_at=as_utc(row.created_at), last_used_at=_utc(row.last_used_at), expires_at=_utc(row.expires_at),
        revoked_at=_utc(row.revoked_at),
    )


# -- organisations --------------------------------------------------------------------------
def insert_organisation(store: Store, organisation: Organisation) -> Organisation:
    _write(store, OrganisationRow(**organisation.model_dump()))
    return organisation


def get_organisation(store: Store, org_id: str) -> Organisation | None:
    with store.session() as session:
        row = session.get(OrganisationRow, org_id)
        return None if row is None else organisation_from_row(row)


def organisation_by_name(store: Store, name: str) -> Organisation | None:
    with store.session() as session:
        row = session.scalar(select(OrganisationRow).where(OrganisationRow.name == name))
        return None if row is None else organisation_from_row(row)


def list_organisations(store: Store) -> list[Organisation]:
    with store.session() as session:
        return [organisation_from_row(r) for r in session.scalars(select(OrganisationRow).order_by(OrganisationRow.id))]


def set_organisation_active(store: Store, org_id: str, active: bool) -> bool:
    """Activate or deactivate; False when there is no such organisation."""
    return _update(store, update(OrganisationRow).where(OrganisationRow.id == org_id).values(active=active))


# -- users ------------------------------------------------------------------------------------
def insert_user(store: Store, user: User, password_hash: str) -> User:
    _write(store, UserRow(**user.model_dump(), password_hash=password_hash))
    return user


def get_user(store: Store, user_id: str) -> User | None:
    with store.session() as session:
        row = session.get(UserRow, user_id)
        return None if row is None else user_from_row(row)


def user_by_name(store: Store, username: str) -> User | None:
    with store.session() as session:
        row = session.scalar(select(UserRow).where(UserRow.username == username))
        return None if row is None else user_from_row(row)


def credentials(store: Store, username: str) -> Credentials | None:
    """The user called ``username`` with their password hash, or None."""
    query = (
        select(UserRow, OrganisationRow.active)
        .join(OrganisationRow, OrganisationRow.id == UserRow.org_id)
        .where(UserRow.username == username)
    )
    with store.session() as session:
        found = session.execute(query).first()
        if found is None:
            return None
        row, org_active = found
        return Credentials(user=user_from_row(row), password_hash=row.password_hash, org_active=bool(org_active))


def list_users(store: Store, org_id: str | None = None) -> list[User]:
    """Users, by username; only those of ``org_id`` when given."""
    query = select(UserRow).order_by(UserRow.username)
    if org_id is not None:
        query = query.where(UserRow.org_id == org_id)
    with store.session() as session:
        return [user_from_row(r) for r in session.scalars(query)]


def set_user_active(store: Store, user_id: str, active: bool) -> bool:
    return _update(store, update(UserRow).where(UserRow.id == user_id).values(active=active))


def set_password_hash(store: Store, user_id: str, password_hash: str) -> bool:
    return _update(store, update(UserRow).where(UserRow.id == user_id).values(password_hash=password_hash))


# -- tokens -----------------------------------------------------------------------------------
def insert_token(store: Store, token: ApiToken, token_hash: str) -> ApiToken:
    _write(store, ApiTokenRow(**token.model_dump(), token_hash=token_hash))
    return token


def token_owner(store: Store, token_hash: str) -> TokenOwner | None:
    """The token stored with this hash, its user and their organisation's state; None when unknown."""
    query = (
        select(ApiTokenRow, UserRow, OrganisationRow.active)
        .join(OrganisationRow, OrganisationRow.id == ApiTokenRow.org_id)
        .outerjoin(UserRow, UserRow.id == ApiTokenRow.user_id)
        .where(ApiTokenRow.token_hash == token_hash)
    )
    with store.session() as session:
        found = session.execute(query).first()
        if found is None:
            return None
        token, user, org_active = found
        return TokenOwner(
            token=token_from_row(token), token_hash=token.token_hash, user=None if user is None else user_from_row(user), org_active=bool(org_active)
        )


def get_token(store: Store, token_id: str) -> ApiToken | None:
    with store.session() as session:
        row = session.get(ApiTokenRow, token_id)
        return None if row is None else token_from_row(row)


def list_tokens(
    store: Store, *, user_id: str | None = None, org_id: str | None = None, kinds: tuple[str, ...] | None = None,
    include_revoked: bool = False,
) -> list[ApiToken]:
    """Tokens, newest first, of one user and/or organisation; revoked ones only when asked."""
    query = select(ApiTokenRow).order_by(ApiTokenRow.created_at.desc(), ApiTokenRow.id)
    if user_id is not None:
        query = query.where(ApiTokenRow.user_id == user_id)
    if org_id is not None:
        query = query.where(ApiTokenRow.org_id == org_id)
    if kinds is not None:
        query = query.where(ApiTokenRow.kind.in_(kinds))
    if not include_revoked:
        query = query.where(ApiTokenRow.revoked_at.is_(None))
    with store.session() as session:
        return [token_from_row(r) for r in session.scalars(query)]


def revoke_token(store: Store, token_id: str, at: dt.datetime) -> bool:
    """Mark a token revoked (once: the first revocation's time stays); False when unknown or already revoked."""
    statement = update(ApiTokenRow).where(ApiTokenRow.id == token_id, ApiTokenRow.revoked_at.is_(None)).values(revoked_at=at)
    return _update(store, statement)


def revoke_user_tokens(store: Store, user_id: str, at: dt.datetime, kinds: tuple[str, ...]) -> int:
    """Revoke every live token of these kinds of a user; how many."""
    statement = (
        update(ApiTokenRow)
        .where(ApiTokenRow.user_id == user_id, ApiTokenRow.kind.in_(kinds), ApiTokenRow.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    try:
        with store.session() as session, session.begin():
            return session.execute(statement).rowcount or 0
    except SQLAlchemyError as error:
        raise StoreError(ERR_WRITE.format(reason=describe_error(error))) from error


def touch_token(store: Store, token_id: str, at: dt.datetime) -> None:
    """Record that a token was used now."""
    _update(store, update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=at))


# -- helpers ----------------------------------------------------------------------------------
def _write(store: Store, row: object) -> None:
    try:
        with store.session() as session, session.begin():
            session.add(row)
    except IntegrityError as error:
        raise DuplicateAccount(describe_error(error)) from error
    except SQLAlchemyError as error:
        raise StoreError(ERR_WRITE.format(reason=describe_error(error))) from error


def _update(store: Store, statement) -> bool:  # noqa: ANN001 (an UPDATE statement)
    try:
        with store.session() as session, session.begin():
            return (session.execute(statement).rowcount or 0) > 0
    except SQLAlchemyError as error:
        raise StoreError(ERR_WRITE.format(reason=describe_error(error))) from error


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else as_utc(value)
