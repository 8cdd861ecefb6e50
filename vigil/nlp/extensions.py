"""The annotations Vigil's components put on a spaCy ``Doc``, declared in one place.

Conventions every component follows:

* ``doc._.published``: the report's publication date (``datetime.date`` or None),
  the anchor for relative dates.
* ``doc.spans[KEY]`` for each kind of mention (keys below). Each span's normalised
  value (a dict, documented per key) is set with ``set_value(span, KEY, value)`` and
  read with ``get_value(span, KEY)``: values are keyed by (KEY, offsets), so an
  actor span and an entity span over the same words never overwrite each other.

  - ``actors``: ``{"actor": id, "kind": ActorKind, "name": canonical name}``; span label = actor id
  - ``places``: ``{"candidates": [Place, ...], "location": Location | None}``; label = "place"
  - ``dates``: ``{"date": "2023-07-30" | "2023-07" | "2023", "precision": "day|week|month|year"}``
  - ``casualties``: ``{"kind": "killed" | "injured", "min": int | None, "max": int | None}``
  - ``weapons``: ``{"weapon_class", "calibre", "model", "origin"}`` (any may be None)
  - ``entities``: re3d-typed mentions; label = type; value ``{"actor": id | None}``
* ``doc.user_data[COUNTRIES_KEY]``: the document's country weights (ISO code -> weight),
  set by ``vigil_places`` from countries, demonyms, unambiguous places and actors named.
* ``doc._.events``, ``doc._.relations``, ``doc._.claims``: lists of the records
  from ``vigil.model.records`` built by the event, relation and claim components.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

COUNTRIES_KEY = ("vigil", "countries")


def register() -> None:
    """Declare the extension attributes (idempotent)."""
    for name, default in (("published", None), ("doc_id", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name in ("events", "relations", "claims"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, getter=_list_getter(name))


def _list_getter(name: str):
    store = f"_vigil_{name}"

    def get(doc: Doc) -> list:
        if store not in doc.user_data:
            doc.user_data[store] = []
        return doc.user_data[store]

    return get


def set_value(span: Span, key: str, value: dict) -> None:
    """Attach the normalised value of a mention found under ``doc.spans[key]``."""
    span.doc.user_data[("vigil", key, span.start_char, span.end_char)] = value


def get_value(span: Span, key: str) -> dict | None:
    """The value a component attached to this mention under ``key``, if any."""
    return span.doc.user_data.get(("vigil", key, span.start_char, span.end_char))
