"""How ``vigil trend`` prints a ``TrendReport``: a table (or tidy CSV, or JSON) and the findings in words."""

from __future__ import annotations

from rich.console import Console

from vigil.analysis.series import MEASURES, Series
from vigil.analysis.trend_report import TrendReport
from vigil.analysis.trends import NB_TEST
from vigil.cli.render import Format, render

CSV_COLUMNS = ["period", "start", "end", "days", "group", "label", *MEASURES]


def print_trend(out: Console, err: Console, report: TrendReport, fmt: Format, top: int) -> None:
    """JSON is the whole report; CSV is the tidy series (words go to stderr); a table is followed by the words."""
    if fmt is Format.json:
        out.out(report.model_dump_json(indent=2), highlight=False)
        return
    series = report.series
    if fmt is Format.csv:
        render(out, CSV_COLUMNS, _tidy_rows(series), fmt)
        _print_findings(err, report)
        return
    columns, rows = _wide_rows(series, top)
    counted = "Real-world events (fused)" if series.fused else "Events"
    title = f"{counted} per {series.period}" + (f" by {series.by.replace('_', ' ')}" if series.by else "")
    render(out, columns, rows, fmt, title=title)
    _print_findings(out, report)


def _tidy_rows(series: Series) -> list[list[object]]:
    """One row per period and group (the total when ungrouped)."""
    rows = []
    for group in series.groups:
        for n, span in enumerate(series.periods):
            rows.append([span.key, span.start, span.end, span.days, group.key, group.label,
                         *(getattr(group, measure)[n] for measure in MEASURES)])
    return rows


def _wide_rows(series: Series, top: int) -> tuple[list[str], list[list[object]]]:
    total = series.total
    if series.by is None:
        columns = ["period", "events", "fatalities (min)", "no figure", "dated by report"]
        rows = [[span.key, total.events[n], total.fatalities_min[n], total.no_fatality_figure[n], total.dated_by_document[n]]
                for n, span in enumerate(series.periods)]
        return columns, rows
    shown = series.groups[:top]
    columns = ["period", *(group.label for group in shown), "all events", "fatalities (min)"]
    rows = [[span.key, *(group.events[n] for group in shown), total.events[n], total.fatalities_min[n]]
            for n, span in enumerate(series.periods)]
    return columns, rows


def _print_findings(console: Console, report: TrendReport) -> None:
    series = report.series
    lines = []
    if series.by is not None and len(series.groups) > 0:
        lines.append(f"{len(series.groups)} groups" + (" (an event with several perpetrators counts in each)"
                                                         if series.by == "actor" else "") + ".")
    dated_by_document = sum(series.total.dated_by_document)
    if dated_by_document:
        lines.append(f"{dated_by_document} of {series.total.total_events} events have no date of their own and are "
                     "counted on their report's publication date.")
    coarse = sum(series.total.date_coarser_than_period)
    if coarse:
        lines.append(f"{coarse} events are dated only to a month or year and are counted in its first {series.period}.")
    if series.undated:
        lines.append(f"{series.undated} matching events have no date at all and are not counted.")
    lines.append(f"Change points: {report.change_points.sentence}")
    if report.comparison is not None:
        comparison = report.comparison
        lines.append(f"Before ({_window(comparison.before)}) and after ({_window(comparison.after)}): {comparison.sentence}")
        if comparison.test != NB_TEST:
            lines.append(comparison.why)
        lines.extend(comparison.notes)
    if report.fatalities is not None:
        lines.append(f"Deaths: {report.fatalities.sentence}")
    for line in lines:
        console.print(line, highlight=False)


def _window(window) -> str:  # noqa: ANN001 (a WindowSummary)
    if not window.periods:
        return f"{window.start}..{window.end}"
    first, last = window.periods[0], window.periods[-1]
    return first if first == last else f"{first} to {last}"
