"""What actor resolution hands out: resolutions, candidates and proposals (read by the CLI, API and web)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vigil.model.records import ActorKind

Verdict = Literal["same", "related", "distinct"]
How = Literal["name", "alias", "initials", "near spelling", "analyst decision"]


class View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ActorSummary(View):
    """An actor as a line: enough to recognise it."""

    id: str
    name: str
    kind: ActorKind
    parent: str | None = None


class CandidateActor(View):
    """An existing actor a name resembles, and why the two were not made one."""

    actor: ActorSummary
    matched_name: str = Field(description="the actor's name or alias closest to the mention")
    score: float = Field(description="0 to 1: how much of the two names agrees once spellings are folded")
    verdict: Verdict = Field(description="same: one actor; related: shares words but differs; distinct")
    reasons: list[str]
    part_of: bool = Field(False, description="the name has every word of the actor's and more: a branch or faction of it?")


class ActorResolution(View):
    """What a name resolves to, and why."""

    name: str
    key: str = Field(description="the name's spelling key (vigil.gazetteers.actor_names.variant_key)")
    actor: ActorSummary | None = None
    how: How | None = None
    matched_name: str | None = Field(None, description="the actor's name, alias or initials it met")
    lineage: list[ActorSummary] = Field(default_factory=list, description="the actor's parents, nearest first")
    ambiguous: list[ActorSummary] = Field(default_factory=list, description="actors sharing the key: none is chosen")
    reasons: list[str] = Field(default_factory=list)
    candidates: list[CandidateActor] = Field(default_factory=list, description="other close actors and why they differ")


class NameCount(View):
    text: str
    count: int


class ProposalSample(View):
    """One mention of a proposed actor, in its sentence."""

    document_id: str
    published: dt.date | None = None
    role: str = Field(description="where it was named: perpetrator, target, relation source, claim speaker, entity...")
    text: str
    sentence: str


class ActorProposal(View):
    """Unresolved mentions that share a spelling key, proposed to the analyst as one new actor."""

    id: str = Field(description="stable id of the proposal (from its key)")
    key: str
    name: str = Field(description="the most frequent way it is written")
    forms: list[NameCount] = Field(description="every way it is written, most frequent first")
    mentions: int
    documents: int
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None
    roles: dict[str, int] = Field(default_factory=dict)
    samples: list[ProposalSample] = Field(default_factory=list)
    candidates: list[CandidateActor] = Field(default_factory=list, description="closest existing actors, not merged")
    status: Literal["open", "accepted", "merged", "rejected"] = "open"
