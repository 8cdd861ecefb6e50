"""Whether the actors two reports name can be the same, by canonical id and the gazetteer's parent links.

"IS-K", "ISKP" and "Wilayat Khorasan" resolve to one id; IS-K's parent is the
Islamic State, so a report blaming "the Islamic State" and one blaming "IS-K"
agree (a province of the group). Groups without such a link are distinct even
when their names look alike: the Taliban and Tehrik-e-Taliban Pakistan are two
organisations, and two provinces of one group (IS-K, ISWAP) are two actors.
Two state forces of one country (the army and the Frontier Corps) are accepted
as the same side. A person counts through the organisation the gazetteer gives
as their parent, and never rules a pair out on their own. Unresolved words are
evidence only when they are the same proper name ("gunmen" says nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from vigil.gazetteers.actors import ActorGazetteer
from vigil.gazetteers.text import normalise
from vigil.model.records import ActorRef

ActorRelation = Literal["same", "family", "same state", "same words", "unknown", "distinct"]
#: Strength of each relation (feature value); "distinct" is a hard block, not a score.
STRENGTH: dict[str, float] = {"same": 1.0, "family": 0.7, "same state": 0.6, "same words": 0.5, "unknown": 0.0, "distinct": 0.0}
_STATE_KINDS = frozenset({"state_force", "government"})


@dataclass(frozen=True)
class ActorMatch:
    """The best relation between two lists of actors, its strength and a phrase."""

    relation: ActorRelation
    strength: float
    text: str


@lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    """``normalise`` remembered: fusion compares the same few names over and over."""
    return normalise(text)


class ActorResolver:
    """Relations between canonical actors, read from the actor gazetteer."""

    def __init__(self, gazetteer: ActorGazetteer) -> None:
        self.gazetteer = gazetteer
        self._lineages: dict[str, tuple[str, ...]] = {}

    def name(self, actor_id: str) -> str:
        actor = self.gazetteer.get(actor_id)
        return actor.name if actor else actor_id

    def lineage(self, actor_id: str) -> tuple[str, ...]:
        """The actor and its ancestors (faction -> group -> ...), nearest first."""
        found = self._lineages.get(actor_id)
        if found is None:
            chain: list[str] = []
            current = self.gazetteer.get(actor_id)
            while current is not None and current.id not in chain:
                chain.append(current.id)
                current = self.gazetteer.get(current.parent) if current.parent else None
            found = self._lineages[actor_id] = tuple(chain) or (actor_id,)
        return found

    def is_person(self, actor_id: str) -> bool:
        actor = self.gazetteer.get(actor_id)
        return actor is not None and actor.kind == "person"

    def relation(self, a: str, b: str) -> tuple[ActorRelation, str]:
        """How two canonical actors relate, with a phrase naming them."""
        a_id, b_id = self.lineage(a)[0], self.lineage(b)[0]
        if a_id == b_id:
            return "same", f"{self.name(a_id)} in both"
        if b_id in self.lineage(a_id):
            return "family", f"{self.name(a_id)} is part of {self.name(b_id)}"
        if a_id in self.lineage(b_id):
            return "family", f"{self.name(b_id)} is part of {self.name(a_id)}"
        if self._same_state(a_id, b_id):
            return "same state", f"{self.name(a_id)} vs {self.name(b_id)}: forces of one state"
        return "distinct", f"{self.name(a_id)} vs {self.name(b_id)}: distinct actors"

    def _same_state(self, a: str, b: str) -> bool:
        actor_a, actor_b = self.gazetteer.get(a), self.gazetteer.get(b)
        return bool(
            actor_a and actor_b and actor_a.kind in _STATE_KINDS and actor_b.kind in _STATE_KINDS
            and actor_a.country and actor_a.country == actor_b.country
        )

    def compare(self, refs_a: Sequence[ActorRef], refs_b: Sequence[ActorRef]) -> ActorMatch:
        """The best relation over all pairs; "distinct" only when organisations on both sides all differ."""
        ids_a = list(dict.fromkeys(r.actor for r in refs_a if r.actor))
        ids_b = list(dict.fromkeys(r.actor for r in refs_b if r.actor))
        best: tuple[ActorRelation, str] | None = None
        for a in ids_a:
            for b in ids_b:
                found = self.relation(a, b)
                if best is None or STRENGTH[found[0]] > STRENGTH[best[0]]:
                    best = found
        if best is not None and best[0] != "distinct":
            return ActorMatch(best[0], STRENGTH[best[0]], best[1])
        words = _shared_names(refs_a, refs_b)
        if words:
            return ActorMatch("same words", STRENGTH["same words"], f"'{words}' in both")
        if best is not None and self._organisations(ids_a) and self._organisations(ids_b):
            return ActorMatch("distinct", 0.0, best[1])
        return ActorMatch("unknown", 0.0, "not named in both")

    def _organisations(self, ids: list[str]) -> bool:
        return any(not self.is_person(i) for i in ids)


def _shared_names(refs_a: Sequence[ActorRef], refs_b: Sequence[ActorRef]) -> str | None:
    """A proper name (capitalised, unresolved) both lists use."""
    names_a = {name_key(r.text): r.text for r in refs_a if not r.actor and r.text[:1].isupper()}
    for ref in refs_b:
        if not ref.actor and ref.text[:1].isupper() and name_key(ref.text) in names_a:
            return names_a[name_key(ref.text)]
    return None
