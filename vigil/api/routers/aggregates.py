"""Aggregates: the data behind every dashboard chart, for any filter."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query

from vigil.analysis.series import GroupBy, Series, event_series
from vigil.analysis.trend_report import TrendReport, parse_windows, trend_report
from vigil.api.deps import filter_conditions, get_store, parse_event_filter
from vigil.api.errors import bad_request
from vigil.api.schemas import ErrorResponse
from vigil.store import aggregates
from vigil.store.aggregates import Dimension, WeaponField
from vigil.store.database import Store
from vigil.store.filters import EventFilter
from vigil.store.views import ActorWeaponCount, Count, Totals, ValueCount

router = APIRouter(prefix="/aggregates", tags=["aggregates"], responses={400: {"model": ErrorResponse}})
LIMIT_QUERY = Query(None, ge=1, le=1000, description="At most this many rows (default: all)")


def conditions_filter(conditions: dict = Depends(filter_conditions)) -> EventFilter:
    """The filter's conditions; aggregates have no paging or order."""
    return parse_event_filter(conditions, default_limit=None)


@router.get("/totals", response_model=Totals, summary="Headline figures")
def totals(filter: EventFilter = Depends(conditions_filter), store: Store = Depends(get_store)) -> Totals:
    """Events, fatalities (sum of lower bounds), documents and actors for the filter."""
    return aggregates.totals(store, filter)


@router.get("/counts", response_model=list[Count], summary="Events per actor, type, country or province")
def counts(
    by: Dimension = Query(..., description="actor (perpetrator), event_type, sub_event_type, country or admin1"),
    limit: int | None = LIMIT_QUERY,
    filter: EventFilter = Depends(conditions_filter),
    store: Store = Depends(get_store),
) -> list[Count]:
    """Matching events and their fatalities per value, most events first."""
    return aggregates.counts_by(store, by, filter, limit=limit)


@router.get("/weapons", response_model=list[ValueCount], summary="Weapon mentions per class, origin, model or calibre")
def weapons(
    by: WeaponField = Query("weapon_class", description="weapon_class, origin, model or calibre"),
    limit: int | None = LIMIT_QUERY,
    filter: EventFilter = Depends(conditions_filter),
    store: Store = Depends(get_store),
) -> list[ValueCount]:
    return aggregates.weapons_by(store, by, filter, limit=limit)


@router.get("/weapons/actors", response_model=list[ActorWeaponCount], summary="Weapon classes per actor")
def weapons_by_actor(
    limit: int | None = LIMIT_QUERY,
    filter: EventFilter = Depends(conditions_filter),
    store: Store = Depends(get_store),
) -> list[ActorWeaponCount]:
    """Per actor: weapon classes used in its attacks, supplied by it, or received by it."""
    return aggregates.weapons_by_actor(store, filter, limit=limit)


FUSED_QUERY = Query(False, description="count real-world events after fusion (one per event), not reports")


@router.get("/series", response_model=Series, summary="Events and fatalities per week or month")
def series(
    period: Literal["month", "week"] = Query("month", description="month or week (ISO weeks)"),
    by: GroupBy | None = Query(None, description="event_type, sub_event_type, actor, country or admin1"),
    top: int | None = Query(None, ge=1, le=100, description="Keep only the largest groups"),
    fused: bool = FUSED_QUERY,
    filter: EventFilter = Depends(conditions_filter),
    store: Store = Depends(get_store),
) -> Series:
    """Gap-free counts per period (a period without events is a zero), in total and per group."""
    try:
        found = event_series(store, filter, period, by, fused=fused)
    except ValueError as error:
        raise bad_request(str(error)) from None
    return found.top(top) if top else found


@router.get("/trend", response_model=TrendReport, summary="Has it increased? Series, change points, period comparison")
def trend(
    period: Literal["month", "week"] = Query("month", description="month or week (ISO weeks)"),
    by: GroupBy | None = Query(None, description="event_type, sub_event_type, actor, country or admin1"),
    compare: str | None = Query(
        None, description="two windows, before and after: '2022,2023' or '2022-01-01:2022-12-31,2023-01-01:2023-12-31'"
    ),
    fused: bool = FUSED_QUERY,
    filter: EventFilter = Depends(conditions_filter),
    store: Store = Depends(get_store),
) -> TrendReport:
    """What `vigil trend` prints: the series, change points in its total, and (with `compare`) the
    rate comparison between the two windows with its test, p-value, rate ratio and plain words."""
    try:
        windows = parse_windows(compare) if compare else None
        return trend_report(store, filter, period, by, windows, fused=fused)
    except ValueError as error:
        raise bad_request(str(error)) from None
