"""Whether two event locations can be the same place: equal, nested, or in conflict.

A location is read as a path country > admin1 > admin2 > place. Two paths are
compared level by level wherever both know the level: the deepest level at
which they agree says how close they are, the first level at which they differ
says they conflict. A level one side does not know is skipped, so a town
without a district in the gazetteer still nests in its province ("Khar, Khyber
Pakhtunkhwa" and "Bajaur district, Khyber Pakhtunkhwa" agree at admin1).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vigil.gazetteers.text import normalise
from vigil.model.records import Location

LEVELS = ("country", "admin1", "admin2", "place")
#: How much agreeing down to a level is worth (feature ``place_agreement``).
AGREEMENT = {"country": 0.25, "admin1": 0.5, "admin2": 0.75, "place": 1.0}
#: How much a disagreement at a level weighs against (feature ``place_conflict``).
CONFLICT = {"country": 1.0, "admin1": 0.75, "admin2": 0.5, "place": 0.25}
_WORDS = {"country": "country", "admin1": "province", "admin2": "district", "place": "place"}
_SUFFIXES = (" district", " agency", " province", " tehsil", " city")


@dataclass(frozen=True)
class PlaceMatch:
    """The outcome of comparing two locations, with its two feature values and a phrase."""

    agreement: float
    conflict: float
    text: str


def place_path(location: Location | None) -> dict[str, str]:
    """The known levels of a location as comparison keys ("Bajaur Agency" == "Bajaur district")."""
    if location is None:
        return {}
    path = {"country": location.country, "admin1": location.admin1, "admin2": location.admin2}
    if location.precision == "place" and location.name:
        path["place"] = location.name
    elif location.precision in ("admin1", "admin2") and location.name and not path.get(location.precision):
        path[location.precision] = location.name
    return {level: _key(value) for level, value in path.items() if value}


@lru_cache(maxsize=1 << 16)  # the same few place names are compared over and over
def _key(name: str) -> str:
    key = normalise(name)
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def label(location: Location | None) -> str:
    """A short human name for a location: its most precise name and its country."""
    if location is None:
        return "unknown place"
    name = location.name or location.admin2 or location.admin1 or location.country or "unknown place"
    return name if not location.country or name == location.country else f"{name} ({location.country})"


def compare_places(a: Location | None, b: Location | None) -> PlaceMatch:
    """How two locations relate; an unknown location is neither evidence for nor against."""
    path_a, path_b = place_path(a), place_path(b)
    if not path_a or not path_b:
        return PlaceMatch(0.0, 0.0, "place unknown in one report")
    agreed = None
    for level in LEVELS:
        if level in path_a and level in path_b:
            if path_a[level] != path_b[level]:
                text = f"{label(a)} vs {label(b)}: different {_WORDS[level]}"
                return PlaceMatch(AGREEMENT[agreed] if agreed else 0.0, CONFLICT[level], text)
            agreed = level
    if agreed is None:
        return PlaceMatch(0.0, 0.0, f"{label(a)} vs {label(b)}: not comparable")
    depth_a, depth_b = _depth(path_a), _depth(path_b)
    if depth_a == depth_b == agreed:
        text = f"{label(a)} in both" if agreed == "place" else f"same {_WORDS[agreed]} ({label(a)})"
    elif agreed in (depth_a, depth_b):
        coarse, fine = (a, b) if depth_a == agreed else (b, a)
        text = f"{label(fine)} lies within {label(coarse)}"
    else:
        text = f"{label(a)} vs {label(b)}: same {_WORDS[agreed]}, finer levels not comparable"
    return PlaceMatch(AGREEMENT[agreed], 0.0, text)


def _depth(path: dict[str, str]) -> str:
    return [level for level in LEVELS if level in path][-1]
