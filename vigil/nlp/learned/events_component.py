"""``vigil_events_learned``: relabel the rule component's events with the learned ACLED classifier.

Runs after ``vigil_events``. For every event the rules built, the classifier reads the
evidence sentence(s) with the rule's type as a feature and:
* gives it the classifier's sub-event type (and its ACLED event type) when its
  probability reaches the threshold stored with the model (chosen by cross-validation
  on the train split, see ``events_train``);
* drops the event when that label is ``NONE`` (the text describes no ACLED event);
* keeps the rule's type otherwise.
Events of a whole batch of documents are classified in one matrix product.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from vigil.model.taxonomy import event_type_of
from vigil.nlp.learned.events_data import NONE_LABEL
from vigil.nlp.learned.events_features import features
from vigil.nlp.learned.events_model import EventTypeModel
from vigil.nlp.learned.events_train import decide, default_model_path

EXTRACTOR = "rules+events-lr-v1"


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> EventTypeModel:
    """The model, read once per process and path."""
    return EventTypeModel.load(Path(path) if path else default_model_path())


class LearnedEventTyper:
    def __init__(self, model: EventTypeModel) -> None:
        self.model = model

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
        probs = self.model.proba([features(event.sentence, event.type) for _, event in events])
        kept: dict[int, list] = {id(doc): [] for doc in docs}
        for (doc, event), p in zip(events, probs):
            label = decide(event.type, p, self.model.labels, self.model.threshold)
            if label == NONE_LABEL:
                continue
            if label != event.type:
                event = event.model_copy(update={"type": label, "event_type": event_type_of(label)})
            kept[id(doc)].append(event.model_copy(update={"extractor": EXTRACTOR}))
        for doc in docs:
            doc._.events[:] = kept[id(doc)]


@Language.factory("vigil_events_learned", default_config={"model_path": None})
def make_learned_events(nlp: Language, name: str, model_path: str | None) -> LearnedEventTyper:
    return LearnedEventTyper(load_model(model_path))
