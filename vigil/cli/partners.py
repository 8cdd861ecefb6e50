"""``vigil partners add|list|remove|token`` and ``vigil sync``: sharing with other instances over TAXII 2.1.

Thin commands over ``vigil.share.partners`` and ``vigil.share.sync``. A partner's token is read
from a hidden prompt or, with ``--token-stdin``, from standard input (never from an option, which
would land in the shell history) and stored encrypted.
"""

from __future__ import annotations

import sys
from typing import Optional

import typer

from vigil.cli.render import Format, render

sharing_app = typer.Typer()
partners_app = typer.Typer(help="Partners: other instances this one shares with over TAXII 2.1.", no_args_is_help=True)
sharing_app.add_typer(partners_app, name="partners")

ERR_EMPTY_STDIN = "--token-stdin: standard input held no token."
TOKEN_STDIN = typer.Option(False, "--token-stdin", help="Read the partner's token from the first line of standard input.")


def _cli():  # noqa: ANN202 (the vigil.cli.main module: store, settings, consoles, errors)
    from vigil.cli import main

    return main


def _token(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().strip()
        if not line:
            raise _cli()._fail(ValueError(ERR_EMPTY_STDIN))
        return line
    return typer.prompt("Token the partner issued for us", hide_input=True)


@partners_app.command("add")
def partners_add(
    partner_id: str = typer.Argument(..., help="Short id: lower-case letters, digits and '-'."),
    taxii_url: str = typer.Argument(..., help="The partner's TAXII 2.1 API root, e.g. https://vigil.example.org/taxii2/vigil/."),
    name: Optional[str] = typer.Option(None, "--name", help="Full name (default: the id)."),
    collection: str = typer.Option("all", "--collection", help="The partner's collection id or alias."),
    org: str = typer.Option("local", "--org", help="Local organisation the partnership belongs to: owns what is pulled; pushes what it may see."),
    max_tlp: str = typer.Option("green", "--max-tlp", help="Highest marking sent to the partner: clear, green, amber or amber+strict (red never leaves)."),
    actor: list[str] = typer.Option([], "--actor", help="Push only records about this actor id (repeatable)."),
    country: list[str] = typer.Option([], "--country", help="Push only records of events in this ISO country (repeatable)."),
    region: list[str] = typer.Option([], "--region", help="Push only records of events in this province or state (repeatable)."),
    direction: str = typer.Option("both", "--direction", help="push, pull or both."),
    token_stdin: bool = TOKEN_STDIN,
) -> None:
    """Add a partner; its token is asked for (hidden) unless --token-stdin, and stored encrypted.

    Example: echo "$TOKEN" | vigil partners add unmt https://unmt.example.org/taxii2/vigil/ --max-tlp amber --country AF --token-stdin
    """
    from vigil.share.partners import add_partner

    token = _token(token_stdin)
    settings = _cli().state.settings
    store, partner = _cli().run_on_store(lambda store: add_partner(
        store, settings, id=partner_id, taxii_url=taxii_url, token=token, name=name, collection=collection, org_id=org,
        max_tlp=max_tlp, actors=actor, countries=country, regions=region, direction=direction,
    ))
    _audit(store, "partner_added", partner.id, {"taxii_url": partner.taxii_url, "max_tlp": partner.max_tlp.value,
                                                 "direction": partner.direction, "org_id": partner.org_id})
    _cli().err.print(f"Partner {partner.id} added ({partner.direction}, up to {partner.max_tlp.value}).", highlight=False)


@partners_app.command("list")
def partners_list(fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv or json.")) -> None:
    """List partners with what may be sent to them and where each sync stands (never their tokens).

    Example: vigil partners list
    """
    from vigil.share.partners import list_partners
    from vigil.store.partners import get_state

    store, found = _cli().run_on_store(list_partners)
    rows, records = [], []
    for p in found:
        pull, push = get_state(store, p.id, "pull"), get_state(store, p.id, "push")
        last_error = pull.last_error or push.last_error
        filters = ", ".join([*p.actors, *p.countries, *p.regions]) or "-"
        rows.append((p.id, p.taxii_url, p.collection, p.org_id, p.max_tlp.value, filters, p.direction,
                     pull.last_added or "-", push.last_added or "-", last_error or "-"))
        records.append({
            "id": p.id, "name": p.name, "taxii_url": p.taxii_url, "collection": p.collection, "org_id": p.org_id,
            "max_tlp": p.max_tlp.value, "actors": list(p.actors), "countries": list(p.countries),
            "regions": list(p.regions), "direction": p.direction, "active": p.active,
            "pull": _state(pull), "push": _state(push),
        })
    render(_cli().out, ["id", "taxii url", "collection", "org", "max tlp", "filters", "direction", "pulled up to",
                        "pushed up to", "last error"], rows, fmt, title=f"{len(found)} partners", records=records)


@partners_app.command("remove")
def partners_remove(partner_id: str = typer.Argument(..., help="Partner id.")) -> None:
    """Forget a partner, its token and its sync state (records it sent stay, with their origin).

    Example: vigil partners remove unmt
    """
    from vigil.share.partners import remove_partner

    store, _ = _cli().run_on_store(lambda store: remove_partner(store, partner_id))
    _audit(store, "partner_removed", partner_id)
    _cli().err.print(f"Partner {partner_id} removed.", highlight=False)


@partners_app.command("pause")
def partners_pause(partner_id: str = typer.Argument(..., help="Partner id.")) -> None:
    """Stop syncing with a partner (its settings, token and cursors stay) until resumed.

    Example: vigil partners pause unmt
    """
    _set_active(partner_id, False)


@partners_app.command("resume")
def partners_resume(partner_id: str = typer.Argument(..., help="Partner id.")) -> None:
    """Sync with a paused partner again, from where its cursors stand.

    Example: vigil partners resume unmt
    """
    _set_active(partner_id, True)


def _set_active(partner_id: str, active: bool) -> None:
    from vigil.share.partners import set_active

    store, _ = _cli().run_on_store(lambda store: set_active(store, partner_id, active))
    _audit(store, "partner_resumed" if active else "partner_paused", partner_id)
    _cli().err.print(f"Partner {partner_id} {'resumed' if active else 'paused'}.", highlight=False)


@partners_app.command("token")
def partners_token(partner_id: str = typer.Argument(..., help="Partner id."), token_stdin: bool = TOKEN_STDIN) -> None:
    """Replace a partner's token (after they revoked the old one and issued a new one).

    Example: echo "$NEW_TOKEN" | vigil partners token unmt --token-stdin
    """
    from vigil.share.partners import set_token

    token = _token(token_stdin)
    store, _ = _cli().run_on_store(lambda store: set_token(store, _cli().state.settings, partner_id, token))
    _audit(store, "partner_token_replaced", partner_id)
    _cli().err.print(f"Token of partner {partner_id} replaced.", highlight=False)


@sharing_app.command("sync")
def sync_command(
    partner: Optional[str] = typer.Option(None, "--partner", help="Only this partner (default: every active one)."),
    page_size: int = typer.Option(100, "--page-size", min=1, max=1000, help="Objects asked for per page when pulling."),
) -> None:
    """Pull what partners share with us and push what the policy lets us send them.

    Example: vigil sync --partner unmt
    """
    from vigil.share.sync import sync

    _, reports = _cli().run_on_store(lambda store: sync(store, _cli().state.settings, partner, page_size=page_size))
    failed = False
    for report in reports:
        line = (f"{report.partner_id} {report.direction}: {report.objects} object(s) from {report.documents} document(s) "
                f"in {report.pages} page(s)")
        if report.failed_objects:
            line += f"; {report.failed_objects} refused"
        if report.error:
            failed = True
            _cli().err.print(f"[red]{line}; stopped: {report.error}[/red]", highlight=False)
        else:
            _cli().err.print(line + ".", highlight=False)
    if not reports:
        _cli().err.print("No active partner to sync with (see `vigil partners add`).", highlight=False)
    if failed:
        raise typer.Exit(1)


def _state(state) -> dict:  # noqa: ANN001 (a SyncState)
    return {"up_to": state.last_added, "last_run_at": state.last_run_at, "last_success_at": state.last_success_at,
            "last_error": state.last_error, "runs": state.runs, "objects": state.objects, "documents": state.documents}


def _audit(store, action: str, partner_id: str, detail: dict | None = None) -> None:  # noqa: ANN001
    import getpass

    from vigil.model.access import LOCAL_ORG
    from vigil.share.audit import record

    record(store, None, action, "partner", partner_id, {**(detail or {}), "via": "cli"},
           username=f"cli:{getpass.getuser()}", org_id=LOCAL_ORG)
