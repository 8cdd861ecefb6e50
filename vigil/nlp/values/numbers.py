"""Numbers and quantity phrases ("forty-three", "1,200", "more than 40", "dozens").

The words and the bounds each modifier implies are data (``numbers.json`` next to
this module, described in its ``_doc``). A quantity is read as bounds plus a best
estimate, as UCDP reports low/best/high:

* exact ("43", "all 14", "a dozen")           -> min = max = N
* "more than / over / at least N", "N-odd"     -> min N, max None
* "up to / nearly / almost / fewer than N"     -> min None, max N
* "about / around / some / an estimated N"     -> min = max = N (the words are kept as text)
* "between A and B", "A to B", "A-B"           -> min A, max B
* vague words ("several", "dozens", ...)       -> literal bounds from the data file, and
  ``estimate`` = the figure ACLED's codebook records for them (several -> 10, dozens -> 12,
  hundreds -> 100).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from vigil.errors import DataFileError


class Quantity(NamedTuple):
    """Bounds of a quantity phrase; ``estimate`` is the single figure a coder would record."""

    min: int | None
    max: int | None
    estimate: int | None


@lru_cache(maxsize=None)
def number_data() -> dict:
    """The number words and bounds rules, parsed once."""
    path = resources.files("vigil.nlp.values").joinpath("numbers.json")
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataFileError(f"numbers.json is missing or invalid: {exc}") from exc


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=None)
def number_pattern() -> str:
    """Regex source (no groups) for one number, in digits or in words."""
    data = number_data()
    word = _alternation([*data["units"], *data["tens"], *data["scales"], *data["multiples"]])
    big = _alternation([*data["scales"], *data["multiples"]])
    words = rf"(?:an?\s+(?=(?:{big})\b))?(?:{word})(?:(?:\s*-\s*|\s+(?:and\s+)?)(?:{word}))*\b"
    digits = r"\d{1,3}(?:,\d{3})+(?![\d,]*\d)|\d+(?:\.\d+)?(?:\s+(?:million|thousand))?(?![.,]?\d)"
    return rf"(?:{digits}|(?<![\w-])(?:{words}))"


@lru_cache(maxsize=None)
def quantity_pattern() -> str:
    """Regex source (no groups) for a quantity phrase: modifier, number or range, suffix."""
    data = number_data()
    num = number_pattern()
    mod = _alternation(data["modifiers"])
    vague = _alternation(data["vague"])
    suffix = r"(?:\s*-\s*odd\b|\s+odd\b|\s*-?\s*plus\b|\+|\s+or\s+more\b|\s+or\s+so\b)"
    rng = rf"(?:between\s+{num}\s+and\s+{num}|{num}\s*(?:-|–|to)\s*{num})"
    return rf"(?<![\w-])(?:(?:{mod})\s+)?(?:{rng}|{num}{suffix}?|(?:{vague})\b)"


@lru_cache(maxsize=None)
def _quantity_parser() -> re.Pattern[str]:
    data = number_data()
    num = number_pattern()
    mod = _alternation(data["modifiers"])
    vague = _alternation(data["vague"])
    suffix = _alternation(data["suffixes"])
    return re.compile(
        rf"(?:(?P<mod>{mod})\s+)?"
        rf"(?:between\s+(?P<lo>{num})\s+and\s+(?P<hi>{num})"
        rf"|(?P<lo2>{num})\s*(?:-|–|to)\s*(?P<hi2>{num})"
        rf"|(?P<num>{num})(?:\s*-?\s*(?P<suffix>{suffix}))?"
        rf"|(?P<vague>{vague}))",
        re.IGNORECASE,
    )


_SPLIT = re.compile(r"[\s-]+")


def parse_number(text: str) -> int | None:
    """The integer a number written in digits or words stands for, or None.

    >>> parse_number("forty-three"), parse_number("1,200"), parse_number("a dozen")
    (43, 1200, 12)
    """
    text = text.strip().lower()
    if not text:
        return None
    if text[0].isdigit():
        return _parse_digits(text)
    data = number_data()
    units, tens, scales, multiples = data["units"], data["tens"], data["scales"], data["multiples"]
    total = current = 0
    last = None  # kind of the previous word, to refuse "two three" or "forty fifty"
    for word in _SPLIT.split(text):
        if word in ("and", ""):
            continue
        if word in ("a", "an"):
            if last is not None:
                return None
            current, last = 1, "a"
        elif word in units:
            if last in ("unit", "a") or (last == "tens" and units[word] >= 10):
                return None
            current, last = current + units[word], "unit"
        elif word in tens:
            if last in ("unit", "tens", "a"):
                return None
            current, last = current + tens[word], "tens"
        elif word in multiples:
            current, last = (current or 1) * multiples[word], "scale"
        elif word in scales:
            if scales[word] == 100:
                current = (current or 1) * 100
            else:
                total, current = total + (current or 1) * scales[word], 0
            last = "scale"
        else:
            return None
    if last in (None, "a"):
        return None
    return total + current


def _parse_digits(text: str) -> int | None:
    match = re.fullmatch(r"([\d,]+(?:\.\d+)?)(?:\s+(million|thousand))?", text)
    if not match:
        return None
    number = float(match.group(1).replace(",", ""))
    if match.group(2):
        number *= number_data()["scales"][match.group(2)]
    return int(round(number))


def _bound(rule: str | None, n: int) -> int | None:
    return n if rule == "n" else None


def parse_quantity(text: str) -> Quantity | None:
    """Bounds of a quantity phrase such as "more than 40" or "between 20 and 30", or None.

    >>> parse_quantity("more than 40")
    Quantity(min=40, max=None, estimate=40)
    """
    match = _quantity_parser().fullmatch(text.strip())
    if not match:
        return None
    data = number_data()
    if match["vague"]:
        entry = data["vague"][" ".join(match["vague"].lower().split())]
        return Quantity(entry["min"], entry["max"], entry["estimate"])
    if match["lo"] or match["lo2"]:
        lo = parse_number(match["lo"] or match["lo2"])
        hi = parse_number(match["hi"] or match["hi2"])
        if lo is None or hi is None or hi < lo:
            return None
        return Quantity(lo, hi, lo)
    n = parse_number(match["num"])
    if n is None:
        return None
    rule = {"min": "n", "max": "n"}
    if match["mod"]:
        rule = data["modifiers"][" ".join(match["mod"].lower().split())]
    if match["suffix"]:
        rule = data["suffixes"][" ".join(match["suffix"].lower().split())]
    return Quantity(_bound(rule["min"], n), _bound(rule["max"], n), n)
