"""The operations a user runs, as library functions: the CLI and the API both call these.

Each one wires the stages in their one direction (ingest -> nlp -> resolve ->
store -> analysis) and reports per-item outcomes instead of stopping at the
first bad input. Ingest links the new reports' names that analysts accepted or
merged as actors (``relink_unresolved``), then fuses their events with the stored
ones as it goes (``vigil.store.fusion``); ``fuse`` catches up or rebuilds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import islice
from pathlib import Path

from vigil.errors import VigilError
from vigil.gazetteers.actors import load_actor_gazetteer
from vigil.ingest import iter_documents, iter_jsonl
from vigil.model.access import Tlp
from vigil.model.records import Document, Extraction, IngestError
from vigil.nlp.pipeline import Extractor
from vigil.resolve.similarity import choose_encoder
from vigil.settings import Settings
from vigil.store.actor_proposals import relink_unresolved
from vigil.store.database import Store, open_store
from vigil.store.fusion import StoredFusion
from vigil.store.fusion_views import FusionResult
from vigil.store.repository import count_actors, find_document_id, save_document, seed_actors

BATCH = 32
SIMILARITIES = ("lexical", "embedding", "auto")
ERR_SIMILARITY = "Unknown fusion similarity {value!r} (VIGIL_FUSION_SIMILARITY); use one of: lexical, embedding, auto."
FUSION_SOURCE = "event fusion"
RELINK_SOURCE = "actor relinking"


@dataclass
class IngestOutcome:
    """What one ingest run did, item by item."""

    created: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    #: content already stored in documents the store's viewer may not read: counted, never named
    withheld: int = 0
    errors: list[IngestError] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=dict)
    fusion: FusionResult = field(default_factory=FusionResult)
    relinked: int = 0  # mentions linked to an actor after extraction: by analyst decisions or an actor's name

    @property
    def seen(self) -> int:
        return len(self.created) + len(self.duplicates) + self.withheld + len(self.errors)


Progress = Callable[[Document | IngestError, str], None]


def open_ready_store(settings: Settings) -> Store:
    """Open (and migrate) the store; load the canonical actors the first time."""
    store = open_store(settings)
    if count_actors(store) == 0:
        seed_actors(store, load_actor_gazetteer().actors.values())
    return store


def document_marking(settings: Settings, store: Store, tlp: str | None, org_id: str | None) -> dict[str, object]:
    """The marking of newly ingested documents: ``tlp`` (else ``settings.default_tlp``) and the owning
    organisation (else the viewer's; None: the instance's own). A bad marking is a ``VigilError`` naming it."""
    try:
        marking = Tlp.parse(tlp or settings.default_tlp)
    except ValueError as error:
        raise VigilError(str(error)) from None
    owner = org_id if org_id is not None else (store.viewer.org_id if store.viewer is not None else None)
    return {"tlp": marking, "org_id": owner}


def ingest(
    inputs: Sequence[str | Path],
    settings: Settings,
    *,
    store: Store,
    extractor: Extractor,
    follow_links: bool = False,
    progress: Progress | None = None,
    tlp: str | None = None,
    org_id: str | None = None,
    sources: Mapping[str, str] | None = None,
) -> IngestOutcome:
    """Read every input, extract its facts and store each document in its own transaction.

    Content already in the store is recognised by its hash before extraction and
    skipped. A bad input or a failed save is recorded in ``errors``; the rest goes on.
    After each batch the new events are fused with the stored ones (``outcome.fusion``);
    should that fail, the documents stay stored, the error is recorded and
    ``vigil fuse`` catches up. ``sources`` renames the source stored for documents
    read from an input (an upload's temporary file is stored as ``upload:report.pdf``).
    """
    marking = document_marking(settings, store, tlp, org_id)
    outcome = IngestOutcome()
    fusion: StoredFusion | None = None
    fusing = True
    items = iter_documents(inputs, settings, follow_links=follow_links)
    while batch := list(islice(items, BATCH)):
        created_before = len(outcome.created)
        fresh: list[Document] = []
        for item in batch:
            if isinstance(item, IngestError):
                outcome.errors.append(item)
                _tell(progress, item, "error")
            elif find_document_id(store.for_viewer(None), item.content_hash) is not None:
                _already_stored(store, item, item.id, outcome, progress)
            else:
                renamed = {"source": sources[item.source]} if sources and item.source in sources else {}
                fresh.append(item.model_copy(update={**marking, **renamed}))
        for document, extraction in zip(fresh, extractor.extract_many(fresh)):
            _save(store, document, extraction, outcome, progress)
        if len(outcome.created) > created_before:
            _relink(store, outcome.created[created_before:], outcome)
        if len(outcome.created) > created_before and fusing:
            try:
                fusion = fusion or open_fusion(store, settings)
                outcome.fusion.add(fusion.add_documents(outcome.created[created_before:]))
            except VigilError as error:  # the documents are stored; fusing them waits for `vigil fuse`
                outcome.errors.append(IngestError(source=FUSION_SOURCE, message=f"{error} (run `vigil fuse` to retry)"))
                fusing = False
    return outcome


def open_fusion(store: Store, settings: Settings) -> StoredFusion:
    """Event fusion over ``store`` with the evidence similarity ``settings`` chooses (lexical by default)."""
    if settings.fusion_similarity not in SIMILARITIES:
        raise VigilError(ERR_SIMILARITY.format(value=settings.fusion_similarity))
    return StoredFusion(store, choose_encoder(settings.fusion_similarity, settings.embedding_model))  # type: ignore[arg-type]


def fuse(store: Store, settings: Settings, *, rebuild: bool = False) -> FusionResult:
    """Fuse what is not fused yet (events stored before fusion existed, or after a failed run) and
    repair fused events that lost reports; ``rebuild``: fuse everything again. Analyst decisions hold."""
    fusion = open_fusion(store, settings)
    return fusion.rebuild() if rebuild else fusion.catch_up()


def forget_document(store: Store, settings: Settings, document_id: str) -> FusionResult | None:
    """Delete a document with its facts and re-fuse the fused events it was part of (rebuilt from their
    other reports, or removed when none is left; analyst decisions hold); None if not stored."""
    return open_fusion(store, settings).forget_document(document_id)


def _relink(store: Store, documents: list[str], outcome: IngestOutcome) -> None:
    """Link the new reports' unresolved names that analysts accepted or merged as actors, or that name an
    actor of this store (extraction knows only the shipped gazetteer), before they are fused."""
    try:
        linked = relink_unresolved(store, documents)
    except VigilError as error:  # the documents are stored; `vigil proposals` relinks them later
        outcome.errors.append(IngestError(source=RELINK_SOURCE, message=f"{error} (`vigil proposals` links them later)"))
        return
    outcome.relinked += linked.by_decision + linked.by_name


def _save(store: Store, document: Document, extraction: Extraction, outcome: IngestOutcome, progress: Progress | None) -> None:
    try:
        result = save_document(store, document, extraction)
    except VigilError as error:
        failure = IngestError(source=document.source or document.id, message=str(error))
        outcome.errors.append(failure)
        _tell(progress, failure, "error")
        return
    if result.created:
        outcome.created.append(result.document_id)
        for kind, n in result.counts.items():
            outcome.facts[kind] = outcome.facts.get(kind, 0) + n
        _tell(progress, document, "created")
    else:
        _already_stored(store, document, result.document_id, outcome, progress)


def _already_stored(store: Store, document: Document, stored_id: str, outcome: IngestOutcome,
                    progress: Progress | None) -> None:
    """A duplicate: named when the viewer may read the stored document; only counted when they may not
    (its id, marking or owner would tell them of a document they are not to know of)."""
    if store.viewer is None or find_document_id(store, document.content_hash) is not None:
        outcome.duplicates.append(stored_id)
    else:
        outcome.withheld += 1
    _tell(progress, document, "duplicate")


def _tell(progress: Progress | None, item: Document | IngestError, status: str) -> None:
    if progress is not None:
        progress(item, status)


def sample_paths() -> list[Path]:
    """The bundled sample reports (see ``vigil/samples/README.md``)."""
    folder = resources.files("vigil").joinpath("samples")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".jsonl"))


def extract_stream(lines: Iterable[str], *, where: str, extractor: Extractor) -> Iterator[str | IngestError]:
    """The ``vigil extract`` contract: one JSON line per valid input line, in order.

    Offsets point into the text exactly as given (no normalisation), so an
    external scorer can use them directly. Bad lines come back as ``IngestError``
    naming the line; they do not stop the stream.
    """
    items = iter_jsonl(lines, where=where, normalise=False)
    while batch := list(islice(items, BATCH)):
        documents = [i for i in batch if isinstance(i, Document)]
        extractions = iter(extractor.extract_many(documents))
        for item in batch:
            yield item if isinstance(item, IngestError) else next(extractions).to_contract_json()


def extract_text_file(path: Path, *, extractor: Extractor) -> str:
    """A plain-text file through the extract contract (its id is the file name), as one JSON line."""
    text = path.read_text("utf-8")
    document = Document.from_text(text, id=path.name, source=str(path))
    return extractor.extract(document).to_contract_json()
