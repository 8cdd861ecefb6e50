"""How stored records become CLI rows: compact tables and a document view.

CSV rows (ACLED-like columns) come from ``vigil.analysis.exports``, so the CLI
and the API export the same columns.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from vigil.analysis.exports import EVENT_COLUMNS, bounds_text, event_row as csv_row
from vigil.cli.render import Format
from vigil.model.records import ActorRef
from vigil.store.views import StoredDocument, StoredEvent

TABLE_COLUMNS = ["id", "date", "sub-event type", "country", "place", "perpetrators", "targets", "fatalities", "injuries", "document"]


def event_columns(fmt: Format) -> list[str]:
    return EVENT_COLUMNS if fmt is Format.csv else TABLE_COLUMNS


def _names(refs: list[ActorRef]) -> str:
    return "; ".join(r.text for r in refs)


def event_row(stored: StoredEvent, fmt: Format) -> list[object]:
    e = stored.event
    loc = e.location
    if fmt is not Format.csv:
        place = ", ".join(x for x in (loc.name, loc.admin1) if x) if loc else ""
        return [stored.id, e.date, e.type, loc.country if loc else "", place, _names(e.perpetrators), _names(e.targets),
                bounds_text(e.fatalities), bounds_text(e.injuries), stored.document_id]
    return csv_row(stored)


def print_document(console: Console, stored: StoredDocument) -> None:
    """The document's metadata, then each kind of fact with the words it came from."""
    d, x = stored.document, stored.extraction
    console.print(f"[bold]{d.title or d.id}[/bold]")
    console.print(f"id {d.id} | published {d.published or '?'} | {d.publisher or ''} {d.url or ''}", highlight=False)
    if d.attribution or d.licence:
        console.print(f"credit: {d.attribution or ''} ({d.licence or 'licence unknown'})", highlight=False)
    console.print()
    for n, e in enumerate(x.events, 1):
        loc = e.location
        where = ", ".join(v for v in (loc.name, loc.admin2, loc.admin1, loc.country) if v) if loc else "?"
        console.print(f"[bold cyan]Event {n}[/bold cyan] {e.event_type} / {e.type} | {e.date or '?'} ({e.date_precision or '-'}) | {where}", highlight=False)
        for label, refs in (("perpetrators", e.perpetrators), ("targets", e.targets), ("victims", e.victims)):
            if refs:
                console.print(f"  {label}: " + "; ".join(f"{r.text} [{r.actor}]" if r.actor else r.text for r in refs), highlight=False)
        if e.fatalities or e.injuries:
            console.print(f"  fatalities {bounds_text(e.fatalities) or '-'} ({e.fatalities.text if e.fatalities else ''}), "
                          f"injuries {bounds_text(e.injuries) or '-'} ({e.injuries.text if e.injuries else ''})", highlight=False)
        if e.weapons:
            console.print("  weapons: " + "; ".join(w.text for w in e.weapons), highlight=False)
        if e.responsibility:
            console.print(f"  responsibility: {e.responsibility}", highlight=False)
        console.print(f"  [dim]chars {e.start}-{e.end}:[/dim] {e.sentence}", highlight=False)
    for n, r in enumerate(x.relations, 1):
        weapons = f" ({'; '.join(w.text for w in r.weapons)})" if r.weapons else ""
        by = f", according to {r.attributed_to.text}" if r.attributed_to else ""
        console.print(f"[bold magenta]Relation {n}[/bold magenta] {r.source.text} --{r.type}--> {r.target.text}{weapons}{by}", highlight=False)
        console.print(f"  [dim]chars {r.start}-{r.end}:[/dim] {r.sentence}", highlight=False)
    for n, c in enumerate(x.claims, 1):
        org = f" ({c.speaker_org.text})" if c.speaker_org else ""
        console.print(f"[bold yellow]Claim {n}[/bold yellow] {c.speaker.text}{org} {c.stance}: \u201c{c.text}\u201d", highlight=False)
    if x.entities:
        table = Table(title="Entities", header_style="bold")
        for column in ("chars", "type", "text", "linked to"):
            table.add_column(column)
        for m in x.entities:
            linked = m.actor or (", ".join(str(v) for v in (m.geo.name, m.geo.admin1, m.geo.country) if v) if m.geo else "")
            table.add_row(f"{m.start}-{m.end}", m.type, m.text, linked)
        console.print(table)
