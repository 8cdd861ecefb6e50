"""Place mentions resolved against the place gazetteer with the document's country context.

Names are looked up by their normalised text (case, accents and hyphens
ignored), so "Peshawar", "PESHAWAR" and "Khyber-Pakhtunkhwa" all match. In
mixed-case text a name must be capitalised; names that are also ordinary words
("Tank", "Turkey") match only in mixed-case text. Words inside an actor mention
("Pakistan" in "Tehrik-e-Taliban Pakistan") are skipped. Each mention is then
resolved with the countries the document points to: countries and demonyms it
mentions, places that exist in one country only, and the actors' countries.
"""

from __future__ import annotations

from collections import defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span

from vigil.gazetteers.actors import load_actor_gazetteer
from vigil.gazetteers.places import MATCH_ANY, PlaceGazetteer, load_place_gazetteer, location_of
from vigil.gazetteers.text import normalise
from vigil.nlp.components.actors import in_caps_context
from vigil.nlp.extensions import get_value, set_value

KEY = "places"
_PLACE_WORDS = {"district", "province", "valley", "city", "town", "village", "agency", "region", "area", "division", "governorate"}
MAX_CANDIDATES = 10
#: Weights of the evidence for a country in the document's context.
COUNTRY_NAMED, DEMONYM, UNAMBIGUOUS_PLACE, ACTOR_COUNTRY = 2.0, 1.0, 1.0, 1.0


class PlaceMatcher:
    """Finds and resolves place names; records them under ``doc.spans["places"]``."""

    def __init__(self, nlp: Language, gazetteer: PlaceGazetteer | None = None) -> None:
        self.gazetteer = gazetteer or load_place_gazetteer()
        self._names = self.gazetteer.names()
        self._prefixes = {" ".join(key.split()[:k]) for key in self._names for k in range(1, len(key.split()) + 1)}
        self._norm_cache: dict[str, str] = {}
        self._max_tokens = 8
        self._demonyms = self.gazetteer.nationality_words()
        self._dicts: dict[int, dict] = {}

    def _norm(self, text: str) -> str:
        norm = self._norm_cache.get(text)
        if norm is None:
            if len(self._norm_cache) > 200_000:
                self._norm_cache.clear()
            norm = self._norm_cache[text] = normalise(text)
        return norm

    def _matches(self, doc: Doc, texts: list[str], blocked: set[int]) -> list[tuple[int, int, str]]:
        found = []
        norm = self._norm
        norms = [norm(t) for t in texts]
        prefixes = self._prefixes
        i, n = 0, len(doc)
        while i < n:
            if norms[i] not in prefixes or i in blocked or not texts[i].isalpha():
                i += 1
                continue
            best = None
            key = norms[i]
            for j in range(i + 1, min(i + self._max_tokens, n) + 1):
                if j > i + 1:
                    if j - 1 in blocked:
                        break
                    piece = norms[j - 1]
                    if piece:
                        key = f"{key} {piece}"
                        if key not in prefixes:
                            break
                mode = self._names.get(key)
                if mode is not None and texts[j - 1].isalpha() and self._allowed(doc, i, j, key, mode):
                    best = (i, j, key)
            if best:
                found.append(best)
                i = best[1]
            else:
                i += 1
        return found

    def _allowed(self, doc: Doc, start: int, end: int, key: str, mode: int) -> bool:
        caps = in_caps_context(doc, start, end) or all(t.is_upper for t in doc[start:end] if t.is_alpha)
        if caps:
            return mode == MATCH_ANY
        if not doc[start].text[:1].isupper():
            return False
        if end - start == 1 and self._inside_name(doc, start, key):
            return False
        if mode != MATCH_ANY and doc[start].is_sent_start:
            return any(p.kind in ("country", "admin1") for p in self.gazetteer.candidates(key))
        return True

    def _inside_name(self, doc: Doc, i: int, key: str) -> bool:
        """A small town's name inside a longer proper name ("Hassan Ali", "George Bush") is not a place."""
        if any(p.kind != "city" or p.population >= 100_000 for p in self.gazetteer.candidates(key)):
            return False
        before = doc[i - 1] if i > 0 else None
        after = doc[i + 1] if i + 1 < len(doc) else None
        if before is not None and before.is_alpha and before.text[:1].isupper() and not doc[i].is_sent_start:
            return True
        return after is not None and after.is_alpha and after.text[:1].isupper() and after.lower_ not in _PLACE_WORDS

    def _context(self, doc: Doc, texts: list[str], matches: list[tuple[int, int, str]]) -> dict[str, float]:
        weights: dict[str, float] = defaultdict(float)
        for _, _, key in matches:
            cands = self.gazetteer.candidates(key)
            countries = {p.country for p in cands}
            if any(p.kind == "country" for p in cands) and len(countries) == 1:
                weights[cands[0].country] += COUNTRY_NAMED
            elif len(countries) == 1:
                weights[next(iter(countries))] += UNAMBIGUOUS_PLACE
        demonyms = self._demonyms
        for text in texts:
            if text[:1].isupper():
                code = demonyms.get(text.lower())
                if code:
                    weights[code] += DEMONYM
        actors = load_actor_gazetteer()
        for span in doc.spans.get("actors", []):
            value = get_value(span, "actors") or {}
            actor = actors.get(value.get("actor", span.label_))
            if actor and actor.country:
                weights[actor.country] += ACTOR_COUNTRY
        return dict(weights)

    def __call__(self, doc: Doc) -> Doc:
        blocked = {i for span in doc.spans.get("actors", []) for i in range(span.start, span.end)}
        strings = doc.vocab.strings
        texts = [strings[orth] for orth in doc.to_array("ORTH").tolist()]
        matches = self._matches(doc, texts, blocked)
        context = self._context(doc, texts, matches)
        spans = []
        for start, end, key in matches:
            span = Span(doc, start, end, label="place")
            ranked = self.gazetteer.ranked(key, context)
            location = location_of(ranked[0], text=span.text, start=span.start_char, end=span.end_char) if ranked else None
            set_value(span, KEY, {
                "candidates": [self._as_dict(p) for p in ranked[:MAX_CANDIDATES]],
                "location": location.model_dump(exclude_none=True) if location else None,
            })
            spans.append(span)
        doc.spans[KEY] = spans
        return doc

    def _as_dict(self, place) -> dict:
        value = self._dicts.get(id(place))
        if value is None:
            value = self._dicts[id(place)] = place.model_dump()
        return dict(value)

    def pipe(self, docs, batch_size: int = 32):
        for doc in docs:
            yield self(doc)


@Language.factory("vigil_places", assigns=["doc.spans"])
def make_places(nlp: Language, name: str) -> PlaceMatcher:
    return PlaceMatcher(nlp)
