"""The dashboard's page routes, one module per section; ``ROUTERS`` is what ``install_web`` includes."""

from vigil.web.pages import actors, claims, documents, events, fused, ingest, overview, weapons

ROUTERS = [
    overview.router, events.router, fused.router, actors.router, weapons.router, claims.router, documents.router, ingest.router
]
