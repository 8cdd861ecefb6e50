"""From the filter bar to an ``EventFilter``, through the API's shared parser; a bad value is a 400 page."""

from __future__ import annotations

from starlette.requests import Request

from vigil.api.deps import FilterError, parse_event_filter
from vigil.store.filters import EventFilter
from vigil.web.errors import bad_filter
from vigil.web.querystring import PAGING_FIELDS, filter_bar

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def event_filter(request: Request, *, title: str, paged: bool = False, page_size: int = PAGE_SIZE) -> EventFilter:
    """The request's filter; with ``paged``, also its ``limit``/``offset``/``sort`` (else no limit).

    A bad value raises the 400 page titled ``title``, whose message names the parameter.
    """
    bar = filter_bar(request)
    params: dict[str, object] = dict(bar.values)
    if paged:
        params.update({name: bar.extra[name] for name in PAGING_FIELDS if name in bar.extra})
    try:
        return parse_event_filter(
            params, default_limit=page_size if paged else None, max_limit=MAX_PAGE_SIZE if paged else None
        )
    except FilterError as error:
        raise bad_filter(error.message, title=title) from None
