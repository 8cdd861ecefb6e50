"""The records of event fusion: what goes in, what comes out, and why.

Fusion links *mentions* (one event as one document reported it) into fused
events. Everything it decides is kept as data so that it can be shown to an
analyst, stored and reversed: a ``LinkExplanation`` for every pair it scored,
a ``MergeStep`` for every merge it made, and the analyst's ``Decision`` records
that automatic runs must respect. A ``FusedEvent`` is a view over its sources;
it never replaces them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from vigil.model.records import Document, Event, Location, Record


def mention_id(document_id: str, event: Event) -> str:
    """The natural key of a mention: its document and the character span of its evidence."""
    return f"{document_id}#{event.start}-{event.end}"


class EventMention(Record):
    """One event as one source reported it: the unit that fusion links."""

    id: str
    document_id: str
    published: dt.date | None = None
    publisher: str | None = None
    title: str | None = None
    url: str | None = None
    event: Event

    @classmethod
    def of(cls, document: Document, event: Event) -> "EventMention":
        """The mention of ``event`` in ``document``, keyed by document id and span."""
        return cls(
            id=mention_id(document.id, event), document_id=document.id, published=document.published,
            publisher=document.publisher, title=document.title, url=document.url, event=event,
        )


class FeatureValue(Record):
    """One signal of a pairwise comparison: its value, its weight, what it added, in words."""

    name: str
    value: float
    weight: float = 0.0
    contribution: float = 0.0
    text: str


class LinkExplanation(Record):
    """Why two mentions were (or were not) judged to report the same event."""

    a: str
    b: str
    method: str = Field(description="how evidence similarity was measured, e.g. 'all-MiniLM-L6-v2' or 'lexical'")
    probability: float
    threshold: float
    linked: bool
    blocked_by: str | None = Field(default=None, description="the hard rule that ruled the pair out, if any")
    features: list[FeatureValue] = Field(default_factory=list)
    summary: str = ""


DecisionKind = Literal["must_link", "cannot_link", "pin"]


class Decision(Record):
    """An analyst's decision; automatic runs never override one.

    ``must_link``/``cannot_link`` name two or more mentions; ``pin`` puts the
    named mentions in the analyst's cluster ``label`` (mentions pinned to
    different labels never share a cluster). ``retracts`` undoes an earlier
    decision by id, which makes every merge and split reversible.
    """

    id: str
    kind: DecisionKind | Literal["retract"]
    mentions: list[str] = Field(default_factory=list)
    label: str | None = None
    retracts: str | None = None
    author: str | None = None
    at: dt.datetime | None = None
    reason: str | None = None


class MergeStep(Record):
    """One merge made while clustering: which groups, on what grounds."""

    left: list[str]
    right: list[str]
    score: float = Field(description="average link probability between the two groups (1.0 for an analyst's decision)")
    reason: str
    strongest: LinkExplanation | None = None


class SourceFigure(Record):
    """A casualty figure as one source gave it, kept beside the fused figure."""

    mention_id: str
    document_id: str
    publisher: str | None = None
    published: dt.date | None = None
    min: int | None = None
    max: int | None = None
    text: str | None = None
    estimate: int = Field(description="the source's own best figure: its exact number, or its stated lower bound")
    credible: bool = True
    note: str | None = None


class FusedFigure(Record):
    """Low / best / high of a casualty count across sources (the UCDP convention)."""

    low: int
    best: int
    high: int
    rule: str
    sources: list[SourceFigure] = Field(default_factory=list)


class FusedActor(Record):
    """An actor of a fused event, by canonical id when resolved, with how many sources name it."""

    actor: str | None = None
    name: str
    words: list[str] = Field(default_factory=list)
    sources: int


class FusedSource(Record):
    """A mention that a fused event is built from: its document and its evidence."""

    mention_id: str
    document_id: str
    publisher: str | None = None
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    type: str
    sentence: str
    start: int
    end: int


class FusedEvent(Record):
    """One real-world event as fused from all its sources."""

    id: str
    type: str
    event_type: str
    type_votes: dict[str, int] = Field(default_factory=dict)
    date: str | None = None
    date_precision: str | None = None
    date_rule: str | None = None
    location: Location | None = None
    perpetrators: list[FusedActor] = Field(default_factory=list)
    targets: list[FusedActor] = Field(default_factory=list)
    victims: list[FusedActor] = Field(default_factory=list)
    fatalities: FusedFigure | None = None
    injuries: FusedFigure | None = None
    responsibility: str | None = None
    sources: list[FusedSource] = Field(default_factory=list)
    merges: list[MergeStep] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list, description="ids of the analyst decisions that shaped it")
