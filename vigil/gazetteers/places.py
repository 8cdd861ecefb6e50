"""The place gazetteer: countries, divisions and cities, and how to pick among them.

``load_place_gazetteer()`` reads the shipped ``data/places.tsv.gz`` and
``data/nationalities.tsv`` once per process (built by
``vigil.gazetteers.build_places``).

Loading is kept cheap because every ``vigil extract`` pays it: places are held
as plain rows, and a ``Place`` record, a name's match mode and a name's facts
(``traits``) are only made for the names a text actually contains.
"""

from __future__ import annotations

import csv
import gzip
import math
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

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
_BIG_CITY = 100_000
_KIND_PRIOR = {"country": 3.0, "admin1": 1.0, "admin2": 0.7, "city": 0.5}
_PRECISION = {"country": "country", "admin1": "admin1", "admin2": "admin2", "city": "place"}

#: ``normalise`` for ASCII text in one C-level pass (see ``name_key``).
_ASCII_KEY = {}
for _code in range(128):
    _ch = chr(_code)
    if _ch in "'\"`.":
        _ASCII_KEY[_code] = None
    elif _ch in "-_/" or not (_ch.isalnum() or _ch.isspace() or _ch == "&"):
        _ASCII_KEY[_code] = " "
del _code, _ch


def name_key(text: str) -> str:
    """``normalise(text)``, faster for ASCII text (most gazetteer names)."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_KEY).split())
    return normalise(text)


class Row(NamedTuple):
    """One line of ``places.tsv.gz``, typed but not yet a ``Place`` record."""

    geonames_id: int | None
    kind: str
    name: str
    country: str
    admin1: str
    admin2: str
    lat: float | None
    lon: float | None
    population: int

    def place(self) -> Place:
        return Place(
            geonames_id=self.geonames_id, name=self.name, kind=self.kind, country=self.country,  # type: ignore[arg-type]
            admin1=self.admin1 or None, admin2=self.admin2 or None, lat=self.lat, lon=self.lon, population=self.population,
        )


class Traits(NamedTuple):
    """What the matcher needs to know about the places a name may refer to."""

    countries: frozenset[str]  #: their countries
    first_country: str  #: the country of the first candidate
    has_country: bool  #: one of them is a country
    major: bool  #: one of them is a country or first-level division
    notable: bool  #: one of them is a division or a city of 100,000 or more


class _Modes(Mapping):
    """Normalised name -> match mode, worked out the first time a name is asked for."""

    def __init__(self, gazetteer: PlaceGazetteer) -> None:
        self._gazetteer = gazetteer
        self._known: dict[str, int | None] = {}
        self._complete = False

    def get(self, key, default=None):  # type: ignore[override]
        mode = self._known.get(key, -1)
        if mode == -1:
            mode = self._known[key] = self._gazetteer._mode_of(key)
        return default if mode is None else mode

    def __getitem__(self, key: str) -> int:
        mode = self.get(key)
        if mode is None:
            raise KeyError(key)
        return mode

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def _all(self) -> dict[str, int]:
        return {key: mode for key in self._gazetteer._index if (mode := self.get(key)) is not None}

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


class PlaceGazetteer:
    """Places indexed by normalised name, with the rules for matching and resolving them."""

    def __init__(self, rows: list[Row], alternates: list[list[str]], nationalities: dict[str, str],
                 person_tokens: frozenset[str] = frozenset(), stopwords: frozenset[str] = frozenset()) -> None:
        self.rows = rows
        self._index: dict[str, list[int]] = {}
        self._exact: list[str] = []
        index = self._index
        for i, (row, alts) in enumerate(zip(rows, alternates)):
            own = name_key(row.name)
            self._exact.append(own)
            keys = {own: None}
            for alt in alts:
                keys[name_key(alt)] = None
            for key in keys:
                if key:
                    if key in index:
                        index[key].append(i)
                    else:
                        index[key] = [i]
        self._country_rows = {row.country: i for i, row in enumerate(rows) if row.kind == "country"}
        self._nationalities = {normalise(k): v for k, v in nationalities.items()}
        self._person_tokens = person_tokens
        self._stopwords = stopwords
        self._modes = _Modes(self)
        self._places: dict[int, Place] = {}
        self._dumps: dict[int, dict] = {}
        self._traits: dict[str, Traits] = {}
        self._prefixes: frozenset[str] | None = None
        self._leading: frozenset[str] | None = None

    def _state(self) -> tuple:
        """What ``_from_state`` needs to rebuild this gazetteer without reading the data files."""
        return (
            [tuple(row) for row in self.rows], self._index, self._exact, self._country_rows, self._nationalities,
            self._person_tokens, self._stopwords, self.leading(),
        )

    @classmethod
    def _from_state(cls, state: tuple) -> PlaceGazetteer:
        rows, index, exact, country_rows, nationalities, person_tokens, stopwords, leading = state
        gazetteer = cls.__new__(cls)
        gazetteer.rows = list(map(Row._make, rows))
        gazetteer._index = index
        gazetteer._exact = exact
        gazetteer._country_rows = country_rows
        gazetteer._nationalities = nationalities
        gazetteer._person_tokens = person_tokens
        gazetteer._stopwords = stopwords
        gazetteer._modes = _Modes(gazetteer)
        gazetteer._places = {}
        gazetteer._dumps = {}
        gazetteer._traits = {}
        gazetteer._prefixes = None
        gazetteer._leading = leading
        return gazetteer

    @classmethod
    def from_places(cls, places: list[Place], alternates: list[list[str]], nationalities: dict[str, str],
                    person_tokens: frozenset[str] = frozenset(), stopwords: frozenset[str] = frozenset()) -> PlaceGazetteer:
        """A gazetteer over ``Place`` records (as ``read_places`` yields them)."""
        rows = [Row(p.geonames_id, p.kind, p.name, p.country, p.admin1 or "", p.admin2 or "", p.lat, p.lon, p.population)
                for p in places]
        gazetteer = cls(rows, alternates, nationalities, person_tokens, stopwords)
        gazetteer._places = dict(enumerate(places))
        return gazetteer

    def _mode_of(self, key: str) -> int | None:
        """How ``key`` may be matched, or None when it is not a name or too ambiguous to match at all."""
        if key not in self._index or key in self._stopwords:
            return None
        cands = [self.rows[i] for i in self._index[key]]
        major = any(p.kind in ("country", "admin1") for p in cands)
        tokens = key.split()
        if len(key) < 3 or not any(ch.isalpha() for ch in key):
            return None
        if len(tokens) == 1:
            prob = word_prob(key)
            if prob is not None and prob >= _VERY_COMMON and not any(p.kind == "country" for p in cands):
                return None
            if key in self._person_tokens and not major and all(p.kind == "city" and p.population < _SMALL for p in cands):
                return None
            if prob is not None and not (prob < -12.0 and any(p.kind != "city" for p in cands)):
                return MATCH_MIXED_CASE
        elif all(word_prob(t) is not None for t in tokens):
            return MATCH_MIXED_CASE
        return MATCH_ANY

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def places(self) -> list[Place]:
        """Every place as a ``Place`` record (slow: made on demand)."""
        return [self.place(i) for i in range(len(self.rows))]

    def place(self, index: int) -> Place:
        """The ``Place`` record of row ``index``."""
        place = self._places.get(index)
        if place is None:
            place = self._places[index] = self.rows[index].place()
        return place

    def place_dict(self, index: int) -> dict:
        """``place(index).model_dump()``, a fresh copy each call."""
        dump = self._dumps.get(index)
        if dump is None:
            dump = self._dumps[index] = self.place(index).model_dump()
        return dict(dump)

    def candidates(self, name: str) -> list[Place]:
        """Every place this name may refer to."""
        return [self.place(i) for i in self._index.get(name_key(name), [])]

    def names(self) -> Mapping[str, int]:
        """Normalised names worth matching in text, with their match mode (``MATCH_ANY``...)."""
        return self._modes

    def prefixes(self) -> frozenset[str]:
        """Every normalised name and each of its leading word sequences ("north", "north waziristan")."""
        if self._prefixes is None:
            self._prefixes = frozenset(self._index) | self.leading()
        return self._prefixes

    def leading(self) -> frozenset[str]:
        """The word sequences that begin a longer name ("north" of "north waziristan")."""
        if self._leading is None:
            found: set[str] = set()
            for key in self._index:
                cut = key.rfind(" ")
                while cut > 0:
                    key = key[:cut]
                    if key in found:
                        break
                    found.add(key)
                    cut = key.rfind(" ")
            self._leading = frozenset(found)
        return self._leading

    def traits(self, key: str) -> Traits:
        """Facts about the candidates of a normalised name (which must be one of ``names()``)."""
        traits = self._traits.get(key)
        if traits is None:
            rows = [self.rows[i] for i in self._index[key]]
            traits = self._traits[key] = Traits(
                countries=frozenset(r.country for r in rows),
                first_country=rows[0].country,
                has_country=any(r.kind == "country" for r in rows),
                major=any(r.kind in ("country", "admin1") for r in rows),
                notable=any(r.kind != "city" or r.population >= _BIG_CITY for r in rows),
            )
        return traits

    def country(self, code: str) -> Place | None:
        """The country with this ISO 3166-1 alpha-2 code."""
        index = self._country_rows.get(code.upper())
        return None if index is None else self.place(index)

    def nationality(self, word: str) -> str | None:
        """The country code of a demonym ("Pakistani" -> "PK")."""
        return self._nationalities.get(normalise(word))

    def nationality_words(self) -> dict[str, str]:
        return dict(self._nationalities)

    def score(self, index: int, key: str, context: dict[str, float]) -> float:
        row = self.rows[index]
        total = sum(context.values()) or 1.0
        share = context.get(row.country, 0.0) / total
        exact = 0.5 if self._exact[index] == key else 0.0
        # Population separates cities; for divisions it only breaks ties (Punjab PK vs IN).
        weight = 10 if row.kind == "city" else 100
        return 4.0 * share + _KIND_PRIOR[row.kind] + exact + math.log10(row.population + 1) / weight

    def resolve(self, name: str, context: dict[str, float] | None = None) -> Location | None:
        """The most likely place for ``name`` given country weights (the document's countries)."""
        ranked = self.ranked(name, context or {})
        return location_of(ranked[0]) if ranked else None

    def ranked(self, name: str, context: dict[str, float]) -> list[Place]:
        """Candidates, most likely first."""
        return [self.place(i) for i in self.ranked_indices(name_key(name), context)]

    def ranked_indices(self, key: str, context: dict[str, float]) -> list[int]:
        """Row numbers of the candidates of a normalised name, most likely first."""
        indices = self._index.get(key, [])
        if len(indices) == 1:
            return list(indices)
        return sorted(indices, key=lambda i: -self.score(i, key, context))

    def location_dict(self, index: int, text: str, start: int, end: int) -> dict:
        """``location_of(place(index), text=, start=, end=).model_dump(exclude_none=True)``, without the records."""
        row = self.rows[index]
        value = {"text": text, "start": start, "end": end, "name": row.name}
        for field, item in (("admin2", row.admin2 or None), ("admin1", row.admin1 or None), ("country", row.country),
                            ("lat", row.lat), ("lon", row.lon), ("geonames_id", row.geonames_id)):
            if item is not None:
                value[field] = item
        value["precision"] = _PRECISION[row.kind]
        return value


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


def read_rows(path: Path) -> tuple[list[Row], list[list[str]]]:
    """The lines of ``places.tsv.gz`` as ``Row`` tuples and alternate names, checked but without ``Place`` records.

    Checks what ``read_places`` checks (columns, kind, numbers) at a fraction of the cost.
    """
    if not path.exists():
        raise DataFileError(f"place gazetteer not found: {path} (rebuild it with vigil.gazetteers.build.build_all)")
    rows: list[Row] = []
    alternates: list[list[str]] = []
    width = len(COLUMNS)
    with gzip.open(path, "rb") as handle:
        lines = handle.read().decode("utf-8").split("\n")
    if lines and not lines[-1]:
        lines.pop()
    for number, line in enumerate(lines, 1):
        fields = line.split("\t")
        if "\\" in line or "\r" in line:  # escaped characters: let the csv module read the line
            fields = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\"), [])
        if len(fields) != width:
            raise DataFileError(f"{path}:{number}: expected {width} columns, found {len(fields)}")
        gid, kind, name, country, admin1, admin2, lat, lon, population, alts = fields
        if kind not in _KIND_PRIOR or not name or not country:
            raise DataFileError(f"{path}:{number}: not a valid Place: kind {kind!r}, name {name!r}, country {country!r}")
        try:
            rows.append(Row(int(gid) if gid else None, kind, name, country, admin1, admin2,
                            float(lat) if lat else None, float(lon) if lon else None, int(population or 0)))
        except ValueError as exc:
            raise DataFileError(f"{path}:{number}: not a valid Place: {exc}") from exc
        alternates.append([a for a in alts.split("|") if a] if alts else [])
    return rows, alternates


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
    """The place gazetteer, read once per process (per folder).

    The built index is kept in a cache folder (``vigil.gazetteers.cache``), keyed by the data files'
    sizes and modification times, so later processes load it instead of rebuilding it.
    """
    from vigil.gazetteers import text
    from vigil.gazetteers.cache import file_stamps, read_cache, write_cache
    from vigil.gazetteers.build_actors import ACTORS_FILE

    data_dir = Path(data_dir) if data_dir else DATA_DIR
    # The person tokens come from the shipped actors; the code that builds the index counts too.
    key = file_stamps(data_dir / PLACES_FILE, data_dir / NATIONALITIES_FILE, data_dir / STOPWORDS_FILE,
                      DATA_DIR / ACTORS_FILE, Path(__file__), Path(text.__file__))
    state = read_cache("places", key)
    if state is not None:
        try:
            return PlaceGazetteer._from_state(state)  # type: ignore[arg-type]
        except Exception:
            pass
    gazetteer = _build_place_gazetteer(data_dir)
    write_cache("places", key, gazetteer._state())
    return gazetteer


def _build_place_gazetteer(data_dir: Path) -> PlaceGazetteer:
    rows, alternates = read_rows(data_dir / PLACES_FILE)
    nationalities = read_nationalities(data_dir / NATIONALITIES_FILE)
    lines = (data_dir / STOPWORDS_FILE).read_text(encoding="utf-8").splitlines()
    stopwords = frozenset(normalise(line) for line in [*lines, *nationalities] if line and not line.startswith("#"))
    return PlaceGazetteer(rows, alternates, nationalities, _person_tokens(), stopwords)
