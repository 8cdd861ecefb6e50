"""``vigil mark`` and ``vigil share``: a document's TLP marking and the organisations an AMBER one is shared with.

Thin commands over ``vigil.store.markings``; each change is written to the audit log
(``vigil.share.audit``). The store and the console come from ``vigil.cli.main``.
"""

from __future__ import annotations

import typer

marking_app = typer.Typer()


def _cli():  # noqa: ANN202 (the vigil.cli.main module: store, consoles, errors)
    from vigil.cli import main

    return main


@marking_app.command("mark")
def mark(
    document_id: str = typer.Argument(..., help="The document to re-mark (see `vigil documents`)."),
    tlp: str = typer.Option(..., "--tlp", help="New TLP 2.0 marking: clear, green, amber, amber+strict or red."),
) -> None:
    """Change the TLP marking of a document and of every fact extracted from it (one transaction).

    Example: vigil mark doc-4a0d74009199e7e3 --tlp red
    """
    from vigil.errors import VigilError
    from vigil.share.audit import record
    from vigil.store.markings import mark_document

    cli = _cli()
    store = cli._store()
    try:
        marking = mark_document(store, document_id, tlp)
        record(store, None, "mark", "document", document_id,
               {"tlp": marking.tlp.value, "previous": marking.previous_tlp.value if marking.previous_tlp else None})
    except (VigilError, ValueError) as error:
        raise cli._fail(error) from error
    cli.out.print(f"{document_id}: {marking.previous_tlp.value if marking.previous_tlp else '?'} -> {marking.tlp.value} "
                  f"({marking.facts} fact(s) re-marked).", highlight=False)


@marking_app.command("share")
def share(
    document_id: str = typer.Argument(..., help="A TLP:AMBER document of this instance's organisation."),
    org: str = typer.Option(..., "--org", help="Id of the organisation to share it with."),
) -> None:
    """Share a TLP:AMBER document (and its facts) with another organisation of this instance.

    Example: vigil share doc-4a0d74009199e7e3 --org partner-ngo
    """
    from vigil.errors import VigilError
    from vigil.share.audit import record
    from vigil.store.markings import share_document

    cli = _cli()
    store = cli._store()
    try:
        marking = share_document(store, document_id, org)
        record(store, None, "share", "document", document_id, {"org_id": org.strip()})
    except VigilError as error:
        raise cli._fail(error) from error
    cli.out.print(f"{document_id} ({marking.tlp.value}) is shared with: {', '.join(marking.shared_with)}.", highlight=False)
