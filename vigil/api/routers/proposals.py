"""Actor proposals (names reports repeat that no actor has) and the analyst's decisions; resolving a name.

Mounted before the actors router: ``/actors/resolve`` is not an actor id.
"""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from vigil.api.deps import get_store
from vigil.api.errors import ApiError
from vigil.api.schemas import ErrorResponse
from vigil.model.records import ActorKind
from vigil.resolve.actor_proposals import DEFAULT_MIN_DOCUMENTS
from vigil.resolve.actor_records import ActorProposal, ActorResolution
from vigil.store.actor_proposals import (
    ActorExists,
    DecisionRefused,
    ProposalDecision,
    ProposalNotFound,
    accept_proposal,
    list_actor_proposals,
    list_proposal_decisions,
    merge_proposal,
    reject_proposal,
    resolve_actor_name,
)
from vigil.store.database import Store

router = APIRouter(tags=["actor proposals"], responses={400: {"model": ErrorResponse}})
DECISION_ERRORS = {404: {"model": ErrorResponse}, 409: {"model": ErrorResponse}}
DEFAULT_AUTHOR = "api"


class DecisionBody(BaseModel):
    """Who decides and why (both kept with the decision)."""

    model_config = ConfigDict(extra="forbid")

    author: str = Field(DEFAULT_AUTHOR, min_length=1, max_length=200, description="who decides")
    reason: str | None = Field(None, description="why, in a few words")


class AcceptBody(DecisionBody):
    name: str | None = Field(None, description="canonical name (default: the most frequent spelling)")
    kind: ActorKind = "armed_group"
    parent: str | None = Field(None, description="id of the organisation it is a faction, province or branch of")


class MergeBody(DecisionBody):
    actor: str = Field(description="id of the existing actor the proposal is another name of")


@router.get("/actor-proposals", response_model=list[ActorProposal], summary="List proposed actors")
def proposals(
    min_documents: int = Query(DEFAULT_MIN_DOCUMENTS, ge=1, description="Only names mentioned in at least this many documents"),
    limit: Optional[int] = Query(None, ge=1, le=1000, description="At most this many proposals"),
    store: Store = Depends(get_store),
) -> list[ActorProposal]:
    """Names the reports repeat that no actor has, most documents first: counts, first and last dates,
    sample sentences, and the closest existing actors with the reasons they were not merged."""
    return list_actor_proposals(store, min_documents=min_documents, limit=limit)


@router.get("/actor-proposals/decisions", response_model=list[ProposalDecision], summary="Decisions on proposals")
def decisions(store: Store = Depends(get_store)) -> list[ProposalDecision]:
    """Every accept, merge and reject, oldest first, with author, time, reason and mentions linked."""
    return list_proposal_decisions(store)


@router.post("/actor-proposals/{proposal_id}/accept", response_model=ProposalDecision, responses=DECISION_ERRORS,
             summary="Accept a proposal as a new actor")
def accept(proposal_id: str, body: AcceptBody = Body(default_factory=AcceptBody),
           store: Store = Depends(get_store)) -> ProposalDecision:
    """Create the actor (its aliases: every spelling seen) and link the stored mentions to it."""
    return _decide(lambda: accept_proposal(store, proposal_id, name=body.name, kind=body.kind, parent=body.parent,
                                           author=body.author, reason=body.reason))


@router.post("/actor-proposals/{proposal_id}/merge", response_model=ProposalDecision, responses=DECISION_ERRORS,
             summary="Merge a proposal into an existing actor")
def merge(proposal_id: str, body: MergeBody, store: Store = Depends(get_store)) -> ProposalDecision:
    """Add the proposal's spellings to the actor's aliases and link the stored mentions to it."""
    return _decide(lambda: merge_proposal(store, proposal_id, body.actor, author=body.author, reason=body.reason))


@router.post("/actor-proposals/{proposal_id}/reject", response_model=ProposalDecision, responses=DECISION_ERRORS,
             summary="Reject a proposal")
def reject(proposal_id: str, body: DecisionBody = Body(default_factory=DecisionBody),
           store: Store = Depends(get_store)) -> ProposalDecision:
    """Record that the name is not an actor: it is not proposed again."""
    return _decide(lambda: reject_proposal(store, proposal_id, author=body.author, reason=body.reason))


@router.get("/actors/resolve", response_model=ActorResolution, summary="Resolve a name to an actor")
def resolve(
    name: str = Query(..., min_length=1, description="A name as a report writes it, e.g. Tahrik-e-Taleban Pakistan"),
    store: Store = Depends(get_store),
) -> ActorResolution:
    """The actor a name resolves to (by analyst decision, name, alias, initials or a one-letter slip), its
    parents, why, and the close actors it is not, with the reasons."""
    return resolve_actor_name(store, name)


def _decide(action) -> ProposalDecision:  # noqa: ANN001 (a call returning a ProposalDecision)
    try:
        return action()
    except ProposalNotFound as error:
        raise ApiError(404, str(error)) from None
    except ActorExists as error:
        raise ApiError(409, str(error)) from None
    except DecisionRefused as error:
        raise ApiError(400, str(error)) from None
