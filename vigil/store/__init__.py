"""The store stage: documents and extracted facts in SQLite (default) or PostgreSQL.

    store = open_store(settings)
    save_document(store, document, extraction)
    list_events(store, EventFilter(country="PK", since=date(2023, 1, 1)))
    page_claims(store, EventFilter(country="PK", limit=20))   # items, total, limit, offset
    get_event(store, 12)                                      # the event with its fields' spans and sources
"""

from vigil.store.database import Store, open_store
from vigil.store.details import get_claim, get_document_detail, get_event, get_relation, get_weapon
from vigil.store.filters import BadFilter
from vigil.store.lists import page_actors, page_claims, page_documents, page_relations, page_weapons
from vigil.store.network import supply_network
from vigil.store.profiles import get_actor_profile
from vigil.store.queries import (
    EventFilter,
    count_events,
    list_actors,
    list_claims,
    list_events,
    list_relations,
    page_events,
)
from vigil.store.repository import (
    count_actors,
    count_claims,
    count_documents,
    count_relations,
    count_weapons,
    delete_document,
    find_document_id,
    get_actor,
    get_document,
    list_documents,
    save_document,
    seed_actors,
)
from vigil.store.views import (
    ActorInfo,
    DocumentInfo,
    Page,
    SaveResult,
    SeedResult,
    StoredClaim,
    StoredDocument,
    StoredEvent,
    StoredRelation,
)

__all__ = [
    "ActorInfo",
    "BadFilter",
    "DocumentInfo",
    "EventFilter",
    "Page",
    "SaveResult",
    "SeedResult",
    "Store",
    "StoredClaim",
    "StoredDocument",
    "StoredEvent",
    "StoredRelation",
    "count_actors",
    "count_claims",
    "count_documents",
    "count_events",
    "count_relations",
    "count_weapons",
    "delete_document",
    "find_document_id",
    "get_actor",
    "get_actor_profile",
    "get_claim",
    "get_document",
    "get_document_detail",
    "get_event",
    "get_relation",
    "get_weapon",
    "list_actors",
    "list_claims",
    "list_documents",
    "list_events",
    "list_relations",
    "open_store",
    "page_actors",
    "page_claims",
    "page_documents",
    "page_events",
    "page_relations",
    "page_weapons",
    "save_document",
    "seed_actors",
    "supply_network",
]
