"""``vigil import`` (a STIX 2.1 bundle) and ``vigil stix list|show`` (the STIX objects imports kept).

Thin commands over ``vigil.share.stix``; the store, settings and consoles come
from ``vigil.cli.main`` (imported when a command runs).
"""

from __future__ import annotations

import json
from typing import Optional

import typer

from vigil.errors import VigilError

import_app = typer.Typer()
stix_app = typer.Typer(help="STIX 2.1 objects kept by imports (those Vigil does not model, and the mapped ones).", no_args_is_help=True)


@import_app.command("import")
def import_command(
    path: str = typer.Argument(..., help="A STIX 2.1 bundle (JSON file)."),
    org: Optional[str] = typer.Option(None, "--org", help="Local organisation that owns what is imported (default: 'local')."),
    default_tlp: str = typer.Option("clear", "--default-tlp", help="Marking of objects that carry no TLP marking."),
    no_fuse: bool = typer.Option(False, "--no-fuse", help="Do not fuse the imported events now (`vigil fuse` later)."),
) -> None:
    """Import a STIX 2.1 bundle: reports, events, actors, relations and claims become records; other objects are kept.

    Nothing is duplicated: importing the same bundle again changes nothing, and a newer version of a report
    replaces the older one. A malformed bundle is an error and nothing of it is stored.

    Example: vigil import partner-2023-08.json --org un-panel
    """
    from vigil.cli import main as cli
    from vigil.model.access import Tlp
    from vigil.share.stix.importer import ImportOptions, import_file

    try:
        options = ImportOptions(org_id=org, default_tlp=Tlp.parse(default_tlp), fuse=not no_fuse)
        result = import_file(cli._store(), path, settings=cli.state.settings, options=options)
    except (VigilError, ValueError) as error:
        raise cli._fail(error) from error
    cli.err.print(
        f"Imported {path}: {result.objects} objects; documents {len(result.created)} new, {len(result.replaced)} replaced, "
        f"{len(result.unchanged)} already stored; {len(result.actors_created)} new actors; "
        f"{result.kept} objects Vigil does not model kept (vigil stix list).",
        highlight=False,
    )
    for problem in result.errors:
        cli.err.print(f"[yellow]warning:[/yellow] {problem}", highlight=False)


@stix_app.command("list")
def list_command(
    type: Optional[str] = typer.Option(None, "--type", help="Only this STIX type, e.g. malware."),
    all: bool = typer.Option(False, "--all", help="Also the objects mapped to Vigil records."),
    limit: int = typer.Option(100, "--limit", min=1, help="At most this many."),
) -> None:
    """List the STIX objects imports kept (by default those Vigil does not model), newest first.

    Example: vigil stix list --type indicator
    """
    from vigil.cli import main as cli
    from vigil.store.stix import page_stix_objects

    page = page_stix_objects(cli._store(), type=type, mapped=all, limit=limit)
    for item in page.items:
        mapped = f" -> {item.local_kind} {item.local_id}" if item.local_kind else ""
        origin = f" from {item.origin_org or item.origin_instance}" if (item.origin_org or item.origin_instance) else ""
        cli.out.print(f"{item.id}  {item.tlp}  {item.name or ''}{origin}{mapped}", highlight=False)
    cli.err.print(f"{len(page.items)} of {page.total} objects.", highlight=False)


@stix_app.command("show")
def show_command(stix_id: str = typer.Argument(..., help="The STIX id, e.g. malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061.")) -> None:
    """Print one kept STIX object as it arrived (JSON).

    Example: vigil stix show malware--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061
    """
    from vigil.cli import main as cli
    from vigil.store.stix import get_stix_object

    found = get_stix_object(cli._store(), stix_id)
    if found is None:
        raise cli._fail(VigilError(f"No STIX object {stix_id!r} is stored."))
    cli.out.print(json.dumps(found.raw, indent=2, ensure_ascii=False), highlight=False, markup=False)
