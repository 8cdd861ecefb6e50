"""Dependencies shared by the API routes and the dashboard pages.

``get_store``, ``get_settings`` and ``get_extractor`` hand out what
``create_app`` put on ``app.state``. ``parse_event_filter`` turns query
parameters into an ``EventFilter`` (the web pages call it with
``request.query_params``); ``list_filter``, ``export_filter`` and
``unsorted_filter`` are the same as FastAPI dependencies, so the OpenAPI
document lists every parameter.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping

from fastapi import Depends, Query, Request

from vigil.api.errors import ApiError
from vigil.model.access import Viewer
from vigil.nlp.pipeline import Extractor
from vigil.settings import Settings
from vigil.store.database import Store
from vigil.store.filters import EVENT_ORDERS, EventFilter

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
ERR_DATE = "{name}: {value!r} is not a date; use YYYY-MM-DD."
ERR_INTEGER = "{name}: {value!r} is not a whole number."
ERR_LIMIT = "limit: {value} is not between 1 and {most}."
ERR_OFFSET = "offset: {value} is negative."
ERR_COUNTRY = "country: {value!r} is not a two-letter ISO 3166-1 code (e.g. PK)."
ERR_SORT = "sort: unknown order {value!r}; use one of: {choices}."

# Query parameter -> EventFilter field (the same names, except these).
FILTER_PARAMS = (
    "since", "until", "country", "admin1", "actor", "event_type", "sub_event_type", "text", "document",
    "limit", "offset", "sort",
)


class FilterError(ApiError):
    """A query parameter that cannot be a filter value; the message names it (HTTP 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


def get_viewer(request: Request) -> Viewer | None:
    """Who is reading: None in single-user mode (reads everything).

    In multi-user mode the authentication dependency (``vigil.api.auth``) puts the
    logged-in user or the token's owner on ``request.state.viewer`` before this runs.
    """
    return getattr(request.state, "viewer", None)


def get_store(request: Request) -> Store:
    """The store as the current viewer sees it: every route reads through this."""
    return request.app.state.store.for_viewer(get_viewer(request))


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_extractor(request: Request) -> Extractor:
    """The extraction pipeline, built on first use (about 4 s) and kept for the app's life."""
    return request.app.state.extractor.get()


class LazyExtractor:
    """Builds the extractor once, on first use, even when two requests ask at the same time."""

    def __init__(self, factory: Callable[[], Extractor] = Extractor) -> None:
        self._factory = factory
        self._built: Extractor | None = None
        self._lock = threading.Lock()

    def get(self) -> Extractor:
        if self._built is None:
            with self._lock:
                if self._built is None:
                    extractor = self._factory()
                    extractor.nlp  # noqa: B018  (load now, under the lock)
                    self._built = extractor
        return self._built


def parse_event_filter(
    params: Mapping[str, object],
    *,
    default_limit: int | None = DEFAULT_LIMIT,
    max_limit: int | None = MAX_LIMIT,
    default_sort: str = "-date",
) -> EventFilter:
    """An ``EventFilter`` from query parameters (strings, or values already typed); ``FilterError`` if one is bad.

    Parameters: since, until (YYYY-MM-DD), country (ISO alpha-2), admin1, actor,
    event_type, sub_event_type, text, document, limit, offset, sort. Empty
    values count as absent. ``max_limit`` None allows any limit (exports).
    """
    values = {name: _blank_to_none(params.get(name)) for name in FILTER_PARAMS}
    limit = _integer("limit", values["limit"])
    if limit is None:
        limit = default_limit
    elif limit < 1 or (max_limit is not None and limit > max_limit):
        raise FilterError(ERR_LIMIT.format(value=limit, most=max_limit if max_limit is not None else "any"))
    offset = _integer("offset", values["offset"]) or 0
    if offset < 0:
        raise FilterError(ERR_OFFSET.format(value=offset))
    country = values["country"]
    if country is not None and (len(str(country)) != 2 or not str(country).isalpha()):
        raise FilterError(ERR_COUNTRY.format(value=country))
    sort = str(values["sort"] or default_sort)
    if sort not in EVENT_ORDERS:
        raise FilterError(ERR_SORT.format(value=sort, choices=", ".join(EVENT_ORDERS)))
    try:
        return EventFilter(
            since=_date("since", values["since"]),
            until=_date("until", values["until"]),
            country=str(country).upper() if country else None,
            admin1=_text(values["admin1"]),
            actor=_text(values["actor"]),
            event_type=_text(values["event_type"]),
            sub_event_type=_text(values["sub_event_type"]),
            text=_text(values["text"]),
            document_id=_text(values["document"]),
            limit=limit,
            offset=offset,
            order=sort,  # type: ignore[arg-type]
        )
    except ValueError as error:  # the filter's own checks: range, taxonomy
        raise FilterError(str(error)) from None


def filter_conditions(
    since: str | None = Query(None, description="First day, YYYY-MM-DD (inclusive)", examples=["2023-01-01"]),
    until: str | None = Query(None, description="Last day, YYYY-MM-DD (inclusive)"),
    country: str | None = Query(None, description="ISO 3166-1 alpha-2 code", examples=["PK"]),
    admin1: str | None = Query(None, description="Province or state, case-insensitive", examples=["Punjab"]),
    actor: str | None = Query(None, description="Actor id, name, alias or the words a report used"),
    event_type: str | None = Query(None, description="ACLED event type, e.g. Battles"),
    sub_event_type: str | None = Query(None, description="ACLED sub-event type, e.g. Suicide bomb"),
    text: str | None = Query(None, description="Words in the evidence sentence (or quote, or title)"),
    document: str | None = Query(None, description="Only facts from this document id"),
) -> dict[str, object]:
    """The filter's conditions as given (checked by ``parse_event_filter``)."""
    return {
        "since": since, "until": until, "country": country, "admin1": admin1, "actor": actor,
        "event_type": event_type, "sub_event_type": sub_event_type, "text": text, "document": document,
    }


def list_filter(
    conditions: dict[str, object] = Depends(filter_conditions),
    limit: int | None = Query(None, description=f"Items per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})"),
    offset: int | None = Query(None, description="Items to skip"),
    sort: str | None = Query(None, description="Order: " + ", ".join(EVENT_ORDERS)),
) -> EventFilter:
    """The filter of a paged list."""
    return parse_event_filter({**conditions, "limit": limit, "offset": offset, "sort": sort})


def export_filter(
    conditions: dict[str, object] = Depends(filter_conditions),
    limit: int | None = Query(None, description="At most this many items (default: all)"),
    offset: int | None = Query(None, description="Items to skip"),
    sort: str | None = Query(None, description="Order: " + ", ".join(EVENT_ORDERS)),
) -> EventFilter:
    """The filter of an export: every match unless a limit is given."""
    return parse_event_filter(
        {**conditions, "limit": limit, "offset": offset, "sort": sort}, default_limit=None, max_limit=None
    )


def unsorted_filter(
    conditions: dict[str, object] = Depends(filter_conditions),
    limit: int | None = Query(None, description=f"Items per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})"),
    offset: int | None = Query(None, description="Items to skip"),
) -> EventFilter:
    """The filter of a list with its own orders (actors): conditions and paging only."""
    return parse_event_filter({**conditions, "limit": limit, "offset": offset})


def _blank_to_none(value: object) -> object:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else value


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _date(name: str, value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise FilterError(ERR_DATE.format(name=name, value=value)) from None


def _integer(name: str, value: object) -> int | None:
    if value is None or isinstance(value, int):
        return value  # type: ignore[return-value]
    try:
        return int(str(value))
    except ValueError:
        raise FilterError(ERR_INTEGER.format(name=name, value=value)) from None
