"""The dashboard's page routes, one module per section; ``ROUTERS`` is what ``install_web`` includes."""

from vigil.web.pages import actors, claims, documents, events, ingest, overview, weapons

ROUTERS = [
    overview.router, events.router, actors.router, weapons.router, claims.router, documents.router, ingest.router
]
