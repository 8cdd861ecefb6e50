"""``/weapons``: weapon classes and origins reported, for which actors, and the supply network."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from vigil.api.deps import get_store
from vigil.store.aggregates import weapons_by, weapons_by_actor
from vigil.store.database import Store
from vigil.store.lists import page_weapons
from vigil.store.network import supply_network
from vigil.web.charts import bars
from vigil.web.filters import event_filter
from vigil.web.graphs import supply_graph
from vigil.web.templating import page

router = APIRouter(include_in_schema=False)
TOP_VALUES = 15
TOP_ACTOR_ROWS = 40
MENTIONS_PER_PAGE = 25


@router.get("/weapons", response_class=HTMLResponse)
def weapons(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    filter = event_filter(request, title="Weapons", paged=True, page_size=MENTIONS_PER_PAGE)
    everything = filter.conditions_only()
    classes = weapons_by(store, "weapon_class", everything, limit=TOP_VALUES)
    origins = weapons_by(store, "origin", everything, limit=TOP_VALUES)
    models = [row for row in weapons_by(store, "model", everything) if row.value][:TOP_VALUES]
    network = supply_network(store, everything)
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
        keep_params=["limit"],
    )
