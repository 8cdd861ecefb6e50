"""Claims: a filtered, paged list, groups by proposition, one claim, exports."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query, Request, Response

from vigil.analysis.claims import ClaimGroups, group_claims
from vigil.analysis.exports import claims_table
from vigil.api.access import audit_read
from vigil.api.deps import export_filter, get_store, list_filter
from vigil.api.errors import not_found
from vigil.api.exporting import EXPORT_RESPONSES, export_response
from vigil.api.schemas import ErrorResponse, ExportFormat
from vigil.model.records import Stance
from vigil.store.database import Store
from vigil.store.details import get_claim
from vigil.store.filters import EventFilter
from vigil.store.lists import page_claims
from vigil.store.views import ClaimDetail, Page, StoredClaim

router = APIRouter(tags=["claims"], responses={400: {"model": ErrorResponse}})
STANCE_QUERY = Query(None, description="asserts or denies")


@router.get("/claims", response_model=Page[StoredClaim], summary="List claims")
def claims(
    stance: Optional[Stance] = STANCE_QUERY,
    filter: EventFilter = Depends(list_filter),
    store: Store = Depends(get_store),
) -> Page[StoredClaim]:
    """Claims about matching events (else in matching documents); ``actor`` is the speaker or their organisation."""
    return page_claims(store, filter, stance=stance)


@router.get("/claims/groups", response_model=ClaimGroups, summary="Claims grouped by proposition")
def claim_groups(
    window_months: Optional[int] = Query(None, ge=0, le=120, description="Months around the claims' dates for recorded events (default 6)"),
    window_days: Optional[int] = Query(None, ge=0, le=3660, description="Days instead of months, when given"),
    filter: EventFilter = Depends(list_filter),
    store: Store = Depends(get_store),
) -> ClaimGroups:
    """Who asserts and who denies the same proposition across documents, with the events recorded for its actors meanwhile."""
    return group_claims(store, filter, window_months=window_months, window_days=window_days)


@router.get("/claims/export", responses=EXPORT_RESPONSES, summary="Export claims")
def export_claims(
    format: ExportFormat = Query(ExportFormat.csv, description="csv or json"),
    stance: Optional[Stance] = STANCE_QUERY,
    filter: EventFilter = Depends(export_filter),
    store: Store = Depends(get_store),
) -> Response:
    return export_response("claims", format, page_claims(store, filter, stance=stance).items, claims_table)


@router.get(
    "/claims/{claim_id}", response_model=ClaimDetail, responses={404: {"model": ErrorResponse}}, summary="One claim"
)
def claim(claim_id: int, request: Request, store: Store = Depends(get_store)) -> ClaimDetail:
    detail = get_claim(store, claim_id)
    if detail is None:
        raise not_found("claim", claim_id)
    audit_read(request, "claim", claim_id, detail.document.tlp)
    return detail
