"""From tagged tokens to document-level role fillers, grouped as the MUC-4 scorer groups them.

A tagged span becomes a filler of its role when its confidence (the mean marginal
probability of its tags) reaches the role's threshold. Fillers of one role whose
normalised strings are equal are one entity; with ``merge_nested`` a filler whose
words lie inside another's ("TRUCK" in "TANK TRUCK") joins that entity too, since
MUC-4 lists such coreferent phrases as mentions of one entity; with ``merge_acronyms``
an acronym introduced in brackets joins its long form ("... LIBERATION FRONT (FMLN)").
At most ``max_per_role``
entities are kept per role, the most confident first. The settings are chosen on
held-out train documents (``roles_train``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from vigil.evaluation.muc4 import normalise
from vigil.nlp.learned.ner_bio import repair, spans_from_tags
from vigil.nlp.learned.roles_features import Sentence


@dataclass(frozen=True)
class RoleSpan:
    """A tagged filler: role label, token span in the doc (end exclusive), text and confidence."""

    role: str
    start: int
    end: int
    text: str
    score: float


@dataclass
class DecodeSettings:
    thresholds: dict[str, float] = field(default_factory=dict)
    merge_nested: bool = True
    max_per_role: int = 0  # 0: no cap
    merge_acronyms: bool = True

    def to_dict(self) -> dict:
        return {"thresholds": self.thresholds, "merge_nested": self.merge_nested, "max_per_role": self.max_per_role,
                "merge_acronyms": self.merge_acronyms}

    @classmethod
    def from_dict(cls, data: dict) -> "DecodeSettings":
        return cls(dict(data.get("thresholds", {})), bool(data.get("merge_nested", True)), int(data.get("max_per_role", 0)),
                   bool(data.get("merge_acronyms", False)))


def tagged_spans(
    text: str, token_offsets: Sequence[tuple[int, int]], sentences: Sequence[Sentence], tagged: Sequence[tuple[list[str], list[float]]]
) -> list[RoleSpan]:
    """The role spans of a tagged document; ``token_offsets[i]``: (start char, end char) of doc token i."""
    spans = []
    for sentence, (tags, marginals) in zip(sentences, tagged):
        for first, end, role in spans_from_tags(repair(tags)):
            start_token, last_token = sentence.tokens[first], sentence.tokens[end - 1]
            start_char, end_char = token_offsets[start_token][0], token_offsets[last_token][1]
            score = sum(marginals[first:end]) / (end - first)
            spans.append(RoleSpan(role, start_token, last_token + 1, text[start_char:end_char], score))
    return spans


def marginal_spans(
    text: str,
    token_offsets: Sequence[tuple[int, int]],
    sentences: Sequence[Sentence],
    marginals: Sequence[Sequence[Sequence[float]]],
    roles: Sequence[str],
    floor: float = 0.05,
    keep: float = 0.5,
) -> list[RoleSpan]:
    """Candidate spans from per-token marginals (labels ``B-r``, ``I-r`` per role, in ``MARGINAL_LABELS`` order).

    A span starts at a token whose P(B-role) reaches ``floor`` and goes on while the
    next token's P(I-role) is at least ``keep`` times the role probability of the token
    before it (the filler probably goes on) and more than its P(B-role). Its score is
    the starting P(B-role): the probability that a filler of the role starts there,
    which thresholds then cut. Spans of one role may overlap; decoding deduplicates them.
    """
    spans = []
    for sentence, rows in zip(sentences, marginals):
        n = len(rows)
        for r, role in enumerate(roles):
            b, inside = 1 + 2 * r, 2 + 2 * r
            for i in range(n):
                p_start = rows[i][b]
                if p_start < floor:
                    continue
                end, previous = i + 1, p_start
                while end < n and rows[end][inside] >= keep * previous and rows[end][inside] > rows[end][b]:
                    previous = rows[end][inside]
                    end += 1
                first, last = sentence.tokens[i], sentence.tokens[end - 1]
                start_char, end_char = token_offsets[first][0], token_offsets[last][1]
                spans.append(RoleSpan(role, first, last + 1, text[start_char:end_char], p_start))
    return spans


def marginal_labels(roles: Sequence[str]) -> list[str]:
    """The label order ``marginal_spans`` expects: O, then B-/I- of each role."""
    return ["O", *(f"{p}-{role}" for role in roles for p in ("B", "I"))]


def _inside(short: str, long: str) -> bool:
    """Whether the words of ``short`` are a contiguous run of the words of ``long``."""
    return f" {short} " in f" {long} "


@dataclass
class Entity:
    """A predicted entity of one role: its spans (most confident first) and normalised strings."""

    role: str
    spans: list[RoleSpan]
    strings: set[str]

    @property
    def score(self) -> float:
        return self.spans[0].score


_ACRONYM = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9-]{1,9})\s*\)")


def acronyms(text: str, reach: int = 8) -> dict[str, set[str]]:
    """Acronyms introduced in brackets, each with the normalised phrases that may be its long form:
    the runs of up to ``reach`` words ending right before the bracket ("... LIBERATION FRONT (FMLN)")."""
    found: dict[str, set[str]] = {}
    for match in _ACRONYM.finditer(text):
        words = normalise(text[max(0, match.start() - 200) : match.start()]).split()[-reach:]
        found.setdefault(normalise(match.group(1)), set()).update(" ".join(words[i:]) for i in range(len(words)))
    return found


def _aliases(norm: str, strings: set[str], known: dict[str, set[str]]) -> bool:
    """Whether ``norm`` is an acronym of one of ``strings`` or the other way round."""
    return any(s in known.get(norm, ()) or norm in known.get(s, ()) for s in strings)


def decode(spans: Sequence[RoleSpan], settings: DecodeSettings, text: str = "") -> dict[str, list[Entity]]:
    """Group a document's role spans into entities per role (see the module docstring); with the
    document's ``text``, an acronym and the long form it was introduced with are one entity."""
    known = acronyms(text) if text and settings.merge_acronyms else {}
    by_role: dict[str, list[Entity]] = {}
    for span in sorted(spans, key=lambda s: (-s.score, s.start)):
        if span.score < settings.thresholds.get(span.role, 0.0):
            continue
        norm = normalise(span.text)
        if not norm:
            continue
        entities = by_role.setdefault(span.role, [])
        home = next((e for e in entities if norm in e.strings), None)
        if home is None and settings.merge_nested:
            home = next((e for e in entities if any(_inside(norm, s) or _inside(s, norm) for s in e.strings)), None)
        if home is None and known:
            home = next((e for e in entities if _aliases(norm, e.strings, known)), None)
        if home is None:
            entities.append(Entity(span.role, [span], {norm}))
        else:
            home.spans.append(span)
            home.strings.add(norm)
    if settings.max_per_role:
        by_role = {role: entities[: settings.max_per_role] for role, entities in by_role.items()}
    return by_role
