"""Vigil's REST API (FastAPI): ``create_app(settings)`` builds it; ``vigil serve`` runs it."""

from vigil.api.app import create_app

__all__ = ["create_app"]
