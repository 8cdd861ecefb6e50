"""WikiEvents (Li et al., NAACL 2021): attack detection and attack arguments.

Text. The file's ``text`` field glues sentences together, so the document is
rebuilt from the tokenised sentences (``datasets.rebuild_wikievents_text``): each
sentence keeps its internal spacing and sentences are joined by a blank line.
All gold offsets (triggers, entity mentions, heads) are character offsets into
that rebuilt text, which is what the extractor sees.

Gold events kept
----------------
* Detection: every ``Conflict.Attack.*`` event mention (one per trigger).
* Arguments: the arguments of ``Conflict.Attack.*`` events **and** of
  ``Life.Die.*`` / ``Life.Injure.*`` events. KAIROS puts the people killed or hurt
  on the Life events (Conflict.Attack has no Victim role); in this development
  set, drawn from attack scenarios, nearly all of them are casualties of attacks
  (a handful are not, e.g. a death "in 2013" mentioned in passing; that noise is
  accepted). Life events are not detection targets.

Role mapping (gold role -> Vigil field -> report label):
  Attacker, Killer, Injurer -> perpetrators -> Attacker; Target -> targets -> Target;
  Victim -> victims -> Victim; Instrument, ExplosiveDevice -> weapons -> Instrument;
  Place -> location -> Place. Other roles are ignored.

Predicted events kept: ACLED types Battles, Explosions/Remote violence and Violence
against civilians, except the sub-event types "Abduction/forced disappearance" and
"Sexual violence" (not attacks in KAIROS). Protests, riots and strategic
developments are ignored.

Scoring
-------
(a) Detection (task ``wikievents-event``, type ``Conflict.Attack``): a predicted
    event may match a gold attack when its evidence span [start, end) overlaps the
    character span of the sentence that holds the gold trigger. Matching is one to
    one (maximum bipartite matching): tp = matches, fp = predicted attack events
    left over, fn = gold attacks left over. Two gold attacks in one sentence need
    two predicted events.
(b) Arguments (task ``wikievents-arg``): per document, gold arguments are the
    distinct (role, mention span) pairs over the kept events; predicted arguments
    the distinct (role, span) pairs over the kept predicted events. With
    ``weapons="sentence"`` (default) weapon mentions of ``Extraction.weapons``
    inside a kept event's evidence span count as Instrument too. A predicted
    argument matches a gold argument of the same role when the predicted span
    contains the gold mention's head token, or the gold mention span contains the
    predicted argument's head token (head = last word-bearing token before a
    post-modifier such as "of", ",", "who": "members of the Taliban" -> "members").
    A predicted location without offsets is looked up by its text (then name) in its
    event's sentence, then in the document; if not found it cannot match (fp).
    One-to-one maximum matching per role; tp/fp/fn summed over documents; micro
    pools the five roles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from vigil.evaluation.datasets import WEDoc, head_token, load_wikievents
from vigil.evaluation.muc4 import max_matching
from vigil.evaluation.scoring import Score, micro
from vigil.model.records import Document, Event, Extraction

EVENT_TASK = "wikievents-event"
ARG_TASK = "wikievents-arg"

GOLD_DETECTION_PREFIXES = ("Conflict.Attack",)
GOLD_ARGUMENT_PREFIXES = ("Conflict.Attack", "Life.Die", "Life.Injure")

#: Gold role -> report label (one label per Vigil field).
ROLE_MAP: dict[str, str] = {
    "Attacker": "Attacker",
    "Killer": "Attacker",
    "Injurer": "Attacker",
    "Target": "Target",
    "Victim": "Victim",
    "Instrument": "Instrument",
    "ExplosiveDevice": "Instrument",
    "Place": "Place",
}
ROLES: tuple[str, ...] = ("Attacker", "Target", "Victim", "Instrument", "Place")

ATTACK_EVENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
NON_ATTACK_SUB_TYPES = frozenset({"Abduction/forced disappearance", "Sexual violence"})

_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Arg:
    """An argument span (start/end None: a prediction that could not be anchored) and its head."""

    role: str
    start: int | None
    end: int | None
    head: tuple[int, int] | None


def span_head(text: str, start: int, end: int) -> tuple[int, int]:
    """Head token (character span) of the document stretch [start, end)."""
    tokens = [(m.group(), start + m.start(), start + m.end()) for m in _TOKEN.finditer(text[start:end])]
    return head_token(tokens) if tokens else (start, end)


def is_attack(event: Event) -> bool:
    return event.event_type in ATTACK_EVENT_TYPES and event.type not in NON_ATTACK_SUB_TYPES


def gold_arguments(doc: WEDoc) -> list[Arg]:
    seen: dict[tuple[str, int, int], Arg] = {}
    for event in doc.events:
        if not event.event_type.startswith(GOLD_ARGUMENT_PREFIXES):
            continue
        for arg in event.arguments:
            role = ROLE_MAP.get(arg.role)
            mention = doc.mentions.get(arg.entity_id)
            if role is None or mention is None:
                continue
            seen.setdefault((role, mention.start, mention.end), Arg(role, mention.start, mention.end, mention.head))
    return list(seen.values())


def _locate(text: str, needle: str | None, lo: int, hi: int) -> tuple[int, int] | None:
    if not needle:
        return None
    i = text.find(needle, lo, hi)
    return (i, i + len(needle)) if i >= 0 else None


def predicted_arguments(
    text: str, extraction: Extraction, weapons: Literal["sentence", "event"] = "sentence"
) -> list[Arg]:
    seen: dict[tuple, Arg] = {}
    unanchored: list[Arg] = []

    def add(role: str, start: int, end: int) -> None:
        seen.setdefault((role, start, end), Arg(role, start, end, span_head(text, start, end)))

    events = [e for e in extraction.events if is_attack(e)]
    for event in events:
        for ref in event.perpetrators:
            add("Attacker", ref.start, ref.end)
        for ref in event.targets:
            add("Target", ref.start, ref.end)
        for ref in event.victims:
            add("Victim", ref.start, ref.end)
        for w in event.weapons:
            add("Instrument", w.start, w.end)
        loc = event.location
        if loc is not None:
            if loc.start is not None and loc.end is not None:
                add("Place", loc.start, loc.end)
            else:
                span = None
                for needle in (loc.text, loc.name):
                    span = _locate(text, needle, event.start, event.end) or _locate(text, needle, 0, len(text))
                    if span:
                        break
                if span:
                    add("Place", *span)
                else:
                    unanchored.append(Arg("Place", None, None, None))
    if weapons == "sentence":
        for w in extraction.weapons:
            if any(e.start <= w.start and w.end <= e.end for e in events):
                add("Instrument", w.start, w.end)
    return list(seen.values()) + unanchored


def args_match(pred: Arg, gold: Arg) -> bool:
    if pred.start is None or pred.end is None or pred.head is None or gold.head is None:
        return False
    assert gold.start is not None and gold.end is not None
    gold_head_in_pred = pred.start <= gold.head[0] and gold.head[1] <= pred.end
    pred_head_in_gold = gold.start <= pred.head[0] and pred.head[1] <= gold.end
    return gold_head_in_pred or pred_head_in_gold


def score_detection(doc: WEDoc, extraction: Extraction) -> tuple[int, int, int]:
    gold_spans = [doc.sentences[e.sentence] for e in doc.events if e.event_type.startswith(GOLD_DETECTION_PREFIXES)]
    preds = [e for e in extraction.events if is_attack(e)]
    edges = [[j for j, (s, t) in enumerate(gold_spans) if p.start < t and s < p.end] for p in preds]
    tp = max_matching(edges, len(gold_spans))
    return tp, len(preds) - tp, len(gold_spans) - tp


def score_arguments(
    doc: WEDoc, extraction: Extraction, weapons: Literal["sentence", "event"] = "sentence"
) -> dict[str, tuple[int, int, int]]:
    gold = gold_arguments(doc)
    pred = predicted_arguments(doc.text, extraction, weapons)
    out = {}
    for role in ROLES:
        g = [a for a in gold if a.role == role]
        p = [a for a in pred if a.role == role]
        tp = max_matching([[j for j, ga in enumerate(g) if args_match(pa, ga)] for pa in p], len(g))
        out[role] = (tp, len(p) - tp, len(g) - tp)
    return out


def score_wikievents(
    docs: Sequence[WEDoc],
    extractions: Sequence[Extraction],
    weapons: Literal["sentence", "event"] = "sentence",
) -> list[Score]:
    """Detection row, then one row per argument role, then the argument micro row."""
    by_id = {x.id: x for x in extractions}
    detection = Score(EVENT_TASK, "Conflict.Attack")
    roles = {role: Score(ARG_TASK, role) for role in ROLES}
    for doc in docs:
        extraction = by_id.get(doc.id) or Extraction(id=doc.id)
        detection.add(*score_detection(doc, extraction))
        for role, counts in score_arguments(doc, extraction, weapons).items():
            roles[role].add(*counts)
    rows = list(roles.values())
    return [detection, *rows, micro(ARG_TASK, rows)]


def wikievents_documents(docs: Sequence[WEDoc]) -> list[Document]:
    return [Document.from_text(doc.text, id=doc.id, source="wikievents") for doc in docs]


def evaluate_wikievents(
    path: Path, extractor, limit: int | None = None, weapons: Literal["sentence", "event"] = "sentence"
) -> list[Score]:
    """Run ``extractor`` over a WikiEvents JSONL file and score it."""
    docs = load_wikievents(path)
    docs = docs[:limit] if limit else docs
    extractions = list(extractor.extract_many(wikievents_documents(docs)))
    return score_wikievents(docs, extractions, weapons=weapons)
