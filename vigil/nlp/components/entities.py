"""Typed entity mentions (re3d types) from the earlier components plus rules of its own.

Writes ``doc.spans["entities"]`` (label = type), each with the value
``{"actor": actor id | None, "geo": Location dict | None, "extractor": "rules"}``.

Sources, when the earlier components ran: ``actors`` (Organisation, or Person for
kind person, with the actor id), ``places`` (Location with its geo; a country used
as an actor, "Russia has ...", becomes an Organisation), ``persons`` (Person),
``dates`` (Temporal), ``weapons`` (Weapon, MilitaryPlatform or Vehicle by head word).
Rules of its own (``vigil.nlp.entity_rules``): nationalities, money, quantities,
relative times, document references, organisations the gazetteer lacks, countries,
platforms, vehicles and weapons from word lists. Overlaps go to the longest mention,
then to the more trusted source. Spans follow re3d's conventions: "the" belongs to
organisation and document mentions, "at least" does not belong to a quantity.
Pronouns ("he", "we") are re3d entities too; they are added only with
``pronouns=True`` (the re3d evaluation sets it).
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc, Span

from vigil.nlp.entity_rules import RULE_PRIORITY, EntityRules
from vigil.nlp.extensions import read_spans, set_value_at, value_at, write_spans
from vigil.nlp.token_table import token_offsets
from vigil.nlp.values.text import doc_text

KEY = "entities"

# priority of each source when two mentions have the same length
_PRIORITY = {"persons": 6, "actors": 5, "places": 4, "dates": 4, "weapons": 4, "rules": RULE_PRIORITY}


class EntityTagger:
    """The ``vigil_entities`` component."""

    def __init__(self, nlp: Language, pronouns: bool = False) -> None:
        self.rules = EntityRules(nlp, pronouns=pronouns)

    @property
    def pronouns(self) -> bool:
        """Whether pronouns ("he", "we") are entities (the re3d evaluation sets it)."""
        return self.rules.pronouns

    @pronouns.setter
    def pronouns(self, value: bool) -> None:
        self.rules.pronouns = value

    def __call__(self, doc: Doc) -> Doc:
        rules = self.rules
        lowers = rules.prepare(doc)
        chars = token_offsets(doc)
        cands: list[tuple[int, int, str, int, dict]] = []
        self._from_components(doc, lowers, chars, cands)
        rules.find(doc, lowers, cands)
        _write_group(doc, KEY, _resolve(cands, len(doc)), chars, rules._text)
        return doc

    def pipe(self, docs, batch_size: int = 32):
        for doc in docs:
            yield self(doc)

    # -- what earlier components found ----------------------------------
    def _from_components(self, doc: Doc, lowers: tuple[str, ...], chars: list[int], cands: list) -> None:
        rules = self.rules
        strings = doc.vocab.strings
        actors_by_token: dict[int, str] = {}
        for label, start, end, start_char, end_char in _group_rows(doc, "actors"):
            value = value_at(doc, "actors", start_char, end_char) or {}
            actor = value.get("actor") or strings[label]
            kind = "Person" if value.get("kind") == "person" else "Organisation"
            first = rules.with_the(doc, start) if kind == "Organisation" else start
            cands.append((first, end, kind, _PRIORITY["actors"], {"actor": actor}))
            for i in range(start, end):
                actors_by_token[i] = actor
        for _, start, end, _, _ in _group_rows(doc, "persons"):
            actor = next((actors_by_token[i] for i in range(start, end) if i in actors_by_token), None)
            cands.append((start, end, "Person", _PRIORITY["persons"], {"actor": actor}))
        for _, start, end, start_char, end_char in _group_rows(doc, "places"):
            value = value_at(doc, "places", start_char, end_char) or {}
            geo = value.get("location")
            if hasattr(geo, "model_dump"):
                geo = geo.model_dump()
            kind = "Location"
            if isinstance(geo, dict) and geo.get("precision") == "country" and rules.country_as_actor(doc, lowers, start, end):
                kind = "Organisation"
            first, last = rules.extend_location(doc, lowers, start, end) if kind == "Location" else (rules.with_the(doc, start), end)
            cands.append((first, last, kind, _PRIORITY["places"], {"geo": geo}))
        for _, start, end, _, _ in _group_rows(doc, "dates"):
            cands.append((start, end, "Temporal", _PRIORITY["dates"], {}))
        text_length = len(doc_text(doc)) if "weapons" in doc.spans else 0
        for _, start, end, start_char, end_char in _group_rows(doc, "weapons"):
            # the entity is the weapon words; an origin phrase after them ("left behind by the ANDSF") is not
            head_end = (value_at(doc, "weapons", start_char, end_char) or {}).get("head_end")
            if head_end and 0 < head_end <= text_length:
                # the token holding the head's last character ends it (``doc.char_span(..., alignment_mode="expand")``)
                head = bisect_right(chars, head_end - 1)
                if head > start:
                    end = head
            cands.append((start, end, self._weapon_type(lowers, start, end), _PRIORITY["weapons"], {}))

    def _weapon_type(self, lowers: tuple[str, ...], start: int, end: int) -> str:
        for i in range(start, end):
            for index, kind in ((self.rules.platforms, "MilitaryPlatform"), (self.rules.vehicles, "Vehicle")):
                hit = index.match(lowers, i)
                if hit and hit[0] == end:
                    return kind
        return "Weapon"


def _resolve(cands: list, n: int) -> list:
    """Longest first, then by source priority, then earliest (ties keep their order); no two mentions
    share a token. Returns the survivors in text order."""
    order = sorted((start - end, -priority, start, at) for at, (start, end, _, priority, _) in enumerate(cands) if end > start)
    taken = bytearray(n)
    kept = []
    for _, _, start, at in order:
        end = cands[at][1]
        if 1 in taken[start:end]:
            continue
        taken[start:end] = b"\x01" * (end - start)
        kept.append((start, at))
    kept.sort()
    return [cands[at] for _, at in kept]


def _group_rows(doc: Doc, key: str) -> list[tuple[int, int, int, int, int]]:
    """(label, start, end, start_char, end_char) of each span of ``doc.spans[key]``."""
    return [(span.label, span.start, span.end, span.start_char, span.end_char) for span in read_spans(doc, key)]


def _write_group(doc: Doc, key: str, mentions: list, chars: list[int], texts: tuple[str, ...]) -> None:
    """Set ``doc.spans[key]`` to the (start, end, type, priority, value) mentions, with their values."""
    labels = {}
    spans = []
    for start, end, kind, _, value in mentions:
        label = labels.get(kind)
        if label is None:
            label = labels[kind] = doc.vocab.strings.add(kind)
        spans.append(Span(doc, start, end, label=label))
        end_char = chars[end - 1] + len(texts[end - 1])
        set_value_at(doc, key, chars[start], end_char, {"actor": value.get("actor"), "geo": value.get("geo"), "extractor": "rules"})
    write_spans(doc, key, spans)


@Language.factory("vigil_entities", default_config={"pronouns": False})
def make_entities(nlp: Language, name: str, pronouns: bool) -> EntityTagger:
    return EntityTagger(nlp, pronouns=pronouns)
