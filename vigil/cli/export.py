"""``vigil export``: write every matching fact of one kind to a CSV, JSON, GeoJSON or Parquet file.

A thin command over ``vigil.analysis.export_files.export``; the store, settings
and consoles come from ``vigil.cli.main`` (imported when the command runs,
since ``main`` adds this command at its top level).
"""

from __future__ import annotations

from typing import Optional

import typer

from vigil.errors import VigilError

export_app = typer.Typer()


@export_app.command("export")
def export_command(
    output: str = typer.Option(..., "--output", "-o", help="File to write ('-': standard output, except for parquet).", metavar="FILE"),
    what: str = typer.Option("events", "--what", help="events, fused (fused events with every source), actors, claims, relations or weapons."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="csv, json, geojson (events, fused), parquet, or stix (a STIX 2.1 bundle of every kind: --what is ignored); default: from the file's suffix, else csv."),
    max_tlp: Optional[str] = typer.Option(None, "--max-tlp", help="stix: leave out records marked above this TLP (e.g. amber); default: no ceiling."),
    country: Optional[str] = typer.Option(None, help="ISO 3166-1 alpha-2 country code, e.g. PK."),
    admin1: Optional[str] = typer.Option(None, help="Province or state, e.g. 'Khyber Pakhtunkhwa'."),
    actor: Optional[str] = typer.Option(None, help="Actor id, canonical name, alias or the words a report used."),
    sub_event_type: Optional[str] = typer.Option(None, "--type", help="ACLED sub-event type, e.g. 'Suicide bomb'."),
    event_type: Optional[str] = typer.Option(None, "--event-type", help="ACLED event type, e.g. 'Battles'."),
    since: Optional[str] = typer.Option(None, help="First day, YYYY-MM-DD (inclusive)."),
    until: Optional[str] = typer.Option(None, help="Last day, YYYY-MM-DD (inclusive)."),
    text: Optional[str] = typer.Option(None, help="Words in the evidence sentence (claims: in the quote)."),
) -> None:
    """Export every matching fact of one kind: CSV with ACLED-like columns, JSON, GeoJSON, or a Parquet dump with sources.

    Example: vigil export --what events --format parquet --output pk-2023.parquet --country PK --since 2023-01-01
    """
    from vigil.analysis.export_files import export, format_for
    from vigil.cli import main as cli
    from vigil.share.audit import record
    from vigil.store.filters import EventFilter

    try:
        query = EventFilter(
            since=cli._date(since, "--since"), until=cli._date(until, "--until"),
            country=country.upper() if country else None, admin1=admin1, actor=actor, event_type=event_type,
            sub_event_type=sub_event_type, text=text,
        )
        store = cli._store()
        if fmt == "stix":
            _export_stix(store, query, output, max_tlp)
            return
        result = export(store, what, fmt or format_for(output) or "csv", query, output)
        record(store, None, "export", result.what, None, {"format": result.format, "rows": result.rows, "output": str(result.output), "via": "cli"})
    except (VigilError, ValueError) as error:
        raise cli._fail(error) from error
    where = "standard output" if result.output == "-" else result.output
    cli.err.print(f"Wrote {result.rows} {result.what} to {where} ({result.format}).", highlight=False)


def _export_stix(store, query, output: str, max_tlp: Optional[str]) -> None:  # noqa: ANN001 (Store, EventFilter)
    """``--format stix``: one STIX 2.1 bundle with the matching events, relations, claims and their reports."""
    from vigil.cli import main as cli
    from vigil.model.access import Tlp
    from vigil.share.audit import record
    from vigil.share.stix.export import ExportOptions, export_bundle, write_bundle

    options = ExportOptions(max_tlp=Tlp.parse(max_tlp) if max_tlp else None)
    bundle = export_bundle(store, query, options=options)
    write_bundle(bundle, output)
    record(store, None, "export", "stix", None, {"format": "stix", "objects": bundle.objects, "documents": len(bundle.documents),
                                                 "max_tlp": max_tlp, "output": str(output), "via": "cli"})
    where = "standard output" if output == "-" else output
    cli.err.print(f"Wrote a STIX 2.1 bundle of {bundle.objects} objects from {len(bundle.documents)} reports to {where}.", highlight=False)
