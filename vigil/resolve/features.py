"""Compare two mentions: the hard rules that rule a pair out, and the signals that score it.

Each signal is a number with a phrase in plain words; the linker weighs the
numbers (``data/linker.json``) and keeps the phrases as the explanation.

Hard rules (``blocked_by``): sub-event types from different families (a
protest is never a battle), dates further apart than the window, places in
two different countries, and perpetrators that are distinct organisations on
both sides (the Taliban and the TTP). Everything else is evidence, for or
against. The country rule also keeps fusion local in a store that covers many
countries: a report is only ever compared with reports of its own country (or
of none).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from vigil.model.records import ActorRef, Bounds
from vigil.resolve.actors import ActorMatch, ActorResolver, name_key
from vigil.resolve.casualties import estimate, figure_distance
from vigil.resolve.event_types import TypeRules
from vigil.resolve.places import compare_places
from vigil.resolve.records import EventMention
from vigil.resolve.similarity import VectorCache
from vigil.resolve.timing import DateSpan, date_span, day_gap, span_days

#: The signals, in the order explanations list them.
FEATURES = (
    "type_same", "type_close", "type_related",
    "date_gap", "date_unstated", "date_coarse",
    "place_agreement", "place_conflict", "place_unknown",
    "perpetrator", "target_shared",
    "fatalities_both", "fatalities_distance",
    "similarity", "same_document",
)


#: The direction each signal must push the score, if it pushes at all (+1 for, -1 against, 0 either):
#: fitting keeps a weight of the wrong sign at zero, so an explanation never reads "same district: against".
SIGNS = {
    "type_same": 1, "type_close": 1, "type_related": 0,
    "date_gap": -1, "date_unstated": 0, "date_coarse": 0,
    "place_agreement": 1, "place_conflict": -1, "place_unknown": 0,
    "perpetrator": 1, "target_shared": 1,
    "fatalities_both": 0, "fatalities_distance": -1,
    "similarity": 1, "same_document": 0,
}


@dataclass(frozen=True)
class Windows:
    """How far apart two reports of one event may date it."""

    max_day_gap: int = 10
    undated_days: int = 7


@dataclass
class PairEvidence:
    """The signals of one pair, their phrases, and the hard rule that blocks it (if any)."""

    values: dict[str, float] = field(default_factory=dict)
    phrases: dict[str, str] = field(default_factory=dict)
    blocked_by: str | None = None


class Comparer:
    """Everything a pairwise comparison needs: type rules, actors, vectors and windows."""

    def __init__(self, types: TypeRules, actors: ActorResolver, vectors: VectorCache, windows: Windows) -> None:
        self.types = types
        self.actors = actors
        self.vectors = vectors
        self.windows = windows
        self._spans: dict[str, DateSpan | None] = {}  # per mention id: every pair of a mention asks again

    def span(self, mention: EventMention) -> DateSpan | None:
        if mention.id not in self._spans:
            self._spans[mention.id] = date_span(mention, self.windows.undated_days)
        return self._spans[mention.id]

    def blocked(self, a: EventMention, b: EventMention, actors: ActorMatch | None = None) -> str | None:
        """The hard rule that rules the pair out, without computing the soft signals (``actors``: if known)."""
        relation = self.types.relation(a.event.type, b.event.type)
        if relation == "incompatible":
            return f"{a.event.type} and {b.event.type} are never the same event"
        span_a, span_b = self.span(a), self.span(b)
        if span_a and span_b and day_gap(span_a, span_b) > self.windows.max_day_gap:
            return f"dates {day_gap(span_a, span_b)} days apart (more than {self.windows.max_day_gap})"
        country_a, country_b = country_of(a), country_of(b)
        if country_a and country_b and country_a != country_b:
            return f"places in different countries ({country_a} vs {country_b})"
        actors = actors or self.actors.compare(a.event.perpetrators, b.event.perpetrators)
        if actors.relation == "distinct":
            return f"perpetrators differ: {actors.text}"
        return None

    def compare(self, a: EventMention, b: EventMention, with_similarity: bool = True) -> PairEvidence:
        """All signals of the pair (the similarity only when asked: it is the costly one)."""
        actors = self.actors.compare(a.event.perpetrators, b.event.perpetrators)
        evidence = PairEvidence(blocked_by=self.blocked(a, b, actors))
        self._types(a, b, evidence)
        self._dates(a, b, evidence)
        self._places(a, b, evidence)
        self._actors(a, b, evidence, actors)
        self._fatalities(a.event.fatalities, b.event.fatalities, evidence)
        if with_similarity:
            score = self.vectors.similarity(a, b)
            evidence.values["similarity"] = score
            evidence.phrases["similarity"] = f"evidence similarity {score:.2f} ({self.vectors.encoder.method})"
        same = a.document_id == b.document_id
        evidence.values["same_document"] = float(same)
        evidence.phrases["same_document"] = "both from one document" if same else "from different documents"
        return evidence

    def _types(self, a: EventMention, b: EventMention, evidence: PairEvidence) -> None:
        relation = self.types.relation(a.event.type, b.event.type)
        for name in ("same", "close", "related"):
            evidence.values[f"type_{name}"] = float(relation == name)
        words = {
            "same": f"same sub-event type ({a.event.type})",
            "close": f"{a.event.type} vs {b.event.type}: often confused",
            "related": f"{a.event.type} vs {b.event.type}: same family of events",
            "incompatible": f"{a.event.type} vs {b.event.type}: never the same event",
        }
        evidence.phrases["type"] = words[relation]

    def _dates(self, a: EventMention, b: EventMention, evidence: PairEvidence) -> None:
        span_a, span_b = self.span(a), self.span(b)
        if span_a is None or span_b is None:
            evidence.values.update(date_gap=0.0, date_unstated=1.0, date_coarse=0.0)
            evidence.phrases["date"] = "date unknown in one report"
            return
        gap = day_gap(span_a, span_b)
        evidence.values["date_gap"] = float(gap)
        evidence.values["date_unstated"] = float(not (span_a.stated and span_b.stated))
        evidence.values["date_coarse"] = float(any(s.stated and span_days(s) > 7 for s in (span_a, span_b)))
        shown = f"{span_a.describe()} vs {span_b.describe()}"
        text = "dates overlap" if gap == 0 else f"dates {gap} day{'s' if gap > 1 else ''} apart"
        note = "" if span_a.stated and span_b.stated else "; a report gives no date, its publication date is used"
        evidence.phrases["date"] = f"{text} ({shown}){note}"

    def _places(self, a: EventMention, b: EventMention, evidence: PairEvidence) -> None:
        match = compare_places(a.event.location, b.event.location)
        evidence.values["place_agreement"] = match.agreement
        evidence.values["place_conflict"] = match.conflict
        evidence.values["place_unknown"] = float(a.event.location is None or b.event.location is None)
        evidence.phrases["place"] = match.text

    def _actors(self, a: EventMention, b: EventMention, evidence: PairEvidence, match: ActorMatch) -> None:
        evidence.values["perpetrator"] = match.strength
        evidence.phrases["perpetrator"] = f"perpetrator {match.text}"
        shared = _shared_targets(a.event.targets + a.event.victims, b.event.targets + b.event.victims)
        evidence.values["target_shared"] = float(shared is not None)
        evidence.phrases["target"] = f"target {shared} in both" if shared else "no shared named target"

    def _fatalities(self, a: Bounds | None, b: Bounds | None, evidence: PairEvidence) -> None:
        distance = figure_distance(a, b)
        evidence.values["fatalities_both"] = float(distance is not None)
        evidence.values["fatalities_distance"] = distance or 0.0
        if distance is None:
            evidence.phrases["fatalities"] = "fatalities not given in both"
            return
        verdict = "compatible" if distance <= math.log(2) else "far apart" if distance > math.log(4) else "somewhat apart"
        evidence.phrases["fatalities"] = f"fatalities {_figure(a)} vs {_figure(b)} {verdict}"


def country_of(mention: EventMention) -> str | None:
    """The country code of a mention's place, if it has one."""
    location = mention.event.location
    return location.country if location is not None and location.country else None


def _figure(bounds: Bounds | None) -> str:
    if bounds is None:
        return "?"
    value = estimate(bounds)
    return bounds.text if bounds.text and not bounds.text.isdigit() else str(value)


def _shared_targets(refs_a: list[ActorRef], refs_b: list[ActorRef]) -> str | None:
    """A target named in both: the same canonical actor, or the same proper name."""
    keys_a = {(r.actor or name_key(r.text)): r.text for r in refs_a if r.actor or r.text[:1].isupper()}
    for ref in refs_b:
        key = ref.actor or (name_key(ref.text) if ref.text[:1].isupper() else None)
        if key and key in keys_a:
            return keys_a[key]
    return None
