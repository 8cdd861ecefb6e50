"""Event counts and fatalities per week or month, gap-free, in total and per group.

``event_series(store, filter, period, by)`` is what ``vigil trend``, the API's
``/api/aggregates/series`` and the dashboard charts read. Counting rules:

- An event is counted on its ``date_start``: the first day of its own date
  period ("July 2023" counts on 2023-07-01, "2023" on 2023-01-01), or, when the
  report gave no date for it, the publication date of its document. Those
  events are included but counted in ``dated_by_document``; events whose date
  is coarser than the period (a month-precision event in a weekly series) are
  counted in ``date_coarser_than_period``. Events with neither date are left
  out and counted in ``Series.undated``.
- Periods are ISO weeks (Monday to Sunday) or calendar months, named ``2023-W05``
  or ``2023-07``. The range runs from the period of the filter's ``since`` (else
  of the first matching event) to the period of its ``until`` (else of the last
  event), with every period in between: a period without events is a zero.
- Fatalities are the sum of the lower bounds reported ("at least 40" adds 40);
  ``no_fatality_figure`` counts the events that gave no figure (they add 0).
- By ``actor``, events are grouped by perpetrator: the canonical actor id when
  resolved, else the words the report used (case-insensitive); events without
  a named perpetrator form one group with key None. An event with two
  perpetrators counts in both groups, so groups may add up to more than ``total``.
- ``fused``: one count per real-world event instead of per report. Each fused
  event counts once, through the report that represents it (it carries the
  fused type, date, place and lower fatality bound); the filter's actor, words
  and document match any of its reports (``one_report_per_real_event``), and by
  ``actor`` it counts under the perpetrators all its reports name. Reports not
  fused yet count as themselves (``vigil fuse`` catches up).

All counting happens in SQL (one GROUP BY per call), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field
from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import aliased

from vigil.analysis.periods import (
    DAYS_PER_PERIOD,
    Period,
    check_period,
    coarser_precisions,
    next_period,
    period_key,
    period_start,
    period_starts,
    sql_period_start,
)
from vigil.store.database import Store
from vigil.store.fusion_reads import one_report_per_real_event, representative_join
from vigil.store.queries import EventFilter, event_conditions
from vigil.store.tables import ActorRow, EventActorRow, EventRow, FusedMemberRow

GroupBy = Literal["event_type", "sub_event_type", "actor", "country", "admin1"]
GROUP_BYS: tuple[str, ...] = GroupBy.__args__  # type: ignore[attr-defined]
ERR_GROUP_BY = "Unknown grouping {by!r}; use one of: " + ", ".join(GROUP_BYS) + "."
TOTAL_LABEL = "all events"
MISSING_LABELS: dict[str, str] = {
    "event_type": "(no event type)",
    "sub_event_type": "(no sub-event type)",
    "actor": "(no perpetrator named)",
    "country": "(no country)",
    "admin1": "(no admin1)",
}
MEASURES = ("events", "fatalities_min", "no_fatality_figure", "dated_by_document", "date_coarser_than_period")


class PeriodSpan(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str = Field(description="2023-07 (month) or 2023-W05 (ISO week)")
    start: dt.date
    end: dt.date = Field(description="last day, inclusive")
    days: int = Field(description="days of the period inside the filter's since/until window (the exposure)")


class GroupSeries(BaseModel):
    """One group's values, one per period of ``Series.periods`` (same order)."""

    model_config = ConfigDict(frozen=True)

    key: str | None = Field(description="actor id or words, type, country code, 'PK/Punjab'; None: value missing")
    label: str = Field(description="for display; unique within a series")
    filter_fields: dict[str, str] | None = Field(
        default=None, description="EventFilter fields that select this group's events; None when none can"
    )
    events: list[int]
    fatalities_min: list[int] = Field(description="sum of lower bounds of reported fatalities")
    no_fatality_figure: list[int] = Field(description="events that reported no fatality figure")
    dated_by_document: list[int] = Field(description="events placed by their document's publication date")
    date_coarser_than_period: list[int] = Field(description="events dated only to a month or year, put on its first day")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_events(self) -> int:
        return sum(self.events)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_fatalities_min(self) -> int:
        return sum(self.fatalities_min)


class Series(BaseModel):
    """Counts per period: ``total`` over all matching events and ``groups`` (``[total]`` when ``by`` is None)."""

    model_config = ConfigDict(frozen=True)

    period: Period
    by: GroupBy | None
    fused: bool = Field(False, description="counts are of real-world events after fusion, not of reports")
    since: dt.date | None = Field(description="the filter's window (inclusive), when it had one")
    until: dt.date | None
    periods: list[PeriodSpan]
    total: GroupSeries
    groups: list[GroupSeries] = Field(description="largest first; the group with key None last")
    undated: int = Field(description="matching events with no date at all (not counted in any period)")

    @property
    def days_per_period(self) -> float:
        return DAYS_PER_PERIOD[self.period]

    def group(self, key: str | None) -> GroupSeries:
        """The group with this key (or label); the total for None when ungrouped."""
        if self.by is None and key is None:
            return self.total
        for group in self.groups:
            if group.key == key or group.label == key:
                return group
        raise ValueError(f"no group {key!r} in this series; groups: {', '.join(g.label for g in self.groups)}")

    def top(self, count: int) -> Series:
        """The same series with only the ``count`` largest groups (``total`` unchanged)."""
        return self.model_copy(update={"groups": self.groups[:count]})


def event_series(
    store: Store, filter: EventFilter | None = None, period: Period = "month", by: GroupBy | None = None,
    *, fused: bool = False,
) -> Series:
    """Counts and fatalities per ``period`` for the events matching ``filter``, optionally per group.

    The filter's limit, offset and order are ignored. See the module docstring
    for which date an event is counted on and how groups are formed; ``fused``:
    count real-world events after fusion instead of reports.
    """
    period = check_period(period)
    if by is not None and by not in GROUP_BYS:
        raise ValueError(ERR_GROUP_BY.format(by=by))
    filter = filter or EventFilter()
    matching = _matching(filter, fused)
    conditions = [*matching, EventRow.date_start.is_not(None)]
    with store.session() as session:
        total_rows = session.execute(_counts_query(period, conditions, [])).all()
        group_rows = session.execute(_grouped_query(period, conditions, by, fused)).all() if by else []
        undated = session.scalar(select(func.count(EventRow.id)).where(*matching, EventRow.date_start.is_(None))) or 0
    spans = _spans(filter, period, sorted(_as_date(row.period_start) for row in total_rows))
    index = {span.start: n for n, span in enumerate(spans)}
    total = _group_series(None, TOTAL_LABEL, {}, total_rows, index)
    groups = [total] if by is None else _groups(by, group_rows, index)
    return Series(period=period, by=by, fused=fused, since=filter.since, until=filter.until, periods=spans,
                  total=total, groups=groups, undated=undated)


def period_of(series: Series, day: dt.date) -> int | None:
    """Index in ``series.periods`` of the period containing ``day`` (None when outside)."""
    start = period_start(day, series.period)
    for n, span in enumerate(series.periods):
        if span.start == start:
            return n
    return None


def fatality_figures(store: Store, filter: EventFilter | None, start: dt.date, end: dt.date, *,
                     fused: bool = False) -> tuple[list[int], int]:
    """(lower-bound fatality figure of each matching event dated start..end, events there without a figure)."""
    conditions = [*_matching(filter or EventFilter(), fused), EventRow.date_start >= start, EventRow.date_start <= end]
    with store.session() as session:
        figures = [int(v) for v in session.scalars(
            select(EventRow.fatalities_min).where(*conditions, EventRow.fatalities_min.is_not(None)).order_by(EventRow.id))]
        missing = session.scalar(
            select(func.count(EventRow.id)).where(*conditions, EventRow.fatalities_min.is_(None))) or 0
    return figures, missing


# ------------------------------------------------------------------ queries


def _matching(filter: EventFilter, fused: bool) -> list[ColumnElement[bool]]:
    """The reports counted: every one matching ``filter``, or (``fused``) one per real-world event."""
    return one_report_per_real_event(filter) if fused else event_conditions(filter)


def _measures(period: Period) -> list[ColumnElement]:
    coarse = coarser_precisions(period)
    return [
        func.count(EventRow.id).label("events"),
        func.coalesce(func.sum(EventRow.fatalities_min), 0).label("fatalities_min"),
        (func.count(EventRow.id) - func.count(EventRow.fatalities_min)).label("no_fatality_figure"),
        func.coalesce(func.sum(case((EventRow.date_from_document, 1), else_=0)), 0).label("dated_by_document"),
        func.coalesce(func.sum(case((EventRow.date_precision.in_(coarse), 1), else_=0)), 0).label(
            "date_coarser_than_period"
        ),
    ]


def _counts_query(period: Period, conditions: list, keys: list[ColumnElement]) -> Select:
    start = sql_period_start(EventRow.date_start, period).label("period_start")
    return select(start, *keys, *_measures(period)).where(*conditions).group_by(start, *keys)


def _grouped_query(period: Period, conditions: list, by: str, fused: bool = False) -> Select:
    if by != "actor":
        keys = [EventRow.country, EventRow.admin1] if by == "admin1" else [getattr(EventRow, by)]
        return _counts_query(period, conditions, [key.label(key.key) for key in keys])
    # One row per (event, perpetrator): resolved ones by actor id, the others by their words.
    # Fused, a perpetrator any report names counts for the report that stands for the event.
    words = case((EventActorRow.actor_id.is_(None), func.lower(EventActorRow.text)))
    owner: ColumnElement[int] = EventActorRow.event_id
    named = select(EventActorRow).where(EventActorRow.role == "perpetrator")
    if fused:
        member, representative = aliased(FusedMemberRow), aliased(FusedMemberRow)
        owner = func.coalesce(representative.event_id, EventActorRow.event_id)
        named = (named.outerjoin(member, member.event_id == EventActorRow.event_id)
                 .outerjoin(representative, representative_join(member, representative)))
    perpetrators = (
        named.with_only_columns(
            owner.label("event_id"),
            EventActorRow.actor_id.label("actor_id"),
            words.label("words"),
            func.min(EventActorRow.text).label("text"),
        )
        .group_by(owner, EventActorRow.actor_id, words)
        .subquery()
    )
    start = sql_period_start(EventRow.date_start, period).label("period_start")
    keys = [perpetrators.c.actor_id, perpetrators.c.words]
    return (
        select(start, *keys, func.min(perpetrators.c.text).label("text"), func.min(ActorRow.name).label("name"),
               *_measures(period))
        .select_from(EventRow)
        .outerjoin(perpetrators, perpetrators.c.event_id == EventRow.id)
        .outerjoin(ActorRow, ActorRow.id == perpetrators.c.actor_id)
        .where(*conditions)
        .group_by(start, *keys)
    )


# ------------------------------------------------------------------ assembly


def _spans(filter: EventFilter, period: Period, event_starts: list[dt.date]) -> list[PeriodSpan]:
    first = filter.since or (event_starts[0] if event_starts else None)
    last = filter.until or (event_starts[-1] if event_starts else None)
    if first is None or last is None or first > last:
        return []
    spans = []
    for start in period_starts(first, last, period):
        end = next_period(start, period) - dt.timedelta(days=1)
        inside_from = max(start, filter.since) if filter.since else start
        inside_to = min(end, filter.until) if filter.until else end
        spans.append(PeriodSpan(key=period_key(start, period), start=start, end=end,
                                days=(inside_to - inside_from).days + 1))
    return spans


def _group_series(key: str | None, label: str, filter_fields: dict[str, str] | None, rows: list,
                  index: dict[dt.date, int]) -> GroupSeries:
    """One group's per-period lists from its result rows (a period start and the measures each)."""
    values = {measure: [0] * len(index) for measure in MEASURES}
    for row in rows:
        position = index[_as_date(row.period_start)]
        for measure in MEASURES:
            values[measure][position] += int(getattr(row, measure) or 0)
    return GroupSeries(key=key, label=label, filter_fields=filter_fields, **values)


def _groups(by: str, rows: list, index: dict) -> list[GroupSeries]:
    grouped: dict[tuple, list] = defaultdict(list)
    for row in rows:
        grouped[_identity(by, row)].append(row)
    built = []
    for identity, members in grouped.items():
        key, label, fields = _describe(by, identity, members)
        built.append(_group_series(key, label, fields, members, index))
    built.sort(key=lambda g: (g.key is None, -g.total_events, g.label.casefold()))
    return built


def _identity(by: str, row) -> tuple:  # noqa: ANN001 (a result row)
    if by == "actor":
        return (row.actor_id, row.words)
    if by == "admin1":
        return (row.country, row.admin1)
    return (getattr(row, by),)


def _describe(by: str, identity: tuple, rows: list) -> tuple[str | None, str, dict[str, str] | None]:
    """Key, display label and drill-down filter of one group."""
    if by == "actor":
        actor_id, words = identity
        if actor_id is not None:
            name = next((row.name for row in rows if row.name), None) or actor_id
            return actor_id, name, {"actor": actor_id}
        if words is not None:
            text = min(row.text for row in rows)
            return text, text, {"actor": text}
        return None, MISSING_LABELS[by], None
    if by == "admin1":
        country, admin1 = identity
        if admin1 is None:
            return None, MISSING_LABELS[by] + (f", {country}" if country else ""), None
        fields = {"admin1": admin1, **({"country": country} if country else {})}
        return f"{country or ''}/{admin1}", f"{admin1}, {country}" if country else admin1, fields
    (value,) = identity
    if value is None:
        return None, MISSING_LABELS[by], None
    return value, value, {by: value}


def _as_date(value: object) -> dt.date:
    """SQLite may hand back the computed period start as text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
