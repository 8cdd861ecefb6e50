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

  Components write a group with ``write_spans`` and read one with ``read_spans``,
  which hands back the written list instead of building every Span again;
  ``vigil.nlp.spans.release`` drops those lists (and the mention index) once the
  document's facts are built, so the Doc is freed without the cycle collector.
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


def write_spans(doc: Doc, key: str, spans: list[Span]) -> None:
    """Set ``doc.spans[key]``, keeping the list of Spans for ``read_spans``."""
    doc.spans[key] = spans
    written = doc.user_data.get(WRITTEN_SPANS_KEY)
    if written is None:
        written = doc.user_data[WRITTEN_SPANS_KEY] = {}
    written[key] = (doc.spans[key], spans)


def read_spans(doc: Doc, key: str) -> list[Span]:
    """The Spans of ``doc.spans[key]`` (none if the group is missing).

    Iterating a span group builds a new Span for each member (about 0.7 µs each), and
    most groups are read by three or four later components; the list a component wrote
    with ``write_spans`` is handed out again as long as the group is still the one it
    wrote, with as many members. Treat it as read-only.
    """
    group = doc.spans.get(key)
    if group is None:
        return []
    written = doc.user_data.get(WRITTEN_SPANS_KEY, {}).get(key)
    if written is not None and written[0] is group and len(written[1]) == len(group):
        return written[1]
    return list(group)


#: Where ``write_spans`` keeps the lists (their Spans hold the Doc: drop them with ``vigil.nlp.spans.release``).
WRITTEN_SPANS_KEY = ("vigil", "written-spans")


def set_value(span: Span, key: str, value: dict) -> None:
    """Attach the normalised value of a mention found under ``doc.spans[key]``."""
    span.doc.user_data[("vigil", key, span.start_char, span.end_char)] = value


def get_value(span: Span, key: str) -> dict | None:
    """The value a component attached to this mention under ``key``, if any."""
    return span.doc.user_data.get(("vigil", key, span.start_char, span.end_char))


def set_value_at(doc: Doc, key: str, start_char: int, end_char: int, value: dict) -> None:
    """``set_value`` for the mention at these character offsets, without a Span in hand."""
    doc.user_data[("vigil", key, start_char, end_char)] = value


def value_at(doc: Doc, key: str, start_char: int, end_char: int) -> dict | None:
    """``get_value`` for the mention at these character offsets, without a Span in hand."""
    return doc.user_data.get(("vigil", key, start_char, end_char))
