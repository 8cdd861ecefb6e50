"""Fused events as one viewer sees them: rebuilt from the reports that viewer may read.

A fused event is stored once, fused from all its reports. A viewer who may read only
some of them gets the fused record rebuilt from those alone, with the same fusion rules
(``vigil.resolve.fusion.fuse``); its marking is the most restricted of those reports;
merge steps naming a report they cannot read are left out. A viewer who can read none
never sees the fused event (``vigil.store.policy`` keeps it out of every query).

What is said about a fused event must not name what the viewer may not read either: a
report's strongest link to a hidden report (``without_hidden_links``) and analyst decisions
naming a hidden report, or retracting such a decision (``readable_decisions``), are left out.

Filtering (``partly_visible``): a fused event all of whose reports the viewer may read is
matched on its stored fused fields; one they may read only in part is matched when one of
its visible reports matches the date range, place and type, rather than on the fields of
the record rebuilt from them (which SQL cannot compute). The two agree whenever the rebuilt
field is taken from a single report (dates, places and types are); neither ever depends on a
report the viewer may not read. The list's order still uses the stored fields.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from vigil.model.access import Tlp
from vigil.resolve.records import Decision, FusedEvent
from vigil.store.filters import EventFilter, event_conditions
from vigil.store.fusion_views import FusedSourceDetail
from vigil.store.tables import DocumentRow, EventRow, FusedEventRow, FusedMemberRow


def sources_of(session: Session, fused_ids: list[str]) -> dict[str, list[tuple[int, str, str]]]:
    """Fused id -> (event id, mention id, marking) of each report the session's viewer may read."""
    found: dict[str, list[tuple[int, str, str]]] = {}
    if fused_ids:
        query = (
            select(FusedMemberRow.fused_id, FusedMemberRow.event_id, FusedMemberRow.mention_id, EventRow.tlp)
            .join(EventRow, EventRow.id == FusedMemberRow.event_id)
            .where(FusedMemberRow.fused_id.in_(fused_ids))
            .order_by(FusedMemberRow.event_id)
        )
        for fused_id, event_id, mention, tlp in session.execute(query):
            found.setdefault(fused_id, []).append((event_id, mention, tlp))
    return found


def marking_of(sources: list[tuple[int, str, str]]) -> Tlp:
    """The most restricted marking among the visible reports."""
    return Tlp.most_restricted([Tlp(tlp) for _, _, tlp in sources])


def rebuild(session: Session, row: FusedEventRow, sources: list[tuple[int, str, str]]) -> FusedEvent:
    """The fused event of ``row`` fused again from ``sources`` only (a viewer's visible reports)."""
    from vigil.resolve.fusion import fuse  # late: the fusion rules load data files on first use
    from vigil.store.fusion_mapping import cluster_from_row
    from vigil.store.fusion_workspace import Workspace

    workspace = Workspace(session, _engine())
    mentions = workspace.load_ids([event_id for event_id, _, _ in sources])
    visible = {mention.id for mention in mentions}
    cluster = cluster_from_row(row, sorted(visible))
    merges = tuple(step for step in cluster.merges if set(step.left) | set(step.right) <= visible)
    engine = workspace.fusion
    fused = fuse(cluster, mentions, engine.types, engine.actors, engine.config.outlier_factor,
                 engine.config.windows.undated_days)
    return fused.model_copy(update={"merges": list(merges)})


def partly_visible(stored: list[ColumnElement[bool]], filter: EventFilter, min_sources: int) -> list[ColumnElement[bool]]:
    """Conditions on ``fused_events`` for a viewer (in a restricted session): ``stored`` (conditions on the fused
    fields) for fused events whose every report is visible, the same conditions on a visible report for the others."""
    row = FusedEventRow
    readable = (  # restricted by the session hook: the reports this viewer may read
        select(func.count(FusedMemberRow.id)).where(FusedMemberRow.fused_id == row.id).scalar_subquery()
    )
    conditions: list[ColumnElement[bool]] = [readable >= min_sources] if min_sources > 1 else []
    on_reports = event_conditions(EventFilter(
        since=filter.since, until=filter.until, country=filter.country, admin1=filter.admin1,
        event_type=filter.event_type, sub_event_type=filter.sub_event_type,
    ))
    if stored:
        some_report = exists(
            select(FusedMemberRow.id).join(EventRow, EventRow.id == FusedMemberRow.event_id)
            .where(FusedMemberRow.fused_id == row.id, *on_reports)
        )
        conditions.append(or_(and_(row.n_sources == readable, *stored), and_(row.n_sources != readable, some_report)))
    return conditions


def without_hidden_links(sources: list[FusedSourceDetail], visible: set[str]) -> list[FusedSourceDetail]:
    """``sources`` with the strongest link (and its score) removed where it goes to a mention not in ``visible``."""
    return [
        source.model_copy(update={"explanation": None, "score": None})
        if source.explanation is not None and not {source.explanation.a, source.explanation.b} <= visible else source
        for source in sources
    ]


def readable_decisions(session: Session, decisions: list[Decision]) -> list[Decision]:
    """The decisions (in order) naming only reports the session's viewer may read, and the retractions of those."""
    named = {m.split("#", 1)[0] for d in decisions for m in d.mentions}
    readable = set(session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(named)))) if named else set()
    kept: list[Decision] = []
    shown: set[str] = set()
    for decision in decisions:
        if decision.kind == "retract":
            visible = decision.retracts in shown
        else:
            visible = all(m.split("#", 1)[0] in readable for m in decision.mentions)
        if visible:
            kept.append(decision)
            shown.add(decision.id)
    return kept


@lru_cache(maxsize=1)
def _engine():  # noqa: ANN202 (an EventFusion; loaded once: gazetteer and rules)
    from vigil.resolve.engine import EventFusion
    from vigil.resolve.lexical import LexicalEncoder

    return EventFusion(LexicalEncoder())
