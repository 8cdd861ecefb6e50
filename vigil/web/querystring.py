"""The shared filter bar: what the URL's query string says, and links that keep it.

Every page reads the same query parameters (``since``, ``until``, ``country``,
``admin1``, ``actor``, ``event_type``, ``sub_event_type``, ``text``, ``document``:
the names the API uses), so a view is bookmarkable and an export link is the page's own
query string sent to an ``/api`` route. Turning them into an ``EventFilter`` is the API's shared
parser (``vigil.api.deps``); a bad value becomes a 400 page naming it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from starlette.requests import Request

FILTER_FIELDS = ("since", "until", "country", "admin1", "actor", "event_type", "sub_event_type", "text", "document")
PAGING_FIELDS = ("sort", "limit", "offset")


@dataclass(frozen=True)
class FilterBar:
    """The filter values of a request (stripped, empty ones dropped) and the other query parameters."""

    values: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> FilterBar:
        values = {name: params[name].strip() for name in FILTER_FIELDS if params.get(name, "").strip()}
        extra = {name: value for name, value in params.items() if name not in FILTER_FIELDS and value != ""}
        return cls(values=values, extra=extra)

    @property
    def active(self) -> bool:
        return bool(self.values)

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def query(self, **changes: object) -> str:
        """The filter's query string (``?...`` or empty) with ``changes`` applied; None removes a parameter."""
        params: dict[str, object] = dict(self.values)
        for name, value in changes.items():
            if value is None or value == "":
                params.pop(name, None)
            else:
                params[name] = value
        return "?" + urlencode(params) if params else ""

    def keep(self, *names: str, **changes: object) -> str:
        """Like ``query`` but also keeping the named non-filter parameters (sort order, page...)."""
        kept = {name: self.extra[name] for name in names if name in self.extra}
        return self.query(**{**kept, **changes})

    def described(self) -> str:
        """"country PK, since 2023-01-01" for headings; "" without a filter."""
        return ", ".join(f"{name.replace('_', ' ')} {value}" for name, value in self.values.items())


def filter_bar(request: Request) -> FilterBar:
    return FilterBar.from_params(request.query_params)
