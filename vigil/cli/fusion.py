"""Event fusion commands: ``vigil fused``, ``explain``, ``merge``, ``split``, ``decisions``, ``fuse``, ``delete``.

Thin commands over ``vigil.store.fusion`` (through ``workflow.open_fusion``)
and ``vigil.store.fusion_reads``; the store, settings and consoles come from
``vigil.cli.main`` (imported when a command runs, since ``main`` adds these
commands at its top level).
"""

from __future__ import annotations

import getpass
from typing import Optional

import typer

from vigil.cli.render import Format, render
from vigil.errors import VigilError

fusion_app = typer.Typer()

FUSED_COLUMNS = ["id", "date", "type", "country", "place", "perpetrators", "fatalities low/best/high",
                 "injuries low/best/high", "sources", "event ids"]
FUSED_CSV_COLUMNS = ["fused_id", "event_date", "date_precision", "event_type", "sub_event_type", "country", "admin1",
                     "location", "perpetrators", "fatalities_low", "fatalities_best", "fatalities_high", "injuries_low",
                     "injuries_best", "injuries_high", "n_sources", "event_ids", "documents"]
DECISION_COLUMNS = ["id", "kind", "state", "made", "author", "reason", "reports (event ids)"]
ERR_NO_DOCUMENT = "No stored document {id!r}; `vigil documents` lists them."
AUTHOR = typer.Option(None, "--author", help="Who decides (default: your user name).")
REASON = typer.Option(None, "--reason", help="Why, in a few words; kept with the decision.")


def _cli():  # noqa: ANN202 (the vigil.cli.main module: store, settings, consoles, errors)
    from vigil.cli import main

    return main


def _fusion():  # noqa: ANN202 (a StoredFusion)
    from vigil.workflow import open_fusion

    cli = _cli()
    try:
        return open_fusion(cli._store(), cli.state.settings)
    except VigilError as error:
        raise cli._fail(error) from error


def _author(author: Optional[str]) -> Optional[str]:
    if author:
        return author
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment
        return None


def _figure(figure) -> str:  # noqa: ANN001 (a FusedFigure or None)
    return f"{figure.low} / {figure.best} / {figure.high}" if figure else ""


def _changes(result) -> str:  # noqa: ANN001 (a FusionResult)
    return (f"{len(result.created)} fused event(s) created, {len(result.updated)} updated, "
            f"{len(result.removed)} removed")


@fusion_app.command()
def fused(
    country: Optional[str] = typer.Option(None, help="ISO 3166-1 alpha-2 country code of the fused place, e.g. PK."),
    since: Optional[str] = typer.Option(None, help="First day, YYYY-MM-DD (inclusive), of the fused date."),
    until: Optional[str] = typer.Option(None, help="Last day, YYYY-MM-DD (inclusive)."),
    actor: Optional[str] = typer.Option(None, help="Actor named by at least one of its reports."),
    event_type: Optional[str] = typer.Option(None, "--event-type", help="ACLED event type of the fused event."),
    sub_event_type: Optional[str] = typer.Option(None, "--type", help="ACLED sub-event type, e.g. 'Suicide bomb'."),
    text: Optional[str] = typer.Option(None, help="Words in the evidence sentence of one of its reports."),
    min_sources: int = typer.Option(1, "--min-sources", help="Only events fused from at least this many reports (2: merged ones)."),
    sort: str = typer.Option("-date", help="-date, date, -fatalities (best estimate), fatalities, country, type."),
    limit: int = typer.Option(50, help="At most this many fused events (0: all)."),
    offset: int = typer.Option(0, help="Skip this many first."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv or json (every source and figure)."),
) -> None:
    """List distinct events after fusion: each with all its reports and low / best / high casualty figures.

    Example: vigil fused --country PK --min-sources 2 --format csv
    """
    from vigil.store.filters import EventFilter
    from vigil.store.fusion_reads import page_fused_events

    cli = _cli()
    try:
        query = EventFilter(since=cli._date(since, "--since"), until=cli._date(until, "--until"),
                            country=country.upper() if country else None, actor=actor, event_type=event_type,
                            sub_event_type=sub_event_type, text=text, limit=limit or None, offset=offset, order=sort)  # type: ignore[arg-type]
        page = page_fused_events(cli._store(), query, min_sources=min_sources)
    except (VigilError, ValueError) as error:
        raise cli._fail(error) from error
    rows = [_csv_row(item) if fmt is Format.csv else _table_row(item) for item in page.items]
    render(cli.out, FUSED_CSV_COLUMNS if fmt is Format.csv else FUSED_COLUMNS, rows, fmt,
           title=f"{len(page.items)} of {page.total} fused events", records=[i.model_dump(mode="json") for i in page.items])


def _place(location) -> str:  # noqa: ANN001 (a Location or None)
    return ", ".join(x for x in (location.name, location.admin1) if x) if location else ""


def _table_row(item) -> list[object]:  # noqa: ANN001 (a StoredFusedEvent)
    fused = item.fused
    perpetrators = "; ".join(f"{a.name} ({a.sources})" for a in fused.perpetrators)
    return [fused.id, fused.date, fused.type, fused.location.country if fused.location else "", _place(fused.location),
            perpetrators, _figure(fused.fatalities), _figure(fused.injuries), item.n_sources,
            ", ".join(map(str, item.event_ids))]


def _csv_row(item) -> list[object]:  # noqa: ANN001 (a StoredFusedEvent)
    fused, location = item.fused, item.fused.location
    figures = [getattr(figure, key) if figure else None for figure in (fused.fatalities, fused.injuries)
               for key in ("low", "best", "high")]
    return [fused.id, fused.date, fused.date_precision, fused.event_type, fused.type,
            location.country if location else None, location.admin1 if location else None, _place(location),
            "; ".join(a.name for a in fused.perpetrators), *figures, item.n_sources,
            " ".join(map(str, item.event_ids)), " ".join(dict.fromkeys(s.document_id for s in fused.sources))]


@fusion_app.command()
def explain(
    event_a: int = typer.Argument(..., help="An event id (see `vigil events`)."),
    event_b: int = typer.Argument(..., help="Another event id."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table or json."),
) -> None:
    """Why two event reports are, or are not, one event: every signal, its weight, and any analyst decision.

    Example: vigil explain 12 40
    """
    cli = _cli()
    try:
        verdict = _fusion().explain(event_a, event_b)
    except VigilError as error:
        raise cli._fail(error) from error
    if fmt is Format.json:
        cli.out.out(verdict.model_dump_json(indent=2), highlight=False)
        return
    link = verdict.explanation
    where = (f"both in {verdict.fused_a}" if verdict.same_fused_event
             else f"in {verdict.fused_a or 'no fused event'} and {verdict.fused_b or 'no fused event'}")
    cli.out.print(f"Events {event_a} and {event_b}: {link.summary}", highlight=False)
    cli.out.print(f"Now {where}." + (f" Analyst decision {verdict.decision} applies." if verdict.decision else ""),
                  highlight=False)
    shown = [f.text if n == 0 or f.text != link.features[n - 1].text else "" for n, f in enumerate(link.features)]
    rows = [(f.name, f.value, f.weight, f.contribution, words) for f, words in zip(link.features, shown)]
    render(cli.out, ["signal", "value", "weight", "contribution", "in words"], rows, fmt,
           title=f"p = {link.probability:.2f} (threshold {link.threshold:.2f}; {link.method})")


@fusion_app.command()
def merge(
    ids: list[str] = typer.Argument(..., help="Event ids, or fused event ids (fused-...) for all their reports."),
    reason: Optional[str] = REASON,
    author: Optional[str] = AUTHOR,
) -> None:
    """Decide that these reports are one event; no automatic run will separate them (retract to undo).

    Example: vigil merge 12 40 --reason "same attack, misdated by one outlet"
    """
    cli = _cli()
    try:
        result = _fusion().merge(ids, reason=reason, author=_author(author))
    except VigilError as error:
        raise cli._fail(error) from error
    cli.out.print(f"Decision {result.decisions[0].id} (must_link) recorded: {_changes(result)}.", highlight=False)


@fusion_app.command()
def split(
    fused_id: str = typer.Argument(..., help="A fused event id (see `vigil fused`)."),
    keep: str = typer.Option(..., "--keep", help="Event ids that stay together, comma separated; the other reports form a second event."),
    reason: Optional[str] = REASON,
    author: Optional[str] = AUTHOR,
) -> None:
    """Split a fused event in two (or unlink one report); no automatic run will join them again.

    Example: vigil split fused-3f2a9c0d1e2b --keep 12,40 --reason "two blasts that day"
    """
    cli = _cli()
    try:
        kept = [int(part) for part in keep.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(f"{keep!r} is not a list of event ids, e.g. 12,40", param_hint="--keep") from None
    try:
        result = _fusion().split(fused_id, kept, reason=reason, author=_author(author))
    except VigilError as error:
        raise cli._fail(error) from error
    made = ", ".join(d.id for d in result.decisions)
    cli.out.print(f"Decisions {made} (pin) recorded: {_changes(result)}.", highlight=False)


@fusion_app.command()
def decisions(
    retract: Optional[str] = typer.Option(None, "--retract", help="Retract this decision (a new decision; nothing is deleted).", metavar="DECISION_ID"),
    in_force: bool = typer.Option(False, "--in-force", help="List only the decisions in force."),
    reason: Optional[str] = REASON,
    author: Optional[str] = AUTHOR,
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv or json."),
) -> None:
    """List the analyst's merge and split decisions, or retract one (automatic fusion then applies again).

    Example: vigil decisions --retract dec-9b1c2d3e4f5a --reason "the outlet corrected its date"
    """
    from vigil.store.fusion_reads import list_decisions

    cli = _cli()
    if retract:
        try:
            result = _fusion().retract(retract, reason=reason, author=_author(author))
        except VigilError as error:
            raise cli._fail(error) from error
        cli.out.print(f"Decision {retract} retracted by {result.decisions[0].id}: {_changes(result)}.", highlight=False)
        return
    found = list_decisions(cli._store(), in_force=True if in_force else None)
    rows = []
    for stored in found:
        decision = stored.decision
        state = "in force" if stored.in_force else f"retracted by {stored.retracted_by}" if stored.retracted_by else "-"
        what = (f"retracts {decision.retracts}" if decision.kind == "retract" else
                ", ".join(str(e) if e is not None else "(gone)" for e in stored.events.values()))
        rows.append((decision.id, decision.kind + (f" {decision.label}" if decision.label else ""), state,
                     decision.at.isoformat(timespec="seconds") if decision.at else "", decision.author, decision.reason, what))
    render(cli.out, DECISION_COLUMNS, rows, fmt, title=f"{len(found)} decisions",
           records=[d.model_dump(mode="json") for d in found])


@fusion_app.command()
def fuse(
    rebuild: bool = typer.Option(False, "--rebuild", help="Fuse every stored report again from scratch (analyst decisions still hold)."),
) -> None:
    """Fuse stored reports not fused yet (ingest fuses new ones itself), or rebuild every fused event.

    Example: vigil fuse --rebuild
    """
    from vigil.workflow import fuse as run_fuse

    cli = _cli()
    try:
        with cli.err.status("Fusing event reports..."):
            result = run_fuse(cli._store(), cli.state.settings, rebuild=rebuild)
    except VigilError as error:
        raise cli._fail(error) from error
    cli.err.print(f"{result.events} event report(s) fused: {_changes(result)}.", highlight=False)


@fusion_app.command()
def delete(document_id: str = typer.Argument(..., help="Id of the stored document (see `vigil documents`).")) -> None:
    """Delete a stored document with its facts; the fused events it was part of are rebuilt from their other
    reports (or removed when it was their only one). Analyst decisions hold.

    Example: vigil delete wire-bajaur
    """
    from vigil.workflow import forget_document

    cli = _cli()
    try:
        result = forget_document(cli._store(), cli.state.settings, document_id)
    except VigilError as error:
        raise cli._fail(error) from error
    if result is None:
        raise cli._fail(VigilError(ERR_NO_DOCUMENT.format(id=document_id)))
    cli.err.print(f"Deleted {document_id} and its facts: {_changes(result)}.", highlight=False)
