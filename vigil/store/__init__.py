"""The store stage: documents and extracted facts in SQLite (default) or PostgreSQL.

    store = open_store(settings)
    save_document(store, document, extraction)
    list_events(store, EventFilter(country="PK", since=date(2023, 1, 1)))
"""

from vigil.store.database import Store, open_store
from vigil.store.queries import (
    EventFilter,
    count_events,
    list_actors,
    list_claims,
    list_events,
    list_relations,
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
    SaveResult,
    SeedResult,
    StoredClaim,
    StoredDocument,
    StoredEvent,
    StoredRelation,
)

__all__ = [
    "ActorInfo",
    "DocumentInfo",
    "EventFilter",
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
    "get_document",
    "list_actors",
    "list_claims",
    "list_documents",
    "list_events",
    "list_relations",
    "open_store",
    "save_document",
    "seed_actors",
]
