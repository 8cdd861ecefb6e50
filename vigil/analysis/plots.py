"""Charts of an event series as PNG or SVG files (matplotlib, the optional ``plot`` extra).

Each period is a step from its first day to the next period's. Groups that
split the events (type, country, admin1) are stacked, so the stack is the
total; groups by actor overlap (an event can have two perpetrators), so they
are drawn as lines, with the total in grey. Change points (found in the total)
are dashed vertical lines, and each segment's rate of all events is drawn as a
step. Only the ``top`` largest groups are drawn; the rest are one "other"
layer (stacked) or left out (lines), which the legend says.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from vigil.analysis.changepoints import ChangePoints
from vigil.analysis.series import Series
from vigil.errors import VigilError

FORMATS = (".png", ".svg")
ERR_FORMAT = "{path}: cannot tell the chart format; the file name must end in .png or .svg"
ERR_MATPLOTLIB = "drawing charts needs matplotlib: pip install 'vigil[plot]' (or pip install matplotlib)"
ERR_EMPTY = "no events match, so there is nothing to draw"
COLOURS = "tab10"
UNITS = {"month": "month", "week": "week"}


def plot_series(series: Series, path: str | Path, *, change_points: ChangePoints | None = None, top: int = 8,
                title: str | None = None) -> Path:
    """Draw ``series`` (and its change points) to ``path``; the suffix (.png, .svg) picks the format."""
    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        raise VigilError(ERR_FORMAT.format(path=target))
    if not series.periods:
        raise VigilError(ERR_EMPTY)
    try:
        from matplotlib import colormaps, rcParams
        from matplotlib.dates import date2num
        from matplotlib.figure import Figure
    except ImportError as error:
        raise VigilError(ERR_MATPLOTLIB) from error
    rcParams["svg.hashsalt"] = "vigil"  # stable ids in SVG output
    # Each period is a step from its first day to the next period's: one filled polygon per layer,
    # fast even for decades of weeks.
    edges = date2num([p.start for p in series.periods] + [series.periods[-1].end + dt.timedelta(days=1)])
    middles = [(a + b) / 2 for a, b in zip(edges, edges[1:])]
    figure = Figure(figsize=(10, 5), layout="constrained")
    axes = figure.subplots()
    axes.xaxis_date()
    palette = colormaps[COLOURS]
    if series.by is None:
        axes.stairs(series.total.events, edges, fill=True, color=palette(0), alpha=0.8, label="events")
    elif series.by == "actor":
        axes.plot(middles, series.total.events, color="grey", linewidth=1, label=series.total.label)
        for n, group in enumerate(series.groups[:top]):
            axes.plot(middles, group.events, marker="o", markersize=3, color=palette(n % 10), label=group.label)
        hidden = len(series.groups) - top
        if hidden > 0:
            axes.plot([], [], " ", label=f"{hidden} more not drawn")
    else:
        _stacked(axes, series, edges, top, palette)
    if change_points is not None:
        _mark_changes(axes, series, change_points)
    unit = UNITS.get(series.period, series.period)
    axes.set_ylabel(f"events per {unit}")
    counted = "Real-world events (fused)" if series.fused else "Events"
    axes.set_title(title or f"{counted} per {unit}" + (f" by {series.by.replace('_', ' ')}" if series.by else ""))
    axes.set_ylim(bottom=0)
    axes.legend(loc="best", fontsize="small", framealpha=0.8)
    axes.grid(axis="y", alpha=0.3)
    figure.autofmt_xdate()
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, dpi=120, metadata={"Date": None} if target.suffix.lower() == ".svg" else None)
    return target


def _stacked(axes, series: Series, edges, top: int, palette) -> None:  # noqa: ANN001
    bottom = [0] * len(series.periods)
    shown = series.groups[:top]
    rest = series.groups[top:]
    layers = [(group.label, group.events) for group in shown]
    if rest:
        others = [sum(values) for values in zip(*(group.events for group in rest))]
        layers.append((f"other ({len(rest)} groups)", others))
    for n, (label, values) in enumerate(layers):
        top_of_layer = [b + v for b, v in zip(bottom, values)]
        axes.stairs(top_of_layer, edges, baseline=bottom, fill=True, color=palette(n % 10), alpha=0.85, label=label)
        bottom = top_of_layer


def _mark_changes(axes, series: Series, points: ChangePoints) -> None:  # noqa: ANN001
    """Dashed lines at each change point; each segment's rate as a step over its periods."""
    from matplotlib.dates import date2num

    by_key = {p.key: p for p in series.periods}
    for n, point in enumerate(points.points):
        axes.axvline(date2num(by_key[point.period].start), color="black", linestyle="--", linewidth=1,
                     label="change point" if n == 0 else None)
    for n, segment in enumerate(points.segments):
        first, last = by_key[segment.first], by_key[segment.last]
        span = date2num([first.start, last.end + dt.timedelta(days=1)])
        axes.plot(span, [segment.rate, segment.rate], color="black", linewidth=1.5, alpha=0.7,
                  label=("rate per segment" + (" (all events)" if series.by else "")) if n == 0 else None)
