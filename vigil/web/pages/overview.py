"""``/``: headline figures, events per month by ACLED event type, top actors and latest reports."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from vigil.analysis.series import event_series
from vigil.api.deps import get_store
from vigil.store.aggregates import counts_by, totals
from vigil.store.database import Store
from vigil.store.fusion_reads import count_distinct_events
from vigil.store.lists import page_documents
from vigil.store.repository import get_actor
from vigil.web.charts import stacked_series
from vigil.web.filters import event_filter
from vigil.web.templating import page

router = APIRouter(include_in_schema=False)
TOP_ACTORS = 10
LATEST_REPORTS = 10


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    filter = event_filter(request, title="Overview")
    series = event_series(store, filter, "month", "event_type")
    top_actors = counts_by(store, "actor", filter, limit=TOP_ACTORS)
    return page(
        request,
        "overview.html",
        title="Overview",
        figures=totals(store, filter),
        distinct=count_distinct_events(store, filter),
        monthly_chart=stacked_series(series, drill={"group": "event_type", "params": {}}),
        undated=series.undated,
        top_actors=top_actors,
        resolved={count.key: count.key is not None and get_actor(store, count.key) is not None for count in top_actors},
        latest=page_documents(store, replace(filter, limit=LATEST_REPORTS, order="-date")).items,
    )
