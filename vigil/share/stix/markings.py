"""TLP 2.0 markings as the OASIS marking-definition objects, and markings read back from a bundle.

stix2 3.0 ships only the TLP 1.0 definitions (``stix2.TLP_WHITE``...), so the TLP 2.0
ones, with the fixed ids OASIS published and their ``tlp_2_0`` property extension,
come from the mapping data. On import TLP 1.0 markings are understood too (WHITE is
CLEAR), as are marking definitions that carry the TLP 2.0 extension or a TLP 1.0
``definition``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from stix2.v21 import MarkingDefinition

from vigil.model.access import Tlp
from vigil.share.stix.spec import load_spec


def marking_id(tlp: Tlp | str) -> str:
    return load_spec().tlp2["markings"][Tlp(tlp).value]["id"]


@lru_cache(maxsize=None)
def marking_definition(tlp: Tlp) -> MarkingDefinition:
    """The OASIS TLP 2.0 marking-definition object for ``tlp``."""
    tlp2 = load_spec().tlp2
    entry = tlp2["markings"][tlp.value]
    return MarkingDefinition(
        id=entry["id"],
        created=tlp2["created"],
        name=tlp.value,
        extensions={tlp2["extension_id"]: {"extension_type": "property-extension", "tlp_2_0": entry["tlp_2_0"]}},
    )


def known_markings() -> dict[str, Tlp]:
    """Marking-definition id -> TLP, for the TLP 2.0 ids and stix2's TLP 1.0 ids."""
    tlp2 = load_spec().tlp2
    known = {entry["id"]: Tlp(name) for name, entry in tlp2["markings"].items()}
    known.update({marking: Tlp(name) for marking, name in tlp2["tlp1"].items()})
    return known


def tlp_of_definition(obj: Mapping) -> Tlp | None:
    """The TLP a marking-definition object in a bundle stands for, if it is a TLP marking."""
    if obj.get("id") in known_markings():
        return known_markings()[obj["id"]]
    extension = (obj.get("extensions") or {}).get(load_spec().tlp2["extension_id"])
    if isinstance(extension, Mapping) and extension.get("tlp_2_0"):
        return _parse(str(extension["tlp_2_0"]))
    definition = obj.get("definition")
    if obj.get("definition_type") == "tlp" and isinstance(definition, Mapping) and definition.get("tlp"):
        return _parse(str(definition["tlp"]))
    return None


def tlp_of(refs: Iterable[str] | None, definitions: Mapping[str, Tlp]) -> Tlp | None:
    """The most restricted TLP among ``refs`` (None: no TLP marking among them)."""
    found = [definitions[ref] for ref in refs or () if ref in definitions]
    return Tlp.most_restricted(found) if found else None


def _parse(value: str) -> Tlp | None:
    try:
        return Tlp.parse(value)
    except ValueError:
        return None
