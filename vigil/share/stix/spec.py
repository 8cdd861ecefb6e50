"""The STIX mapping as data: ``data/stix_mapping.json`` loaded once and checked.

The file says which STIX type each actor kind becomes, the relationship types of
Vigil's relations, how stances become opinions, the extension definitions Vigil
publishes and the OASIS TLP 2.0 marking definitions. Changing the mapping is a
reviewable diff of that file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from vigil.model.access import Tlp
from vigil.model.records import RelationType

ERR_SPEC = "The STIX mapping (vigil/share/stix/data/stix_mapping.json) is invalid: {reason}"


@dataclass(frozen=True)
class StixSpec:
    raw: dict[str, Any]

    @property
    def namespace(self) -> str:
        return self.raw["namespace"]

    @property
    def fixed_timestamp(self) -> str:
        """Creation time of objects with no date of their own (actors, places, identities)."""
        return self.raw["fixed_timestamp"]

    @property
    def event_type(self) -> str:
        return self.raw["event_type"]

    def extension(self, name: str) -> dict[str, Any]:
        return self.raw["extensions"][name]

    @property
    def event_extension_id(self) -> str:
        return self.extension("event")["id"]

    @property
    def property_extension_id(self) -> str:
        return self.extension("properties")["id"]

    @property
    def project_identity(self) -> dict[str, Any]:
        return self.raw["project_identity"]

    def actor_kind(self, kind: str) -> dict[str, Any]:
        return self.raw["actor_kinds"][kind]

    @property
    def import_actor_types(self) -> dict[str, str]:
        return self.raw["import_actor_types"]

    def mention_identity_class(self, kind: str) -> str:
        return self.raw["mention_identity_class"].get(kind, "unknown")

    @property
    def relation_types(self) -> dict[str, str]:
        return self.raw["relation_types"]

    @property
    def relation_types_back(self) -> dict[str, str]:
        return {stix: vigil for vigil, stix in self.relation_types.items()}

    @property
    def event_links(self) -> dict[str, str]:
        return self.raw["event_links"]

    def opinion(self, stance: str, confidence: float) -> str:
        values = self.raw["stances"][stance]
        return values["strong"] if confidence >= self.raw["stances"]["strong_confidence"] else values["plain"]

    def stance_of(self, opinion: str) -> str | None:
        """asserts / denies for an opinion value; None for neutral (not a claim Vigil models)."""
        for stance in ("asserts", "denies"):
            if opinion in self.raw["stances"][stance].values():
                return stance
        return None

    @property
    def report_types(self) -> list[str]:
        return self.raw["report_types"]

    def reference(self, name: str) -> str:
        return self.raw["references"][name]

    @property
    def tlp2(self) -> dict[str, Any]:
        return self.raw["tlp2"]


@lru_cache(maxsize=1)
def load_spec() -> StixSpec:
    """The mapping, read from the package once and checked (a broken file is a clear error)."""
    text = resources.files("vigil.share.stix").joinpath("data/stix_mapping.json").read_text(encoding="utf-8")
    spec = StixSpec(json.loads(text))
    problems = check_spec(spec)
    if problems:
        raise ValueError(ERR_SPEC.format(reason="; ".join(problems)))
    return spec


def check_spec(spec: StixSpec) -> list[str]:
    """What is wrong with the mapping (empty when it is usable)."""
    from vigil.model.records import ActorKind

    problems: list[str] = []
    kinds = set(ActorKind.__args__)  # type: ignore[attr-defined]
    missing = kinds - set(spec.raw.get("actor_kinds", {}))
    if missing:
        problems.append(f"actor kinds without a STIX type: {sorted(missing)}")
    relations = set(RelationType.__args__)  # type: ignore[attr-defined]
    if set(spec.raw.get("relation_types", {})) != relations:
        problems.append(f"relation_types must name exactly {sorted(relations)}")
    markings = spec.raw.get("tlp2", {}).get("markings", {})
    if set(markings) != {m.value for m in Tlp}:
        problems.append("tlp2.markings must name every TLP 2.0 marking")
    for name in ("event", "properties"):
        ext = spec.raw.get("extensions", {}).get(name, {})
        if not str(ext.get("id", "")).startswith("extension-definition--"):
            problems.append(f"extension {name!r} needs an extension-definition id")
    if not spec.raw.get("event_type", "").startswith("x-"):
        problems.append("event_type must be a custom type (x-...)")
    for target in spec.raw.get("import_actor_types", {}).values():
        if target not in kinds:
            problems.append(f"import_actor_types maps to an unknown kind {target!r}")
    return problems
