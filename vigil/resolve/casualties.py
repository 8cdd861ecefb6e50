"""Casualty figures: whether two reports' tolls can describe one event, and fusing them.

Compatibility. Tolls of one event differ (early counts rise, outlets round), so
figures are compared as a ratio, not a difference: each report's figure is an
interval (``Bounds``: "more than 40" is 40 and up), and the distance is the
ratio of the nearest ends, smoothed by one so small counts are not
over-read: ``log((high + 1) / (low + 1))``. 43 vs 54 gives 0.22 (compatible);
3 vs 80 gives 3.0 (evidence against).

Fusion follows the UCDP convention: ``low`` is the lowest credible source
figure, ``high`` the highest, and ``best`` is chosen by a documented rule:

    best = the figure most sources give; when no figure is given by more
    sources than any other, the median of the sources' figures, taking the
    lower middle value when their number is even, so that "best" is always a
    figure some source actually reported.

A source's own figure is its exact number, or its lower bound when it gives
only one ("more than 40" -> 40), or the rounded-down middle of a range.
A figure more than ``outlier_factor`` times above or below the median of
all sources (when there are at least three) is kept beside the others but
marked not credible and left out of low, best and high (typically a number
from another sentence or event).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from vigil.model.records import Bounds
from vigil.resolve.records import EventMention, FusedFigure, SourceFigure

#: How far above its lower bound an open-ended figure ("more than 40") may reach.
OPEN_FACTOR = 2
#: With fewer sources than this, no figure is called an outlier (two figures cannot outvote each other).
MIN_SOURCES_FOR_OUTLIERS = 3
BEST_RULE = (
    "best = the figure most sources give; if none is given more often than the others, "
    "the lower median of the source figures; low/high = lowest/highest credible figure"
)


def interval(bounds: Bounds | None) -> tuple[int, float] | None:
    """A figure as an interval; None when the report gives no number.

    A figure with only a lower bound ("at least 18") is read as reaching up to
    ``OPEN_FACTOR`` times it (plus two): tolls rise as reports come in, but
    "at least 4" is not a report of 52 deaths.
    """
    if bounds is None or (bounds.min is None and bounds.max is None):
        return None
    low = bounds.min if bounds.min is not None else 0
    high = bounds.max if bounds.max is not None else OPEN_FACTOR * low + 2
    return low, high


def figure_distance(a: Bounds | None, b: Bounds | None) -> float | None:
    """``log`` of the smoothed ratio between the nearest ends of two figures; 0 when they overlap."""
    first, second = interval(a), interval(b)
    if first is None or second is None:
        return None
    if first[1] < second[0]:
        return math.log((second[0] + 1) / (first[1] + 1))
    if second[1] < first[0]:
        return math.log((first[0] + 1) / (second[1] + 1))
    return 0.0


def estimate(bounds: Bounds) -> int | None:
    """The source's own figure: exact number, lower bound, or the middle of a range (rounded down)."""
    if bounds.min is not None and bounds.max is not None:
        return (bounds.min + bounds.max) // 2
    return bounds.min if bounds.min is not None else bounds.max


def lower_median(values: Sequence[int]) -> int:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def best_figure(values: Sequence[int]) -> int:
    """The documented rule for 'best' (see the module docstring)."""
    counts = Counter(values).most_common()
    if len(counts) == 1 or counts[0][1] > counts[1][1]:
        return counts[0][0]
    return lower_median(values)


def fuse_figures(mentions: Sequence[EventMention], field: str, outlier_factor: float) -> FusedFigure | None:
    """Low/best/high of ``field`` ("fatalities" or "injuries") with every source's figure beside it."""
    sources: list[SourceFigure] = []
    for mention in mentions:
        bounds: Bounds | None = getattr(mention.event, field)
        value = estimate(bounds) if bounds is not None else None
        if bounds is None or value is None:
            continue
        sources.append(SourceFigure(
            mention_id=mention.id, document_id=mention.document_id, publisher=mention.publisher,
            published=mention.published, min=bounds.min, max=bounds.max, text=bounds.text, estimate=value,
        ))
    if not sources:
        return None
    median = lower_median([s.estimate for s in sources])
    for source in sources if len(sources) >= MIN_SOURCES_FOR_OUTLIERS else ():
        ratio = (max(source.estimate, median) + 1) / (min(source.estimate, median) + 1)
        if ratio > outlier_factor:
            source.credible = False
            source.note = f"more than {outlier_factor:g} times off the median of the sources ({median})"
    credible = [s for s in sources if s.credible] or sources
    lows = [s.min if s.min is not None else s.estimate for s in credible]
    highs = [s.max if s.max is not None else s.estimate for s in credible]
    best = best_figure([s.estimate for s in credible])
    return FusedFigure(low=min(lows), best=best, high=max(max(highs), best), rule=BEST_RULE, sources=sources)
