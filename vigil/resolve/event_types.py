"""Which ACLED sub-event types two reports of one event may disagree on.

The rules are data (``data/event_types.json``): families of types that can
describe one incident, pairs that are routinely confused, and a severity order
for breaking ties. Loaded and validated once against the ACLED taxonomy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from vigil.errors import DataFileError
from vigil.model.taxonomy import is_sub_event_type

TypeRelation = Literal["same", "close", "related", "incompatible"]
FILE = "event_types.json"


@dataclass(frozen=True)
class TypeRules:
    """Families, close pairs and the severity order of ACLED sub-event types."""

    families: dict[str, frozenset[str]]
    close: frozenset[frozenset[str]]
    severity: tuple[str, ...]

    def relation(self, a: str, b: str) -> TypeRelation:
        """How two sub-event types relate: same, close, related (same family) or incompatible."""
        if a == b:
            return "same"
        if frozenset((a, b)) in self.close:
            return "close"
        if any(a in members and b in members for members in self.families.values()):
            return "related"
        return "incompatible"

    def rank(self, sub_event_type: str) -> int:
        """Position in the severity order (0 = most severe); unknown types come last."""
        try:
            return self.severity.index(sub_event_type)
        except ValueError:
            return len(self.severity)


def parse_type_rules(raw: dict, where: str = FILE) -> TypeRules:
    """Validate the rules: every name must be an ACLED sub-event type, spelled as ACLED does."""
    names = [n for members in raw["families"].values() for n in members]
    names += [n for pair in raw["close"] for n in pair] + list(raw["severity"])
    unknown = sorted({n for n in names if not is_sub_event_type(n)})
    if unknown:
        raise DataFileError(f"{where}: not ACLED sub-event types: {', '.join(unknown)}")
    bad_pairs = [pair for pair in raw["close"] if len(pair) != 2]
    if bad_pairs:
        raise DataFileError(f"{where}: a close pair must name two types: {bad_pairs[0]}")
    return TypeRules(
        families={name: frozenset(members) for name, members in raw["families"].items()},
        close=frozenset(frozenset(pair) for pair in raw["close"]),
        severity=tuple(raw["severity"]),
    )


@lru_cache(maxsize=1)
def load_type_rules() -> TypeRules:
    """The shipped rules, read once per process."""
    text = resources.files("vigil.resolve").joinpath("data", FILE).read_text("utf-8")
    return parse_type_rules(json.loads(text))
