"""``vigil proposals`` (review proposed new actors: accept, merge, reject) and ``vigil resolve-actor``.

Registered in ``vigil.cli.main`` with ``app.add_typer(review_app)``: its
commands join the top level. Like every command, each one calls one library
function (``vigil.store.actor_proposals``) and prints.
"""

from __future__ import annotations

import getpass
from typing import Optional

import typer
from rich.console import Console

from vigil.cli.render import Format, render
from vigil.errors import VigilError

review_app = typer.Typer()
proposals_app = typer.Typer()
review_app.add_typer(proposals_app, name="proposals")

AUTHOR = typer.Option(None, "--author", envvar="VIGIL_AUTHOR", help="Who decides (default: VIGIL_AUTHOR or your login name).")
REASON = typer.Option(None, "--reason", help="Why, in a few words (kept with the decision).")
DONE = {"accept": "Accepted", "merge": "Merged", "reject": "Rejected"}


def _cli():  # noqa: ANN202 (the main CLI module, imported late: it imports this one)
    from vigil.cli import main

    return main


def _store():  # noqa: ANN202 (a Store)
    from vigil.workflow import open_ready_store

    try:
        return open_ready_store(_cli().state.settings)
    except VigilError as error:
        raise _fail(error) from error


def _fail(error: Exception) -> typer.Exit:
    _cli().err.print(f"[red]error:[/red] {error}", highlight=False)
    return typer.Exit(1)


def _author(author: Optional[str]) -> str:
    return (author or "").strip() or getpass.getuser()


@proposals_app.callback(invoke_without_command=True)
def proposals(
    ctx: typer.Context,
    min_mentions: int = typer.Option(3, "--min-mentions", "--min-documents", help="Propose names mentioned in at least this many documents."),
    limit: int = typer.Option(20, help="At most this many proposals (0: all)."),
    relink: bool = typer.Option(True, "--relink/--no-relink", help="First link stored mentions of names already decided or known."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv or json."),
) -> None:
    """List proposed new actors: names reports repeat that no actor has, with counts, examples and close actors.

    Example: vigil proposals --min-mentions 3
    """
    if ctx.invoked_subcommand is not None:
        return
    from vigil.store.actor_proposals import list_actor_proposals, relink_unresolved

    store = _store()
    out, err = _cli().out, _cli().err
    try:
        if relink:
            linked = relink_unresolved(store)
            if linked.by_decision or linked.by_name:
                err.print(f"Linked {linked.by_decision} stored mention(s) by earlier decisions and {linked.by_name} "
                          "by actors' names and spellings.", highlight=False)
        found = list_actor_proposals(store, min_documents=min_mentions, limit=limit or None)
    except VigilError as error:
        raise _fail(error) from error
    records = [p.model_dump(mode="json") for p in found]
    if fmt is not Format.table:
        rows = [(p.id, p.name, p.mentions, p.documents, p.first_seen, p.last_seen,
                 "; ".join(c.actor.id for c in p.candidates)) for p in found]
        render(out, ["id", "name", "mentions", "documents", "first seen", "last seen", "closest actors"], rows, fmt, records=records)
        return
    if not found:
        out.print(f"No proposals: no unresolved name is mentioned in {min_mentions} or more documents.")
        return
    for proposal in found:
        _print_proposal(out, proposal)
    out.print("Decide with [bold]vigil proposals accept ID[/bold] [--name --kind --parent], "
              "[bold]vigil proposals merge ID ACTOR[/bold] or [bold]vigil proposals reject ID[/bold].")


def _print_proposal(out: Console, proposal) -> None:  # noqa: ANN001 (an ActorProposal)
    forms = ", ".join(f"{f.text} ({f.count})" for f in proposal.forms[:5])
    seen = f"{proposal.first_seen} to {proposal.last_seen}" if proposal.first_seen else "undated"
    out.print(f"[bold]{proposal.id}[/bold]: {proposal.name!r}: {proposal.mentions} mention(s) in "
              f"{proposal.documents} document(s), {seen}; written {forms}", highlight=False)
    for sample in proposal.samples:
        out.print(f"    {sample.document_id} ({sample.role}): {sample.sentence}", highlight=False)
    for candidate in proposal.candidates:
        out.print(f"    close to {candidate.actor.name} ({candidate.actor.id}, {candidate.score:.2f}), not merged: "
                  f"{'; '.join(candidate.reasons)}", highlight=False)
    out.print()


@proposals_app.command("accept")
def accept(
    proposal_id: str = typer.Argument(..., help="The proposal's id (see `vigil proposals`)."),
    name: Optional[str] = typer.Option(None, help="Canonical name (default: the most frequent spelling)."),
    kind: str = typer.Option("armed_group", help="armed_group, state_force, government, political_party, intergovernmental, person or organisation."),
    parent: Optional[str] = typer.Option(None, help="Id of the organisation it is a faction, province or branch of."),
    author: Optional[str] = AUTHOR,
    reason: Optional[str] = REASON,
) -> None:
    """Accept a proposal as a new actor; its stored mentions are linked to it at once.

    Example: vigil proposals accept tehrik-labaik-pakistan --name "Tehreek-e-Labbaik Pakistan" --kind political_party
    """
    from vigil.store.actor_proposals import accept_proposal

    _decide(lambda store: accept_proposal(store, proposal_id, name=name, kind=kind, parent=parent,
                                          author=_author(author), reason=reason))


@proposals_app.command("merge")
def merge(
    proposal_id: str = typer.Argument(..., help="The proposal's id (see `vigil proposals`)."),
    actor: str = typer.Argument(..., help="Id of the existing actor it is another name of."),
    author: Optional[str] = AUTHOR,
    reason: Optional[str] = REASON,
) -> None:
    """Merge a proposal into an existing actor: its spellings become aliases, its mentions are linked.

    Example: vigil proposals merge the-base al-qaida --reason "a translation of al-Qaida"
    """
    from vigil.store.actor_proposals import merge_proposal

    _decide(lambda store: merge_proposal(store, proposal_id, actor, author=_author(author), reason=reason))


@proposals_app.command("reject")
def reject(
    proposal_id: str = typer.Argument(..., help="The proposal's id (see `vigil proposals`)."),
    author: Optional[str] = AUTHOR,
    reason: Optional[str] = REASON,
) -> None:
    """Reject a proposal: it is not an actor and is not proposed again.

    Example: vigil proposals reject white-house --reason "a building standing for the US government"
    """
    from vigil.store.actor_proposals import reject_proposal

    _decide(lambda store: reject_proposal(store, proposal_id, author=_author(author), reason=reason))


def _decide(action) -> None:  # noqa: ANN001 (Store -> ProposalDecision)
    try:
        decision = action(_store())
    except VigilError as error:
        raise _fail(error) from error
    target = f" -> {decision.actor.name} ({decision.actor.id})" if decision.actor else ""
    _cli().out.print(f"{DONE[decision.action]} {decision.proposal_id!r}{target} by {decision.author} at "
                     f"{decision.decided_at:%Y-%m-%d %H:%M} UTC; {decision.relinked} stored mention(s) linked.",
                     highlight=False)


@proposals_app.command("decisions")
def decisions(fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv or json.")) -> None:
    """List every decision taken on proposals, oldest first, with author, time and reason.

    Example: vigil proposals decisions --format json
    """
    from vigil.store.actor_proposals import list_proposal_decisions

    found = list_proposal_decisions(_store())
    rows = [(d.decided_at.strftime("%Y-%m-%d %H:%M"), d.proposal_id, d.action, d.actor.id if d.actor else None,
             d.author, d.reason, d.relinked) for d in found]
    render(_cli().out, ["when (UTC)", "proposal", "decision", "actor", "author", "reason", "linked"], rows, fmt,
           title=f"{len(found)} decisions", records=[d.model_dump(mode="json") for d in found])


@review_app.command("resolve-actor")
def resolve_actor(
    name: str = typer.Argument(..., help="A name as a report writes it."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table or json."),
) -> None:
    """Say which actor a name resolves to and why, and which close actors it is not.

    Example: vigil resolve-actor "Tahrik-e-Taleban Pakistan"
    """
    from vigil.store.actor_proposals import resolve_actor_name

    try:
        found = resolve_actor_name(_store(), name)
    except VigilError as error:
        raise _fail(error) from error
    out = _cli().out
    if fmt is Format.json:
        out.out(found.model_dump_json(indent=2), highlight=False)
        return
    if found.actor is not None:
        parents = "".join(f", part of {parent.name} ({parent.id})" for parent in found.lineage)
        out.print(f"{name!r} -> [bold]{found.actor.name}[/bold] ({found.actor.id}, {found.actor.kind}{parents}) "
                  f"by {found.how}", highlight=False)
    elif found.ambiguous:
        out.print(f"{name!r} -> ambiguous: " + ", ".join(f"{a.name} ({a.id})" for a in found.ambiguous), highlight=False)
    else:
        out.print(f"{name!r} -> no actor", highlight=False)
    out.print(f"  spelling key: {found.key!r}", highlight=False)
    for reason in found.reasons:
        out.print(f"  why: {reason}", highlight=False)
    for candidate in found.candidates:
        out.print(f"  not {candidate.actor.name} ({candidate.actor.id}, {candidate.score:.2f}): {'; '.join(candidate.reasons)}",
                  highlight=False)
