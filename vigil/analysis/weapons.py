"""Weapons reported over time: mentions per week or month, by actor, class, calibre or stated origin.

``weapons_over_time(store, filter, by=..., period=...)`` counts the weapon
mentions extracted from reports (not recovered weapons; for those see
``vigil.analysis.weapon_origins``), gap-free like ``vigil.analysis.series``:

- a mention counts on its event's date (the first day of its period), else on
  its document's publication date; mentions with neither are ``undated``;
- the filter applies as in the weapon lists (``vigil.store.anchors``: through
  the event, else the relation or document), and the document-level copy of a
  mention that an event or relation repeats is counted once;
- by ``actor``: the perpetrators of the event the weapon belongs to, or the
  supplier (source) of the supply relation it belongs to; canonical id when
  resolved, else the words used (case-insensitive). A weapon of an event with
  two perpetrators counts for both, so groups may add up to more than the total;
- by ``class``, ``calibre``: the normalised value; by ``origin``: the words
  the report used ("US-made", "NATO-calibre"), compared case-insensitively and
  without dots ("U.S." and "US" are one group).

All counting happens in SQL, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import and_, distinct, func, null, select

from vigil.analysis.periods import Period, check_period, period_key, period_starts, sql_period_start
from vigil.store.anchors import weapon_conditions
from vigil.store.database import Store
from vigil.store.filters import EventFilter
from vigil.store.tables import ActorRow, DocumentRow, EventActorRow, EventRow, RelationRow, WeaponRow

WeaponGroupBy = Literal["actor", "class", "calibre", "origin"]
WEAPON_GROUP_BYS: tuple[str, ...] = WeaponGroupBy.__args__  # type: ignore[attr-defined]
ERR_BY = "Cannot count weapons over time by {by!r}; use one of: " + ", ".join(WEAPON_GROUP_BYS) + "."
MISSING_LABELS = {
    "actor": "(no actor named)",
    "class": "(no class)",
    "calibre": "(no calibre)",
    "origin": "(no origin stated)",
}
SUPPLY = "supplies_weapons_to"


class WeaponGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str | None = Field(description="actor id or lower-cased words, class, calibre or origin words; None: missing")
    label: str
    actor_id: str | None = Field(default=None, description="the canonical actor, when grouping by actor")
    counts: list[int] = Field(description="mentions per period, in the order of WeaponSeries.periods")
    total: int


class WeaponSeries(BaseModel):
    """Weapon mentions per period, in total and per group (largest first, the missing group last)."""

    model_config = ConfigDict(frozen=True)

    period: Period
    by: WeaponGroupBy
    periods: list[str] = Field(description="2023-07 (month) or 2023-W05 (ISO week), every period in the range")
    starts: list[dt.date] = Field(description="first day of each period")
    total: list[int] = Field(description="distinct mentions per period")
    groups: list[WeaponGroup]
    undated: int = Field(description="matching mentions with no event date and no publication date")

    def top(self, count: int) -> WeaponSeries:
        """The same series with only the ``count`` largest named groups."""
        named = [group for group in self.groups if group.key is not None][:count]
        return self.model_copy(update={"groups": named})


def weapons_over_time(
    store: Store, filter: EventFilter | None = None, *, by: WeaponGroupBy = "class", period: Period = "month"
) -> WeaponSeries:
    """Mentions of weapons matching ``filter`` per ``period``, grouped ``by`` (see the module docstring)."""
    if by not in WEAPON_GROUP_BYS:
        raise ValueError(ERR_BY.format(by=by))
    period = check_period(period)
    filter = (filter or EventFilter()).conditions_only()
    day = func.coalesce(EventRow.date_start, DocumentRow.published)
    start = sql_period_start(day, period).label("period_start")
    mentions = (
        select(WeaponRow.id)
        .join(DocumentRow, DocumentRow.id == WeaponRow.document_id)
        .outerjoin(EventRow, EventRow.id == WeaponRow.event_id)
        .where(*weapon_conditions(filter))
    )
    dated = mentions.where(day.is_not(None))
    totals_query = (
        select(start, func.count(distinct(WeaponRow.id)))
        .select_from(WeaponRow)
        .join(DocumentRow, DocumentRow.id == WeaponRow.document_id)
        .outerjoin(EventRow, EventRow.id == WeaponRow.event_id)
        .where(WeaponRow.id.in_(dated))
        .group_by(start)
    )
    with store.session() as session:
        totals = {_as_date(first): n for first, n in session.execute(totals_query)}
        grouped = session.execute(_grouped_query(by, start, dated)).all()
        undated = session.scalar(select(func.count()).select_from(mentions.where(day.is_(None)).subquery())) or 0
    starts = _starts(filter, sorted(totals), period)
    index = {first: n for n, first in enumerate(starts)}
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(starts))
    labels: dict[tuple, tuple[str, str | None]] = {}
    for first, key, label, actor_id, n in grouped:
        position = index.get(_as_date(first))
        if position is None:
            continue
        counts[(key,)][position] += n
        labels.setdefault((key,), (label or key or MISSING_LABELS[by], actor_id))
    groups = [
        WeaponGroup(key=key, label=labels[(key,)][0] if key is not None else MISSING_LABELS[by],
                    actor_id=labels[(key,)][1], counts=values, total=sum(values))
        for (key,), values in counts.items()
    ]
    groups.sort(key=lambda g: (g.key is None, -g.total, g.label.casefold()))
    return WeaponSeries(
        period=period,
        by=by,
        periods=[period_key(first, period) for first in starts],
        starts=starts,
        total=[totals.get(first, 0) for first in starts],
        groups=groups,
        undated=undated,
    )


def _grouped_query(by: str, start, dated):  # noqa: ANN001, ANN202 (SQL expressions and a select)
    """(period start, key, label, actor id, distinct mentions) per group and period."""
    base = (
        select()
        .select_from(WeaponRow)
        .join(DocumentRow, DocumentRow.id == WeaponRow.document_id)
        .outerjoin(EventRow, EventRow.id == WeaponRow.event_id)
    )
    if by != "actor":
        column = {"class": WeaponRow.weapon_class, "calibre": WeaponRow.calibre, "origin": WeaponRow.origin}[by]
        key = func.lower(func.replace(func.trim(column), ".", "")) if by == "origin" else column
        return (
            base.add_columns(start, key.label("key"), func.min(column), null(), func.count(distinct(WeaponRow.id)))
            .where(WeaponRow.id.in_(dated))
            .group_by(start, key)
        )
    perpetrator = and_(EventActorRow.event_id == WeaponRow.event_id, EventActorRow.role == "perpetrator")
    supplier = and_(RelationRow.id == WeaponRow.relation_id, RelationRow.type == SUPPLY)
    actor_id = func.coalesce(EventActorRow.actor_id, RelationRow.source_actor_id)
    words = func.coalesce(EventActorRow.text, RelationRow.source_text)
    key = func.coalesce(actor_id, func.lower(words))
    return (
        base.add_columns(
            start, key.label("key"), func.min(func.coalesce(ActorRow.name, words)), func.min(actor_id),
            func.count(distinct(WeaponRow.id)),
        )
        .outerjoin(EventActorRow, perpetrator)
        .outerjoin(RelationRow, supplier)
        .outerjoin(ActorRow, ActorRow.id == actor_id)
        .where(WeaponRow.id.in_(dated))
        .group_by(start, key)
    )


def _starts(filter: EventFilter, found: list[dt.date], period: Period) -> list[dt.date]:
    """Every period start from the filter's since (else the first mention) to its until (else the last)."""
    first = filter.since or (found[0] if found else None)
    last = filter.until or (found[-1] if found else None)
    if first is None or last is None or first > last:
        return []
    return period_starts(first, last, period)


def _as_date(value: object) -> dt.date:
    """SQLite may hand back the computed period start as text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
