"""Fused events (reports of one real-world event made one) and the analyst decisions that shape them.

Reads: a filtered, paged list; one fused event with every report side by side;
why two reports are or are not one event. Writes are analyst decisions, kept
for ever (a retraction is a new decision) and respected by every automatic run:
merge reports, split a fused event, keep reports apart, retract.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from vigil.api.access import audit_read
from vigil.api.deps import get_settings, get_store, list_filter
from vigil.api.errors import ApiError, not_found
from vigil.api.schemas import ErrorResponse
from vigil.resolve.decisions import DecisionConflict
from vigil.settings import Settings
from vigil.store.database import Store
from vigil.store.filters import EventFilter
from vigil.store.fusion import FusionError, FusionNotFound, StoredFusion
from vigil.store.fusion_reads import get_fused_event, list_decisions, page_fused_events
from vigil.store.fusion_views import FusedEventDetail, FusionResult, PairVerdict, StoredDecision, StoredFusedEvent
from vigil.store.views import Page
from vigil.workflow import open_fusion

router = APIRouter(tags=["fusion"], responses={400: {"model": ErrorResponse}})
WRITE_RESPONSES = {404: {"model": ErrorResponse}, 409: {"model": ErrorResponse, "description": "Contradicts a decision in force"}}


class DecisionFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, description="why, in a few words; kept with the decision")
    author: str | None = Field(default=None, description="who decides")


class MergeRequest(DecisionFields):
    events: list[int | str] = Field(min_length=1, description="event ids, or fused event ids (fused-...) for all their reports")


class SplitRequest(DecisionFields):
    keep: list[int] = Field(min_length=1, description="event ids of the reports that stay together; the others form a second event")


class DecisionRequest(DecisionFields):
    kind: Literal["must_link", "cannot_link"] = Field(description="must_link: one event; cannot_link: no two of them are one event")
    events: list[int | str] = Field(min_length=1, description="event ids, or fused event ids (fused-...) for all their reports")


def get_fusion(store: Store = Depends(get_store), settings: Settings = Depends(get_settings)) -> StoredFusion:
    return open_fusion(store, settings)


@router.get("/fused-events", response_model=Page[StoredFusedEvent], summary="List fused events")
def fused_events(
    min_sources: int = Query(1, ge=1, description="Only events fused from at least this many reports (2: merged ones)"),
    filter: EventFilter = Depends(list_filter),
    store: Store = Depends(get_store),
) -> Page[StoredFusedEvent]:
    """Distinct events after fusion, filtered like /api/events: date, place and type are the fused ones;
    actor, text and document keep events with a matching report. ``fatalities`` sorts by the best estimate."""
    return page_fused_events(store, filter, min_sources=min_sources)


@router.get("/fused-events/{fused_id}", response_model=FusedEventDetail, responses={404: {"model": ErrorResponse}},
            summary="One fused event")
def fused_event(fused_id: str, request: Request, store: Store = Depends(get_store)) -> FusedEventDetail:
    """The fused fields with low / best / high figures, every report side by side with its own figures
    and words, why they were merged, and the analyst decisions behind it."""
    detail = get_fused_event(store, fused_id)
    if detail is None:
        raise not_found("fused event", fused_id)
    audit_read(request, "fused event", fused_id, detail.tlp)
    return detail


@router.post("/fused-events/merge", response_model=FusionResult, responses=WRITE_RESPONSES, summary="Merge reports")
def merge(request: MergeRequest, fusion: StoredFusion = Depends(get_fusion)) -> FusionResult:
    """Decide that these reports are one event (a must-link decision no automatic run overrides)."""
    return _decide(lambda: fusion.merge(request.events, reason=request.reason, author=request.author))


@router.post("/fused-events/{fused_id}/split", response_model=FusionResult, responses=WRITE_RESPONSES,
             summary="Split a fused event")
def split(fused_id: str, request: SplitRequest, fusion: StoredFusion = Depends(get_fusion)) -> FusionResult:
    """Split a fused event in two: the reports ``keep`` names and the rest (unlink one report: keep all others)."""
    return _decide(lambda: fusion.split(fused_id, request.keep, reason=request.reason, author=request.author))


@router.get("/fusion/decisions", response_model=list[StoredDecision], summary="List analyst decisions")
def decisions(
    in_force: bool | None = Query(None, description="true: only decisions in force; false: only the others"),
    store: Store = Depends(get_store),
) -> list[StoredDecision]:
    """Every decision in the order made, retractions included, with the events it names now."""
    return list_decisions(store, in_force=in_force)


@router.post("/fusion/decisions", response_model=FusionResult, status_code=201, responses=WRITE_RESPONSES,
             summary="Record a decision")
def decide(request: DecisionRequest, fusion: StoredFusion = Depends(get_fusion)) -> FusionResult:
    """A must-link (these reports are one event) or cannot-link (no two of them are) decision."""
    if request.kind == "must_link":
        return _decide(lambda: fusion.merge(request.events, reason=request.reason, author=request.author))
    return _decide(lambda: fusion.keep_apart(request.events, reason=request.reason, author=request.author))


@router.delete("/fusion/decisions/{decision_id}", response_model=FusionResult, responses=WRITE_RESPONSES,
               summary="Retract a decision")
def retract(
    decision_id: str,
    reason: str | None = Query(None, description="why it is retracted"),
    author: str | None = Query(None, description="who retracts it"),
    fusion: StoredFusion = Depends(get_fusion),
) -> FusionResult:
    """Retract a decision in force: recorded as a new decision (nothing is deleted); automatic fusion applies again."""
    return _decide(lambda: fusion.retract(decision_id, reason=reason, author=author))


@router.get("/fusion/explain", response_model=PairVerdict, responses={404: {"model": ErrorResponse}},
            summary="Why two reports are (not) one event")
def explain(
    a: int = Query(..., description="an event id"),
    b: int = Query(..., description="another event id"),
    fusion: StoredFusion = Depends(get_fusion),
) -> PairVerdict:
    """Every signal of the pair with its weight and contribution, the verdict, and any analyst decision."""
    return _decide(lambda: fusion.explain(a, b))


def _decide(run):  # noqa: ANN001, ANN202 (a call into StoredFusion, and what it returns)
    """Fusion errors as HTTP errors: 404 for what the store does not hold, 409 for a contradiction, else 400."""
    try:
        return run()
    except FusionNotFound as error:
        raise ApiError(404, str(error)) from error
    except DecisionConflict as error:
        raise ApiError(409, str(error)) from error
    except FusionError as error:
        raise ApiError(400, str(error)) from error
