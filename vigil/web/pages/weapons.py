"""``/weapons``: weapon classes and origins reported, for which actors, over time, the supply network, and
the recovered weapons analysts recorded with their suspected origins (and a CSV upload posting to the API)."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from vigil.analysis.weapons import WeaponSeries, weapons_over_time
from vigil.api.deps import get_store
from vigil.recovered import recovered_origins
from vigil.store.aggregates import weapons_by, weapons_by_actor
from vigil.store.database import Store
from vigil.store.lists import page_weapons
from vigil.store.network import supply_network
from vigil.store.recovered import RecoveredFilter, page_recovered
from vigil.web.charts import CYCLE, bars
from vigil.web.filters import event_filter
from vigil.web.graphs import supply_graph
from vigil.web.templating import page

router = APIRouter(include_in_schema=False)
TOP_VALUES = 15
TOP_ACTOR_ROWS = 40
MENTIONS_PER_PAGE = 25
OVER_TIME_GROUPS = 6
OVER_TIME_PERIODS = 36  # the last three years of months, unless the filter sets a range
RECOVERED_ROWS = 25


@router.get("/weapons", response_class=HTMLResponse)
def weapons(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    filter = event_filter(request, title="Weapons", paged=True, page_size=MENTIONS_PER_PAGE)
    everything = filter.conditions_only()
    classes = weapons_by(store, "weapon_class", everything, limit=TOP_VALUES)
    origins = weapons_by(store, "origin", everything, limit=TOP_VALUES)
    models = [row for row in weapons_by(store, "model", everything) if row.value][:TOP_VALUES]
    network = supply_network(store, everything)
    # Recovered weapons have a place and date of their own: the filter's country and dates apply to them.
    recovered_scope = RecoveredFilter(country=everything.country, since=everything.since, until=everything.until,
                                      limit=RECOVERED_ROWS)
    suspected = recovered_origins(store, recovered_scope.everything())
    return page(
        request,
        "weapons.html",
        title="Weapons",
        classes=classes,
        origins=origins,
        models=models,
        class_chart=bars(((row.value or "unspecified", row.count) for row in classes), "mentions"),
        origin_chart=bars(((row.value, row.count) for row in origins if row.value), "mentions"),
        by_actor=weapons_by_actor(store, everything, limit=TOP_ACTOR_ROWS),
        network=network,
        nodes={node.id: node for node in network.nodes},
        graph=supply_graph(network),
        mentions=page_weapons(store, replace(filter, order="-date")),
        over_time={by: _over_time_chart(weapons_over_time(store, everything, by=by), bool(everything.since))
                   for by in ("class", "actor")},
        recovered=page_recovered(store, recovered_scope),
        suspected=suspected,
        suspected_of={match.weapon_id: match for match in suspected.matches},
        suspected_chart=bars(((share.short, round(100 * share.share, 1)) for share in suspected.shares),
                             "share of recovered weapons (%)"),
        keep_params=["limit"],
    )


def _over_time_chart(series: WeaponSeries, whole_range: bool) -> dict:
    """Stacked bars of the largest groups per period; the last three years unless the filter chose the range."""
    shown = series.top(OVER_TIME_GROUPS)
    first = 0 if whole_range else max(0, len(series.periods) - OVER_TIME_PERIODS)
    datasets = [
        {"label": group.label, "data": group.counts[first:], "backgroundColor": CYCLE[n % len(CYCLE)],
         "borderColor": CYCLE[n % len(CYCLE)]}
        for n, group in enumerate(shown.groups)
    ]
    return {"kind": "bar", "stacked": True, "labels": series.periods[first:], "datasets": datasets,
            "cut": first > 0, "undated": series.undated}
