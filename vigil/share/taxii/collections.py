"""The collections this instance serves: views over the store, each with a marking ceiling.

Declared in ``data/collections.json``. A collection's id is a UUID derived from its alias (the
same on every Vigil instance, so a partner can configure either); both work in URLs. What a
viewer reads from a collection is what the store's policy lets them see, up to the ceiling,
never ``TLP:RED``. ``can_write`` follows the viewer's role (analysts and admins may add objects).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vigil.model.access import Tlp, Viewer
from vigil.share.taxii.protocol import STIX_MEDIA_TYPE, not_found

DATA = Path(__file__).with_name("data") / "collections.json"
NAMESPACE = uuid.UUID("5b0e9d6c-3f5a-4f39-9a41-7a52c0d1e8b3")  # Vigil's TAXII collections


@dataclass(frozen=True)
class Collection:
    id: str
    alias: str
    title: str
    description: str
    max_tlp: Tlp

    def resource(self, viewer: Viewer | None) -> dict:
        """The collection resource (section 5.2.1) as ``viewer`` sees it."""
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "alias": self.alias,
            "can_read": True,
            "can_write": may_write(viewer),
            "media_types": [STIX_MEDIA_TYPE],
        }


@dataclass(frozen=True)
class ApiRootInfo:
    path: str
    title: str
    description: str


def may_write(viewer: Viewer | None) -> bool:
    """Adding objects is a write: analysts and admins (everyone in single-user mode)."""
    return viewer is None or viewer.can_write


@lru_cache(maxsize=1)
def _declared() -> tuple[ApiRootInfo, tuple[Collection, ...]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    root = ApiRootInfo(**data["api_root"])
    collections = tuple(
        Collection(
            id=str(uuid.uuid5(NAMESPACE, item["alias"])),
            alias=item["alias"],
            title=item["title"],
            description=item["description"],
            max_tlp=_ceiling(item),
        )
        for item in data["collections"]
    )
    return root, collections


def _ceiling(item: dict) -> Tlp:
    ceiling = Tlp.parse(item["max_tlp"])
    if ceiling is Tlp.RED:
        raise ValueError(f"{DATA}: collection {item['alias']!r} would serve TLP:RED, which never leaves the instance.")
    return ceiling


def api_root_info() -> ApiRootInfo:
    return _declared()[0]


def all_collections() -> tuple[Collection, ...]:
    return _declared()[1]


def find_collection(id_or_alias: str) -> Collection:
    """The collection with this id or alias; a TAXII 404 otherwise."""
    for collection in all_collections():
        if id_or_alias in (collection.id, collection.alias):
            return collection
    raise not_found("collection", id_or_alias)
