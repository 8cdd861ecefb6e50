"""The weapons supply network: who supplies whom, with the weapons, the sources and the denials.

Edges are ``supplies_weapons_to`` relations grouped by (supplier, recipient):
canonical actor ids when resolved, else the words used (node id
``text:<words>``). Every report of an edge keeps its document, sentence, the
body it is attributed to, the weapons, and the claims of the same document
that deny it (a denial concerning that relation) and those that assert it; an
edge has the publication dates of its first and last reports. Place and time
apply through the documents (see ``vigil.store.anchors``).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from vigil.store.anchors import relation_conditions
from vigil.store.database import Store
from vigil.store.filters import EventFilter
from vigil.store.lists import document_ref
from vigil.store.mapping import claim_from_row, relation_from_row
from vigil.store.tables import ActorRow, ClaimRow, DocumentRow, RelationRow
from vigil.store.views import NetworkNode, StoredClaim, SupplyEdge, SupplyNetwork, SupplyReport, ValueCount

SUPPLY = "supplies_weapons_to"


def node_id(actor_id: str | None, words: str) -> str:
    """A node's id: the canonical actor id, or ``text:`` and the words in lower case."""
    return actor_id or f"text:{' '.join(words.lower().split())}"


def supply_network(store: Store, filter: EventFilter | None = None) -> SupplyNetwork:
    """Nodes and edges of the supply network for the relations matching ``filter``."""
    filter = filter or EventFilter()
    query = (
        select(RelationRow, DocumentRow)
        .join(DocumentRow, DocumentRow.id == RelationRow.document_id)
        .where(RelationRow.type == SUPPLY, *relation_conditions(filter))
        .options(selectinload(RelationRow.weapons))
        .order_by(DocumentRow.published.desc().nulls_last(), RelationRow.id)
    )
    with store.session() as session:
        found = session.execute(query).all()
        denials, assertions = _stances(session, {relation.document_id for relation, _ in found})
        actor_ids = {r.source_actor_id for r, _ in found} | {r.target_actor_id for r, _ in found}
        names = dict(
            session.execute(select(ActorRow.id, ActorRow.name).where(ActorRow.id.in_(actor_ids - {None}))).all()
        )
    reports: dict[tuple[str, str], list[SupplyReport]] = defaultdict(list)
    labels: dict[str, tuple[str, str | None]] = {}
    for row, document in found:
        relation = relation_from_row(row)
        source = node_id(relation.source.actor, relation.source.text)
        target = node_id(relation.target.actor, relation.target.text)
        for node, ref in ((source, relation.source), (target, relation.target)):
            labels.setdefault(node, (names.get(ref.actor or "", ref.text), ref.actor))
        denied_by = denials.get((row.document_id, row.ordinal), [])
        reports[(source, target)].append(
            SupplyReport(
                relation_id=row.id,
                document=document_ref(document),
                sentence=relation.sentence,
                attributed_to=relation.attributed_to,
                weapons=relation.weapons,
                denied=bool(denied_by),
                denials=denied_by,
                assertions=assertions.get((row.document_id, row.ordinal), []),
            )
        )
    edges = [_edge(source, target, edge_reports) for (source, target), edge_reports in reports.items()]
    supplies = Counter(edge.source for edge in edges for _ in edge.reports)
    receives = Counter(edge.target for edge in edges for _ in edge.reports)
    nodes = [
        NetworkNode(id=node, label=label, actor_id=actor_id, supplies=supplies[node], receives=receives[node])
        for node, (label, actor_id) in sorted(labels.items(), key=lambda item: item[1][0].casefold())
    ]
    edges.sort(key=lambda edge: (-len(edge.reports), edge.source, edge.target))
    return SupplyNetwork(nodes=nodes, edges=edges)


def _edge(source: str, target: str, reports: list[SupplyReport]) -> SupplyEdge:
    classes = Counter(weapon.weapon_class for report in reports for weapon in report.weapons)
    weapons = [
        ValueCount(value=value, count=n)
        for value, n in sorted(classes.items(), key=lambda item: (-item[1], item[0] or ""))
    ]
    dates = sorted(r.document.published for r in reports if r.document.published is not None)
    return SupplyEdge(
        source=source, target=target, weapons=weapons, reports=reports, denied=any(r.denied for r in reports),
        first_reported=dates[0] if dates else None, last_reported=dates[-1] if dates else None,
    )


def _stances(session, document_ids: set[str]) -> tuple[dict, dict]:  # noqa: ANN001
    """Denials and assertions per (document, relation ordinal) they concern, for the given documents."""
    if not document_ids:
        return {}, {}
    rows = session.scalars(
        select(ClaimRow)
        .where(ClaimRow.document_id.in_(document_ids))
        .order_by(ClaimRow.document_id, ClaimRow.ordinal)
    )
    found: dict[str, dict[tuple[str, int], list[StoredClaim]]] = {"denies": defaultdict(list), "asserts": defaultdict(list)}
    for row in rows:
        claim = claim_from_row(row)
        for concern in claim.concerns:
            if concern.kind == "relation" and concern.index is not None:
                found[claim.stance][(row.document_id, concern.index)].append(
                    StoredClaim(id=row.id, document_id=row.document_id, claim=claim, tlp=row.tlp, org_id=row.org_id)
                )
    return found["denies"], found["asserts"]
