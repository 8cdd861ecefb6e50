"""Suspected origins of recovered weapons, from known-origin patterns, and their shares.

The patterns are data (``data/weapon_origins.json``, documented there): each
belongs to an origin ("US-supplied, former Afghan forces", "Chinese state
production"...) and looks at one or more fields of a record for words, a
regular expression or country codes, with a confidence. ``match_origin``
lists every pattern a weapon matches, with the field, the value and the words
that matched; each origin's score combines its patterns' confidences as
independent evidence (1 - product of (1 - c)). The suspected origin is the
best-scoring origin when it reaches the file's ``attribution_threshold``;
equal best scores are a tie (no origin chosen); below the threshold the weapon
is unattributed (its matches are still listed).

``origin_report`` gives, over a set of records, the share per suspected origin
(ties per combination of tied origins, and "unattributed") with its count, a
95% Wilson score interval, how many had obliterated serial numbers, and which
patterns matched. The shares are of *recorded* weapons: they say what was
recovered and recorded, not what circulates.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from vigil.errors import DataFileError
from vigil.model.records import RecoveredWeapon

MATCHED_FIELDS = ("markings", "import_marks", "make", "model", "calibre", "country_of_manufacture")
UNATTRIBUTED = "unattributed"
TIE = "tie"
Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal
_TIE_SCORE = 1e-9


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OriginPattern(_Frozen):
    """One piece of evidence for an origin (see the data file's ``about``)."""

    id: str
    fields: list[str]
    words: list[str] = Field(default_factory=list)
    regex: str | None = None
    countries: list[str] = Field(default_factory=list)
    confidence: float = Field(gt=0, le=1)
    note: str = Field(min_length=1)
    source: str = Field(min_length=1, description="the kind of public source to check it against")

    @field_validator("fields")
    @classmethod
    def _known_fields(cls, fields: list[str]) -> list[str]:
        unknown = [name for name in fields if name not in MATCHED_FIELDS]
        if unknown or not fields:
            raise ValueError(f"fields {unknown or fields} are not among {', '.join(MATCHED_FIELDS)}")
        return fields

    @model_validator(mode="after")
    def _one_test(self) -> OriginPattern:
        if not (self.words or self.regex or self.countries):
            raise ValueError(f"pattern {self.id!r} needs words, a regex or countries")
        if self.regex is not None:
            re.compile(self.regex)
        return self


class Origin(_Frozen):
    id: str
    short: str = Field(min_length=1, max_length=24, description="for charts")
    label: str
    description: str
    patterns: list[OriginPattern]


class OriginCatalogue(_Frozen):
    """The origins and their patterns, as loaded from the data file."""

    version: int
    attribution_threshold: float = Field(ge=0, le=1)
    origins: list[Origin]

    @model_validator(mode="after")
    def _unique_ids(self) -> OriginCatalogue:
        origin_ids = [origin.id for origin in self.origins]
        pattern_ids = [p.id for origin in self.origins for p in origin.patterns]
        for kind, ids in (("origin", origin_ids), ("pattern", pattern_ids)):
            repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
            if repeated:
                raise ValueError(f"{kind} ids used twice: {repeated}")
        if {UNATTRIBUTED, TIE} & set(origin_ids):
            raise ValueError(f"{UNATTRIBUTED!r} and {TIE!r} are not origin ids")
        return self

    def origin(self, origin_id: str) -> Origin:
        return next(origin for origin in self.origins if origin.id == origin_id)


class PatternHit(_Frozen):
    """A pattern a weapon matched: where, on which value, with which words."""

    pattern: str
    origin: str
    field: str
    value: str = Field(description="the record's value that matched (a marking, the model...)")
    matched: str = Field(description="the pattern's words, country code or regular expression match")
    confidence: float


class OriginMatch(_Frozen):
    weapon_id: str
    status: Literal["attributed", "tie", "unattributed"]
    suspected_origin: str | None = Field(description="the origin id when attributed")
    score: float = Field(description="the best origin score (0 when nothing matched)")
    tied: list[str] = Field(description="origins sharing the best score, when several do (a tie if it reaches the threshold)")
    scores: dict[str, float] = Field(description="score per origin with at least one match")
    hits: list[PatternHit]

    @property
    def category(self) -> str:
        """The share this weapon counts in: its origin, ``tie:a+b`` or ``unattributed``."""
        if self.status == "attributed":
            return self.suspected_origin or UNATTRIBUTED
        return f"{TIE}:{'+'.join(self.tied)}" if self.status == "tie" else UNATTRIBUTED


class OriginShare(_Frozen):
    origin: str = Field(description="origin id, 'tie:<id>+<id>' or 'unattributed'")
    label: str
    short: str = Field(description="a short label, for charts")
    count: int
    share: float
    ci_low: float = Field(description="95% Wilson score interval of the share")
    ci_high: float
    obliterated_serials: int
    patterns: dict[str, int] = Field(
        description="how many of these weapons matched each pattern of their origin (every pattern when unattributed)"
    )


class OriginReport(_Frozen):
    total: int
    obliterated_serials: int
    attribution_threshold: float
    shares: list[OriginShare] = Field(description="largest first; ties and unattributed last")
    matches: list[OriginMatch]


@lru_cache(maxsize=1)
def load_origin_catalogue() -> OriginCatalogue:
    """``data/weapon_origins.json``, parsed and checked once per process."""
    path = resources.files("vigil.analysis").joinpath("data/weapon_origins.json")
    try:
        return OriginCatalogue.model_validate({k: v for k, v in json.loads(path.read_text("utf-8")).items() if k != "about"})
    except (OSError, json.JSONDecodeError, ValidationError, re.error) as error:
        raise DataFileError(f"weapon_origins.json is missing or invalid: {error}") from error


def match_origin(weapon: RecoveredWeapon, catalogue: OriginCatalogue | None = None) -> OriginMatch:
    """Every pattern ``weapon`` matches and the suspected origin they point to."""
    catalogue = catalogue or load_origin_catalogue()
    values = {field: [(value, normalise_words(value)) for value in _values(weapon, field)] for field in MATCHED_FIELDS}
    hits: list[PatternHit] = []
    for origin in catalogue.origins:
        for pattern in origin.patterns:
            hit = _first_hit(values, origin.id, pattern)
            if hit is not None:
                hits.append(hit)
    scores: dict[str, float] = {}
    for origin_id in dict.fromkeys(hit.origin for hit in hits):
        missing = math.prod(1 - hit.confidence for hit in hits if hit.origin == origin_id)
        scores[origin_id] = round(1 - missing, 6)
    best = max(scores.values(), default=0.0)
    leaders = [origin for origin, score in scores.items() if best - score < _TIE_SCORE]
    tied = leaders if len(leaders) > 1 else []
    if not scores or best < catalogue.attribution_threshold:
        status, suspected = "unattributed", None
    elif tied:
        status, suspected = "tie", None
    else:
        status, suspected = "attributed", leaders[0]
    return OriginMatch(
        weapon_id=weapon.id, status=status, suspected_origin=suspected, score=best, tied=tied, scores=scores, hits=hits  # type: ignore[arg-type]
    )


def origin_report(weapons: Sequence[RecoveredWeapon], catalogue: OriginCatalogue | None = None) -> OriginReport:
    """Shares of ``weapons`` per suspected origin, with counts, 95% intervals and the evidence."""
    catalogue = catalogue or load_origin_catalogue()
    matches = [match_origin(weapon, catalogue) for weapon in weapons]
    total = len(weapons)
    groups: dict[str, list[tuple[RecoveredWeapon, OriginMatch]]] = {}
    for weapon, match in zip(weapons, matches, strict=True):
        groups.setdefault(match.category, []).append((weapon, match))
    shares = []
    for category, members in groups.items():
        low, high = wilson_interval(len(members), total)
        patterns = Counter(pattern for _, match in members for pattern in _supporting(match))
        shares.append(
            OriginShare(
                origin=category,
                label=_label(category, catalogue),
                short=_label(category, catalogue, short=True),
                count=len(members),
                share=len(members) / total,
                ci_low=low,
                ci_high=high,
                obliterated_serials=sum(weapon.serial_obliterated for weapon, _ in members),
                patterns=dict(patterns.most_common()),
            )
        )
    shares.sort(key=lambda s: (s.origin == UNATTRIBUTED, s.origin.startswith(f"{TIE}:"), -s.count, s.origin))
    return OriginReport(
        total=total,
        obliterated_serials=sum(weapon.serial_obliterated for weapon in weapons),
        attribution_threshold=catalogue.attribution_threshold,
        shares=shares,
        matches=matches,
    )


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval of a proportion (95% by default); (0, 0) when there are no trials.

    Preferred to the normal approximation because it stays inside [0, 1] and
    keeps its coverage for small counts and shares near 0 or 1.
    """
    if trials <= 0:
        return 0.0, 0.0
    share = successes / trials
    z2 = z * z
    centre = (share + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(share * (1 - share) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def normalise_words(text: str) -> str:
    """Upper case, dots dropped, hyphens, slashes and underscores read as spaces: 'U.S. Govt' -> 'US GOVT'."""
    return " ".join(re.sub(r"[-_/,;:()]", " ", text.upper().replace(".", "")).split())


def _first_hit(values: dict[str, list[tuple[str, str]]], origin_id: str, pattern: OriginPattern) -> PatternHit | None:
    """The first place ``pattern`` matches among a weapon's (value, normalised value) pairs per field.

    One hit per pattern: the same evidence counts once however often it recurs.
    """
    for field in pattern.fields:
        for value, text in values[field]:
            matched = _match(pattern, field, value, text)
            if matched is not None:
                return PatternHit(
                    pattern=pattern.id, origin=origin_id, field=field, value=value, matched=matched, confidence=pattern.confidence
                )
    return None


def _values(weapon: RecoveredWeapon, field: str) -> list[str]:
    value = getattr(weapon, field)
    if isinstance(value, list):
        return [item for item in value if item]
    return [value] if value else []


def _match(pattern: OriginPattern, field: str, value: str, text: str) -> str | None:
    """What matched: the country code, the pattern's words (normalised) or the regular expression's match."""
    if field == "country_of_manufacture":
        return value if value.upper() in pattern.countries else None
    if pattern.words:
        found = _words_pattern(tuple(pattern.words)).search(text)
        if found:
            return found.group(1)
    if pattern.regex is not None:
        found = _regex(pattern.regex).search(text)
        if found:
            return found.group(0)
    return None


@lru_cache(maxsize=1024)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``words`` as whole words, the longest first."""
    alternatives = sorted({normalise_words(word) for word in words}, key=len, reverse=True)
    return re.compile(rf"(?<![A-Z0-9])({'|'.join(map(re.escape, alternatives))})(?![A-Z0-9])")


@lru_cache(maxsize=1024)
def _regex(expression: str) -> re.Pattern[str]:
    return re.compile(expression)


def _supporting(match: OriginMatch) -> list[str]:
    """The patterns behind a weapon's category: its origin's (or the tied origins'); all when unattributed."""
    origins = {match.suspected_origin} if match.status == "attributed" else set(match.tied)
    return list(dict.fromkeys(hit.pattern for hit in match.hits if match.status == "unattributed" or hit.origin in origins))


def _label(category: str, catalogue: OriginCatalogue, *, short: bool = False) -> str:
    def name(origin_id: str) -> str:
        origin = catalogue.origin(origin_id)
        return origin.short if short else origin.label

    if category == UNATTRIBUTED:
        return "unattributed" if short else "unattributed (no origin reaches the threshold)"
    if category.startswith(f"{TIE}:"):
        return "tie: " + " / ".join(name(o) for o in category.split(":", 1)[1].split("+"))
    return name(category)
