"""An overview of what the store holds: counts by type, place, month and actor.

``summarise`` only reads (through ``vigil.store``); ``vigil demo`` prints it and
the dashboard shows it. With a filter, event counts cover the matching events
and documents, claims and relations cover the documents that have one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from vigil.store import aggregates
from vigil.store.database import Store
from vigil.store.queries import EventFilter, count_events


class ActorCount(BaseModel):
    model_config = ConfigDict(frozen=True)

    actor_id: str | None = Field(description="canonical id; None for a perpetrator named but not resolved")
    name: str
    events: int


class Summary(BaseModel):
    model_config = ConfigDict(frozen=True)

    documents: int
    events: int
    by_event_type: dict[str, int]
    by_sub_event_type: dict[str, int]
    by_country: dict[str, int] = Field(description="ISO 3166-1 alpha-2; '' for events without a country")
    by_month: dict[str, int] = Field(description="YYYY-MM of the event date (or publication date); '' when neither")
    top_perpetrators: list[ActorCount]
    fatalities_min: int = Field(description="sum of the lower bounds of reported fatalities")
    claims_by_stance: dict[str, int]
    relations_by_type: dict[str, int]


def summarise(store: Store, filter: EventFilter | None = None, *, top: int = 10) -> Summary:
    """Summarise the store, or the events matching ``filter``."""
    return Summary(
        documents=aggregates.count_documents_matching(store, filter),
        events=count_events(store, filter),
        by_event_type=_ranked(aggregates.events_by(store, "event_type", filter)),
        by_sub_event_type=_ranked(aggregates.events_by(store, "sub_event_type", filter)),
        by_country=_ranked(aggregates.events_by(store, "country", filter)),
        by_month={key or "": count for key, count in aggregates.events_by_month(store, filter).items()},
        top_perpetrators=[
            ActorCount(actor_id=actor_id, name=name, events=count)
            for actor_id, name, count in aggregates.perpetrator_counts(store, filter, limit=top)
        ],
        fatalities_min=aggregates.fatalities_min_total(store, filter),
        claims_by_stance=_ranked(aggregates.claims_by_stance(store, filter)),
        relations_by_type=_ranked(aggregates.relations_by_type(store, filter)),
    )


def _ranked(counts: dict) -> dict[str, int]:
    """Most frequent first, then by name; a missing value becomes ''."""
    items = [("" if key is None else str(key), count) for key, count in counts.items()]
    return dict(sorted(items, key=lambda kv: (-kv[1], kv[0])))
