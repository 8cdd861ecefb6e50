"""``vigil weapons ...``: recovered-weapon records (import, add, list, suspected origins) and weapons over time.

Thin commands over ``vigil.recovered`` and ``vigil.analysis.weapons``; the
store and the console come from ``vigil.cli.main`` (imported when a command
runs, since ``main`` registers this sub-app).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional

import typer

from vigil.cli.render import Format, render

weapons_app = typer.Typer(
    help="Recovered weapons entered or imported by analysts (origins, shares) and weapons reported over time.",
    no_args_is_help=True,
)

LIST_COLUMNS = ["id", "recovered", "place", "country", "type", "make", "model", "calibre", "serial", "obliterated",
                "markings", "made in", "import marks", "event"]
ORIGIN_COLUMNS = ["origin", "weapons", "share", "95% CI", "obliterated serials", "patterns matched"]
ORIGIN_CSV_COLUMNS = ["origin", "label", "weapons", "share", "ci_low", "ci_high", "obliterated_serials", "patterns"]
MATCH_COLUMNS = ["id", "status", "suspected origin", "score", "evidence"]


def _cli():  # noqa: ANN202 (the vigil.cli.main module: store, consoles, errors)
    from vigil.cli import main

    return main


def _day(value: Optional[str], option: str) -> Optional[dt.date]:
    return _cli()._date(value, option)


def _recovered_filter(weapon_class, country, made_in, since, until, event, text, obliterated, limit=None, offset=0):  # noqa: ANN001, ANN202
    from vigil.store.recovered import RecoveredFilter

    try:
        return RecoveredFilter(
            weapon_class=weapon_class, country=country, made_in=made_in, since=_day(since, "--since"),
            until=_day(until, "--until"), event_id=event, text=text, obliterated=obliterated, limit=limit, offset=offset,
        )
    except ValueError as error:
        raise _cli()._fail(error) from error


# Options shared by list and origins.
TYPE = typer.Option(None, "--type", help="Weapon class, e.g. 'assault rifle' (case-insensitive).")
COUNTRY = typer.Option(None, help="Country of recovery, ISO 3166-1 alpha-2, e.g. AF.")
MADE_IN = typer.Option(None, "--made-in", help="Country of manufacture, ISO code, e.g. CN.")
SINCE = typer.Option(None, help="Recovered on or after, YYYY-MM-DD (first day of the recovery date).")
UNTIL = typer.Option(None, help="Recovered on or before, YYYY-MM-DD.")
EVENT = typer.Option(None, "--event", help="Only records linked to this event id.")
TEXT = typer.Option(None, help="Words in the serial number, make, model, markings, import marks or custody notes.")
OBLITERATED = typer.Option(None, "--obliterated/--legible", help="Only records whose serial number is (or is not) obliterated.")


@weapons_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="CSV file, one recovered weapon per row, a header row naming the columns."),
    source: Optional[str] = typer.Option(None, help="Source of rows that name none (default: the file name)."),
    recorded_by: Optional[str] = typer.Option(None, "--recorded-by", help="Analyst for rows that name none."),
    tlp: Optional[str] = typer.Option(None, "--tlp", help="TLP 2.0 marking: clear, green, amber, amber+strict, red (default: VIGIL_DEFAULT_TLP, else clear)."),
    org: Optional[str] = typer.Option(None, "--org", help="Owning organisation id (default: the instance's own, 'local')."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table (a summary) or json (every id and error)."),
) -> None:
    """Import recovered weapons from a CSV file; bad rows are reported, the others stored.

    Columns (any order; aliases such as serial, caliber, date, place accepted): id, type, make, model, calibre,
    serial_number, serial_obliterated (yes/no), markings and import_marks (separated by ;), country_of_manufacture,
    recovered_on (YYYY-MM-DD, YYYY-MM or YYYY), recovery_place, event_id, custody_notes, source, recorded_by.
    Importing the same file again adds nothing.

    Example: vigil weapons import vigil/samples/recovered_weapons_example.csv
    """
    from vigil.errors import VigilError
    from vigil.recovered import import_recovered_csv

    from vigil.workflow import document_marking

    cli = _cli()
    defaults = {name: value for name, value in (("source", source), ("recorded_by", recorded_by)) if value}
    try:
        store = cli._store()
        outcome = import_recovered_csv(store, file, defaults=defaults, **document_marking(cli.state.settings, store, tlp, org))
    except VigilError as error:
        raise cli._fail(error) from error
    for problem in outcome.errors:
        cli.err.print(f"[yellow]row {problem.row}[/yellow]: {problem.message}", highlight=False)
    if outcome.ignored_columns:
        cli.err.print(f"Ignored columns: {', '.join(outcome.ignored_columns)}.", highlight=False)
    cli.err.print(
        f"{outcome.source}: {outcome.rows} row(s): {len(outcome.created)} new, {len(outcome.updated)} updated, "
        f"{len(outcome.unchanged)} already stored, {len(outcome.errors)} with errors.",
        highlight=False,
    )
    if fmt is Format.json:
        cli.out.out(outcome.model_dump_json(indent=2), highlight=False)
    if outcome.errors and not outcome.imported:
        raise typer.Exit(1)


@weapons_app.command("add")
def add_command(
    weapon_type: Optional[str] = typer.Option(None, "--type", help="Weapon class or model: 'assault rifle', 'AK-47'."),
    make: Optional[str] = typer.Option(None, help="Manufacturer, e.g. Colt."),
    model: Optional[str] = typer.Option(None, help="Model, e.g. M4A1."),
    calibre: Optional[str] = typer.Option(None, help="Calibre, e.g. 5.56x45mm (normalised)."),
    serial: Optional[str] = typer.Option(None, "--serial", help="Serial number as read."),
    obliterated: bool = typer.Option(False, "--obliterated", help="The serial number is obliterated (wholly or partly)."),
    marking: list[str] = typer.Option([], "--marking", help="A marking as read (repeatable)."),
    made_in: Optional[str] = typer.Option(None, "--made-in", help="Country of manufacture: ISO code or name."),
    import_mark: list[str] = typer.Option([], "--import-mark", help="An import or ownership mark (repeatable)."),
    recovered_on: Optional[str] = typer.Option(None, "--recovered-on", help="YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Www."),
    precision: Optional[str] = typer.Option(None, help="day, week, month or year (default: what the date shows)."),
    place: Optional[str] = typer.Option(None, help="Where it was recovered: 'Spin Boldak, Kandahar, AF'."),
    event: Optional[int] = typer.Option(None, "--event", help="Id of a stored event it is linked to."),
    custody: Optional[str] = typer.Option(None, "--custody", help="Custody notes."),
    source: Optional[str] = typer.Option(None, help="Where the record comes from."),
    recorded_by: Optional[str] = typer.Option(None, "--recorded-by", help="Who recorded it."),
    record_id: Optional[str] = typer.Option(None, "--id", help="An id of your own (default: derived from the serial number, make, model and date)."),
    tlp: Optional[str] = typer.Option(None, "--tlp", help="TLP 2.0 marking: clear, green, amber, amber+strict, red (default: VIGIL_DEFAULT_TLP, else clear)."),
    org: Optional[str] = typer.Option(None, "--org", help="Owning organisation id (default: the instance's own, 'local')."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table or json."),
) -> None:
    """Record one recovered weapon; prints its id and suspected origin.

    The same weapon (same --id, else same serial number, make, model and recovery date) added again takes
    the new values.

    Example: vigil weapons add --type carbine --make Colt --model M4A1 --serial W123 --marking "PROPERTY OF U.S. GOVT" --import-mark ANA --recovered-on 2023-03-14 --place "Spin Boldak, Kandahar, AF"
    """
    from vigil.analysis.weapon_origins import match_origin
    from vigil.errors import VigilError
    from vigil.recovered import add_recovered
    from vigil.workflow import document_marking

    cli = _cli()
    fields = {
        "id": record_id, "weapon_class": weapon_type, "make": make, "model": model, "calibre": calibre,
        "serial_number": serial, "serial_obliterated": obliterated, "markings": marking, "country_of_manufacture": made_in,
        "import_marks": import_mark, "recovered_on": recovered_on, "recovered_precision": precision,
        "recovery_place": place, "event_id": event, "custody_notes": custody, "source": source, "recorded_by": recorded_by,
    }
    try:
        store = cli._store()
        added = add_recovered(store, fields, **document_marking(cli.state.settings, store, tlp, org))
    except VigilError as error:
        raise cli._fail(error) from error
    match = match_origin(added.weapon)
    if fmt is Format.json:
        cli.out.out(added.model_dump_json(indent=2), highlight=False)
        return
    cli.out.print(f"{added.weapon.id}: {added.status}.", highlight=False)
    cli.out.print(f"Suspected origin: {_verdict(match)}", highlight=False)


@weapons_app.command("list")
def list_command(
    weapon_class: Optional[str] = TYPE,
    country: Optional[str] = COUNTRY,
    made_in: Optional[str] = MADE_IN,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
    event: Optional[int] = EVENT,
    text: Optional[str] = TEXT,
    obliterated: Optional[bool] = OBLITERATED,
    limit: int = typer.Option(50, help="At most this many records (0: all)."),
    offset: int = typer.Option(0, help="Skip this many first."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv or json."),
) -> None:
    """List recovered weapons, most recently recovered first.

    Example: vigil weapons list --country AF --since 2023-01-01 --obliterated
    """
    from vigil.store.recovered import page_recovered

    cli = _cli()
    query = _recovered_filter(weapon_class, country, made_in, since, until, event, text, obliterated, limit or None, offset)
    page = page_recovered(cli._store(), query)
    rows = [_list_row(weapon) for weapon in page.items]
    render(cli.out, LIST_COLUMNS, rows, fmt, title=f"{len(page.items)} of {page.total} recovered weapons",
           records=[weapon.model_dump(mode="json") for weapon in page.items])


@weapons_app.command("origins")
def origins_command(
    weapon_class: Optional[str] = TYPE,
    country: Optional[str] = COUNTRY,
    made_in: Optional[str] = MADE_IN,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
    event: Optional[int] = EVENT,
    text: Optional[str] = TEXT,
    obliterated: Optional[bool] = OBLITERATED,
    matches: bool = typer.Option(False, "--matches", help="Also list each weapon's matches (table format)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv (the shares) or json (shares and every match)."),
) -> None:
    """Share of recovered weapons per suspected origin, with 95% intervals, obliterated serials and the patterns matched.

    Each weapon is matched against known-origin patterns (markings, import marks, make, model, calibre, country
    of manufacture); its suspected origin is the best-scoring one, ties and weapons matching nothing strongly
    enough are counted apart.

    Example: vigil weapons origins --country AF --format table --matches
    """
    from vigil.recovered import recovered_origins

    cli = _cli()
    query = _recovered_filter(weapon_class, country, made_in, since, until, event, text, obliterated)
    report = recovered_origins(cli._store(), query)
    if fmt is Format.json:
        cli.out.out(report.model_dump_json(indent=2), highlight=False)
        return
    patterns = {s.origin: "; ".join(f"{name} ({n})" for name, n in s.patterns.items()) for s in report.shares}
    if fmt is Format.csv:
        rows = [(s.origin, s.label, s.count, round(s.share, 4), round(s.ci_low, 4), round(s.ci_high, 4),
                 s.obliterated_serials, patterns[s.origin]) for s in report.shares]
        render(cli.out, ORIGIN_CSV_COLUMNS, rows, fmt)
        return
    rows = [(s.origin, s.count, f"{s.share:.1%}", f"{s.ci_low:.1%}–{s.ci_high:.1%}", s.obliterated_serials,
             patterns[s.origin]) for s in report.shares]
    render(cli.out, ORIGIN_COLUMNS, rows, fmt,
           title=f"{report.total} recovered weapons, {report.obliterated_serials} with obliterated serials")
    if matches and fmt is Format.table:
        match_rows = [(m.weapon_id, m.status, _verdict(m), f"{m.score:.2f}", _evidence(m)) for m in report.matches]
        render(cli.out, MATCH_COLUMNS, match_rows, fmt, title="Matches")


@weapons_app.command("trend")
def trend_command(
    by: str = typer.Option("class", "--by", help="actor, class, calibre or origin (the words reports use)."),
    period: str = typer.Option("month", "--period", help="month, or week (ISO weeks)."),
    country: Optional[str] = typer.Option(None, help="ISO 3166-1 alpha-2 country code, e.g. PK."),
    actor: Optional[str] = typer.Option(None, help="Actor id, name, alias or the words a report used."),
    since: Optional[str] = typer.Option(None, help="First day, YYYY-MM-DD (inclusive)."),
    until: Optional[str] = typer.Option(None, help="Last day, YYYY-MM-DD (inclusive)."),
    top: int = typer.Option(8, help="Groups shown in the table (largest first)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv (period, group, mentions) or json."),
) -> None:
    """Weapon mentions in reports per month or week, by actor, class, calibre or stated origin.

    A mention counts on its event's date, else its report's publication date; by actor it counts for the
    event's perpetrators, or the supplier of the supply relation it belongs to.

    Example: vigil weapons trend --by actor --period month --country AF
    """
    from vigil.analysis.weapons import weapons_over_time
    from vigil.errors import VigilError
    from vigil.store.filters import EventFilter

    cli = _cli()
    try:
        query = EventFilter(since=_day(since, "--since"), until=_day(until, "--until"),
                            country=country.upper() if country else None, actor=actor)
        series = weapons_over_time(cli._store(), query, by=by, period=period)  # type: ignore[arg-type]  (checked there)
    except (VigilError, ValueError) as error:
        raise cli._fail(error) from error
    if fmt is Format.json:
        cli.out.out(series.model_dump_json(indent=2), highlight=False)
        return
    if fmt is Format.csv:
        rows = [(key, group.label, count) for group in series.groups for key, count in zip(series.periods, group.counts)]
        render(cli.out, ["period", by, "mentions"], rows, fmt)
        return
    shown = series.top(top)
    columns = ["period", "all", *(group.label for group in shown.groups)]
    rows = [
        (key, total, *(group.counts[n] for group in shown.groups))
        for n, (key, total) in enumerate(zip(series.periods, series.total))
        if total
    ]
    render(cli.out, columns, rows, fmt,
           title=f"Weapon mentions per {series.period} by {by} (periods without mentions left out; {series.undated} undated)")


def _list_row(weapon) -> list[object]:  # noqa: ANN001 (a RecoveredWeapon)
    place = weapon.recovery_place
    return [
        weapon.id, weapon.recovered_on, place.text if place else None, place.country if place else None,
        weapon.weapon_class, weapon.make, weapon.model, weapon.calibre, weapon.serial_number,
        "yes" if weapon.serial_obliterated else "no", "; ".join(weapon.markings), weapon.country_of_manufacture,
        "; ".join(weapon.import_marks), weapon.event_id,
    ]


def _verdict(match) -> str:  # noqa: ANN001 (an OriginMatch)
    if match.status == "attributed":
        return f"{match.suspected_origin} (score {match.score:.2f})"
    if match.status == "tie":
        return f"tie between {', '.join(match.tied)} (score {match.score:.2f})"
    return "unattributed" + (f" (best score {match.score:.2f})" if match.hits else " (no pattern matched)")


def _evidence(match) -> str:  # noqa: ANN001 (an OriginMatch)
    return "; ".join(f"{hit.pattern}: {hit.field} {hit.value!r} ~ {hit.matched!r}" for hit in match.hits)
