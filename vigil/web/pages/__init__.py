"""The dashboard's page routes, one module per section; ``ROUTERS`` is what ``install_web`` includes."""

from vigil.web.pages import actors, claims, documents, events, fused, ingest, overview, weapons
from vigil.web.pages import account, admin  # login/logout, audit log and users
from vigil.web.pages import stix  # STIX objects kept by imports

ROUTERS = [
    overview.router, events.router, fused.router, actors.router, weapons.router, claims.router, documents.router, ingest.router,
    account.router, admin.router, stix.router,
]
