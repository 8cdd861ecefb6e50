"""Partners (other instances this one shares with) and where each sync with them stands.

Declared once here; ``vigil.store.partners`` maps them to rows, ``vigil.share.partners`` checks
and manages them, ``vigil.share.sync`` moves records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vigil.model.access import Tlp

DIRECTIONS = ("push", "pull", "both")


@dataclass(frozen=True)
class Partner:
    """Another instance this one shares with; the token is kept sealed (``token_secret``), never in clear."""

    id: str
    name: str
    taxii_url: str
    collection: str
    org_id: str
    max_tlp: Tlp
    actors: tuple[str, ...]
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    direction: str
    active: bool
    created_at: dt.datetime
    token_secret: str = ""

    @property
    def pulls(self) -> bool:
        return self.direction in ("pull", "both")

    @property
    def pushes(self) -> bool:
        return self.direction in ("push", "both")

    def __repr__(self) -> str:  # never show the sealed token
        return f"Partner(id={self.id!r}, taxii_url={self.taxii_url!r}, direction={self.direction!r})"


@dataclass
class SyncState:
    """Where one direction of the sync with one partner stands (see ``SyncStateRow``)."""

    partner_id: str
    direction: str
    added_after: str | None = None
    next_token: str | None = None
    last_added: str | None = None
    last_run_at: dt.datetime | None = None
    last_success_at: dt.datetime | None = None
    last_error: str | None = None
    runs: int = 0
    objects: int = 0
    documents: int = 0
