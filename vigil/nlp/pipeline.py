"""Assemble the extraction pipeline and run it over documents.

The pipeline is spaCy's blank English pipeline plus Vigil's own components,
each a registered factory in ``vigil.nlp.components`` (one per file). Any of them
can be swapped for a learned component with the same name and contract.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from vigil.model.records import Document, Extraction
from vigil.nlp import extensions
from vigil.nlp.convert import doc_to_extraction
from vigil.nlp.spans import release
from vigil.nlp.values.text import remember_text

#: The components of extraction v1, in order. Each reads what earlier ones wrote.
COMPONENTS: tuple[str, ...] = (
    "vigil_sentences",
    "vigil_actors",
    "vigil_places",
    "vigil_dates",
    "vigil_casualties",
    "vigil_weapons",
    "vigil_persons",
    "vigil_entities",
    "vigil_events",
    "vigil_relations",
    "vigil_claims",
)

EXTRACTOR_VERSION = "rules-v1"

#: Extraction v2 (mode "learned"), two learned components (``vigil.nlp.learned``) among the rules: the
#: entity tagger right after ``vigil_entities``, whose mentions are its features (later components read
#: its entities), and the ACLED sub-event classifier right after ``vigil_events``, which relabels or drops
#: the rules' events. Mode "roles" adds the role tagger trained on MUC-4 after the classifier (it must
#: follow it: the classifier rewrites each event's ``extractor``); it fills the events' perpetrators,
#: targets, victims and weapons, at about twice the time of "learned", so it is not on by default.
_AFTER = COMPONENTS.index("vigil_entities") + 1
_EVENTS = COMPONENTS.index("vigil_events") + 1
LEARNED_COMPONENTS: tuple[str, ...] = (*COMPONENTS[:_AFTER], "vigil_learned_entities", *COMPONENTS[_AFTER:_EVENTS],
                                       "vigil_events_learned", *COMPONENTS[_EVENTS:])
ROLES_COMPONENTS: tuple[str, ...] = (*LEARNED_COMPONENTS[:LEARNED_COMPONENTS.index("vigil_events_learned") + 1],
                                     "vigil_learned_roles", *COMPONENTS[_EVENTS:])
MODES: dict[str, tuple[str, ...]] = {"fast": COMPONENTS, "learned": LEARNED_COMPONENTS, "roles": ROLES_COMPONENTS}


def components_for(mode: str) -> tuple[str, ...]:
    """The components of a mode: "fast" (the rules of v1), "learned" (rules + learned entities and event
    types) or "roles" (learned + the role tagger)."""
    if mode not in MODES:
        raise ValueError(f"unknown pipeline mode {mode!r} (known: {', '.join(MODES)})")
    return MODES[mode]

#: Whitespace-separated chunks whose tokenisation spaCy's tokenizer remembers (its default
#: is 10,000). The components tokenise their gazetteer phrases with the same tokenizer
#: while the pipeline is built, which fills a cache of 10,000 before the first document:
#: every chunk of every document then goes through the prefix, suffix and infix regexes
#: again (about a millisecond per news-length document). An entry costs well under 100
#: bytes, less than the vocabulary entry its new word adds anyway.
TOKENIZER_CACHE_SIZE = 1_000_000


def build_pipeline(components: Iterable[str] = COMPONENTS, config: dict[str, dict] | None = None) -> Language:
    """A blank English pipeline with the named Vigil components added in order.

    A component ``vigil_NAME`` is registered by importing ``vigil.nlp.components.NAME``;
    only the modules of the requested components are imported. ``config`` gives a
    component's settings by name, e.g. ``{"vigil_entities": {"pronouns": True}}``.
    """
    extensions.register()
    config = config or {}
    nlp = spacy.blank("en")
    nlp.tokenizer.max_cache_size = TOKENIZER_CACHE_SIZE
    for name in components:
        if name.startswith("vigil_"):
            importlib.import_module(f"vigil.nlp.components.{name.removeprefix('vigil_')}")
        nlp.add_pipe(name, config=config.get(name, {}))
    return nlp


class Extractor:
    """Turns documents into ``Extraction`` records. Build once, reuse: loading is the slow part."""

    def __init__(self, nlp: Language | None = None) -> None:
        self._nlp = nlp

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = build_pipeline()
        return self._nlp

    def annotate(self, text: str, published: date | None = None, doc_id: str | None = None) -> Doc:
        """Run the pipeline on one text and return the annotated spaCy Doc."""
        doc = self.nlp.make_doc(text)
        remember_text(doc, text)
        doc._.published = published
        doc._.doc_id = doc_id
        for _, proc in self.nlp.pipeline:
            doc = proc(doc)
        return doc

    def extract(self, document: Document) -> Extraction:
        """Extract the facts of one document."""
        doc = self.annotate(document.text, document.published, document.id)
        extraction = doc_to_extraction(doc, document.id)
        release(doc)
        return extraction

    def extract_many(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[Extraction]:
        """Extract a stream of documents in order, batching the tokenizer and components."""

        def prepared() -> Iterator[Doc]:
            for document in documents:
                doc = self.nlp.make_doc(document.text)
                remember_text(doc, document.text)
                doc._.published = document.published
                doc._.doc_id = document.id
                yield doc

        stream: Iterable[Doc] = prepared()
        for _, proc in self.nlp.pipeline:
            stream = proc.pipe(stream, batch_size=batch_size) if hasattr(proc, "pipe") else map(proc, stream)
        for doc in stream:
            extraction = doc_to_extraction(doc, doc._.doc_id)
            release(doc)
            yield extraction


@contextmanager
def streaming_collector(young_threshold: int = 10_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often while documents stream through the extractor.

    An extracted document is freed by reference counting alone (see ``release``),
    but the hundreds of objects it allocates trigger a young-generation collection every
    700 net allocations (Python's default), each walking every young object. ``vigil
    extract`` streams many documents and holds nothing between them, so it collects young
    objects every ``young_threshold`` allocations instead; the old setting comes back after.
    """
    old = gc.get_threshold()
    gc.set_threshold(young_threshold, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
