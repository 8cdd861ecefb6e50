"""Blocking: which earlier mentions a new one is compared with at all.

Mentions are indexed by the weeks their date interval covers; a new mention is
compared only with mentions whose intervals come within ``max_day_gap`` days of
its own, and the hard rules of ``Comparer.blocked`` (type families,
perpetrators) drop the rest before any similarity is computed. Mentions with
no date and no publication date are compared with everything (there are few).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from vigil.resolve.features import Comparer
from vigil.resolve.records import EventMention
from vigil.resolve.timing import DateSpan, day_gap

_WEEK = 7


class CandidateIndex:
    """Mentions bucketed by week of their date interval."""

    def __init__(self, comparer: Comparer) -> None:
        self.comparer = comparer
        self._buckets: dict[int, set[str]] = defaultdict(set)
        self._spans: dict[str, DateSpan | None] = {}
        self._undated: set[str] = set()

    def add(self, mention: EventMention) -> None:
        span = self.comparer.span(mention)
        self._spans[mention.id] = span
        if span is None:
            self._undated.add(mention.id)
            return
        for week in range(span.first.toordinal() // _WEEK, span.last.toordinal() // _WEEK + 1):
            self._buckets[week].add(mention.id)

    def within_window(self, mention: EventMention) -> Iterator[str]:
        """Ids of indexed mentions whose dates come within the window of ``mention``'s (itself excluded)."""
        span = self.comparer.span(mention)
        if span is None:
            yield from sorted(i for i in self._spans if i != mention.id)
            return
        gap = self.comparer.windows.max_day_gap
        found: set[str] = set(self._undated)
        for week in range((span.first.toordinal() - gap) // _WEEK, (span.last.toordinal() + gap) // _WEEK + 1):
            found.update(self._buckets.get(week, ()))
        found.discard(mention.id)
        for other in sorted(found):
            other_span = self._spans[other]
            if other_span is None or day_gap(span, other_span) <= gap:
                yield other


def candidate_pairs(index: CandidateIndex, mention: EventMention, mentions: dict[str, EventMention]) -> list[str]:
    """Ids of the indexed mentions that ``mention`` must be scored against: in the window and not blocked."""
    return [other for other in index.within_window(mention) if index.comparer.blocked(mention, mentions[other]) is None]
