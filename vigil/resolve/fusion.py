"""Fuse the mentions of one cluster into one event, keeping every source beside it.

The rules, in the order of the fields:

* type: the sub-event type most sources give; a tie goes to the most severe and
  specific type (the ``severity`` order of ``data/event_types.json``: a
  suicide bombing before a bomb blast before an attack).
* date: among the dates the reports state (publication dates only when none
  does), the most precise ones; of those, the one most reports agree with (a
  month agrees with every day in it); a tie goes to the earliest.
* place: the most precise location that more reports agree with (same or
  nested place) than contradict; a tie goes to the one more reports agree with.
* actors: the union by canonical id (or by the words, when unresolved), each
  with the number of sources naming it, most named first.
* casualties: low / best / high with every source's figure (``casualties``).
* responsibility: the value most sources give.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from vigil.gazetteers.text import normalise
from vigil.model.records import ActorRef, Location
from vigil.model.taxonomy import event_type_of
from vigil.resolve.actors import ActorResolver
from vigil.resolve.casualties import fuse_figures
from vigil.resolve.clusters import Cluster
from vigil.resolve.event_types import TypeRules
from vigil.resolve.places import LEVELS, compare_places, place_path
from vigil.resolve.records import EventMention, FusedActor, FusedEvent, FusedSource
from vigil.resolve.timing import DateSpan, date_span

_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
DATE_RULE = "most precise stated date; then the one most reports agree with; then the earliest"


def fuse(cluster: Cluster, mentions: Sequence[EventMention], types: TypeRules, actors: ActorResolver,
         outlier_factor: float, undated_days: int) -> FusedEvent:
    """The fused event of ``cluster`` (``mentions`` are its members)."""
    ordered = sorted(mentions, key=lambda m: (m.published.isoformat() if m.published else "", m.id))
    sub_type, votes = _type(ordered, types)
    date, precision, date_rule = _date(ordered, undated_days)
    return FusedEvent(
        id=cluster.id, type=sub_type, event_type=event_type_of(sub_type), type_votes=votes,
        date=date, date_precision=precision, date_rule=date_rule, location=_place(ordered),
        perpetrators=_actors([m.event.perpetrators for m in ordered], actors),
        targets=_actors([m.event.targets for m in ordered], actors),
        victims=_actors([m.event.victims for m in ordered], actors),
        fatalities=fuse_figures(ordered, "fatalities", outlier_factor),
        injuries=fuse_figures(ordered, "injuries", outlier_factor),
        responsibility=_most_common([m.event.responsibility for m in ordered]),
        sources=[_source(m) for m in ordered], merges=list(cluster.merges), decisions=list(cluster.decisions),
    )


def _type(mentions: Sequence[EventMention], types: TypeRules) -> tuple[str, dict[str, int]]:
    votes = Counter(m.event.type for m in mentions)
    chosen = min(votes, key=lambda name: (-votes[name], types.rank(name), name))
    return chosen, dict(sorted(votes.items(), key=lambda item: (-item[1], item[0])))


def _date(mentions: Sequence[EventMention], undated_days: int) -> tuple[str | None, str | None, str | None]:
    spans = [(m, date_span(m, undated_days)) for m in mentions]
    stated = [(m, s) for m, s in spans if s is not None and s.stated]
    if not stated:
        published = sorted(m.published for m in mentions if m.published)
        if not published:
            return None, None, None
        return published[0].isoformat(), "day", "no report states a date: the earliest publication date"
    finest = min(_PRECISION_RANK.get(m.event.date_precision or "day", 0) for m, _ in stated)
    candidates = [(m, s) for m, s in stated if _PRECISION_RANK.get(m.event.date_precision or "day", 0) == finest]

    def support(span: DateSpan) -> int:
        return sum(1 for _, other in stated if other.first <= span.first and span.last <= other.last)

    chosen, _ = min(candidates, key=lambda pair: (-support(pair[1]), pair[1].first, pair[0].id))
    return chosen.event.date, chosen.event.date_precision or "day", DATE_RULE


def _place(mentions: Sequence[EventMention]) -> Location | None:
    located = [m.event.location for m in mentions if m.event.location is not None and place_path(m.event.location)]
    if not located:
        return None
    scored = []
    for n, location in enumerate(located):
        matches = [compare_places(location, other) for other in located]
        agree = sum(1 for match in matches if match.conflict == 0 and match.agreement > 0)
        against = sum(1 for match in matches if match.conflict > 0)
        depth = max(LEVELS.index(level) for level in place_path(location))
        scored.append((agree > against, depth, agree, -n, location))
    return max(scored, key=lambda item: item[:4])[4]


def _actors(lists: Sequence[Sequence[ActorRef]], actors: ActorResolver) -> list[FusedActor]:
    counts: Counter[str] = Counter()
    words: dict[str, list[str]] = {}
    resolved: dict[str, str | None] = {}
    for refs in lists:
        keys_here = set()
        for ref in refs:
            actor = actors.lineage(ref.actor)[0] if ref.actor else None
            key = actor or f"words:{normalise(ref.text)}"
            resolved[key] = actor
            words.setdefault(key, [])
            if ref.text not in words[key]:
                words[key].append(ref.text)
            keys_here.add(key)
        counts.update(keys_here)
    fused = [
        FusedActor(actor=resolved[key], name=actors.name(resolved[key]) if resolved[key] else words[key][0],
                   words=words[key], sources=counts[key])
        for key in counts
    ]
    return sorted(fused, key=lambda a: (-a.sources, a.actor is None, a.name))


def _most_common(values: Sequence[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else None


def _source(mention: EventMention) -> FusedSource:
    return FusedSource(
        mention_id=mention.id, document_id=mention.document_id, publisher=mention.publisher,
        published=mention.published, title=mention.title, url=mention.url, type=mention.event.type,
        sentence=mention.event.sentence, start=mention.event.start, end=mention.event.end,
    )
