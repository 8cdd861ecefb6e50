"""The variant index: ``{variant_key: actor_id}`` for every actor name, alias and derived acronym.

A cheap precomputed lookup (one dict access per name) for the extraction
pipeline and the store. The collision rule:

1. Names and aliases are claimed first. A key claimed by one actor resolves to
   it; a key claimed by two or more actors is **ambiguous** and resolves to
   neither ("HUA" is an alias of both Harakat-ul-Mujahideen and
   Harakat-ul Jihad Islami).
2. Derived acronyms ("TTP" from "Tehrik-e-Taliban Pakistan") only fill keys no
   name or alias claims; two actors deriving the same one make it ambiguous too.

An actor claiming a key twice (its name and an alias spelled alike) is one claim.
Keys claimed only by initials ("let" of "LeT", "ttp") are listed in ``acronyms``:
they must match only text written as initials (``looks_like_acronym``: "LeT",
"TTP", never "Let"), as the keys themselves are caseless.
The actors are the shipped gazetteer's (``load_actor_gazetteer``); the store
extends a copy with the actors analysts accept (``VariantIndex.copy``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from vigil.gazetteers.actor_names import derived_acronyms, looks_like_acronym, variant_key
from vigil.gazetteers.actors import ActorGazetteer, load_actor_gazetteer
from vigil.model.records import Actor

Origin = Literal["name", "alias", "initials"]


@dataclass(frozen=True)
class KeyClaim:
    """An actor claiming a key: through which of its names, and how."""

    actor_id: str
    name: str
    origin: Origin


@dataclass
class VariantIndex:
    """Keys to actors, with the claims behind them (for explanations) and the ambiguous keys."""

    ids: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    claims: dict[str, tuple[KeyClaim, ...]] = field(default_factory=dict)
    acronyms: set[str] = field(default_factory=set)
    _named: dict[str, dict[str, KeyClaim]] = field(default_factory=dict, repr=False)
    _derived: dict[str, dict[str, KeyClaim]] = field(default_factory=dict, repr=False)

    def lookup(self, name: str) -> str | None:
        """The actor id ``name`` resolves to; None when unknown, ambiguous, or initials not written as such."""
        key = variant_key(name)
        if key in self.acronyms and not looks_like_acronym(name):
            return None
        return self.ids.get(key)

    def lookup_named(self, name: str) -> str | None:
        """``lookup`` through names and aliases only: None for a key that only derived initials claim.

        For names read from running text, where initials coined from a listed name
        ("ADF", "US") are as often another body's.
        """
        key = variant_key(name)
        claims = self.claims.get(key, ())
        if len(claims) != 1 or claims[0].origin == "initials":
            return None
        if key in self.acronyms and not looks_like_acronym(name):
            return None
        return claims[0].actor_id

    def add(self, actors: Iterable[Actor]) -> None:
        """Claim the keys of more actors and settle every key they touch again."""
        touched: set[str] = set()
        for actor in actors:
            for text in [actor.name, *actor.aliases]:
                key = variant_key(text)
                if key:
                    origin: Origin = "name" if text == actor.name else "alias"
                    self._named.setdefault(key, {}).setdefault(actor.id, KeyClaim(actor.id, text, origin))
                    touched.add(key)
                if actor.kind == "person":
                    continue
                for acronym in derived_acronyms(text):
                    self._derived.setdefault(acronym, {}).setdefault(actor.id, KeyClaim(actor.id, text, "initials"))
                    touched.add(acronym)
        for key in touched:
            self._settle(key)

    def _settle(self, key: str) -> None:
        claimants = self._named.get(key) or self._derived.get(key) or {}
        self.ids.pop(key, None)
        self.ambiguous.pop(key, None)
        self.claims[key] = tuple(claimants.values())
        self.acronyms.discard(key)
        if claimants and all(c.origin == "initials" or looks_like_acronym(c.name) for c in claimants.values()):
            self.acronyms.add(key)
        if len(claimants) == 1:
            self.ids[key] = next(iter(claimants))
        elif claimants:
            self.ambiguous[key] = tuple(sorted(claimants))

    def copy(self) -> VariantIndex:
        """An independent index with the same claims (to extend with store-only actors)."""
        return VariantIndex(
            ids=dict(self.ids),
            ambiguous=dict(self.ambiguous),
            claims=dict(self.claims),
            acronyms=set(self.acronyms),
            _named={key: dict(value) for key, value in self._named.items()},
            _derived={key: dict(value) for key, value in self._derived.items()},
        )


def build_variant_index(actors: Iterable[Actor]) -> VariantIndex:
    """The index of every name, alias and derived acronym of ``actors`` (collision rule above)."""
    index = VariantIndex()
    index.add(actors)
    return index


def build_variant_lookup(actors: Iterable[Actor]) -> dict[str, str]:
    """``{variant_key: actor_id}`` for ``actors``, ambiguous keys left out: the lookup to wire into extraction."""
    return build_variant_index(actors).ids


def resolution_actors(gazetteer: ActorGazetteer | None = None) -> list[Actor]:
    """The actors names resolve to: the gazetteer's."""
    return list((gazetteer or load_actor_gazetteer()).actors.values())


@lru_cache(maxsize=1)
def load_variant_index() -> VariantIndex:
    """The index of the shipped actors, built once per process (about a tenth of a second)."""
    return build_variant_index(resolution_actors())
