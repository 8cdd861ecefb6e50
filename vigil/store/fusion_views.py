"""What the store hands back about fused events: the fused record with its storage identity and sources.

Like ``vigil.store.views``: the ``vigil.resolve`` records unchanged, wrapped
with what only the store knows (event row ids, the documents, who added a
report to a fused event and why, whether a decision is still in force).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from vigil.model.access import Tlp
from vigil.model.records import Event
from vigil.resolve.records import Decision, FusedEvent, LinkExplanation
from vigil.store.views import DocumentRef, View


class FusedSourceDetail(View):
    """One report of a fused event, side by side with the others: its document, its own fields, and why it is here."""

    event_id: int
    mention_id: str = Field(description="document id and character span of the evidence: what decisions name")
    document: DocumentRef
    event: Event = Field(description="the event as this report gives it (date, place, actors, figures with their words)")
    added_by: Literal["auto", "analyst"]
    decision_id: str | None = Field(description="the analyst decision that put it here (added_by analyst)")
    score: float | None = Field(description="its strongest link probability to another report of the fused event")
    explanation: LinkExplanation | None = Field(description="that strongest link, signal by signal")
    representative: bool = Field(description="the report that counts this event once in per-report statistics")


class StoredFusedEvent(View):
    """A fused event as listed: the fused fields (with every source's figure) and its reports' event ids."""

    fused: FusedEvent
    tlp: Tlp = Field(default=Tlp.CLEAR, description="the most restricted marking of the reports it is fused from")
    date_start: dt.date | None = Field(description="first day of the fused date's period, used for filtering")
    n_sources: int
    event_ids: list[int]
    created_at: dt.datetime
    updated_at: dt.datetime


class StoredDecision(View):
    """An analyst decision with its state: in force, or retracted (by which decision)."""

    decision: Decision
    in_force: bool
    retracted_by: str | None = None
    events: dict[str, int | None] = Field(
        description="mention id -> the stored event it names now (None: the report is not in the store)"
    )


class FusedEventDetail(StoredFusedEvent):
    sources: list[FusedSourceDetail] = Field(description="every report, oldest publication first")
    decisions: list[StoredDecision] = Field(description="the analyst decisions that shaped it")


class PairVerdict(View):
    """Why two stored event reports are, or are not, one event."""

    event_a: int
    event_b: int
    explanation: LinkExplanation
    fused_a: str | None = Field(description="the fused event each report is in now")
    fused_b: str | None
    same_fused_event: bool
    decision: str | None = Field(default=None, description="the analyst decision that keeps them together or apart")


class FusionResult(BaseModel):
    """What one fusion call changed: fused events created, changed in place (same id) and gone."""

    created: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    events: int = Field(default=0, description="event reports fused by this call")
    loaded: int = Field(default=0, description="other stored reports it read: the new ones' neighbourhood")
    decisions: list[Decision] = Field(default_factory=list, description="the decisions this call recorded")

    def add(self, other: FusionResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.removed += other.removed
        self.events += other.events
        self.loaded += other.loaded
        self.decisions += other.decisions
