"""Cleaning and checking the values of a recovered-weapon record, whoever enters it (CSV, CLI, API).

``recovered_weapon(fields)`` turns raw values (strings as typed, or values
already typed) into a ``RecoveredWeapon``, or raises ``BadFields`` naming
every field that cannot be read. Values are normalised the way extracted
weapons are, with the same lexicon (``vigil/nlp/patterns/weapons.json``) and
place gazetteer, so recovered and reported weapons count together:

- the type becomes a weapon class of the lexicon ("AK-47" and "Kalashnikov"
  are "assault rifle"; without a type, a known model gives it);
- the calibre is normalised ("7.62 x 39" -> "7.62x39mm", ".223" -> "5.56x45mm
  NATO"); one the lexicon does not know is kept as written;
- the country of manufacture becomes an ISO code ("Russia", "Chinese", "CN";
  "USSR" is SU);
- the recovery date keeps its precision ("2023-07" is a month);
- the recovery place is resolved through the place gazetteer, the later parts
  of "Spin Boldak, Kandahar, AF" choosing among same-named places.

The record id is given, or derived from a natural key (``recovered_id``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from functools import lru_cache

from vigil.errors import VigilError
from vigil.model.access import LOCAL_ORG, Tlp
from vigil.model.records import Location, RecoveredWeapon

FIELDS = (
    "id", "weapon_class", "make", "model", "calibre", "serial_number", "serial_obliterated", "markings",
    "country_of_manufacture", "import_marks", "recovered_on", "recovered_precision", "recovery_place", "event_id",
    "custody_notes", "source", "recorded_by",
)
LIST_SEPARATORS = re.compile(r"\s*[;|\n]\s*")
# Codes of states that no longer exist, still read on weapons (ISO 3166-3 reserved them).
HISTORICAL_COUNTRIES = {
    "SU": ("ussr", "soviet union", "cccp", "soviet"),
    "YU": ("yugoslavia", "yugoslav"),
    "CS": ("czechoslovakia", "czechoslovak"),
    "DD": ("east germany", "gdr", "german democratic republic"),
}
COUNTRY_WORDS = {"usa": "US", "u.s.": "US", "u.s.a.": "US", "united states of america": "US", "uk": "GB", "britain": "GB"}
TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1", "x", "obliterated"})
FALSE_WORDS = frozenset({"", "no", "n", "false", "f", "0", "-"})
PRECISION_LENGTHS = {"year": 4, "month": 7, "day": 10}
MAX_TEXT = 200
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$")
_BARE_PAIR = re.compile(r"^(\d{1,2}(?:[.,]\d{1,2})?)\s*[x×]\s*(\d{2,3})(r?)(?=\s|$)")
_BARE_DIAMETER = re.compile(r"^(\d{1,2}[.,]\d{1,2})(?=\s|$)")

ERR_CLASS = "{value!r} is not a weapon type Vigil knows; use a model such as 'AK-47' or a class: {classes}"
ERR_COUNTRY = "{value!r} is not a country: give an ISO 3166-1 alpha-2 code (e.g. RU) or a country name"
ERR_DATE = "{value!r} is not a date; use YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Www"
ERR_PRECISION = "{value!r} is not a precision; use day, week, month or year"
ERR_PRECISION_FINER = "precision {precision!r} is finer than the date {date!r}"
ERR_PRECISION_WEEK = "a week ({date!r}) has the precision 'week', not {precision!r}"
ERR_BOOL = "{value!r} is not yes or no"
ERR_EVENT = "{value!r} is not an event id (a whole number, see `vigil events`)"
ERR_ID = "{value!r} is not a usable id (letters, digits and . _ : -, at most 200 characters)"
ERR_LONG = "longer than {most} characters"
ERR_EMPTY = "nothing identifies the weapon: give at least a type, make, model or serial number"
ERR_UNKNOWN_FIELD = "not a recovered-weapon field"


class BadFields(VigilError):
    """Values that cannot be read, as (field, problem) pairs, all of them at once."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {problem}" for field, problem in problems))
        self.problems = problems

    @property
    def fields(self) -> list[str]:
        return [field for field, _ in self.problems]


def recovered_weapon(
    fields: Mapping[str, object], *, occurrence: int = 1, tlp: Tlp | str | None = None, org_id: str | None = None
) -> RecoveredWeapon:
    """A normalised record from raw ``fields`` (names as in ``FIELDS``); ``BadFields`` lists every bad one.

    ``occurrence`` > 1 marks the n-th identical record without a serial
    number in one batch, so that several identical weapons keep several ids.
    ``tlp`` and ``org_id`` mark it (default TLP:CLEAR, the instance's own organisation);
    the owner is part of a derived id, so two organisations' records of one weapon stay two
    records and neither can overwrite the other's.
    """
    problems: list[tuple[str, str]] = []
    values: dict[str, object] = {}
    for name in fields:
        if name not in FIELDS:
            problems.append((name, ERR_UNKNOWN_FIELD))
    for name, clean in _CLEANERS.items():
        raw = fields.get(name)
        try:
            values[name] = clean(raw)
        except ValueError as error:
            problems.append((name, str(error)))
    if not problems:
        values["weapon_class"] = values["weapon_class"] or _class_of_model(values["model"])  # type: ignore[arg-type]
        _check_precision(values, problems)
    if not problems and not any(values.get(name) for name in ("weapon_class", "make", "model", "serial_number")):
        problems.append(("weapon_class", ERR_EMPTY))
    if problems:
        raise BadFields(problems)
    owner = None if org_id in (None, LOCAL_ORG) else org_id
    values["id"] = values["id"] or recovered_id(values, occurrence, owner)
    return RecoveredWeapon(**values, tlp=tlp or Tlp.CLEAR, org_id=owner)  # type: ignore[arg-type]


def recovered_id(values: Mapping[str, object], occurrence: int = 1, owner: str | None = None) -> str:
    """``rw-`` and a hash of the natural key: serial, make, model and recovery date when there is a
    serial number; otherwise every descriptive value (and ``occurrence``); plus the owning
    organisation when it is not the instance's own (ids made before markings stay as they were)."""
    def key(value: object) -> object:
        return " ".join(value.casefold().split()) if isinstance(value, str) else value

    if values.get("serial_number"):
        natural: list[object] = ["serial", *(key(values.get(n)) for n in ("serial_number", "make", "model", "recovered_on"))]
    else:
        place = values.get("recovery_place")
        natural = [
            "described",
            *(key(values.get(n)) for n in ("weapon_class", "make", "model", "calibre", "country_of_manufacture",
                                            "recovered_on", "event_id")),
            [key(m) for m in values.get("markings") or []],  # type: ignore[union-attr]
            [key(m) for m in values.get("import_marks") or []],  # type: ignore[union-attr]
            key(place.text) if isinstance(place, Location) else None,
            occurrence,
        ]
    if owner is not None:
        natural.append(["owner", owner])
    digest = hashlib.sha256(json.dumps(natural, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()
    return f"rw-{digest[:16]}"


# ---------------------------------------------------------------- one cleaner per field


def _text(raw: object, most: int | None = MAX_TEXT) -> str | None:
    if raw is None:
        return None
    value = " ".join(str(raw).split())
    if most is not None and len(value) > most:
        raise ValueError(ERR_LONG.format(most=most))
    return value or None


def _long_text(raw: object) -> str | None:
    if raw is None:
        return None
    return str(raw).strip() or None


def _id(raw: object) -> str | None:
    value = _text(raw, None)
    if value is not None and not _ID.match(value):
        raise ValueError(ERR_ID.format(value=value))
    return value


def _list(raw: object) -> list[str]:
    if raw is None:
        return []
    items = raw if isinstance(raw, (list, tuple)) else LIST_SEPARATORS.split(str(raw))
    return [" ".join(str(item).split()) for item in items if str(item).strip()]


def _bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    value = "" if raw is None else str(raw).strip().casefold()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ValueError(ERR_BOOL.format(value=raw))


def _event_id(raw: object) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ValueError(ERR_EVENT.format(value=raw)) from None
    if value < 1:
        raise ValueError(ERR_EVENT.format(value=raw))
    return value


def weapon_class(raw: object) -> str | None:
    """The lexicon's class for a type: a class name, or any class or model word ("carbine", "AK-47")."""
    value = _text(raw)
    if value is None:
        return None
    vocabulary = _vocabulary()
    low = value.casefold()
    for word in (low, low.removesuffix("s"), low.removesuffix("es")):
        if word in vocabulary:
            return vocabulary[word]
    rules = _rules()
    heads = rules.heads(value, low)
    if heads:
        start, end, found = max(heads, key=lambda head: head[1] - head[0])
        return found["term"].weapon_class
    raise ValueError(ERR_CLASS.format(value=value, classes=", ".join(weapon_classes())))


def weapon_classes() -> list[str]:
    """The class names of the lexicon, in its order."""
    return list(dict.fromkeys(entry["class"] for entry in _lexicon()["classes"]))


def calibre(raw: object) -> str | None:
    """The calibre as extracted calibres are named; kept as written when the lexicon has no name for it."""
    value = _text(raw)
    if value is None:
        return None
    low = value.casefold()
    low = _BARE_PAIR.sub(lambda m: f"{m[1]}x{m[2]}mm{m[3]}", low, count=1)
    low = _BARE_DIAMETER.sub(lambda m: f"{m[1]}mm", low, count=1)
    rules = _rules()
    match = rules.calibre.search(low)
    return rules.calibre_name(match) if match else value


def country(raw: object) -> str | None:
    """ISO 3166-1 alpha-2 code of a code, a country name or a nationality word."""
    value = _text(raw)
    if value is None:
        return None
    low = value.casefold().strip(". ")
    for code, words in HISTORICAL_COUNTRIES.items():
        if value.upper() == code or low in words:
            return code
    if low in COUNTRY_WORDS:
        return COUNTRY_WORDS[low]
    places = _places()
    if len(value) == 2 and value.isalpha():
        if places.country(value.upper()) is None:
            raise ValueError(ERR_COUNTRY.format(value=value))
        return value.upper()
    found = places.resolve(value)
    if found is not None and found.precision == "country":
        return found.country
    nationality = places.nationality(value)
    if nationality:
        return nationality
    raise ValueError(ERR_COUNTRY.format(value=value))


def recovery_date(raw: object) -> str | None:
    """The date as given, checked: YYYY-MM-DD, YYYY-MM, YYYY or an ISO week YYYY-Www."""
    value = _text(raw)
    if value is None:
        return None
    week = _WEEK.match(value)
    try:
        if week:
            dt.date.fromisocalendar(int(week[1]), int(week[2]), 1)
            return value
        match = _DATE.match(value)
        if match is None:
            raise ValueError
        dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        raise ValueError(ERR_DATE.format(value=value)) from None
    return value


def precision(raw: object) -> str | None:
    value = _text(raw)
    if value is None:
        return None
    if value.casefold() not in ("day", "week", "month", "year"):
        raise ValueError(ERR_PRECISION.format(value=value))
    return value.casefold()


def place(raw: object) -> Location | None:
    """The place named, resolved when the gazetteer knows it: "Spin Boldak, Kandahar, AF".

    The first part is the place; later parts (a province, a country name or
    code) say which country it is in when the name is ambiguous.
    """
    value = _text(raw, None)
    if value is None:
        return None
    places = _places()
    parts = [part.strip() for part in value.split(",") if part.strip()]
    context: dict[str, float] = {}
    for part in parts[1:]:
        code = part.upper() if len(part) == 2 and part.isalpha() and places.country(part) else None
        found = places.resolve(part) if code is None else None
        if code or found:
            context[code or found.country] = context.get(code or found.country, 0.0) + 1.0  # type: ignore[union-attr, operator]
    for part in parts:
        ranked = [p for p in places.ranked(part, context) if not context or p.country in context]
        if ranked:
            from vigil.gazetteers.places import location_of

            return location_of(ranked[0], text=value)
        if len(part) == 2 and places.country(part.upper()) is not None:
            return location_of(places.country(part.upper()), text=value)  # type: ignore[arg-type]
    return Location(text=value)


_CLEANERS = {
    "id": _id,
    "weapon_class": weapon_class,
    "make": _text,
    "model": _text,
    "calibre": calibre,
    "serial_number": _text,
    "serial_obliterated": _bool,
    "markings": _list,
    "country_of_manufacture": country,
    "import_marks": _list,
    "recovered_on": recovery_date,
    "recovered_precision": precision,
    "recovery_place": place,
    "event_id": _event_id,
    "custody_notes": _long_text,
    "source": _long_text,
    "recorded_by": _text,
}


def _check_precision(values: dict[str, object], problems: list[tuple[str, str]]) -> None:
    """Fill in the precision the date shows; a coarser one given cuts the date to it, a finer one is an error."""
    date = values.get("recovered_on")
    given = values.get("recovered_precision")
    if date is None:
        values["recovered_precision"] = None
        return
    text = str(date)
    shown = "week" if "W" in text else {4: "year", 7: "month", 10: "day"}[len(text)]
    values["recovered_precision"] = shown
    if given is None or given == shown:
        return
    order = ("day", "week", "month", "year")
    if shown == "week":
        problems.append(("recovered_precision", ERR_PRECISION_WEEK.format(precision=given, date=date)))
        return
    if order.index(str(given)) < order.index(shown):
        problems.append(("recovered_precision", ERR_PRECISION_FINER.format(precision=given, date=date)))
        return
    values["recovered_precision"] = given
    if given == "week":
        year, week, _ = dt.date.fromisoformat(text).isocalendar()
        values["recovered_on"] = f"{year}-W{week:02d}"
    else:
        values["recovered_on"] = text[: PRECISION_LENGTHS[str(given)]]


def _class_of_model(model: str | None) -> str | None:
    if not model:
        return None
    try:
        return weapon_class(model)
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, str]:
    """Lower-cased class names and lexicon terms -> their class."""
    rules = _rules()
    vocabulary = {text: term.weapon_class for text, term in rules.terms.items()}
    vocabulary.update({name.casefold(): name for name in weapon_classes()})
    return vocabulary


def _lexicon() -> dict:
    from vigil.nlp.lexicon import load_patterns

    return load_patterns("weapons")


def _rules():  # noqa: ANN202 (vigil.nlp.components.weapons.WeaponRules, imported late: spaCy is slow to import)
    from vigil.nlp.components.weapons import weapon_rules

    return weapon_rules()


def _places():  # noqa: ANN202 (a PlaceGazetteer, loaded on first use)
    from vigil.gazetteers.places import load_place_gazetteer

    return load_place_gazetteer()
