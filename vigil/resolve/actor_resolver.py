"""Resolving a name to a canonical actor, with the reasons, and the closest actors it was not merged with.

``ActorCatalogue`` holds the actors, their variant index and a word index for
finding look-alikes. ``resolve(name)``:

1. an analyst decision on the name's spelling key (given by the store), else
2. the variant index: a key one actor claims (``actor_index``; initials only
   when written as initials: "LeT", not "Let"), else
3. the one actor whose name is the same but for a one-letter slip
   (``actor_matching``; acronyms never resolve this way), else nothing.

Two actors sharing the key, or two equally close slips, resolve to neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from vigil.gazetteers.actor_index import VariantIndex, load_variant_index, resolution_actors
from vigil.gazetteers.actor_names import looks_like_acronym, variant_key
from vigil.model.records import Actor
from vigil.resolve.actor_matching import compare_keyed, one_slip
from vigil.resolve.actor_records import ActorResolution, ActorSummary, CandidateActor

#: Words longer than this also find look-alikes by their first letters, so a slip late in a word is found.
_PREFIX = 4


class ActorCatalogue:
    """Canonical actors, indexed by spelling key and by word."""

    def __init__(self, actors: Iterable[Actor], index: VariantIndex | None = None) -> None:
        self.actors: dict[str, Actor] = {}
        self.index = index if index is not None else VariantIndex()
        self._names: dict[str, list[tuple[str, str]]] = {}  # actor id -> [(name, key)]
        self._by_word: dict[str, set[str]] = {}
        self._add(list(actors), index_them=index is None)

    def extended(self, actors: Iterable[Actor]) -> ActorCatalogue:
        """A copy with more actors (the store's own); an actor with a known id gains its new names.

        Only the new actors are indexed: the copy shares nothing mutable with this catalogue.
        """
        clone = ActorCatalogue.__new__(ActorCatalogue)
        clone.actors = dict(self.actors)
        clone.index = self.index.copy()
        clone._names = dict(self._names)
        clone._by_word = {word: set(ids) for word, ids in self._by_word.items()}
        clone._add(list(actors), index_them=True)
        return clone

    def _add(self, actors: list[Actor], *, index_them: bool) -> None:
        if index_them:
            self.index.add(actors)
        for actor in actors:
            self.actors[actor.id] = actor
            names = [(text, variant_key(text)) for text in dict.fromkeys([actor.name, *actor.aliases])]
            self._names[actor.id] = [(text, key) for text, key in names if key]
            if actor.kind == "person":
                continue  # look-alikes are organisations; people resolve by the index alone
            for _, key in self._names[actor.id]:
                for word in key.split():
                    self._by_word.setdefault(word, set()).add(actor.id)
                    if len(word) > _PREFIX:
                        self._by_word.setdefault(word[:_PREFIX], set()).add(actor.id)

    def known_keys(self) -> set[str]:
        """Every spelling key an actor claims, alone or with others."""
        return self.index.ids.keys() | self.index.ambiguous.keys()

    def summary(self, actor_id: str) -> ActorSummary:
        actor = self.actors.get(actor_id)
        if actor is None:
            return ActorSummary(id=actor_id, name=actor_id, kind="organisation")
        return ActorSummary(id=actor.id, name=actor.name, kind=actor.kind, parent=actor.parent)

    def lineage(self, actor_id: str) -> list[str]:
        """The actor and its ancestors, nearest first (a cycle in the data stops the walk)."""
        chain: list[str] = []
        current = self.actors.get(actor_id)
        while current is not None and current.id not in chain:
            chain.append(current.id)
            current = self.actors.get(current.parent) if current.parent else None
        return chain or [actor_id]

    def candidates(self, name: str, *, limit: int = 3, exclude: Iterable[str] = ()) -> list[CandidateActor]:
        """The organisations whose names look most like ``name``, best first, with the verdict and reasons.

        Best: those the name is a branch of ("part of"), then by score.
        """
        if limit <= 0:
            return []
        key = variant_key(name)
        skipped = set(exclude)
        found: dict[str, CandidateActor] = {}
        for actor_id in self._look_alikes(key) - skipped:
            for text, text_key in self._names.get(actor_id, []):
                comparison = compare_keyed(name, key, text, text_key)
                best = found.get(actor_id)
                if comparison.score > 0 and (best is None or comparison.score > best.score):
                    found[actor_id] = CandidateActor(
                        actor=self.summary(actor_id),
                        matched_name=text,
                        score=comparison.score,
                        verdict=comparison.verdict,
                        reasons=list(comparison.reasons),
                        part_of=comparison.part_of,
                    )
        # An actor whose every word the name has comes first: likely the group it is a branch of.
        ranked = sorted(found.values(), key=lambda c: (not c.part_of, -c.score, c.actor.name, c.actor.id))
        return ranked[:limit]

    def _slips(self, name: str, key: str) -> list[CandidateActor]:
        """The actors with a name one letter off ``name`` (``one_slip``), compared in full."""
        ids = {actor_id for actor_id in self._look_alikes(key)
               if any(one_slip(key, text_key) for _, text_key in self._names.get(actor_id, []))}
        found = []
        for actor_id in sorted(ids):
            text = next(text for text, text_key in self._names[actor_id] if one_slip(key, text_key))
            comparison = compare_keyed(name, key, text, variant_key(text))
            if comparison.verdict == "same":
                found.append(CandidateActor(actor=self.summary(actor_id), matched_name=text, score=comparison.score,
                                            verdict=comparison.verdict, reasons=list(comparison.reasons)))
        return found

    def _look_alikes(self, key: str) -> set[str]:
        ids: set[str] = set()
        for word in key.split():
            ids |= self._by_word.get(word, set())
            if len(word) > _PREFIX:
                ids |= self._by_word.get(word[:_PREFIX], set())
        return ids

    def resolve(self, name: str, decisions: Mapping[str, str] | None = None, *, limit: int = 3) -> ActorResolution:
        """What ``name`` resolves to and why; ``decisions`` maps spelling keys to the actors analysts chose."""
        key = variant_key(name)
        decided = (decisions or {}).get(key)
        if decided is not None:
            return self._resolved(name, key, decided, "analyst decision", name,
                                  [f"an analyst linked the spelling {key!r} to {self.summary(decided).name}"], limit)
        written_as_initials = looks_like_acronym(name)
        key_claimed = key in self.index.ids or key in self.index.ambiguous
        if key in self.index.acronyms and not written_as_initials:
            key_claimed = False  # "Let" is not "LeT"
        if key_claimed and key in self.index.ids:
            actor_id = self.index.ids[key]
            claim = next(c for c in self.index.claims[key] if c.actor_id == actor_id)
            owner = self.summary(actor_id).name
            why = f"{name!r} and {claim.name!r} ({_origin_words(claim.origin)} of {owner}) share the spelling key {key!r}"
            return self._resolved(name, key, actor_id, claim.origin, claim.name, [why], limit)
        if key_claimed:
            sharing = [self.summary(actor_id) for actor_id in self.index.ambiguous[key]]
            why = f"{key!r} is a name of {' and '.join(s.name for s in sharing)}: ambiguous, so it resolves to neither"
            return ActorResolution(name=name, key=key, ambiguous=sharing, reasons=[why],
                                   candidates=self.candidates(name, limit=limit, exclude=[s.id for s in sharing]))
        close = [] if written_as_initials else self._slips(name, key)
        if len(close) == 1:
            return self._resolved(name, key, close[0].actor.id, "near spelling", close[0].matched_name, close[0].reasons, limit)
        if len(close) > 1:
            why = f"as close to {' as to '.join(c.actor.name for c in close)}: ambiguous, so it resolves to neither"
            return ActorResolution(name=name, key=key, ambiguous=[c.actor for c in close], reasons=[why],
                                   candidates=self.candidates(name, limit=limit, exclude=[c.actor.id for c in close]))
        return ActorResolution(name=name, key=key, reasons=["no actor has this name, an alias, initials or a spelling of it"],
                               candidates=self.candidates(name, limit=limit))

    def _resolved(self, name: str, key: str, actor_id: str, how: str, matched: str, reasons: list[str], limit: int) -> ActorResolution:
        chain = self.lineage(actor_id)
        return ActorResolution(
            name=name,
            key=key,
            actor=self.summary(actor_id),
            how=how,  # type: ignore[arg-type]  (one of How)
            matched_name=matched,
            lineage=[self.summary(parent) for parent in chain[1:]],
            reasons=reasons,
            candidates=self.candidates(name, limit=limit, exclude=chain),
        )


def _origin_words(origin: str) -> str:
    return {"name": "the name", "alias": "an alias", "initials": "the initials"}.get(origin, origin)


@lru_cache(maxsize=1)
def load_actor_catalogue() -> ActorCatalogue:
    """The catalogue of the shipped actors (gazetteer and additions), built once per process."""
    return ActorCatalogue(resolution_actors(), load_variant_index())
