"""A collection as pages of STIX objects: what a viewer may read, in ``date_added`` order.

The unit is a stored document with the objects exported from it (``vigil.share.stix``); its
``date_added`` is when the document was stored here. Pages hold whole documents unless one has
more objects than a page; the ``next`` token names the last document served and how many of its
objects, so paging resumes exactly. An object several documents refer to (an actor, a place, a
marking definition) is served once per page, and again with a later document that refers to it:
the same id and version, which an importer treats as the same object. A document's objects end
with its report, so a client reading a document served in parts knows when it has all of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import and_

from vigil.model.access import Tlp, Viewer
from vigil.share.taxii.protocol import Match, Position, object_version
from vigil.store.database import Store
from vigil.store.sharing import after, list_units, served

#: Exports one stored document (read as the store's viewer) as STIX objects, none above the ceiling.
Exporter = Callable[[Store, str, Tlp], list[dict]]

_UNIT_BATCH = 50


@dataclass(frozen=True)
class Entry:
    """One object of a page and the ``date_added`` of the document it came with."""

    added: dt.datetime
    object: dict
    tlp: str = "TLP:CLEAR"  # the marking of the document it came with
    document_id: str | None = None

    @property
    def version(self) -> str:
        return object_version(self.object)


@dataclass
class Page:
    entries: list[Entry] = field(default_factory=list)
    more: bool = False
    next: Position | None = None

    @property
    def first_added(self) -> dt.datetime | None:
        return self.entries[0].added if self.entries else None

    @property
    def last_added(self) -> dt.datetime | None:
        return self.entries[-1].added if self.entries else None


def read_page(
    store: Store,
    exporter: Exporter,
    ceiling: Tlp,
    *,
    limit: int,
    match: Match,
    added_after: dt.datetime | None = None,
    position: Position | None = None,
    first_hit: bool = False,
) -> Page:
    """Up to ``limit`` objects ``store.viewer`` may read, after ``added_after`` and ``position``.

    ``first_hit``: stop at the first document that yields anything (one object by id: every
    document carrying it carries the same version, so the first one answers).

    Whole documents only, unless the first document of the page alone has more than ``limit``
    objects: then it is served in parts, each part ``limit`` objects long.
    """
    viewer: Viewer | None = store.viewer
    page = Page()
    seen: set[tuple[str, str]] = set()
    base = and_(served(viewer, ceiling), after(added_after))
    start = after(position.added, position.key, inclusive_key=position.taken is not None) if position else after(None)
    while True:
        units = list_units(store, and_(base, start), _UNIT_BATCH)
        for unit in units:
            skip = position.taken if position and position.taken is not None and unit.id == position.key else 0
            objects = _selected(exporter(store, unit.id, ceiling), match)[skip or 0:]
            fresh = [obj for obj in objects if (obj["id"], object_version(obj)) not in seen]
            if page.entries and len(page.entries) + len(fresh) > limit:
                page.more, page.next = True, Position(page.entries[-1].added, page.entries[-1].document_id or "")
                return page
            for index, obj in enumerate(objects):
                if len(page.entries) >= limit:  # one document larger than a page: served in parts
                    page.more, page.next = True, Position(unit.added, unit.id, (skip or 0) + index)
                    return page
                key = (obj["id"], object_version(obj))
                if key not in seen:
                    seen.add(key)
                    page.entries.append(Entry(unit.added, obj, unit.tlp, unit.id))
            if first_hit and page.entries:
                return page
            if len(page.entries) >= limit:
                page.more = bool(list_units(store, and_(base, after(unit.added, unit.id)), 1))
                page.next = Position(unit.added, unit.id) if page.more else None
                return page
        if len(units) < _UNIT_BATCH:
            return page
        start = after(units[-1].added, units[-1].id)


def _selected(objects: list[dict], match: Match) -> list[dict]:
    """Objects passing the match filters, the document's report last (a client knows a document is
    complete when its report arrives); each object has one version here, so first = last."""
    chosen = []
    for obj in objects:
        if not match.keeps(obj):
            continue
        version = object_version(obj)
        if match.keeps_version(version, version, version):
            chosen.append(obj)
    return sorted(chosen, key=lambda obj: obj.get("type") == "report")
