"""Fusion records <-> rows: fused events, memberships, decisions, stored links and vectors.

The fusion counterpart of ``vigil.store.mapping`` (which it reuses for the
event itself): the only place that knows both the ``vigil.resolve`` records
and the fusion tables. Nested parts of a fused event (actors, figures with
every source's value, merge steps) are stored as JSON and validated back into
their records when read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from vigil.model.records import Location
from vigil.resolve.clusters import Cluster
from vigil.resolve.records import (
    Decision,
    EventMention,
    FeatureValue,
    FusedActor,
    FusedEvent,
    FusedFigure,
    FusedSource,
    LinkExplanation,
    MergeStep,
    mention_id,
)
from vigil.store.mapping import as_utc, event_from_row, period_start
from vigil.store.tables import EventRow, FusedEventRow, FusionDecisionRow

_VECTOR_TYPE = np.float32


def _dump(record: Any) -> Any:
    return record.model_dump(mode="json", exclude_none=True) if record is not None else None


# ---------------------------------------------------------------- fused events


def fused_to_row(fused: FusedEvent, label: str | None, now: dt.datetime) -> dict[str, Any]:
    """The columns of a fused event (``created_at`` is set by the writer, once)."""
    location = fused.location
    return {
        "id": fused.id,
        "label": label,
        "event_type": fused.event_type,
        "sub_event_type": fused.type,
        "type_votes": dict(fused.type_votes),
        "date": fused.date,
        "date_precision": fused.date_precision,
        "date_rule": fused.date_rule,
        "date_start": period_start(fused.date),
        "location": _dump(location),
        "country": location.country if location else None,
        "admin1": location.admin1 if location else None,
        "perpetrators": [_dump(a) for a in fused.perpetrators],
        "targets": [_dump(a) for a in fused.targets],
        "victims": [_dump(a) for a in fused.victims],
        **_figure_columns("fatalities", fused.fatalities),
        **_figure_columns("injuries", fused.injuries),
        "responsibility": fused.responsibility,
        "n_sources": len(fused.sources),
        "sources": [_dump(s) for s in fused.sources],
        "merges": [_dump(m) for m in fused.merges],
        "decisions": list(fused.decisions),
        "updated_at": now,
    }


def _figure_columns(name: str, figure: FusedFigure | None) -> dict[str, Any]:
    return {
        f"{name}_low": figure.low if figure else None,
        f"{name}_best": figure.best if figure else None,
        f"{name}_high": figure.high if figure else None,
        name: _dump(figure),
    }


def fused_from_row(row: FusedEventRow) -> FusedEvent:
    return FusedEvent(
        id=row.id,
        type=row.sub_event_type,
        event_type=row.event_type,
        type_votes=row.type_votes or {},
        date=row.date,
        date_precision=row.date_precision,
        date_rule=row.date_rule,
        location=Location.model_validate(row.location) if row.location else None,
        perpetrators=[FusedActor.model_validate(a) for a in row.perpetrators or []],
        targets=[FusedActor.model_validate(a) for a in row.targets or []],
        victims=[FusedActor.model_validate(a) for a in row.victims or []],
        fatalities=FusedFigure.model_validate(row.fatalities) if row.fatalities else None,
        injuries=FusedFigure.model_validate(row.injuries) if row.injuries else None,
        responsibility=row.responsibility,
        sources=[FusedSource.model_validate(s) for s in row.sources or []],
        merges=[MergeStep.model_validate(m) for m in row.merges or []],
        decisions=list(row.decisions or []),
    )


def cluster_from_row(row: FusedEventRow, members: list[str]) -> Cluster:
    """The clustering state a fused event row stands for (its members as mention ids)."""
    return Cluster(
        id=row.id,
        members=tuple(sorted(members)),
        merges=tuple(MergeStep.model_validate(m) for m in row.merges or []),
        label=row.label,
        decisions=tuple(row.decisions or []),
    )


# ---------------------------------------------------------------- mentions, links, vectors


def mention_from_row(row: EventRow, repeated_span: bool, published: dt.date | None, publisher: str | None,
                     title: str | None, url: str | None) -> EventMention:
    """A stored event as a fusion mention, keyed by document and span (plus its ordinal when
    another event of the document has the same span, so keys stay unique).

    ``row`` is an ``EventRow`` or any object with its columns, ``actors`` and ``weapons`` (the
    fusion loader reads plain rows: ``vigil.store.fusion_workspace``)."""
    event = event_from_row(row)
    key = mention_id(row.document_id, event)
    return EventMention(id=f"{key}.{row.ordinal}" if repeated_span else key, document_id=row.document_id,
                        published=published, publisher=publisher, title=title, url=url, event=event)


def explanation_to_json(explanation: LinkExplanation | None) -> dict | None:
    return _dump(explanation)


def explanation_from_json(value: dict | None) -> LinkExplanation | None:
    """A stored explanation, rebuilt without validation: the store wrote it from a valid record, and a
    fusion call may read back thousands of them."""
    if not value:
        return None
    fields = {**value, "features": [FeatureValue.model_construct(**f) for f in value.get("features", [])]}
    return LinkExplanation.model_construct(**fields)


def vector_to_bytes(vector: object) -> bytes:
    return np.asarray(vector, dtype=_VECTOR_TYPE).tobytes()


def vector_from_bytes(value: bytes) -> np.ndarray:
    return np.frombuffer(value, dtype=_VECTOR_TYPE)


# ---------------------------------------------------------------- decisions


def decision_to_row(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "kind": decision.kind,
        "mentions": list(decision.mentions),
        "label": decision.label,
        "retracts": decision.retracts,
        "author": decision.author,
        "at": decision.at or dt.datetime.now(dt.timezone.utc),
        "reason": decision.reason,
    }


def decision_from_row(row: FusionDecisionRow) -> Decision:
    return Decision(
        id=row.id,
        kind=row.kind,  # type: ignore[arg-type]
        mentions=list(row.mentions or []),
        label=row.label,
        retracts=row.retracts,
        author=row.author,
        at=as_utc(row.at),
        reason=row.reason,
    )
