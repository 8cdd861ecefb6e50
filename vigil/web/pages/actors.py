"""``/actors``: canonical actors with a search; ``/actors/{id}``: an actor's profile, activity and relations."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from vigil.analysis.series import event_series
from vigil.api.deps import get_store
from vigil.resolve.actor_proposals import DEFAULT_MIN_DOCUMENTS
from vigil.store.actor_proposals import ACTOR_KINDS, list_actor_proposals
from vigil.store.database import Store
from vigil.store.lists import page_actors
from vigil.store.profiles import get_actor_profile
from vigil.web.charts import count_series
from vigil.web.errors import not_found
from vigil.web.filters import event_filter
from vigil.web.graphs import actor_network
from vigil.web.templating import page

router = APIRouter(include_in_schema=False)
PROPOSALS_SHOWN = 10
PROPOSAL_DOCUMENTS = DEFAULT_MIN_DOCUMENTS


@router.get("/actors", response_class=HTMLResponse)
def actors(request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    filter = event_filter(request, title="Actors", paged=True)
    query = request.query_params.get("q", "").strip()
    listed = page_actors(store, filter, query=query or None, active=not filter.is_empty())
    # Proposed actors are the store's, not the filter's: shown on the first page of the plain list.
    proposals = [] if query or listed.offset else list_actor_proposals(store, min_documents=PROPOSAL_DOCUMENTS, limit=PROPOSALS_SHOWN)
    return page(request, "actors.html", title="Actors", page=listed, query=query, keep_params=["q", "limit"],
                proposals=proposals, proposal_documents=PROPOSAL_DOCUMENTS, actor_kinds=ACTOR_KINDS)


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor(actor_id: str, request: Request, store: Store = Depends(get_store)) -> HTMLResponse:
    filter = event_filter(request, title="Actor")
    profile = get_actor_profile(store, actor_id, filter)
    if profile is None:
        raise not_found("actor", actor_id)
    series = event_series(store, replace(filter, actor=actor_id), "month")
    links = profile.relations_out + profile.relations_in
    return page(
        request,
        "actor.html",
        title=profile.actor.name,
        profile=profile,
        activity_chart=count_series(
            [p.key for p in series.periods],
            series.total.events,
            "events naming the actor",
            drill={"group": None, "params": {"actor": profile.actor.id}},
        ),
        graph=actor_network(profile.actor.id, profile.actor.name, links),
        links=sorted(links, key=lambda link: (link.relation.type, link.id)),
    )
