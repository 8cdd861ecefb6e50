"""``vigil_learned_roles``: event roles (perpetrator, target, victim, weapon) from the learned role tagger.

Runs after the event components: right after ``vigil_events`` in the fast pipeline,
after ``vigil_events_learned`` in the learned one (which rewrites the events it keeps);
it reads the rule events as features and fills them.
The tagger (``roles_model``, trained on MUC-4) finds document-level fillers per role;
each entity's most confident mention is attached to one event:

* the violent event whose evidence span contains the mention, else
* the violent event nearest to it in the text (MUC-4 fillers often sit in a sentence
  after the one the event trigger is in), else
* with no violent event (``orphans="event"``, the default): when the tagger is
  confident (its best filler scores at least ``orphan_score``, 0.7), a new event of
  ACLED's generic type "Attack" on the sentence of that filler, with confidence 0.3
  and extractor ``roles-crf-v1``; otherwise (or with ``orphans="drop"``) the fillers go
  to any non-violent event by the same rule, or are dropped when there is none.
  Why: MUC-4 reports often describe an incident with words the trigger lexicon lacks;
  on held-out train documents, the tagger's confident fillers mark a relevant report
  about as often (17 of 26) as a rule event does (87 of 138), while a lower bar
  creates many more events in irrelevant reports.

PerpInd fillers become perpetrators of kind ``person``, PerpOrg fillers of kind
``organisation`` (with the canonical actor id when an actor mention of the gazetteer
covers the same words); Target -> targets, Victim -> victims, Weapon -> weapons.

``policy`` (what happens to the roles the rules gave the events):
* ``"fill"`` (default): per event and role field, the tagger's fillers replace the
  rules' when it found any, else the rules' stay;
* ``"replace"``: only the tagger's fillers;
* ``"document"``: the tagger's fillers replace the rules' in every event of a document
  where it found any filler;
* ``"merge"``: both.
On held-out MUC-4 train documents (fast pipeline), replace scores best (micro F1
0.324; document 0.310, fill 0.277, merge lower still). But the tagger was trained on
1989-1991 ALL-CAPS wire text and is mostly silent or wrong on other text: on WikiEvents
dev (attack arguments) replace erases the rules' roles (micro 0.256 -> 0.116), fill
leaves them (0.253). So the default is fill; set ``policy="replace"`` for MUC-like text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from vigil.model.records import ActorRef, Event, WeaponMention
from vigil.model.taxonomy import event_type_of
from vigil.nlp.extensions import read_spans, value_at
from vigil.nlp.learned.roles_data import role_document
from vigil.nlp.learned.roles_decode import Entity
from vigil.nlp.learned.roles_model import RoleModel
from vigil.nlp.values.text import doc_text

EXTRACTOR = "roles-crf-v1"
VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"})
POLICIES = ("document", "fill", "replace", "merge")
ORPHANS = ("drop", "event")
ORPHAN_CONFIDENCE = 0.3
_FIELDS = {"PerpInd": "perpetrators", "PerpOrg": "perpetrators", "Target": "targets", "Victim": "victims", "Weapon": "weapons"}


@lru_cache(maxsize=4)
def load_model(model_dir: str | None = None) -> RoleModel:
    """The model, read once per process and folder."""
    return RoleModel.load(Path(model_dir) if model_dir else None)


def host_event(events: list[Event], start: int, end: int) -> int | None:
    """Index of the event a filler at [start, end) belongs to (see the module docstring)."""
    if not events:
        return None
    violent = [i for i, e in enumerate(events) if e.event_type in VIOLENT]
    pool = violent or list(range(len(events)))
    inside = [i for i in pool if events[i].start <= start and end <= events[i].end]
    if inside:
        return inside[0]

    def distance(i: int) -> int:
        event = events[i]
        return max(event.start - end, start - event.end, 0)

    return min(pool, key=lambda i: (distance(i), i))


def orphan_event(doc: Doc, entities: dict[str, list[Entity]]) -> Event:
    """An event for fillers found where the rules saw no violent event (``orphans="event"``).

    Its evidence is the sentence of the most confident filler; its type is ACLED's
    generic "Attack" (Violence against civilians), its confidence low and its
    extractor the tagger's, so that it can be told from rule events.
    """
    best = max((e for found in entities.values() for e in found), key=lambda e: e.score)
    sentence = doc[best.spans[0].start].sent
    start, end = sentence.start_char, sentence.end_char
    text = doc_text(doc)[start:end]
    trimmed = text.rstrip()
    return Event(type="Attack", event_type=event_type_of("Attack"), start=start, end=start + len(trimmed),
                 sentence=trimmed, confidence=ORPHAN_CONFIDENCE, extractor=EXTRACTOR)


def _actor_at(doc: Doc, start: int, end: int) -> str | None:
    """The canonical actor id of a gazetteer mention with exactly these offsets, if any."""
    for span in read_spans(doc, "actors"):
        if span.start_char == start and span.end_char == end:
            value = value_at(doc, "actors", start, end) or {}
            return value.get("actor")
    return None


def _ref(doc: Doc, entity: Entity):
    span = entity.spans[0]
    first, last = doc[span.start], doc[span.end - 1]
    start, end = first.idx, last.idx + len(last)
    text = doc_text(doc)[start:end]
    if entity.role == "Weapon":
        return WeaponMention(start=start, end=end, text=text)
    # PerpInd is an individual perpetrator by definition, victims are people (MUC-4 hum_tgt)
    kind = "person" if entity.role in ("PerpInd", "Victim") else "organisation"
    return ActorRef(start=start, end=end, text=text, kind=kind, actor=_actor_at(doc, start, end))


class LearnedRoles:
    def __init__(self, model: RoleModel, policy: str = "fill", orphans: str = "event", orphan_score: float = 0.7) -> None:
        if policy not in POLICIES:
            raise ValueError(f"unknown role policy {policy!r} (known: {', '.join(POLICIES)})")
        if orphans not in ORPHANS:
            raise ValueError(f"unknown orphans setting {orphans!r} (known: {', '.join(ORPHANS)})")
        self.model = model
        self.policy = policy
        self.orphans = orphans
        self.orphan_score = orphan_score

    def __call__(self, doc: Doc) -> Doc:
        events = list(doc._.events)
        entities = self.model.predict(role_document(doc))
        if self.orphans == "event" and not any(e.event_type in VIOLENT for e in events):
            if max((e.score for found in entities.values() for e in found), default=0.0) >= self.orphan_score:
                events.append(orphan_event(doc, entities))
        added: dict[int, dict[str, list]] = {}
        for role, found in entities.items():
            for entity in found:
                ref = _ref(doc, entity)
                index = host_event(events, ref.start, ref.end)
                if index is not None:
                    added.setdefault(index, {}).setdefault(_FIELDS[role], []).append(ref)
        # "document": the tagger's roles replace the rules' in a document where it found any
        replace = self.policy == "replace" or (self.policy == "document" and bool(added))
        out = []
        for i, event in enumerate(events):
            extractor = event.extractor if event.extractor.endswith(EXTRACTOR) else f"{event.extractor}+{EXTRACTOR}"
            update = {"extractor": extractor}
            for name in ("perpetrators", "targets", "victims", "weapons"):
                learned = added.get(i, {}).get(name, [])
                rules = list(getattr(event, name))
                keep = self.policy == "merge" or (self.policy == "fill" and not learned) or (self.policy == "document" and not replace)
                kept = rules if keep else []
                seen = {(r.start, r.end) for r in kept}
                update[name] = kept + [r for r in learned if (r.start, r.end) not in seen]
            out.append(event.model_copy(update=update))
        doc._.events[:] = out
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory(
    "vigil_learned_roles",
    default_config={"model_dir": None, "policy": "fill", "orphans": "event", "orphan_score": 0.7},
)
def make_learned_roles(nlp: Language, name: str, model_dir: str | None, policy: str, orphans: str, orphan_score: float) -> LearnedRoles:
    return LearnedRoles(load_model(model_dir), policy, orphans, orphan_score)
