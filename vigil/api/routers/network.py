"""The weapons supply network: nodes, edges, sources and denials."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from vigil.api.deps import filter_conditions, get_store, parse_event_filter
from vigil.api.schemas import ErrorResponse
from vigil.store.database import Store
from vigil.store.network import supply_network
from vigil.store.views import SupplyNetwork

router = APIRouter(tags=["network"], responses={400: {"model": ErrorResponse}})


@router.get("/supply-network", response_model=SupplyNetwork, summary="Who supplies weapons to whom")
def network(conditions: dict = Depends(filter_conditions), store: Store = Depends(get_store)) -> SupplyNetwork:
    """Edges supplier -> recipient with the weapons, every report's source and quote, and whether it is denied."""
    return supply_network(store, parse_event_filter(conditions, default_limit=None))
