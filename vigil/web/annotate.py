"""From a document's extracted spans to highlight marks: a CSS kind and a tooltip saying what it resolved to.

Several extractions often share one stretch of text (an entity that is also an
event's perpetrator); they become one mark whose tooltip lists each reading,
so the highlighted text never nests a span inside its own twin.
"""

from __future__ import annotations

from collections import defaultdict

from vigil.model.records import Event, Location
from vigil.store.details import locate
from vigil.store.views import ExtractionSpan
from vigil.web.highlight import Mark

# re3d entity type -> highlight kind (see data/palette.json "highlights").
ENTITY_KINDS = {
    "Organisation": "organisation",
    "Person": "person",
    "Location": "location",
    "Temporal": "temporal",
    "Quantity": "quantity",
    "Money": "other",
    "Weapon": "weapon",
    "MilitaryPlatform": "weapon",
    "Vehicle": "weapon",
    "Nationality": "other",
    "DocumentReference": "other",
}
ROLES = {"perpetrator": "Perpetrator", "target": "Target", "victim": "Victim"}
# Outer elements first when two marks cover the same offsets: sentences, then quotes, then mentions.
RANKS = {"event": 10, "relation": 20, "claim-asserts": 30, "claim-denies": 30}
FACT_KINDS = ("event", "relation", "claim")


def marks_for(spans: list[ExtractionSpan]) -> list[Mark]:
    """One mark per (offsets, kind), its tooltip the readings of every span there, in order.

    Events, relations and claims also get the anchor ``<kind>-<id>`` (``fact_anchor``).
    """
    titles: dict[tuple[int, int, str], list[str]] = defaultdict(list)
    anchors: dict[tuple[int, int, str], list[str]] = defaultdict(list)
    for span in spans:
        kind = highlight_kind(span)
        reading = describe(span)
        key = (span.start, span.end, kind)
        if reading not in titles[key]:
            titles[key].append(reading)
        if span.kind in FACT_KINDS and span.fact_id is not None:
            anchors[key].append(fact_anchor(span.kind, span.fact_id))
    marks: list[Mark] = []
    for (start, end, kind), readings in titles.items():
        names = tuple(anchors[(start, end, kind)])
        marks.append(Mark(start, end, kind, "\n".join(readings), rank=RANKS.get(kind, 50), anchors=names))
    return marks


def trigger_marks(text: str, events: list[tuple[int, Event]]) -> list[Mark]:
    """The words that triggered each event (found inside its sentence), marked as ``trigger``."""
    marks: list[Mark] = []
    for event_id, event in events:
        start, end = locate(text, event.trigger, event.start, event.end)
        if start is not None and end is not None:
            reading = f"Trigger of event #{event_id}: {event.type} ({event.event_type})"
            marks.append(Mark(start, end, "trigger", reading))
    return marks


def fact_anchor(kind: str, fact_id: int) -> str:
    """The element id of a fact in its document's text: ``event-3``, ``relation-5``, ``claim-12``."""
    return f"{kind}-{fact_id}"


def fact_span(spans: list[ExtractionSpan], anchor: str | None) -> tuple[int, int] | None:
    """The offsets of the fact an anchor names (``claim-12``), if it is in this document."""
    if not anchor:
        return None
    for span in spans:
        if span.kind in FACT_KINDS and span.fact_id is not None and fact_anchor(span.kind, span.fact_id) == anchor:
            return span.start, span.end
    return None


def highlight_kind(span: ExtractionSpan) -> str:
    if span.kind == "entity":
        return ENTITY_KINDS.get(span.type, "other")
    if span.kind in ROLES:
        return "person" if span.type == "person" else "organisation"
    if span.kind == "claim":
        return f"claim-{span.type}"
    return span.kind  # event, relation, weapon


def describe(span: ExtractionSpan) -> str:
    """What the span was resolved to, in words (the tooltip)."""
    if span.kind == "entity":
        if span.type == "Location" and span.place is not None:
            return f"Location → {place_words(span.place)}"
        if span.actor_id:
            return f"{span.type} → {actor_words(span)}"
        return span.type
    if span.kind in ROLES:
        resolved = actor_words(span) if span.actor_id else "not resolved to a known actor"
        event = f" of event #{span.fact_id}" if span.fact_id is not None else ""
        return f"{ROLES[span.kind]}{event} → {resolved}"
    if span.kind == "event":
        where = f" · {place_words(span.place)}" if span.place is not None else ""
        return f"Event #{span.fact_id}: {span.type} ({span.event_type}){where}"
    if span.kind == "relation":
        source = f" · source {actor_words(span)}" if span.actor_id else ""
        return f"Relation #{span.fact_id}: {span.type.replace('_', ' ')}{source}"
    if span.kind == "claim":
        speaker = f" · by {actor_words(span)}" if span.actor_id else ""
        return f"Claim #{span.fact_id}: {span.type}{speaker}"
    if span.kind == "weapon":
        return f"Weapon: {span.type}"
    return span.kind


def actor_words(span: ExtractionSpan) -> str:
    if span.actor_name and span.actor_name != span.actor_id:
        return f"{span.actor_name} ({span.actor_id})"
    return span.actor_id or ""


def place_words(place: Location) -> str:
    """"Khar, Bajaur, Khyber Pakhtunkhwa, PK (34.730, 71.520)": most precise first, no repeats."""
    parts: list[str] = []
    for part in (place.name, place.admin2, place.admin1, place.country):
        if part and part not in parts:
            parts.append(part)
    words = ", ".join(parts) or (place.text or "unresolved place")
    if place.lat is not None and place.lon is not None:
        words += f" ({place.lat:.3f}, {place.lon:.3f})"
    return words
