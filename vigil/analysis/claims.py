"""Claims grouped by proposition across documents: who asserts it, who denies it, and what was recorded meanwhile.

Each claim's quote is read as one or more propositions with the polarity taken
out (``vigil.analysis.propositions``): "IS is active in Afghanistan" asserted
and "IS activity has been reduced to zero" asserted are one proposition, the
first asserting it and the second denying it. Propositions about the same
events or relations, or with compatible subject actors and the same content
(words compared by sentence embeddings, or the lexical fallback; activity
claims by their places), form a group (``vigil.analysis.claim_links``).
Reports fused into one event (``vigil.store.fusion``) count as one event.

Beside each group come the events its subject actors (and their factions and
provinces) perpetrated from some months before its first claim to some months
after its last, with a count per month (``vigil.analysis.claim_evidence``).
Contested groups (asserted and denied) come first, then the newest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from vigil.analysis.claim_evidence import Window, recorded_events
from vigil.analysis.claim_links import Part, link_parts
from vigil.analysis.claim_reads import ClaimSource, read_claims, read_lineages, with_descendants
from vigil.analysis.propositions import Proposition, claim_rules, read_propositions
from vigil.gazetteers.actors import ActorGazetteer
from vigil.model.records import ActorRef
from vigil.resolve.actors import ActorResolver
from vigil.resolve.embeddings import configured_model
from vigil.resolve.similarity import TextEncoder, choose_encoder
from vigil.store.database import Store
from vigil.store.filters import EventFilter
from vigil.store.views import DocumentRef, Page, PeriodCount, StoredEvent

MAX_EVENTS = 20
LABEL_CHARS = 100
_LABEL_WORDS = 4
_LABEL_NAMES = 2


class Voice(BaseModel):
    """One claim in a group: who said it, when, in which words, where."""

    model_config = ConfigDict(frozen=True)

    claim_id: int
    speaker: ActorRef
    speaker_org: ActorRef | None
    stance: str = Field(description="towards the group's proposition: asserts (it is so) or denies (it is not)")
    claim_stance: str = Field(description="the stance of the reporting verb ('denied', 'said')")
    date: dt.date | None = Field(description="the claim's date, else its document's publication date")
    quote: str
    proposition: str = Field(description="the words of the quote this group is about")
    sentence: str
    document: DocumentRef


class Subject(BaseModel):
    model_config = ConfigDict(frozen=True)

    actor_id: str
    name: str
    part_of: str | None = Field(default=None, description="another subject of the group this one belongs to")
    part_of_name: str | None = None


class ClaimGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str = Field(description="the group's first claim and part, stable while the claims are unchanged")
    label: str = Field(description="the proposition in a few words")
    kind: Literal["activity", "statement"] = Field(description="activity: a claim about an actor's activity level")
    linked_by: list[str] = Field(description="why the claims were put together")
    subjects: list[Subject] = Field(description="actors the claims are about; factions and provinces say of whom")
    event_ids: list[int] = Field(description="stored events the claims concern")
    relation_ids: list[int] = Field(description="stored relations the claims concern")
    asserted_by: list[Voice]
    denied_by: list[Voice]
    contested: bool = Field(description="both asserted and denied")
    first_date: dt.date | None
    last_date: dt.date | None
    window_start: dt.date | None = Field(description="start of the period whose recorded events are shown")
    window_end: dt.date | None
    recorded_events: list[StoredEvent] = Field(description="events by the subjects in the window, newest first")
    recorded_total: int = Field(description="how many such events in all")
    recorded_by_month: list[PeriodCount] = Field(description="such events per month of the window, zeros included")


class ClaimGroups(Page[ClaimGroup]):
    """A page of claim groups, and the encoder that compared their words."""

    similarity: str = Field(description="sentence-embedding model, or the lexical fallback, that compared the words")


@dataclass(frozen=True)
class _Entry:
    source: ClaimSource
    proposition: Proposition
    part: Part


def default_encoder() -> TextEncoder:
    """Sentence embeddings when the ``ml`` extra is installed (``VIGIL_EMBEDDING_MODEL`` names another), else lexical."""
    return choose_encoder("auto", configured_model())


def group_claims(
    store: Store,
    filter: EventFilter | None = None,
    *,
    encoder: TextEncoder | None = None,
    window_months: int | None = None,
    window_days: int | None = None,
    max_events: int = MAX_EVENTS,
) -> ClaimGroups:
    """Groups of the claims matching ``filter``: contested ones first, then newest.

    ``filter.limit``/``offset`` page the groups; recorded events are looked up
    for the groups of the page only. The window around the claims is
    ``window_months`` (default from ``data/claims.json``: 6), or ``window_days``
    when given.
    """
    filter = filter or EventFilter()
    rules = claim_rules().rules
    window = Window(months=rules.window_months if window_months is None else window_months, days=window_days)
    with store.session() as session:
        entries = _entries(read_claims(session, store.dialect, filter))
        subjects = {actor for entry in entries for actor in entry.part.subjects}
        resolver = ActorResolver(ActorGazetteer(read_lineages(session, subjects)))
        linking = link_parts(
            [e.part for e in entries], encoder or default_encoder(), resolver, rules.similarity, rules.event_days
        )
        clusters = zip(linking.clusters, linking.reasons)
        drafts = sorted((_Draft.of(entries, members, reasons) for members, reasons in clusters), key=_Draft.rank)
        end = None if filter.limit is None else filter.offset + filter.limit
        groups = [draft.group(session, resolver, window, max_events) for draft in drafts[filter.offset : end]]
    return ClaimGroups(
        items=groups, total=len(drafts), limit=filter.limit, offset=filter.offset, similarity=linking.method
    )


def _entries(sources: Sequence[ClaimSource]) -> list[_Entry]:
    """Each claim's propositions, with the actors they are about and the facts they concern."""
    entries = []
    for source in sources:
        quoted = {m.actor_id for m in source.mentions if m.actor_id}
        facts = source.facts
        speaker = {source.speaker_actor} if source.speaker_actor else set()
        for proposition in read_propositions(source.row.text, source.row.stance, source.mentions, concerns_facts=bool(facts)):
            head = proposition.part == 0
            subjects = set(proposition.actors)
            if head and not (proposition.kind == "activity" and subjects):  # an activity's subject is the actor it names
                subjects |= source.fact_actors
            subjects = subjects or quoted | source.fact_actors or speaker
            part = Part(
                subjects=frozenset(subjects), facts=facts if head else frozenset(), kind=proposition.kind,
                content=proposition.content, countries=frozenset(proposition.countries), date=source.date,
            )
            entries.append(_Entry(source, proposition, part))
    return entries


@dataclass(frozen=True)
class _Draft:
    """A group before its record is looked up (only the page's groups are)."""

    entries: list[_Entry]
    reasons: list[str]

    @classmethod
    def of(cls, entries: Sequence[_Entry], members: list[int], reasons: list[str]) -> _Draft:
        ordered = sorted(members, key=lambda i: (entries[i].source.id, entries[i].proposition.part))
        return cls([entries[i] for i in ordered], reasons)

    @property
    def speaking(self) -> list[_Entry]:
        """One entry per claim, its first part (a claim whose two parts fall in one group speaks once)."""
        first: dict[int, _Entry] = {}
        for entry in self.entries:
            first.setdefault(entry.source.id, entry)
        return list(first.values())

    @property
    def dates(self) -> list[dt.date]:
        return sorted(entry.source.date for entry in self.entries if entry.source.date)

    def rank(self) -> tuple:
        stances = {entry.proposition.stance for entry in self.speaking}
        latest = self.dates[-1] if self.dates else dt.date.min
        first = self.entries[0]
        return (stances != {"asserts", "denies"}, -latest.toordinal(), first.source.id, first.proposition.part)

    def group(self, session, resolver: ActorResolver, window: Window, max_events: int) -> ClaimGroup:  # noqa: ANN001
        voices = [_voice(entry) for entry in self.speaking]
        dates = self.dates
        first, last = (dates[0], dates[-1]) if dates else (None, None)
        actor_ids = {actor for entry in self.entries for actor in entry.part.subjects}
        subjects = _subjects(actor_ids, resolver)
        kind = "activity" if any(e.part.kind == "activity" for e in self.entries) else "statement"
        window_start, window_end = window.around(first, last) if first and last else (None, None)
        record = None
        if actor_ids and window_start and window_end:
            record = recorded_events(session, with_descendants(session, actor_ids), window_start, window_end, max_events)
        lead = self.entries[0]
        return ClaimGroup(
            key=f"c{lead.source.id}.{lead.proposition.part}",
            label=_label(self.entries, subjects, kind),
            kind=kind,
            linked_by=self.reasons,
            subjects=subjects,
            event_ids=sorted({i for e in self.entries if e.part.facts for i in e.source.event_ids}),
            relation_ids=sorted({i for e in self.entries if e.part.facts for i in e.source.relation_ids}),
            asserted_by=[v for v in voices if v.stance == "asserts"],
            denied_by=[v for v in voices if v.stance == "denies"],
            contested={v.stance for v in voices} == {"asserts", "denies"},
            first_date=first,
            last_date=last,
            window_start=window_start,
            window_end=window_end,
            recorded_events=record.events if record else [],
            recorded_total=record.total if record else 0,
            recorded_by_month=record.by_month if record else [],
        )


def _voice(entry: _Entry) -> Voice:
    claim, source = entry.source.claim, entry.source
    return Voice(
        claim_id=source.id, speaker=claim.speaker, speaker_org=claim.speaker_org, stance=entry.proposition.stance,
        claim_stance=claim.stance, date=source.date, quote=claim.text, proposition=entry.proposition.text,
        sentence=claim.sentence, document=source.document,
    )


def _subjects(actor_ids: set[str], resolver: ActorResolver) -> list[Subject]:
    """The group's actors, each with the nearest other subject it is part of (a province of a group)."""
    subjects = []
    for actor in actor_ids:
        parent = next((a for a in resolver.lineage(actor)[1:] if a in actor_ids), None)
        subjects.append(Subject(
            actor_id=actor, name=resolver.name(actor), part_of=parent, part_of_name=resolver.name(parent) if parent else None,
        ))
    return sorted(subjects, key=lambda s: (s.part_of is not None, s.name.lower(), s.actor_id))


def _label(entries: Sequence[_Entry], subjects: Sequence[Subject], kind: str) -> str:
    """The proposition in a few words, prefixed by its main subjects.

    Activity: "active in <places>". Otherwise the shortest assertion of at
    least four words, else the sentence of the event or relation concerned,
    else the longest quote part.
    """
    main = [s.name for s in subjects if s.part_of is None]
    names = ", ".join(main[:_LABEL_NAMES]) + (f" and {len(main) - _LABEL_NAMES} more" if len(main) > _LABEL_NAMES else "")
    if kind == "activity":
        places = list(dict.fromkeys(p for e in entries if e.part.kind == "activity" for p in e.proposition.places))
        words = "active" + (" in " + ", ".join(places[:3]) if places else "")
    else:
        asserted = [
            e.proposition.text for e in entries
            if e.part.content and e.proposition.stance == "asserts" and len(e.proposition.text.split()) >= _LABEL_WORDS
        ]
        facts = [s for e in entries if e.part.facts for s in e.source.fact_sentences]
        words = min(asserted, key=len) if asserted else facts[0] if facts else max((e.proposition.text for e in entries), key=len)
    label = " ".join(f"{names}: {words}".split() if names else words.split())
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rsplit(" ", 1)[0] + "…"
