"""ACLED's event taxonomy, loaded from ``data/acled_taxonomy.json``."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def event_types() -> dict[str, tuple[str, ...]]:
    """ACLED event type -> its sub-event types, exactly as ACLED spells them."""
    raw = json.loads(resources.files("vigil.model").joinpath("data/acled_taxonomy.json").read_text("utf-8"))
    return {name: tuple(subs) for name, subs in raw["event_types"].items()}


@lru_cache(maxsize=1)
def _parent_of() -> dict[str, str]:
    return {sub: parent for parent, subs in event_types().items() for sub in subs}


def event_type_of(sub_event_type: str) -> str:
    """The ACLED event type a sub-event type belongs to; KeyError if unknown."""
    return _parent_of()[sub_event_type]


def is_sub_event_type(name: str) -> bool:
    return name in _parent_of()
