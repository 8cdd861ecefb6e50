"""Actors: a paged list with activity counts, one actor's profile, exports."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query, Response

from vigil.analysis.exports import actors_table
from vigil.api.deps import filter_conditions, get_store, parse_event_filter, unsorted_filter
from vigil.api.errors import not_found
from vigil.api.exporting import EXPORT_RESPONSES, export_response
from vigil.api.schemas import ErrorResponse, ExportFormat
from vigil.model.records import ActorKind
from vigil.store.database import Store
from vigil.store.filters import EventFilter
from vigil.store.lists import ACTOR_ORDERS, ActorOrder, page_actors
from vigil.store.profiles import get_actor_profile
from vigil.store.views import ActorInfo, ActorProfile, Page

router = APIRouter(tags=["actors"], responses={400: {"model": ErrorResponse}})
Q_QUERY = Query(None, description="Part of the id, name or an alias")
KIND_QUERY = Query(None, description="armed_group, state_force, government, political_party, person...")
ACTIVE_QUERY = Query(False, description="Only actors named by at least one (matching) event")
SORT_QUERY = Query("-events", description="Order: " + ", ".join(ACTOR_ORDERS))


@router.get("/actors", response_model=Page[ActorInfo], summary="List actors")
def actors(
    q: Optional[str] = Q_QUERY,
    kind: Optional[ActorKind] = KIND_QUERY,
    active: bool = ACTIVE_QUERY,
    sort: ActorOrder = SORT_QUERY,
    filter: EventFilter = Depends(unsorted_filter),
    store: Store = Depends(get_store),
) -> Page[ActorInfo]:
    """Canonical actors with how many (matching) events name them; with filter conditions, only active ones."""
    return page_actors(store, filter, query=q, kind=kind, active=active, order=sort)


@router.get("/actors/export", responses=EXPORT_RESPONSES, summary="Export actors")
def export_actors(
    format: ExportFormat = Query(ExportFormat.csv, description="csv or json"),
    q: Optional[str] = Q_QUERY,
    kind: Optional[ActorKind] = KIND_QUERY,
    active: bool = ACTIVE_QUERY,
    sort: ActorOrder = SORT_QUERY,
    conditions: dict = Depends(filter_conditions),
    store: Store = Depends(get_store),
) -> Response:
    filter = parse_event_filter(conditions, default_limit=None, max_limit=None)
    items = page_actors(store, filter, query=q, kind=kind, active=active, order=sort).items
    return export_response("actors", format, items, actors_table)


@router.get(
    "/actors/{actor_id}", response_model=ActorProfile, responses={404: {"model": ErrorResponse}}, summary="One actor"
)
def actor(
    actor_id: str, conditions: dict = Depends(filter_conditions), store: Store = Depends(get_store)
) -> ActorProfile:
    """Identity, aliases, UN reference, parent and factions, activity per month, relations, weapons, claims.

    Place and time parameters narrow the activity shown.
    """
    profile = get_actor_profile(store, actor_id, parse_event_filter(conditions, default_limit=None))
    if profile is None:
        raise not_found("actor", actor_id)
    return profile
