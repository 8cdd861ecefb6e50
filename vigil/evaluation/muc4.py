"""MUC-4 document-level role-filler extraction, scored as in GRIT/GTT (Du et al., 2021).

Data: the GRIT-processed MUC-4 files (``muc4-dev.json``, ``muc4-train.json``):
``{doc_id: {"doc": ALL-CAPS text, "roles": {role: [entity, ...]}}}`` where each
entity is a list of coreferent mention strings. The text is given to the extractor
as it is (upper case, dated ``published`` unknown).

Mapping Vigil's extraction to the five document-level roles
-----------------------------------------------------------
Only events whose ACLED type is a violent one count (``MUC_EVENT_TYPES``: Battles,
Explosions/Remote violence, Violence against civilians, Riots, plus the sub-event
type "Looting/property destruction"); protests, agreements, arrests and other
strategic developments have no MUC-4 template. From those events:

* **PerpInd** (``perp_individual_id``): perpetrators of kind ``person``, and
  perpetrators whose head word (the last word before a post-modifier such as
  "of ...") is a generic word for individuals (``INDIVIDUAL_WORDS``: guerrillas,
  gunmen, terrorists, men, members, soldiers...).
* **PerpOrg** (``perp_organization_id``): all other perpetrators (organisations).
* **Target** (``phys_tgt_id``): event targets.
* **Victim** (``hum_tgt_name``): event victims.
* **Weapon** (``incident_instrument_id``): event weapons, plus every weapon mention
  of the extraction (``Extraction.weapons``) lying inside the evidence span of one
  of those events (``weapons="sentence"``, the default; ``weapons="event"`` keeps
  the event weapons only). Events whose roles the learned role tagger filled
  (extractor containing ``roles-crf``, see ``vigil.nlp.learned.roles_component``)
  keep their own weapons only: the tagger has already chosen among the weapon words.

Scoring (per document, per role)
--------------------------------
1. Normalisation (SQuAD/GTT style): lowercase; remove ASCII punctuation; remove
   the words "a", "an", "the" wherever they stand; collapse whitespace. Strings that
   normalise to "" are dropped.
2. Predicted entities: the predicted fillers of a role, deduplicated. Fillers that
   resolve to the same canonical actor id form one predicted entity (its mentions
   are all their strings); other fillers are keyed by their normalised string.
3. A predicted entity matches a gold entity when one of its normalised strings
   equals one of the gold entity's normalised mentions (exact match after
   normalisation, no partial or head-noun credit).
4. Alignment is one-to-one (each gold entity matched at most once, each predicted
   entity at most once), maximising the number of matches (bipartite matching), as
   in GRIT's CEAF-REE with the subset similarity φ.
5. tp = matches; fp = predicted entities - tp; fn = gold entities - tp.

Counts are summed over documents per role; precision = tp/(tp+fp) = matched /
predicted, recall = tp/(tp+fn) = matched / gold entities; micro P/R/F1 pools the
counts of the five roles. Documents with no gold filler still count: anything
predicted there is a false positive.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

from vigil.evaluation.datasets import MUC4_ROLES, Muc4Doc, load_muc4
from vigil.evaluation.scoring import Score, micro
from vigil.model.records import Document, Event, Extraction

TASK = "muc4"

#: Report label of each MUC-4 role key.
ROLE_LABELS: dict[str, str] = {
    "perp_individual_id": "PerpInd",
    "perp_organization_id": "PerpOrg",
    "phys_tgt_id": "Target",
    "hum_tgt_name": "Victim",
    "incident_instrument_id": "Weapon",
}

MUC_EVENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"})
MUC_SUB_EVENT_TYPES = frozenset({"Looting/property destruction"})

#: Head words that make a perpetrator an individual (PerpInd) rather than an organisation.
INDIVIDUAL_WORDS = frozenset(
    """
    guerrilla guerrillas gunman gunmen terrorist terrorists rebel rebels insurgent insurgents
    militant militants assassin assassins kidnapper kidnappers attacker attackers assailant assailants
    man men individual individuals subversive subversives member members soldier soldiers troop troops
    commando commandos hitman hitmen bomber bombers fighter fighters militiaman militiamen gang gangs
    criminal criminals suspect suspects youth youths person persons people policeman policemen
    agent agents sniper snipers squad
    """.split()
)

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation)
_POST_MODIFIERS = {"of", "from", "who", "which", "that", "in", "at", "with"}


def normalise(text: str) -> str:
    """Lowercase, drop punctuation and the articles a/an/the, collapse whitespace."""
    text = text.lower().translate(_PUNCT)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def head_word(text: str) -> str:
    """The head of a noun phrase, roughly: the last word before "of"/"who"/... ("members of the FMLN" -> "members")."""
    words = normalise(text).split()
    for i, word in enumerate(words):
        if i > 0 and word in _POST_MODIFIERS:
            words = words[:i]
            break
    return words[-1] if words else ""


def is_individual(kind: str, text: str) -> bool:
    return kind == "person" or head_word(text) in INDIVIDUAL_WORDS


def muc_events(extraction: Extraction) -> list[Event]:
    """The events of an extraction that correspond to a MUC-4 incident."""
    return [e for e in extraction.events if e.event_type in MUC_EVENT_TYPES or e.type in MUC_SUB_EVENT_TYPES]


#: Marks the extractor of events whose roles come from the learned role tagger (``vigil_learned_roles``).
ROLE_TAGGER_MARK = "roles-crf"


def is_role_tagged(event: Event) -> bool:
    return ROLE_TAGGER_MARK in event.extractor


#: A predicted filler: (canonical actor id or None, surface text).
Filler = tuple[str | None, str]


def predicted_fillers(
    extraction: Extraction, weapons: Literal["sentence", "event"] = "sentence"
) -> dict[str, list[Filler]]:
    """Map an extraction to MUC-4 role fillers (see the module docstring)."""
    out: dict[str, list[Filler]] = {role: [] for role in MUC4_ROLES}
    events = muc_events(extraction)
    for event in events:
        for ref in event.perpetrators:
            role = "perp_individual_id" if is_individual(ref.kind, ref.text) else "perp_organization_id"
            out[role].append((ref.actor, ref.text))
        out["phys_tgt_id"].extend((ref.actor, ref.text) for ref in event.targets)
        out["hum_tgt_name"].extend((ref.actor, ref.text) for ref in event.victims)
        out["incident_instrument_id"].extend((None, w.text) for w in event.weapons)
    if weapons == "sentence":
        # events whose roles the learned role tagger chose have their weapons decided already
        ruled = [e for e in events if not is_role_tagged(e)]
        for w in extraction.weapons:
            if any(e.start <= w.start and w.end <= e.end for e in ruled):
                out["incident_instrument_id"].append((None, w.text))
    return out


def group_predictions(fillers: Iterable[Filler]) -> list[set[str]]:
    """Deduplicate fillers into predicted entities (sets of normalised strings)."""
    groups: dict[str, set[str]] = {}
    for actor, text in fillers:
        norm = normalise(text)
        if not norm:
            continue
        key = f"actor:{actor}" if actor else f"text:{norm}"
        groups.setdefault(key, set()).add(norm)
    # A text-keyed filler equal to a string of an actor group is the same entity.
    merged: list[set[str]] = [g for k, g in groups.items() if k.startswith("actor:")]
    for key, group in groups.items():
        if key.startswith("text:") and not any(group & m for m in merged):
            merged.append(group)
    return merged


def max_matching(edges: Sequence[Sequence[int]], n_right: int) -> int:
    """Size of a maximum bipartite matching; ``edges[i]`` lists the right nodes left node i may take."""
    owner = [-1] * n_right

    def augment(i: int, seen: list[bool]) -> bool:
        for j in edges[i]:
            if not seen[j]:
                seen[j] = True
                if owner[j] == -1 or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, [False] * n_right) for i in range(len(edges)))


def score_role(gold: Sequence[Sequence[str]], predicted: Sequence[set[str]]) -> tuple[int, int, int]:
    """(tp, fp, fn) of one role in one document."""
    gold_sets = [{normalise(m) for m in entity} - {""} for entity in gold]
    gold_sets = [g for g in gold_sets if g]
    edges = [[j for j, g in enumerate(gold_sets) if p & g] for p in predicted]
    tp = max_matching(edges, len(gold_sets))
    return tp, len(predicted) - tp, len(gold_sets) - tp


def score_muc4(
    docs: Sequence[Muc4Doc],
    extractions: Sequence[Extraction],
    weapons: Literal["sentence", "event"] = "sentence",
) -> list[Score]:
    """Per-role scores (labelled PerpInd, PerpOrg, Target, Victim, Weapon) plus the micro row."""
    by_id = {x.id: x for x in extractions}
    predicted = {}
    for doc in docs:
        fillers = predicted_fillers(by_id.get(doc.id) or Extraction(id=doc.id), weapons=weapons)
        predicted[doc.id] = {role: group_predictions(fillers[role]) for role in MUC4_ROLES}
    return score_entities(docs, predicted)


def score_entities(docs: Sequence[Muc4Doc], predicted: Mapping[str, Mapping[str, Sequence[set[str]]]]) -> list[Score]:
    """Per-role and micro scores of predicted entities given directly: ``{doc id: {role key: [strings, ...]}}``.

    Each predicted entity is a set of strings (normalised here); a document or role
    missing from ``predicted`` predicts nothing. The document-level output of a role
    tagger is scored this way, without going through events.
    """
    scores = {role: Score(TASK, ROLE_LABELS[role]) for role in MUC4_ROLES}
    for doc in docs:
        entities = predicted.get(doc.id, {})
        for role in MUC4_ROLES:
            groups = [{normalise(s) for s in entity} - {""} for entity in entities.get(role, [])]
            tp, fp, fn = score_role(doc.roles.get(role, []), [g for g in groups if g])
            scores[role].add(tp, fp, fn)
    rows = list(scores.values())
    return rows + [micro(TASK, rows)]


def muc4_documents(docs: Iterable[Muc4Doc]) -> list[Document]:
    return [Document.from_text(doc.text, id=doc.id, source="muc4") for doc in docs]


def evaluate_muc4(
    path: Path,
    extractor,
    limit: int | None = None,
    weapons: Literal["sentence", "event"] = "sentence",
) -> list[Score]:
    """Run ``extractor`` (a ``vigil.nlp.pipeline.Extractor``) over a MUC-4 file and score it."""
    docs = load_muc4(path)[:limit] if limit else load_muc4(path)
    extractions = list(extractor.extract_many(muc4_documents(docs)))
    return score_muc4(docs, extractions, weapons=weapons)


def score_tagger(path: Path, model, nlp=None, limit: int | None = None) -> list[Score]:
    """Score a role tagger's document-level fillers directly (no events): ``model`` is a
    ``vigil.nlp.learned.roles_model.RoleModel``, ``nlp`` the rule pipeline whose annotations it reads."""
    from vigil.nlp.learned.roles_data import annotate, role_document
    from vigil.nlp.learned.roles_train import as_predicted
    from vigil.nlp.spans import release

    docs = load_muc4(path)[:limit] if limit else load_muc4(path)
    predicted = {}
    for muc, doc in annotate(docs, nlp):
        predicted[muc.id] = as_predicted(model.predict(role_document(doc)))
        release(doc)
    return score_entities(docs, predicted)
