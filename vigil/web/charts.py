"""Chart data as the page embeds it: plain JSON that ``static/js/charts.js`` hands to Chart.js.

The shapes are Chart.js's own (``labels`` and ``datasets``), so the script stays
a thin drawer; colours come from ``data/palette.json`` so legends on the page
and in the charts agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from vigil.analysis.series import Series
from vigil.web.templating import event_colour, palette

# Colours for groups that have none of their own (actors, weapon classes): Okabe-Ito, then greys.
CYCLE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#000000", "#999999", "#666666"]


def stacked_series(series: Series, drill: dict | None = None) -> dict:
    """Events per period, one dataset per group (event types get their palette colour).

    ``drill`` (``{"group": "event_type", "params": {...}}``) lets a click on a
    bar open the events of that month (and group) in the event table.
    """
    datasets = []
    for n, group in enumerate(series.groups):
        colour = event_colour(group.key) if series.by == "event_type" else CYCLE[n % len(CYCLE)]
        datasets.append({"label": group.label, "data": group.events, "backgroundColor": colour, "borderColor": colour})
    return {
        "kind": "bar",
        "stacked": True,
        "labels": [p.key for p in series.periods],
        "datasets": datasets,
        "drill": drill if series.period == "month" else None,
    }


def count_series(labels: list[str], values: list[int], label: str, drill: dict | None = None) -> dict:
    """One bar per period (e.g. an actor's events per month); ``drill`` as for ``stacked_series``."""
    colour = CYCLE[0]
    return {
        "kind": "bar",
        "stacked": False,
        "labels": labels,
        "datasets": [{"label": label, "data": values, "borderColor": colour, "backgroundColor": colour}],
        "drill": drill,
    }


def bars(pairs: Iterable[tuple[str, int]], label: str, *, horizontal: bool = True) -> dict:
    """One bar per value (weapon classes, origins...), largest first as given."""
    pairs = list(pairs)
    return {
        "kind": "bar",
        "stacked": False,
        "horizontal": horizontal,
        "labels": [name for name, _ in pairs],
        "datasets": [{"label": label, "data": [count for _, count in pairs], "backgroundColor": CYCLE[0]}],
    }


def event_type_legend() -> list[tuple[str, str]]:
    """(event type, colour) in the taxonomy's order, for legends drawn in HTML."""
    return list(palette()["event_types"].items())
