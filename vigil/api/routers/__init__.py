"""One router per resource; ``create_app`` mounts them all under ``/api``."""

from vigil.api.routers import actors, aggregates, claims, documents, events, network, relations, weapons
from vigil.api.routers import recovered  # before weapons: its /weapons/over-time is not a weapon id
from vigil.api.routers import proposals  # before actors: its /actors/resolve is not an actor id
from vigil.api.routers import fused  # fused events and analyst fusion decisions
from vigil.api.routers import stix  # STIX 2.1 export, import and kept objects

ROUTERS = (
    documents.router,
    events.router,
    fused.router,
    proposals.router,
    actors.router,
    relations.router,
    claims.router,
    recovered.router,
    weapons.router,
    network.router,
    aggregates.router,
    stix.router,
)

__all__ = ["ROUTERS"]
