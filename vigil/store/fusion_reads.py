"""Reading fused events back: a filtered, paged list, one fused event with its sources, the decisions.

Fused events are filtered like events (``EventFilter``): date range, place and
type apply to the fused fields; actor, text and document keep the fused events
with at least one report that matches. Per-report lists and counts elsewhere
in the store are unchanged; ``count_distinct_events`` says how many real-world
events the matching reports make after fusion.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, distinct, exists, func, select
from sqlalchemy.orm import aliased, selectinload

from vigil.store.database import Store
from vigil.store.filters import BadFilter, EventFilter, event_conditions, place_and_time_conditions
from vigil.store.fusion_mapping import decision_from_row, explanation_from_json, fused_from_row
from vigil.store.fusion_visible import (
    marking_of,
    partly_visible,
    readable_decisions,
    rebuild,
    sources_of,
    without_hidden_links,
)
from vigil.store.fusion_views import FusedEventDetail, FusedSourceDetail, StoredDecision, StoredFusedEvent
from vigil.store.lists import document_ref
from vigil.store.mapping import as_utc, event_from_row, period_start
from vigil.store.tables import DocumentRow, EventRow, FusedEventRow, FusedMemberRow, FusionDecisionRow
from vigil.store.views import Page

ERR_MIN_SOURCES = "min_sources must be 1 or more, not {value!r}."


def fused_conditions(filter: EventFilter, min_sources: int = 1, *, restricted: bool = False) -> list[ColumnElement[bool]]:
    """SQL conditions on ``fused_events`` for ``filter``.

    ``restricted`` (a viewer reads, through a session of ``Store.session()``): a fused event
    of which the viewer may read only some reports is matched on those reports alone, so that
    what others' reports say never decides what a viewer finds (``partly_visible``).
    """
    if min_sources < 1:
        raise BadFilter(ERR_MIN_SOURCES.format(value=min_sources))
    row = FusedEventRow
    stored = _stored_conditions(filter)
    if restricted:
        conditions = partly_visible(stored, filter, min_sources)
    else:
        conditions = stored + ([row.n_sources >= min_sources] if min_sources > 1 else [])
    by_report = event_conditions(EventFilter(actor=filter.actor, text=filter.text, document_id=filter.document_id))
    if by_report:
        conditions.append(exists(
            select(FusedMemberRow.id).join(EventRow, EventRow.id == FusedMemberRow.event_id)
            .where(FusedMemberRow.fused_id == row.id, *by_report)
        ))
    return conditions


def _stored_conditions(filter: EventFilter) -> list[ColumnElement[bool]]:
    """Conditions on the fused fields as stored (fused from every report)."""
    row = FusedEventRow
    conditions: list[ColumnElement[bool]] = []
    if filter.since is not None:
        conditions.append(row.date_start >= filter.since)
    if filter.until is not None:
        conditions.append(row.date_start <= filter.until)
    if filter.country:
        conditions.append(row.country == filter.country.strip().upper())
    if filter.admin1 and filter.admin1.strip():
        conditions.append(func.lower(row.admin1) == filter.admin1.strip().lower())
    if filter.event_type:
        conditions.append(row.event_type == filter.event_type)
    if filter.sub_event_type:
        conditions.append(row.sub_event_type == filter.sub_event_type)
    return conditions


def _order(order: str) -> list:
    row = FusedEventRow
    newest = [row.date_start.desc().nulls_last(), row.id.desc()]
    orders = {
        "date": [row.date_start.asc().nulls_last(), row.id.asc()],
        "-date": newest,
        "fatalities": [row.fatalities_best.asc().nulls_last(), *newest],
        "-fatalities": [row.fatalities_best.desc().nulls_last(), *newest],
        "country": [row.country.asc().nulls_last(), *newest],
        "type": [row.event_type.asc(), row.sub_event_type.asc(), *newest],
        "id": [row.id.asc()],
        "-id": [row.id.desc()],
    }
    return orders[order]


def page_fused_events(store: Store, filter: EventFilter | None = None, *, min_sources: int = 1) -> Page[StoredFusedEvent]:
    """Fused events matching ``filter`` (``min_sources``: only those fused from at least that many reports).

    ``fatalities`` orders by the best estimate; the other orders are those of events.
    """
    filter = filter or EventFilter()
    conditions = fused_conditions(filter, min_sources, restricted=store.viewer is not None)
    query = select(FusedEventRow).where(*conditions).order_by(*_order(filter.order)).offset(filter.offset).limit(filter.limit)
    with store.session() as session:
        rows = list(session.scalars(query))
        sources = sources_of(session, [row.id for row in rows])
        items = [_stored(row, sources.get(row.id, []), session, store.viewer is not None) for row in rows]
        total = session.scalar(select(func.count(FusedEventRow.id)).where(*conditions)) or 0
    return Page[StoredFusedEvent](items=items, total=total, limit=filter.limit, offset=filter.offset)


def get_fused_event(store: Store, fused_id: str) -> FusedEventDetail | None:
    """A fused event with every report side by side (its own fields and figures) and the decisions behind it."""
    with store.session() as session:
        row = session.get(FusedEventRow, fused_id)
        if row is None:
            return None
        query = (
            select(FusedMemberRow, EventRow, DocumentRow)
            .join(EventRow, EventRow.id == FusedMemberRow.event_id)
            .join(DocumentRow, DocumentRow.id == EventRow.document_id)
            .where(FusedMemberRow.fused_id == fused_id)
            .options(selectinload(EventRow.actors), selectinload(EventRow.weapons))
        )
        sources = [
            FusedSourceDetail(
                event_id=event.id, mention_id=member.mention_id, document=document_ref(document),
                event=event_from_row(event), added_by=member.added_by,  # type: ignore[arg-type]
                decision_id=member.decision_id, score=member.score,
                explanation=explanation_from_json(member.explanation), representative=member.representative,
            )
            for member, event, document in session.execute(query)
        ]
        visible = sources_of(session, [fused_id]).get(fused_id, [])
        stored = _stored(row, visible, session, store.viewer is not None)
    if store.viewer is not None:  # a source's strongest link may be to a report the viewer may not read
        sources = without_hidden_links(sources, {mention for _, mention, _ in visible})
    position = {source.mention_id: n for n, source in enumerate(stored.fused.sources)}
    sources.sort(key=lambda source: (position.get(source.mention_id, len(position)), source.event_id))
    decisions = [d for d in list_decisions(store) if d.decision.id in set(stored.fused.decisions)]
    return FusedEventDetail(**stored.model_dump(), sources=sources, decisions=decisions)


def fused_event_of(store: Store, event_id: int) -> FusedEventDetail | None:
    """The fused event a stored event report belongs to (None: not fused yet, or no such event)."""
    with store.session() as session:
        fused_id = session.scalar(select(FusedMemberRow.fused_id).where(FusedMemberRow.event_id == event_id))
    return get_fused_event(store, fused_id) if fused_id is not None else None


def count_distinct_events(store: Store, filter: EventFilter | None = None) -> int:
    """How many real-world events the matching event reports make: their fused events, plus reports not fused yet."""
    conditions = event_conditions(filter) if filter is not None else []
    query = (
        select(func.count(distinct(FusedMemberRow.fused_id)) + func.coalesce(
            func.sum(case((FusedMemberRow.id.is_(None), 1), else_=0)), 0))
        .select_from(EventRow)
        .outerjoin(FusedMemberRow, FusedMemberRow.event_id == EventRow.id)
        .where(*conditions)
    )
    with store.session() as session:
        return int(session.scalar(query) or 0)


def one_report_per_real_event(filter: EventFilter) -> list[ColumnElement[bool]]:
    """Conditions on ``events`` keeping one report per real-world event that matches ``filter``.

    Each fused event counts once, through its representative report, which carries
    the fused type, date, place and lower fatality bound: the date range, place and
    type apply to those; actor, text and document keep the fused events with at
    least one report that matches (as ``fused_conditions``). A report not fused yet
    stands for itself.
    """
    conditions = [one_report_per_event(), *place_and_time_conditions(filter)]
    by_report = event_conditions(EventFilter(actor=filter.actor, text=filter.text, document_id=filter.document_id))
    if by_report:
        matching = select(EventRow.id.label("id")).where(*by_report).correlate(None).subquery()
        member, representative = aliased(FusedMemberRow), aliased(FusedMemberRow)
        stands_for = (
            select(func.coalesce(representative.event_id, matching.c.id))
            .select_from(matching)
            .outerjoin(member, member.event_id == matching.c.id)
            .outerjoin(representative, representative_join(member, representative))
            .correlate(None)
        )
        conditions.append(EventRow.id.in_(stands_for))
    return conditions


def representative_join(member: type, representative: type) -> ColumnElement[bool]:
    """Join condition from a report's ``fused_members`` row (alias ``member``) to the row of the report that
    represents the same fused event (alias ``representative``): outer-join both and take
    ``coalesce(representative.event_id, the report's id)``, the report that stands for it."""
    return and_(representative.fused_id == member.fused_id, representative.representative.is_(True))


def one_report_per_event() -> ColumnElement[bool]:
    """Condition on ``events``: count each fused event once, through its representative report
    (the one whose type, date and fatality lower bound are the fused ones); reports not fused yet count as themselves."""
    return ~exists(select(FusedMemberRow.id).where(FusedMemberRow.event_id == EventRow.id,
                                                   FusedMemberRow.representative.is_(False)))


def list_decisions(store: Store, *, in_force: bool | None = None) -> list[StoredDecision]:
    """Every analyst decision in the order made (``in_force``: only those in force, or only the others)."""
    with store.session() as session:
        decisions = [decision_from_row(row) for row in session.scalars(select(FusionDecisionRow).order_by(FusionDecisionRow.seq))]
        named = sorted({m for d in decisions for m in d.mentions})
        events = dict(session.execute(select(FusedMemberRow.mention_id, FusedMemberRow.event_id)
                                      .where(FusedMemberRow.mention_id.in_(named))).all()) if named else {}
        if store.viewer is not None:  # decisions naming a report the viewer may not read stay hidden
            decisions = readable_decisions(session, decisions)
    retracted_by = {d.retracts: d.id for d in decisions if d.kind == "retract" and d.retracts}
    listed = [
        StoredDecision(decision=d, in_force=d.kind != "retract" and d.id not in retracted_by,
                       retracted_by=retracted_by.get(d.id), events={m: events.get(m) for m in d.mentions})
        for d in decisions
    ]
    return [d for d in listed if in_force is None or d.in_force == in_force]


def _stored(row: FusedEventRow, sources: list[tuple[int, str, str]], session, restricted: bool) -> StoredFusedEvent:  # noqa: ANN001
    """The stored fused event, or (when the viewer may read only some of its reports) one rebuilt from those."""
    partial = restricted and len(sources) < row.n_sources
    fused = rebuild(session, row, sources) if partial else fused_from_row(row)
    return StoredFusedEvent(fused=fused, tlp=marking_of(sources), date_start=period_start(fused.date) or row.date_start,
                            n_sources=len(fused.sources), event_ids=[event_id for event_id, _, _ in sources],
                            created_at=as_utc(row.created_at), updated_at=as_utc(row.updated_at))
