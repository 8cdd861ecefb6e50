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
The actors are the shipped gazetteer plus ``data/actor_additions.jsonl``
(factions and provinces the curated file lacks; an id the gazetteer already
has is taken from the gazetteer).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Literal

from vigil.errors import DataFileError
from vigil.gazetteers.actors import ActorGazetteer, load_actor_gazetteer
from vigil.model.records import Actor
from vigil.resolve.actor_names import derived_acronyms, looks_like_acronym, variant_key

ADDITIONS_FILE = "actor_additions.jsonl"
ERR_ADDITION = "{file}:{line}: not a valid Actor: {error}"

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


def read_additions() -> list[Actor]:
    """The actors of ``data/actor_additions.jsonl``, validated."""
    text = resources.files("vigil.resolve").joinpath("data", ADDITIONS_FILE).read_text("utf-8")
    actors = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                actors.append(Actor.model_validate_json(line))
            except ValueError as error:
                raise DataFileError(ERR_ADDITION.format(file=ADDITIONS_FILE, line=number, error=error)) from error
    return actors


def resolution_actors(gazetteer: ActorGazetteer | None = None) -> list[Actor]:
    """The gazetteer's actors and the additions it does not have yet."""
    gazetteer = gazetteer or load_actor_gazetteer()
    known = list(gazetteer.actors.values())
    return known + [actor for actor in read_additions() if gazetteer.get(actor.id) is None]


@lru_cache(maxsize=1)
def load_variant_index() -> VariantIndex:
    """The index of the shipped actors, built once per process (about a tenth of a second)."""
    return build_variant_index(resolution_actors())
