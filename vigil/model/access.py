"""Who is reading, and the Traffic Light Protocol 2.0 markings records carry.

Declared once here: the accounts (``vigil.share.accounts``) build a ``Viewer`` from
a login or an API token; the store's query-level policy (``vigil.store.policy``)
turns a ``Viewer`` into the WHERE clauses every read applies. A store opened
without a viewer reads everything: the embedded single-user mode, and the CLI run
by whoever owns the database file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Tlp(str, Enum):
    """TLP 2.0 markings, from least to most restricted (FIRST, August 2022)."""

    CLEAR = "TLP:CLEAR"
    GREEN = "TLP:GREEN"
    AMBER = "TLP:AMBER"
    AMBER_STRICT = "TLP:AMBER+STRICT"
    RED = "TLP:RED"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: str) -> "Tlp":
        """``amber``, ``TLP:AMBER``, ``amber+strict``... -> the marking; ValueError naming the value."""
        text = value.strip().upper().replace(" ", "")
        if not text.startswith("TLP:"):
            text = "TLP:" + text
        if text == "TLP:WHITE":  # TLP 1.0's name for CLEAR
            text = "TLP:CLEAR"
        for marking in cls:
            if marking.value == text:
                return marking
        choices = ", ".join(m.value for m in cls)
        raise ValueError(f"{value!r} is not a TLP 2.0 marking; use one of: {choices}.")

    @classmethod
    def most_restricted(cls, markings: "list[Tlp]") -> "Tlp":
        return max(markings, key=lambda m: m.rank) if markings else cls.CLEAR


_RANK = {marking: rank for rank, marking in enumerate(Tlp)}

ROLES = ("admin", "analyst", "viewer")


@dataclass(frozen=True)
class Viewer:
    """The person (or partner) a read is made for.

    ``org_id`` is their organisation; ``role`` one of ``ROLES``; ``user_id`` None for a
    partner instance reading through TAXII with an organisation-level token.
    """

    user_id: str | None
    org_id: str
    role: str = "viewer"
    username: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_write(self) -> bool:
        return self.role in ("admin", "analyst")


# ---------------------------------------------------------------- accounts (vigil.share.accounts)
#: The instance's own organisation (created by migration 0007): records with no owner belong to it.
LOCAL_ORG = "local"
TOKEN_KINDS = ("token", "session", "partner")


class Organisation(BaseModel):
    """An organisation whose users share what its records' markings allow."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    active: bool = True
    created_at: datetime


class User(BaseModel):
    """A person who logs in. The password hash never leaves the store's account module."""

    model_config = ConfigDict(frozen=True)

    id: str
    org_id: str
    username: str
    role: str
    active: bool = True
    created_at: datetime

    def viewer(self) -> Viewer:
        return Viewer(user_id=self.id, org_id=self.org_id, role=self.role, username=self.username)


class ApiToken(BaseModel):
    """An API token or login session as listed: never the secret, which is shown once when created."""

    model_config = ConfigDict(frozen=True)

    id: str
    user_id: str | None = Field(description="None for a partner token (an organisation's instance)")
    org_id: str
    kind: str = Field(description="token, session or partner")
    name: str | None = None
    created_at: datetime
    last_used_at: datetime | None = None
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


class AuditEntry(BaseModel):
    """One line of the audit log: who did what to which record, when and from where."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    at: datetime
    user_id: str | None = None
    username: str | None = None
    org_id: str | None = None
    action: str
    record_type: str | None = None
    record_id: str | None = None
    detail: dict[str, Any] | None = None
    remote_addr: str | None = None
