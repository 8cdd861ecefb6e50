"""Blocking: which earlier mentions a new one is compared with at all.

Mentions are indexed by their country and the weeks their date interval
covers; a new mention is compared only with mentions of its own country (or of
none) whose intervals come within ``max_day_gap`` days of its own, and the hard
rules of ``Comparer.blocked`` (type families, countries, perpetrators) drop the
rest before any similarity is computed. Mentions with no date and no
publication date are compared with everything of a compatible country (there
are few); a mention without a country with every country.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from vigil.resolve.features import Comparer, country_of
from vigil.resolve.records import EventMention
from vigil.resolve.timing import DateSpan, day_gap

_WEEK = 7


class CandidateIndex:
    """Mentions bucketed by country and week of their date interval."""

    def __init__(self, comparer: Comparer) -> None:
        self.comparer = comparer
        self._buckets: dict[tuple[str | None, int], set[str]] = defaultdict(set)
        self._spans: dict[str, DateSpan | None] = {}
        self._countries: dict[str, str | None] = {}
        self._undated: set[str] = set()

    def add(self, mention: EventMention) -> None:
        span = self.comparer.span(mention)
        country = country_of(mention)
        self._spans[mention.id] = span
        self._countries[mention.id] = country
        if span is None:
            self._undated.add(mention.id)
            return
        for week in range(span.first.toordinal() // _WEEK, span.last.toordinal() // _WEEK + 1):
            self._buckets[(country, week)].add(mention.id)

    def _compatible(self, country: str | None, other: str) -> bool:
        """Whether the country rule lets ``other`` be compared with a mention of ``country``."""
        theirs = self._countries[other]
        return country is None or theirs is None or theirs == country

    def within_window(self, mention: EventMention) -> Iterator[str]:
        """Ids of indexed mentions within the window of ``mention``'s dates and country (itself excluded)."""
        span = self.comparer.span(mention)
        country = country_of(mention)
        if span is None:
            yield from sorted(i for i in self._spans if i != mention.id and self._compatible(country, i))
            return
        gap = self.comparer.windows.max_day_gap
        found: set[str] = {i for i in self._undated if self._compatible(country, i)}
        countries = (country, None) if country is not None else {key for key, _ in self._buckets}
        for place in countries:
            for week in range((span.first.toordinal() - gap) // _WEEK, (span.last.toordinal() + gap) // _WEEK + 1):
                found.update(self._buckets.get((place, week), ()))
        found.discard(mention.id)
        for other in sorted(found):
            other_span = self._spans[other]
            if other_span is None or day_gap(span, other_span) <= gap:
                yield other


def candidate_pairs(index: CandidateIndex, mention: EventMention, mentions: dict[str, EventMention]) -> list[str]:
    """Ids of the indexed mentions that ``mention`` must be scored against: in the window and not blocked."""
    return [other for other in index.within_window(mention) if index.comparer.blocked(mention, mentions[other]) is None]
