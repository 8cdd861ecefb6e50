"""``vigil orgs|users|tokens ...`` and ``vigil audit``: accounts for multi-user mode, and the audit log.

Thin commands over ``vigil.share.accounts`` and ``vigil.share.audit``. Whoever
runs the CLI owns the database, so these act with every right (``by=None``);
each change is still written to the audit log (as the CLI's). Passwords are
read from a hidden prompt or, with ``--password-stdin``, from the first line of
standard input; never from an option, which would land in the shell history.
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from pathlib import Path
from typing import Optional

import typer

from vigil.cli.render import Format, render

orgs_app = typer.Typer(help="Organisations of this instance (multi-user mode).", no_args_is_help=True)
users_app = typer.Typer(help="Users, their roles and passwords (multi-user mode).", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens: create (shown once), list, revoke.", no_args_is_help=True)
audit_app = typer.Typer()

ERR_EMPTY_STDIN = "--password-stdin: standard input held no password."
PASSWORD_STDIN = typer.Option(False, "--password-stdin", help="Read the password from the first line of standard input.")


def _cli():  # noqa: ANN202 (the vigil.cli.main module: store, consoles, errors)
    from vigil.cli import main

    return main


def _audit(store, action: str, record_type: str, record_id: str | None, detail: dict | None = None) -> None:  # noqa: ANN001
    """Record a change made at the CLI, under the name of the system account that ran it."""
    from vigil.model.access import LOCAL_ORG
    from vigil.share.audit import record

    record(store, None, action, record_type, record_id, {**(detail or {}), "via": "cli"},
           username=f"cli:{getpass.getuser()}", org_id=LOCAL_ORG)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise _cli()._fail(ValueError(ERR_EMPTY_STDIN))
        return line
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


# -- organisations -----------------------------------------------------------------------------------
@orgs_app.command("add")
def orgs_add(
    org_id: str = typer.Argument(..., help="Short id: lower-case letters, digits and '-'."),
    name: str = typer.Argument(..., help="Full name."),
) -> None:
    """Add an organisation.

    Example: vigil orgs add un-mt "UN Monitoring Team"
    """
    from vigil.share.accounts import create_organisation

    store, organisation = _cli().run_on_store(lambda store: create_organisation(store, org_id, name))
    _audit(store, "organisation_created", "organisation", organisation.id, {"name": organisation.name})
    _cli().err.print(f"Organisation {organisation.id} ({organisation.name}) added.", highlight=False)


@orgs_app.command("list")
def orgs_list(fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv or json.")) -> None:
    """List organisations.

    Example: vigil orgs list
    """
    from vigil.share.accounts import list_organisations

    _, found = _cli().run_on_store(list_organisations)
    rows = [(o.id, o.name, "yes" if o.active else "no", o.created_at.date()) for o in found]
    render(_cli().out, ["id", "name", "active", "created"], rows, fmt, title=f"{len(found)} organisations",
           records=[o.model_dump(mode="json") for o in found])


# -- users ----------------------------------------------------------------------------------------------
@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="User name (letters, digits, '.', '_', '-', '@')."),
    role: str = typer.Option("viewer", "--role", help="admin, analyst or viewer."),
    org: str = typer.Option("local", "--org", help="Organisation id (default: this instance's own, 'local')."),
    password_stdin: bool = PASSWORD_STDIN,
) -> None:
    """Add a user; the password is asked for (hidden) unless --password-stdin.

    Example: vigil users add amina --role admin
    """
    from vigil.share.accounts import create_user

    password = _password(password_stdin)
    store, user = _cli().run_on_store(lambda store: create_user(store, username, password, role, org))
    _audit(store, "user_created", "user", user.id, {"username": user.username, "role": user.role, "org_id": user.org_id})
    _cli().err.print(f"User {user.username} ({user.role}, {user.org_id}) added.", highlight=False)


@users_app.command("list")
def users_list(
    org: Optional[str] = typer.Option(None, "--org", help="Only this organisation's users."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv or json."),
) -> None:
    """List users with their organisation, role and state.

    Example: vigil users list --org local
    """
    from vigil.share.accounts import list_users

    _, found = _cli().run_on_store(lambda store: list_users(store, org_id=org))
    rows = [(u.username, u.org_id, u.role, "yes" if u.active else "no", u.created_at.date(), u.id) for u in found]
    render(_cli().out, ["user", "organisation", "role", "active", "created", "id"], rows, fmt,
           title=f"{len(found)} users", records=[u.model_dump(mode="json") for u in found])


@users_app.command("deactivate")
def users_deactivate(user: str = typer.Argument(..., help="User name or id.")) -> None:
    """Deactivate a user: they cannot log in, and their tokens and sessions are revoked.

    Example: vigil users deactivate amina
    """
    from vigil.share.accounts import set_user_active

    store, changed = _cli().run_on_store(lambda store: set_user_active(store, user, False))
    _audit(store, "user_deactivated", "user", changed.id, {"username": changed.username})
    _cli().err.print(f"User {changed.username} deactivated; their tokens and sessions are revoked.", highlight=False)


@users_app.command("passwd")
def users_passwd(user: str = typer.Argument(..., help="User name or id."), password_stdin: bool = PASSWORD_STDIN) -> None:
    """Set a user's password (their login sessions end).

    Example: echo 'a long passphrase' | vigil users passwd amina --password-stdin
    """
    from vigil.share.accounts import set_password

    password = _password(password_stdin)
    store, changed = _cli().run_on_store(lambda store: set_password(store, user, password))
    _audit(store, "password_set", "user", changed.id, {"username": changed.username})
    _cli().err.print(f"Password of {changed.username} changed; their sessions ended.", highlight=False)


# -- tokens -----------------------------------------------------------------------------------------------
@tokens_app.command("create")
def tokens_create(
    user: Optional[str] = typer.Argument(None, help="User name or id the token acts for."),
    name: Optional[str] = typer.Option(None, "--name", help="What the token is for."),
    expires_days: Optional[int] = typer.Option(None, "--expires-days", min=1, help="Days until it expires (default: never)."),
    partner: Optional[str] = typer.Option(None, "--partner", help="Instead of a user: a partner token for this organisation id (reads as its viewer)."),
) -> None:
    """Create an API token and print it once on standard output (it cannot be shown again).

    Example: vigil tokens create amina --name "nightly export" --expires-days 90
    """
    from vigil.share.accounts import create_partner_token, create_token, find_user

    if (user is None) == (partner is None):
        raise _cli()._fail(ValueError("give either a user or --partner ORG"))
    expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=expires_days) if expires_days else None
    if partner is not None:
        store, issued = _cli().run_on_store(lambda store: create_partner_token(store, partner, name, expires_at=expires))
    else:
        store, issued = _cli().run_on_store(lambda store: create_token(store, find_user(store, user), name, expires_at=expires))
    _audit(store, "token_created", "token", issued.token.id, {"owner": issued.token.user_id, "org_id": issued.token.org_id,
                                                               "kind": issued.token.kind, "name": name})
    _cli().err.print(f"Token {issued.token.id} created; copy it now, it is not stored and cannot be shown again:",
                     highlight=False)
    _cli().out.out(issued.secret, highlight=False)


@tokens_app.command("list")
def tokens_list(
    user: Optional[str] = typer.Argument(None, help="Only this user's tokens (name or id)."),
    revoked: bool = typer.Option(False, "--revoked", help="Include revoked tokens and ended sessions."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv or json."),
) -> None:
    """List tokens and login sessions (never their secrets).

    Example: vigil tokens list amina --revoked
    """
    from vigil.share.accounts import find_user, list_tokens

    _, found = _cli().run_on_store(lambda store: list_tokens(store, user=find_user(store, user) if user else None, include_revoked=revoked))
    rows = [(t.id, t.kind, t.name, t.user_id or "-", t.org_id, t.created_at.date(), t.expires_at, t.last_used_at,
             t.revoked_at) for t in found]
    render(_cli().out, ["id", "kind", "name", "user", "organisation", "created", "expires", "last used", "revoked"], rows,
           fmt, title=f"{len(found)} tokens", records=[t.model_dump(mode="json") for t in found])


@tokens_app.command("revoke")
def tokens_revoke(token_id: str = typer.Argument(..., help="Token id (see `vigil tokens list`).")) -> None:
    """Revoke a token or login session; it stops working at once.

    Example: vigil tokens revoke 3f2a9c1b7d4e5f60
    """
    from vigil.share.accounts import revoke_token

    store, token = _cli().run_on_store(lambda store: revoke_token(store, token_id))
    _audit(store, "token_revoked", "token", token.id, {"owner": token.user_id, "kind": token.kind})
    _cli().err.print(f"Token {token.id} revoked.", highlight=False)


# -- audit log ------------------------------------------------------------------------------------------------
@audit_app.command("audit")
def audit_command(
    since: Optional[str] = typer.Option(None, help="From this day, YYYY-MM-DD (UTC)."),
    until: Optional[str] = typer.Option(None, help="Up to this day, YYYY-MM-DD (inclusive)."),
    action: Optional[str] = typer.Option(None, help="login, login_failed, export, token_created, user_created..."),
    user: Optional[str] = typer.Option(None, help="User name."),
    org: Optional[str] = typer.Option(None, "--org", help="Organisation id."),
    limit: int = typer.Option(50, help="At most this many entries shown (0: all; exports: all unless given)."),
    export: Optional[Path] = typer.Option(None, "--export", help="Write every match to this file instead (.csv or .jsonl).", metavar="FILE"),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv or json (when listing)."),
) -> None:
    """Show the audit log, newest first, or export it to a CSV or JSON Lines file.

    Example: vigil audit --since 2026-01-01 --action login_failed
    """
    from vigil.share.audit import AuditFilter, export_entries, list_entries

    cli = _cli()
    first, last = cli._date(since, "--since"), cli._date(until, "--until")
    try:
        filter = AuditFilter(
            since=dt.datetime.combine(first, dt.time.min, dt.timezone.utc) if first else None,
            until=dt.datetime.combine(last, dt.time.max, dt.timezone.utc) if last else None,
            action=action, username=user.strip().lower() if user else None, org_id=org,
            limit=None if export is not None and limit == 50 else (limit or None),
        )
    except ValueError as error:
        raise cli._fail(error) from error
    if export is not None:
        format = "jsonl" if export.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv"
        store, (text, rows) = _cli().run_on_store(lambda store: export_entries(store, filter, format))
        try:
            export.write_text(text, encoding="utf-8")
        except OSError as error:
            raise cli._fail(ValueError(f"{export}: cannot write ({error.strerror or error})")) from error
        _audit(store, "export", "audit_log", None, {"format": format, "rows": rows, "output": str(export)})
        cli.err.print(f"Wrote {rows} audit entries to {export} ({format}).", highlight=False)
        return
    _, (found, total) = _cli().run_on_store(lambda store: list_entries(store, filter))
    rows_ = [(e.at.strftime("%Y-%m-%d %H:%M:%S"), e.username or "-", e.org_id or "-", e.action, e.record_type or "",
              e.record_id or "", e.remote_addr or "") for e in found]
    render(cli.out, ["at (UTC)", "user", "organisation", "action", "record", "id", "from"], rows_, fmt,
           title=f"{len(found)} of {total} audit entries", records=[e.model_dump(mode="json") for e in found])
