"""The ``vigil`` command line: parse arguments, call one library function, print.

Every command builds ``Settings`` once (``--database`` or ``VIGIL_DATABASE_URL``),
and library errors (``VigilError``) are printed as one clean line, exit code 1.
"""

from __future__ import annotations

import datetime as dt
import sys
from functools import lru_cache
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from vigil import __version__
from vigil.cli.accounts import audit_app, orgs_app, tokens_app, users_app
from vigil.cli.actors_review import review_app
from vigil.cli.export import export_app
from vigil.cli.render import Format, counts_table, render
from vigil.cli.fusion import fusion_app
from vigil.cli.marking import marking_app
from vigil.cli.partners import sharing_app
from vigil.cli.stix import import_app, stix_app
from vigil.cli.train import train_app
from vigil.cli.weapons import weapons_app
from vigil.errors import VigilError
from vigil.settings import Settings

app = typer.Typer(
    help="Vigil: turn reports on armed groups into sourced, queryable event data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(help="Build or refresh the shipped gazetteers (actors, places).", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(fusion_app)  # fused, explain, merge, split, decisions, fuse: top-level commands
app.add_typer(review_app)  # vigil proposals ..., vigil resolve-actor
app.add_typer(weapons_app, name="weapons")
app.add_typer(export_app)  # vigil export
app.add_typer(import_app)  # vigil import (STIX 2.1 bundles)
app.add_typer(stix_app, name="stix")
app.add_typer(sharing_app)  # vigil partners ..., vigil sync
app.add_typer(orgs_app, name="orgs")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
app.add_typer(audit_app)  # vigil audit
app.add_typer(marking_app)  # vigil mark, vigil share
app.add_typer(train_app, name="train")  # vigil train events (and ner)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class State:
    settings: Settings = Settings()


state = State()


@app.callback()
def main(
    database: Optional[str] = typer.Option(None, "--database", "-d", help="SQLAlchemy URL of the store (default: VIGIL_DATABASE_URL or ~/.vigil/vigil.sqlite).", metavar="URL"),
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        out.print(f"vigil {__version__}")
        raise typer.Exit()
    settings = Settings.from_env()
    if database:
        settings = Settings(**{**settings.__dict__, "database_url": database})
    state.settings = settings


def _fail(error: Exception) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(str(error))}", highlight=False)  # a message may hold [brackets]
    return typer.Exit(1)


def _date(value: Optional[str], option: str) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint=option) from None


@lru_cache(maxsize=2)
def _extractor(mode: str | None = None, tagger: str = "auto"):
    """One pipeline per process and mode: loading gazetteers, matchers and models is the slow part.

    ``mode``: "fast" (rules of v1), "learned" (plus the learned entity tagger and event typer) or
    "roles" (plus the role tagger); None is "learned" where its model can run here, else "fast"
    with a one-line note. ``tagger``: the
    learned entity tagger, "ensemble", "encoder", "crf" or "auto" (the CRF, fast enough for ingest).
    """
    from vigil.nlp.pipeline import Extractor, build_pipeline, components_for

    if mode is None:
        from vigil.nlp.learned.ner_model import learned_unavailable

        reason = learned_unavailable()
        mode = "fast" if reason else "learned"
        if reason:
            err.print(f"note: rules only (--fast): {reason}", highlight=False, markup=False)
    if mode == "roles":
        from vigil.nlp.learned.roles_model import model_unavailable

        reason = model_unavailable()
        if reason:
            raise _fail(VigilError(f"the role tagger cannot run here: {reason}"))
    try:
        config = {"vigil_learned_entities": {"tagger": tagger}} if mode in ("learned", "roles") else {}
        extractor = Extractor(build_pipeline(components_for(mode), config=config))
        extractor.nlp  # noqa: B018  (load now)
    except (ValueError, VigilError) as error:
        raise _fail(error) from error
    return extractor


def _store():
    from vigil.workflow import open_ready_store

    try:
        return open_ready_store(state.settings)
    except VigilError as error:
        raise _fail(error) from error


def run_on_store(action):  # noqa: ANN001, ANN201 (any callable of a Store, and what it returns)
    """``(store, action(store))`` on the opened store; a store, account or value error becomes one clean line."""
    store = _store()
    try:
        return store, action(store)
    except (VigilError, ValueError) as error:
        raise _fail(error) from error


# -- ingest and demo ---------------------------------------------------------------
def _run_ingest(inputs: list[str], follow_links: bool, label: str, tlp: str | None = None, org: str | None = None):
    from vigil.workflow import ingest

    store = _store()
    with err.status("Loading the extraction pipeline..."):
        extractor = _extractor()
    columns = (SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(label, total=None)

        def tell(item, status: str) -> None:
            progress.advance(task)
            if status == "error":
                progress.console.print(f"[yellow]skipped[/yellow] {item.message}", highlight=False)

        outcome = ingest(inputs, state.settings, store=store, extractor=extractor, follow_links=follow_links, progress=tell,
                         tlp=tlp, org_id=org)
    facts = ", ".join(f"{n} {kind}" for kind, n in sorted(outcome.facts.items())) or "no facts"
    fusion = outcome.fusion
    err.print(
        f"Ingested {len(outcome.created)} new document(s) ({facts}); "
        f"{len(outcome.duplicates)} already stored; {len(outcome.errors)} error(s). Store: {store.url}",
        highlight=False,
    )
    if fusion.events:
        err.print(f"Fused {fusion.events} event report(s): {len(fusion.created)} fused event(s) created, "
                  f"{len(fusion.updated)} updated, {len(fusion.removed)} merged away.", highlight=False)
    return store, outcome


@app.command("ingest")
def ingest_command(
    inputs: list[str] = typer.Argument(..., help="Files, folders, URLs or RSS/Atom feeds; '-' reads JSON Lines from stdin."),
    follow_links: bool = typer.Option(False, "--follow-links", help="For feeds: fetch each entry's article instead of its summary."),
    tlp: str | None = typer.Option(None, "--tlp", help="TLP 2.0 marking of the new documents: clear, green, amber, amber+strict, red (default: VIGIL_DEFAULT_TLP, else clear)."),
    org: str | None = typer.Option(None, "--org", help="Owning organisation id (default: the instance's own, 'local')."),
) -> None:
    """Ingest reports into the store: extract their facts, one transaction per document.

    Example: vigil ingest reports/ https://example.org/feed.xml --tlp amber
    """
    if tlp is not None:
        from vigil.model.access import Tlp

        try:
            Tlp.parse(tlp)
        except ValueError as error:
            raise _fail(error) from error
    _, outcome = _run_ingest(inputs, follow_links, "Ingesting", tlp, org)
    if outcome.errors and not outcome.created and not outcome.duplicates:
        raise typer.Exit(1)


@app.command()
def demo(
    serve: bool = typer.Option(True, "--serve/--no-serve", help="End by serving the dashboard on the sample store (--no-serve: just summarise)."),
    host: str = typer.Option("127.0.0.1", help="Address to serve on."),
    port: int = typer.Option(8000, help="Port to serve on."),
) -> None:
    """Load the bundled sample reports into the embedded store, summarise them and open the dashboard.

    Example: vigil demo --no-serve
    """
    from vigil.analysis.summary import summarise
    from vigil.workflow import sample_paths

    store, _ = _run_ingest([str(p) for p in sample_paths()], False, "Loading the sample reports")
    summary = summarise(store)
    out.print(f"\n[bold]Vigil demo[/bold]: {summary.documents} reports, {summary.events} events, "
              f"at least {summary.fatalities_min} fatalities reported, "
              f"{sum(summary.claims_by_stance.values())} claims, {sum(summary.relations_by_type.values())} relations.\n")
    counts_table(out, "Events by ACLED sub-event type", summary.by_sub_event_type, "sub-event type")
    counts_table(out, "Events by country", summary.by_country, "country")
    render(out, ["perpetrator", "actor id", "events"],
           [(a.name, a.actor_id, a.events) for a in summary.top_perpetrators], Format.table, title="Top perpetrators")
    counts_table(out, "Relations", summary.relations_by_type, "type")
    counts_table(out, "Claims", summary.claims_by_stance, "stance")
    out.print("Next: [bold]vigil events --country PK --actor 'Islamic State'[/bold], [bold]vigil claims[/bold], "
              "[bold]vigil show <document-id>[/bold].")
    if serve:
        _serve(store, host, port)


def _serve(store, host: str, port: int, sync_every: float | None = None) -> None:  # noqa: ANN001 (a Store)
    from vigil.api.server import serve as run_server

    def announce(address: str) -> None:
        out.print(f"Serving the dashboard at [bold]{address}[/bold] (API under {address}api, docs at {address}docs). "
                  "Ctrl+C stops it.", highlight=False)

    try:
        run_server(state.settings, store=store, host=host, port=port, announce=announce, sync_every=sync_every)
    except VigilError as error:
        raise _fail(error) from error


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0: every interface)."),
    port: int = typer.Option(8000, help="Port to listen on."),
    database: Optional[str] = typer.Option(None, "--database", "-d", help="SQLAlchemy URL of the store (overrides the global option).", metavar="URL"),
    sync_every: Optional[float] = typer.Option(None, "--sync-every", min=1, help="Also run `vigil sync` with every active partner every MINUTES.", metavar="MINUTES"),
) -> None:
    """Serve the REST API (/api, docs at /docs), the TAXII 2.1 server (/taxii2/) and the dashboard on the store.

    Example: vigil serve --port 8000 --database sqlite:///vigil.sqlite --sync-every 30
    """
    if database:
        state.settings = Settings(**{**state.settings.__dict__, "database_url": database})
    _serve(_store(), host, port, sync_every)


# -- queries ---------------------------------------------------------------------------
@app.command()
def events(
    country: Optional[str] = typer.Option(None, help="ISO 3166-1 alpha-2 country code, e.g. PK."),
    since: Optional[str] = typer.Option(None, help="First day, YYYY-MM-DD (inclusive)."),
    until: Optional[str] = typer.Option(None, help="Last day, YYYY-MM-DD (inclusive)."),
    actor: Optional[str] = typer.Option(None, help="Actor id, canonical name, alias or the words a report used."),
    event_type: Optional[str] = typer.Option(None, "--event-type", help="ACLED event type, e.g. 'Explosions/Remote violence'."),
    sub_event_type: Optional[str] = typer.Option(None, "--type", help="ACLED sub-event type, e.g. 'Suicide bomb'."),
    text: Optional[str] = typer.Option(None, help="Words in the evidence sentence."),
    document: Optional[str] = typer.Option(None, help="Only events from this document id."),
    limit: int = typer.Option(50, help="At most this many events (0: all)."),
    offset: int = typer.Option(0, help="Skip this many events first."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv or json."),
) -> None:
    """List events, newest first, with the filters given.

    Example: vigil events --country PK --since 2023-01-01 --actor "Islamic State" --format csv
    """
    from vigil.cli.rows import event_columns, event_row
    from vigil.store.queries import EventFilter, list_events

    try:
        query = EventFilter(since=_date(since, "--since"), until=_date(until, "--until"), country=country.upper() if country else None,
                            actor=actor, event_type=event_type, sub_event_type=sub_event_type, text=text, document_id=document,
                            limit=limit or None, offset=offset)
        found = list_events(_store(), query)
    except (VigilError, ValueError) as error:
        raise _fail(error) from error
    render(out, event_columns(fmt), [event_row(e, fmt) for e in found], fmt, title=f"{len(found)} events",
           records=[e.model_dump(mode="json") for e in found])


@app.command()
def actors(
    query: Optional[str] = typer.Argument(None, help="Part of a name or alias."),
    fmt: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """List canonical actors with their aliases, sanctions references and event counts.

    Example: vigil actors taliban
    """
    from vigil.store.queries import list_actors

    found = [a for a in list_actors(_store(), query) if query or a.events]
    rows = [(a.actor.id, a.actor.name, a.actor.kind, a.actor.un_ref, "; ".join(a.actor.aliases[:6]), a.events, a.as_perpetrator) for a in found]
    render(out, ["id", "name", "kind", "UN ref", "aliases", "events", "as perpetrator"], rows, fmt,
           title=f"{len(found)} actors", records=[a.model_dump(mode="json") for a in found])


@app.command()
def claims(
    actor: Optional[str] = typer.Option(None, help="Speaker or the speaker's organisation."),
    stance: Optional[str] = typer.Option(None, help="asserts or denies."),
    document: Optional[str] = typer.Option(None, help="Only claims from this document id."),
    limit: int = typer.Option(100, help="At most this many claims (0: all)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """List who asserts or denies what, with the quote.

    Example: vigil claims --stance denies
    """
    from vigil.store.queries import list_claims

    found = list_claims(_store(), actor, stance, document_id=document, limit=limit or None)
    rows = [(c.document_id, c.claim.speaker.text, c.claim.speaker_org.text if c.claim.speaker_org else None, c.claim.stance,
             c.claim.date, c.claim.text) for c in found]
    render(out, ["document", "speaker", "organisation", "stance", "date", "quote"], rows, fmt,
           title=f"{len(found)} claims", records=[c.model_dump(mode="json") for c in found])


@app.command()
def relations(
    type: Optional[str] = typer.Option(None, "--type", help="supplies_weapons_to, allied_with, member_of, faction_of, fights_against, claims_responsibility_for."),
    actor: Optional[str] = typer.Option(None, help="Source or target actor."),
    fmt: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """List relations between actors (who supplies whom, alliances, factions), with who reports them.

    Example: vigil relations --type supplies_weapons_to
    """
    from vigil.store.queries import list_relations

    found = list_relations(_store(), type, actor)
    rows = [(r.document_id, r.relation.source.text, r.relation.type, r.relation.target.text,
             "; ".join(w.text for w in r.relation.weapons), r.relation.attributed_to.text if r.relation.attributed_to else None)
            for r in found]
    render(out, ["document", "source", "relation", "target", "weapons", "according to"], rows, fmt,
           title=f"{len(found)} relations", records=[r.model_dump(mode="json") for r in found])


@app.command()
def documents(
    limit: int = typer.Option(50, help="At most this many documents (0: all)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """List stored documents, newest first.

    Example: vigil documents --limit 10
    """
    from vigil.store.repository import list_documents

    found = list_documents(_store(), limit=limit or None)
    rows = [(d.id, d.published, d.publisher, d.title, d.events) for d in found]
    render(out, ["id", "published", "publisher", "title", "events"], rows, fmt, title=f"{len(found)} documents",
           records=[d.model_dump(mode="json") for d in found])


@app.command()
def show(
    document_id: str = typer.Argument(..., help="A document id (see `vigil documents`)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table (readable) or json."),
) -> None:
    """Show one document with every fact extracted from it and the sentence it came from.

    Example: vigil show vigil-example-commentary-2023-08-28
    """
    from vigil.cli.rows import print_document
    from vigil.store.repository import get_document

    stored = get_document(_store(), document_id)
    if stored is None:
        raise _fail(VigilError(f"no document with id {document_id!r}; see `vigil documents`"))
    if fmt is Format.json:
        out.out(stored.model_dump_json(indent=2), highlight=False)
    else:
        print_document(out, stored)


@app.command()
def trend(
    period: str = typer.Option("month", "--period", help="month, or week (ISO weeks, Monday to Sunday)."),
    by: Optional[str] = typer.Option(None, "--by", help="actor (perpetrator), event_type, sub_event_type, country or admin1."),
    country: Optional[str] = typer.Option(None, help="ISO 3166-1 alpha-2 country code, e.g. PK."),
    admin1: Optional[str] = typer.Option(None, help="Province or state, e.g. 'Khyber Pakhtunkhwa'."),
    actor: Optional[str] = typer.Option(None, help="Actor id, canonical name, alias or the words a report used."),
    event_type: Optional[str] = typer.Option(None, "--event-type", help="ACLED event type, e.g. 'Battles'."),
    sub_event_type: Optional[str] = typer.Option(None, "--type", help="ACLED sub-event type, e.g. 'Suicide bomb'."),
    since: Optional[str] = typer.Option(None, help="First day, YYYY-MM-DD (inclusive)."),
    until: Optional[str] = typer.Option(None, help="Last day, YYYY-MM-DD (inclusive)."),
    compare: Optional[str] = typer.Option(None, help="Two windows to compare, BEFORE,AFTER: 2022-01-01:2022-12-31,2023-01-01:2023-12-31 or 2022,2023.", metavar="BEFORE,AFTER"),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Also draw the series to this .png or .svg file.", metavar="FILE"),
    top: int = typer.Option(8, help="Groups shown in the table and the chart (largest first)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, csv (the series; words on stderr) or json."),
    fused: bool = typer.Option(False, "--fused", help="Count real-world events after fusion (one per event, however many reports), not reports."),
) -> None:
    """Events and deaths per week or month; whether and when the rate changed, with the test used, in words.

    Example: vigil trend --country PK --by actor --compare 2022,2023 --fused --plot pk.png
    """
    from vigil.analysis.plots import plot_series
    from vigil.analysis.trend_report import parse_windows, trend_report
    from vigil.cli.trend_render import print_trend
    from vigil.store.queries import EventFilter

    try:
        windows = parse_windows(compare) if compare else None
        query = EventFilter(since=_date(since, "--since"), until=_date(until, "--until"), country=country.upper() if country else None,
                            admin1=admin1, actor=actor, event_type=event_type, sub_event_type=sub_event_type)
        report = trend_report(_store(), query, period, by, windows, fused=fused)  # type: ignore[arg-type]  (checked there)
    except (VigilError, ValueError) as error:
        raise _fail(error) from error
    print_trend(out, err, report, fmt, top)
    if plot is not None:
        try:
            err.print(f"Chart written to {plot_series(report.series, plot, change_points=report.change_points, top=top)}.", highlight=False)
        except (VigilError, OSError) as error:
            raise _fail(error) from error


# -- stateless extraction ------------------------------------------------------------------
@app.command()
def extract(
    source: str = typer.Argument("-", help="JSON Lines file, a plain-text file, or '-' for JSON Lines on stdin."),
    learned: Optional[bool] = typer.Option(None, "--learned/--fast", help="Learned entity tagger and event typer on top of the rules, or the rules only (default: learned where its model can run here)."),
    roles: bool = typer.Option(False, "--roles", help="Learned mode plus the role tagger trained on MUC-4 (perpetrators, targets, victims, weapons; about twice as slow)."),
    tagger: str = typer.Option("auto", help="Learned entity tagger: ensemble (encoder + CRF, best), encoder, crf (fastest) or auto (the CRF: fast enough for ingest)."),
) -> None:
    """Extract facts without a store: one JSON line out per document in (the stable contract).

    Example: cat docs.jsonl | vigil extract --fast > out.jsonl
    """
    from vigil.model.records import IngestError
    from vigil.nlp.pipeline import streaming_collector
    from vigil.workflow import extract_stream, extract_text_file

    if roles and learned is False:
        raise _fail(VigilError("--roles runs on top of the learned mode; drop --fast"))
    extractor = _extractor("roles" if roles else None if learned is None else ("learned" if learned else "fast"), tagger)
    path = Path(source)
    if source != "-" and not path.exists():
        raise _fail(VigilError(f"{source}: no such file"))
    if source != "-" and path.suffix.lower() not in (".jsonl", ".ndjson", ".json"):
        try:
            sys.stdout.write(extract_text_file(path, extractor=extractor) + "\n")
        except (OSError, UnicodeDecodeError) as error:
            raise _fail(VigilError(f"{source}: cannot read ({error})")) from error
        return
    handle = sys.stdin if source == "-" else path.open("r", encoding="utf-8", errors="replace")
    failures = 0
    with handle, streaming_collector():
        for item in extract_stream(handle, where="<stdin>" if source == "-" else source, extractor=extractor):
            if isinstance(item, IngestError):
                failures += 1
                err.print(f"[yellow]skipped[/yellow] {item.message}", highlight=False)
            else:
                sys.stdout.write(item + "\n")
    if failures:
        err.print(f"{failures} input line(s) skipped.")


# -- evaluation and data ------------------------------------------------------------------------
@app.command("eval")
def eval_command(
    task: list[str] = typer.Option(["re3d", "muc4", "wikievents"], "--task", "-t", help="re3d, muc4, wikievents, events (repeatable)."),
    dev_dir: Optional[Path] = typer.Option(None, help="Folder with the development sets (default: VIGIL_DEV_DATA or ../shared/data/dev)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, markdown or json."),
    mode: Optional[str] = typer.Option(None, "--mode", "-m", help="fast (rules only), learned (learned entities and event types) or roles (learned + the role tagger); default: learned where its model can run here."),
    tagger: str = typer.Option("auto", help="Learned entity tagger in learned mode: ensemble, encoder, crf or auto."),
    compare_modes: Optional[str] = typer.Option(None, "--compare", help="Modes side by side in one table, e.g. fast,learned,roles,learned:ensemble (F1 per mode)."),
) -> None:
    """Score the extractor on the development data: precision, recall, F1 per type.

    Example: vigil eval --task re3d --mode fast --format markdown
    Example: vigil eval --task re3d --task muc4 --task events --compare fast,learned --format markdown
    """
    from vigil.evaluation.datasets import find_dev_dir
    from vigil.evaluation.report import run_eval

    folder = dev_dir or find_dev_dir()
    if folder is None or not Path(folder).is_dir():
        raise _fail(VigilError("development data not found; pass --dev-dir or set VIGIL_DEV_DATA"))
    if compare_modes is not None:
        from vigil.evaluation.compare import compare, label, parse_modes

        try:
            modes = parse_modes(compare_modes)
        except ValueError as error:
            raise _fail(VigilError(str(error))) from error
        reports = []
        for each_mode, each_tagger in modes:
            with err.status(f"Scoring {label(each_mode, each_tagger)}..."):
                reports.append((label(each_mode, each_tagger), run_eval(list(task), Path(folder), _extractor(each_mode, each_tagger))))
        report = compare(reports)
    else:
        with err.status("Scoring..."):
            report = run_eval(list(task), Path(folder), _extractor(mode, tagger))
    if fmt == "json":
        out.out(report.to_json(), highlight=False)
    elif fmt == "markdown":
        out.out(report.to_markdown(), highlight=False)
    else:
        out.print(report.to_rich())


@data_app.command("build")
def data_build(
    reference_dir: Path = typer.Option(Path("../shared/data/reference"), help="Folder with the UN list XML and GeoNames admin files."),
) -> None:
    """Rebuild the shipped gazetteers from reference files (UN sanctions list, GeoNames).

    Example: vigil data build --reference-dir ../shared/data/reference
    """
    from vigil.gazetteers.build import build_all

    if not reference_dir.is_dir():
        raise _fail(VigilError(f"{reference_dir}: no such folder (it needs the UN list XML and the GeoNames admin files)"))
    try:
        counts = build_all(reference_dir)
    except (VigilError, OSError) as error:
        raise _fail(error) from error
    err.print(", ".join(f"{n} {kind}" for kind, n in counts.items()) + " written to the gazetteer data folder.")


@data_app.command("refresh")
def data_refresh(
    url: str = typer.Option("https://scsanctions.un.org/resources/xml/en/consolidated.xml", help="Address of the live UN consolidated list."),
    places: bool = typer.Option(False, "--places", help="Also rebuild places from the live GeoNames admin1/admin2 files (needs the gazetteer-build extra)."),
    geonames_url: str = typer.Option("https://download.geonames.org/export/dump/", help="GeoNames export folder."),
) -> None:
    """Download the live UN Security Council consolidated list (and GeoNames) and rebuild the gazetteers.

    Example: vigil data refresh --places
    """
    from vigil.gazetteers.actors import load_actor_gazetteer, refresh_un_list
    from vigil.gazetteers.refresh_places import refresh_places
    from vigil.store.repository import seed_actors

    try:
        written = refresh_un_list(url)
        load_actor_gazetteer.cache_clear()
        seeded = seed_actors(_store(), load_actor_gazetteer().actors.values())
        err.print(f"{written} actors written from {url}; store: {seeded.created} new, {seeded.updated} updated.")
        if places:
            err.print(f"{refresh_places(geonames_url)} places written from {geonames_url}.")
    except (VigilError, OSError) as error:  # OSError: a data folder that cannot be written
        raise _fail(error) from error


def run() -> None:
    """Entry point: turn library errors into one clean line."""
    try:
        app()
    except VigilError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        sys.exit(1)
