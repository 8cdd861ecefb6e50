"""``vigil_events_learned``: relabel the rule component's events with the learned ACLED classifier.

Runs after ``vigil_events``. For every event the rules built, the classifier reads the
evidence sentence(s) with the rule's type as a feature and:
* gives it the classifier's sub-event type (and its ACLED event type) when its
  probability reaches the threshold stored with the model (chosen by cross-validation
  on the train split, see ``events_train``);
* drops the event when that label is ``NONE`` (the text describes no ACLED event) with
  a probability reaching the model's drop threshold;
* keeps the rule's type otherwise.
Events of a whole batch of documents are classified in one matrix product; sentence
vectors are computed for the events' evidence only (``events_typer``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from vigil.model.taxonomy import event_type_of
from vigil.nlp.learned.events_data import NONE_LABEL
from vigil.nlp.learned.events_model import EventTypeModel
from vigil.nlp.learned.events_train import pipeline_label
from vigil.nlp.learned.events_typer import EventTyper, load_typer, typer_from

EXTRACTOR = "rules+events-lr-v2"


def load_model(path: str | None = None) -> EventTypeModel:
    """The model the component runs here (the lexical fall-back where the ml extra is missing)."""
    return load_typer(path).model


class LearnedEventTyper:
    def __init__(self, model: EventTypeModel | EventTyper) -> None:
        self.typer = model if isinstance(model, EventTyper) else typer_from(model)
        self.model = self.typer.model

    def __call__(self, doc: Doc) -> Doc:
        self.relabel([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        stream = iter(docs)
        while batch := list(islice(stream, batch_size)):
            self.relabel(batch)
            yield from batch

    def relabel(self, docs: list[Doc]) -> None:
        events = [(doc, event) for doc in docs for event in doc._.events]
        if not events:
            return
        probs = self.typer.proba([event.sentence for _, event in events], [event.type for _, event in events])
        kept: dict[int, list] = {id(doc): [] for doc in docs}
        for (doc, event), p in zip(events, probs):
            label = pipeline_label(event.type, p, self.model)
            if label == NONE_LABEL:
                continue
            if label != event.type:
                event = event.model_copy(update={"type": label, "event_type": event_type_of(label)})
            kept[id(doc)].append(event.model_copy(update={"extractor": EXTRACTOR}))
        for doc in docs:
            doc._.events[:] = kept[id(doc)]


@Language.factory("vigil_events_learned", default_config={"model_path": None})
def make_learned_events(nlp: Language, name: str, model_path: str | None) -> LearnedEventTyper:
    return LearnedEventTyper(load_typer(model_path))
