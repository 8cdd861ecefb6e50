"""Network graph data as the page embeds it: Cytoscape.js elements built from relations.

Nodes are actors (canonical id, or ``text:<words>`` for an actor the
gazetteer does not know); edges carry their relation type, colour, how many
reports support them and whether a report is denied in its own document, so
``static/js/graph.js`` only draws.
"""

from __future__ import annotations

from urllib.parse import quote

from vigil.model.records import ActorRef
from vigil.store.network import node_id
from vigil.store.views import ActorLink, SupplyNetwork
from vigil.web.templating import palette


def actor_network(actor_id: str, name: str, links: list[ActorLink]) -> dict:
    """One actor and its relations (both directions), one edge per (source, type, target)."""
    nodes: dict[str, dict] = {actor_id: _node(actor_id, name, actor_id, main=True)}
    edges: dict[tuple[str, str, str], dict] = {}
    for link in links:
        relation = link.relation
        source, target = _ref_node(relation.source), _ref_node(relation.target)
        for node, ref in ((source, relation.source), (target, relation.target)):
            nodes.setdefault(node, _node(node, ref.text, ref.actor))
        key = (source, relation.type, target)
        if key not in edges:
            edges[key] = _edge(f"e{len(edges)}", source, target, relation.type)
        edges[key]["data"]["reports"] += 1
    return {"nodes": list(nodes.values()), "edges": list(edges.values())}


def supply_graph(network: SupplyNetwork) -> dict:
    """The supply network: edge width by reports, dashed when a report is denied in its own document."""
    nodes = [_node(node.id, node.label, node.actor_id) for node in network.nodes]
    edges = []
    for n, edge in enumerate(network.edges):
        element = _edge(f"s{n}", edge.source, edge.target, "supplies_weapons_to", denied=edge.denied)
        element["data"]["reports"] = len(edge.reports)
        weapons = ", ".join(w.value or "unspecified" for w in edge.weapons)
        element["data"]["label"] = f"{len(edge.reports)} report(s)" + (f": {weapons}" if weapons else "")
        edges.append(element)
    return {"nodes": nodes, "edges": edges}


def _ref_node(ref: ActorRef) -> str:
    return node_id(ref.actor, ref.text)


def _node(node: str, label: str, actor_id: str | None, *, main: bool = False) -> dict:
    data = {"id": node, "label": label, "main": main, "resolved": actor_id is not None}
    if actor_id:
        data["href"] = f"/actors/{quote(actor_id, safe='')}"
    return {"data": data}


def _edge(edge_id: str, source: str, target: str, relation_type: str, *, denied: bool = False) -> dict:
    style = palette()["relation_types"].get(relation_type, {"label": relation_type, "colour": "#777777"})
    return {
        "data": {
            "id": edge_id,
            "source": source,
            "target": target,
            "type": relation_type,
            "label": style["label"],
            "colour": style["colour"],
            "denied": denied,
            "reports": 0,
        }
    }
