"""The place gazetteer: countries, divisions and cities, and how to pick among them.

``load_place_gazetteer()`` reads the shipped ``data/places.tsv.gz`` and
``data/nationalities.tsv`` once per process (built by
``vigil.gazetteers.build_places``).
"""

from __future__ import annotations

import csv
import gzip
import math
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from vigil.errors import DataFileError
from vigil.gazetteers.build_places import COLUMNS, PLACES_FILE
from vigil.gazetteers.text import DATA_DIR, normalise, word_prob
from vigil.model.records import Location, Place

NATIONALITIES_FILE = "nationalities.tsv"
STOPWORDS_FILE = "place_stopwords.txt"
#: How a name may be matched in running text.
MATCH_ANY = 0  #: in any case, ALL-CAPS text included
MATCH_MIXED_CASE = 1  #: only capitalised, in mixed-case text, and not at a sentence start unless a country or region
_VERY_COMMON = -9.5
_SMALL = 15000
_KIND_PRIOR = {"country": 3.0, "admin1": 1.0, "admin2": 0.7, "city": 0.5}
_PRECISION = {"country": "country", "admin1": "admin1", "admin2": "admin2", "city": "place"}


class PlaceGazetteer:
    """Places indexed by normalised name, with the rules for matching and resolving them."""

    def __init__(self, places: list[Place], alternates: list[list[str]], nationalities: dict[str, str],
                 person_tokens: frozenset[str] = frozenset(), stopwords: frozenset[str] = frozenset()) -> None:
        self.places = places
        self._index: dict[str, list[int]] = defaultdict(list)
        self._exact: dict[int, str] = {}
        for i, (place, alts) in enumerate(zip(places, alternates)):
            own = normalise(place.name)
            self._exact[i] = own
            for key in dict.fromkeys([own, *(normalise(a) for a in alts)]):
                if key:
                    self._index[key].append(i)
        self._countries = {p.country: p for p in places if p.kind == "country"}
        self._nationalities = {normalise(k): v for k, v in nationalities.items()}
        self._modes = {
            key: mode for key in self._index if key not in stopwords and (mode := self._mode(key, person_tokens)) is not None
        }

    def _mode(self, key: str, person_tokens: frozenset[str]) -> int | None:
        """How ``key`` may be matched, or None when it is too ambiguous to match at all."""
        cands = [self.places[i] for i in self._index[key]]
        major = any(p.kind in ("country", "admin1") for p in cands)
        tokens = key.split()
        if len(key) < 3 or not any(ch.isalpha() for ch in key):
            return None
        if len(tokens) == 1:
            prob = word_prob(key)
            if prob is not None and prob >= _VERY_COMMON and not any(p.kind == "country" for p in cands):
                return None
            if key in person_tokens and not major and all(p.kind == "city" and p.population < _SMALL for p in cands):
                return None
            if prob is not None and not (prob < -12.0 and any(p.kind != "city" for p in cands)):
                return MATCH_MIXED_CASE
        elif all(word_prob(t) is not None for t in tokens):
            return MATCH_MIXED_CASE
        return MATCH_ANY

    def __len__(self) -> int:
        return len(self.places)

    def candidates(self, name: str) -> list[Place]:
        """Every place this name may refer to."""
        return [self.places[i] for i in self._index.get(normalise(name), [])]

    def names(self) -> dict[str, int]:
        """Normalised names worth matching in text, with their match mode (``MATCH_ANY``...)."""
        return self._modes

    def country(self, code: str) -> Place | None:
        """The country with this ISO 3166-1 alpha-2 code."""
        return self._countries.get(code.upper())

    def nationality(self, word: str) -> str | None:
        """The country code of a demonym ("Pakistani" -> "PK")."""
        return self._nationalities.get(normalise(word))

    def nationality_words(self) -> dict[str, str]:
        return dict(self._nationalities)

    def score(self, index: int, key: str, context: dict[str, float]) -> float:
        place = self.places[index]
        total = sum(context.values()) or 1.0
        share = context.get(place.country, 0.0) / total
        exact = 0.5 if self._exact[index] == key else 0.0
        # Population separates cities; for divisions it only breaks ties (Punjab PK vs IN).
        weight = 10 if place.kind == "city" else 100
        return 4.0 * share + _KIND_PRIOR[place.kind] + exact + math.log10(place.population + 1) / weight

    def resolve(self, name: str, context: dict[str, float] | None = None) -> Location | None:
        """The most likely place for ``name`` given country weights (the document's countries)."""
        ranked = self.ranked(name, context or {})
        return location_of(ranked[0]) if ranked else None

    def ranked(self, name: str, context: dict[str, float]) -> list[Place]:
        """Candidates, most likely first."""
        key = normalise(name)
        indices = self._index.get(key, [])
        order = sorted(indices, key=lambda i: -self.score(i, key, context))
        return [self.places[i] for i in order]


def location_of(place: Place, **span: object) -> Location:
    """The ``Location`` record for a resolved place."""
    return Location(
        name=place.name,
        admin1=place.admin1 or None,
        admin2=place.admin2 or None,
        country=place.country,
        lat=place.lat,
        lon=place.lon,
        geonames_id=place.geonames_id,
        precision=_PRECISION[place.kind],  # type: ignore[arg-type]
        **span,  # type: ignore[arg-type]
    )


def read_places(path: Path) -> Iterator[tuple[Place, list[str]]]:
    """Every place of ``places.tsv.gz`` with its alternate names; invalid lines raise ``DataFileError``."""
    if not path.exists():
        raise DataFileError(f"place gazetteer not found: {path} (rebuild it with vigil.gazetteers.build.build_all)")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
        for number, row in enumerate(reader, 1):
            if len(row) != len(COLUMNS):
                raise DataFileError(f"{path}:{number}: expected {len(COLUMNS)} columns, found {len(row)}")
            gid, kind, name, country, admin1, admin2, lat, lon, population, alts = row
            try:
                place = Place(
                    geonames_id=int(gid) if gid else None, name=name, kind=kind, country=country,  # type: ignore[arg-type]
                    admin1=admin1 or None, admin2=admin2 or None,
                    lat=float(lat) if lat else None, lon=float(lon) if lon else None, population=int(population or 0),
                )
            except ValueError as exc:
                raise DataFileError(f"{path}:{number}: not a valid Place: {exc}") from exc
            yield place, [a for a in alts.split("|") if a]


def read_nationalities(path: Path) -> dict[str, str]:
    table = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            word, _, code = line.rstrip("\n").partition("\t")
            if len(code) != 2 or not code.isupper():
                raise DataFileError(f"{path}:{number}: expected 'demonym<TAB>ISO2', found {line.strip()!r}")
            table[word] = code
    return table


def _person_tokens() -> frozenset[str]:
    """Words of listed people's names ("Mohammad", "Khan"): small villages so named are not matched."""
    from vigil.gazetteers.actors import load_actor_gazetteer

    tokens = set()
    for actor in load_actor_gazetteer().actors.values():
        if actor.kind == "person":
            tokens.update(normalise(actor.name).split())
    return frozenset(tokens)


@lru_cache(maxsize=4)
def load_place_gazetteer(data_dir: Path | None = None) -> PlaceGazetteer:
    """The place gazetteer, read once per process (per folder)."""
    data_dir = Path(data_dir) if data_dir else DATA_DIR
    pairs = list(read_places(data_dir / PLACES_FILE))
    nationalities = read_nationalities(data_dir / NATIONALITIES_FILE)
    lines = (data_dir / STOPWORDS_FILE).read_text(encoding="utf-8").splitlines()
    stopwords = frozenset(normalise(line) for line in [*lines, *nationalities] if line and not line.startswith("#"))
    return PlaceGazetteer([p for p, _ in pairs], [a for _, a in pairs], nationalities, _person_tokens(), stopwords)
