"""One router per resource; ``create_app`` mounts them all under ``/api``."""

from vigil.api.routers import actors, aggregates, claims, documents, events, network, relations, weapons

ROUTERS = (
    documents.router,
    events.router,
    actors.router,
    relations.router,
    claims.router,
    weapons.router,
    network.router,
    aggregates.router,
)

__all__ = ["ROUTERS"]
