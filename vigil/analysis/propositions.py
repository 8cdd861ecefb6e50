"""A claim's quote read as propositions: what is said, with the polarity taken out.

"IS is active in Afghanistan" (asserted) and "IS activity has been reduced to
zero" (asserted, but saying the opposite) are one proposition with opposite
stances. So each quote is split where the speaker goes on ("denied the claims,
saying that ...": the part after the marker is asserted by the speaker), each
part's negation words and not-active phrases are counted and removed, and the
stance is flipped when they are odd in number. What remains is compared
between claims: the words without the actors (actors are compared by their
canonical ids, not their names) or, for a claim about activity levels, the
structured form "active in <places>".

The patterns are data (``data/claims.json``), loaded once and validated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from vigil.errors import DataFileError

Kind = Literal["activity", "statement"]
RULES_FILE = "claims.json"
_SPACES = re.compile(r"\s+")
_COORDINATION = re.compile(r"[\s,]*(?:and|or|&)?[\s,]*(?:the\s+)?", re.IGNORECASE)
_EDGES = " \t\n,;:.\"'“”‘’()[]-–—"


class ActivityPatterns(BaseModel):
    model_config = ConfigDict(extra="forbid")

    not_active: list[str] = Field(min_length=1)
    active: list[str] = Field(min_length=1)


class ClaimRules(BaseModel):
    """The contents of ``data/claims.json`` (its ``about`` says what each field means)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    about: str
    elaboration_markers: list[str] = Field(min_length=1)
    vague_heads: list[str] = Field(min_length=1)
    negators: list[str] = Field(min_length=1)
    activity: ActivityPatterns
    similarity: dict[str, float]
    event_days: int = Field(ge=0)
    window_months: int = Field(ge=0)

    @field_validator("vague_heads", "negators")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns

    def threshold(self, encoder_kind: str) -> float:
        """The similarity two claims' words need under this encoder kind (the lexical one if unknown)."""
        return self.similarity.get(encoder_kind, self.similarity["lexical"])


@dataclass(frozen=True)
class CompiledRules:
    rules: ClaimRules
    markers: re.Pattern[str]
    vague: re.Pattern[str]
    negators: re.Pattern[str]
    not_active: re.Pattern[str]
    active: re.Pattern[str]


def _alternation(patterns: Sequence[str], *, literal: bool = False) -> re.Pattern[str]:
    parts = [re.escape(p) if literal else p for p in patterns]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1)
def claim_rules() -> CompiledRules:
    """The rules of ``data/claims.json``, validated and compiled once per process."""
    source = resources.files("vigil.analysis").joinpath("data", RULES_FILE)
    try:
        rules = ClaimRules.model_validate_json(source.read_text("utf-8"))
        for pattern in [*rules.activity.not_active, *rules.activity.active]:
            re.compile(pattern)
    except (OSError, ValidationError, re.error) as error:
        raise DataFileError(f"vigil/analysis/data/{RULES_FILE}: {error}") from error
    if "lexical" not in rules.similarity:
        raise DataFileError(f"vigil/analysis/data/{RULES_FILE}: similarity needs a 'lexical' threshold")
    negators = sorted(rules.negators, key=len, reverse=True)  # "no longer" before "no"
    return CompiledRules(
        rules=rules,
        markers=re.compile("|".join(re.escape(m) for m in rules.elaboration_markers), re.IGNORECASE),
        vague=re.compile(r"(?:" + "|".join(rules.vague_heads) + r")", re.IGNORECASE),
        negators=re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in negators) + r")(?!\w)|n't(?!\w)", re.IGNORECASE),
        not_active=_alternation(rules.activity.not_active),
        active=_alternation(rules.activity.active),
    )


class Mention(NamedTuple):
    """An actor or a place named in the quote; offsets are into the quote (a tuple: thousands are made per call)."""

    start: int
    end: int
    text: str
    actor_id: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Proposition:
    """One part of a quote, normalised.

    ``actors`` are the actors the part names (for an activity claim, the
    first one named and those coordinated with it: its subject).

    ``stance`` is the speaker's stance towards the positive form of the
    proposition (``asserts``: it is so; ``denies``: it is not); ``content`` is
    what is compared between claims (None: the part only points back at the
    events or relations the claim concerns).
    """

    part: int
    start: int
    end: int
    text: str
    stance: str
    negated: bool
    kind: Kind
    content: str | None
    actors: tuple[str, ...]
    countries: tuple[str, ...]
    places: tuple[str, ...]


def flip(stance: str) -> str:
    return "denies" if stance == "asserts" else "asserts"


def read_propositions(
    quote: str, stance: str, mentions: Sequence[Mention] = (), *, concerns_facts: bool = False,
    rules: CompiledRules | None = None,
) -> tuple[Proposition, ...]:
    """The propositions of a quote: its head and, after "saying that" and the like, what the speaker adds.

    A head that only points back ("the claims") has no content of its own
    (``content`` None: it is compared through the events or relations the
    claim concerns); it is dropped when the claim concerns none and an added
    part carries the content instead. Actor names are blanked out before the
    patterns are read, so the group "IS" is never the verb "is".
    """
    if rules is None:  # the shipped rules: the same claim is read once per process
        return _read_with_shipped_rules(quote, stance, tuple(mentions), concerns_facts)
    pieces = _split(quote, rules)
    found: list[Proposition] = []
    for part, (start, end) in enumerate(pieces):
        text = quote[start:end]
        vague = bool(rules.vague.fullmatch(text.strip(_EDGES)))
        if vague and part == 0 and len(pieces) > 1 and not concerns_facts:
            continue
        base = stance if part == 0 else "asserts"
        inside = [m for m in mentions if start <= m.start and m.end <= end]
        found.append(_normalise(part, start, end, text, base, vague, inside, rules))
    return tuple(found)


@lru_cache(maxsize=100_000)
def _read_with_shipped_rules(
    quote: str, stance: str, mentions: tuple[Mention, ...], concerns_facts: bool
) -> tuple[Proposition, ...]:
    return read_propositions(quote, stance, mentions, concerns_facts=concerns_facts, rules=claim_rules())


def _split(quote: str, rules: CompiledRules) -> list[tuple[int, int]]:
    """(start, end) of the head and, when a marker is found, of what follows it; trimmed."""
    marker = rules.markers.search(quote)
    spans = [(0, len(quote))] if marker is None else [(0, marker.start()), (marker.end(), len(quote))]
    trimmed = []
    for start, end in spans:
        while start < end and quote[start] in _EDGES:
            start += 1
        while end > start and quote[end - 1] in _EDGES:
            end -= 1
        if end > start:
            trimmed.append((start, end))
    return trimmed


def _normalise(
    part: int, start: int, end: int, text: str, base: str, vague: bool, mentions: Sequence[Mention], rules: CompiledRules
) -> Proposition:
    actors = tuple(dict.fromkeys(m.actor_id for m in mentions if m.actor_id))
    places = [m for m in mentions if m.actor_id is None]
    countries = tuple(sorted({m.country for m in places if m.country}))
    place_words = tuple(dict.fromkeys(m.text.strip(_EDGES) for m in places if m.text.strip(_EDGES)))
    blanked = _blank(text, [(m.start - start, m.end - start) for m in mentions if m.actor_id])
    not_active = [match.span() for match in rules.not_active.finditer(blanked)]
    active = rules.active.search(blanked)
    kind: Kind = "activity" if not_active or active else "statement"
    if kind == "activity":
        actors = _leading_actors(text, [m for m in mentions if m.actor_id], start) or actors
    negators = [
        match.span() for match in rules.negators.finditer(blanked)
        if not any(a <= match.start() < b for a, b in not_active)
    ]
    negated = (len(not_active) + len(negators)) % 2 == 1
    if vague:
        content = None
    elif kind == "activity":
        content = "active" + (" in " + ", ".join(place_words) if place_words else "")
    else:
        content = _SPACES.sub(" ", _blank(blanked, negators)).strip(_EDGES)
    return Proposition(
        part=part, start=start, end=end, text=text, stance=flip(base) if negated else base, negated=negated,
        kind=kind, content=content, actors=actors, countries=countries, places=place_words,
    )


def _leading_actors(text: str, mentions: Sequence[Mention], offset: int) -> tuple[str, ...]:
    """The first actor named and those coordinated with it ("the TTP and Al Qaeda are active"): an activity's subject."""
    ordered = sorted(mentions, key=lambda m: m.start)
    leading: list[str] = []
    for index, mention in enumerate(ordered):
        if index and not _COORDINATION.fullmatch(text[ordered[index - 1].end - offset : mention.start - offset]):
            break
        leading.append(mention.actor_id)  # type: ignore[arg-type]
    return tuple(dict.fromkeys(leading))


def _blank(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with the spans replaced by spaces (offsets unchanged)."""
    chars = list(text)
    for start, end in spans:
        for index in range(max(0, start), min(len(chars), end)):
            chars[index] = " "
    return "".join(chars)
