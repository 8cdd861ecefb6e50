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

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from vigil.gazetteers.actors import load_actor_gazetteer
from vigil.gazetteers.places import MATCH_ANY, PlaceGazetteer, load_place_gazetteer, name_key
from vigil.nlp.extensions import get_value, set_value
from vigil.nlp.values.text import doc_text

KEY = "places"
_PLACE_WORDS = {"district", "province", "valley", "city", "town", "village", "agency", "region", "area", "division", "governorate"}
MAX_CANDIDATES = 10
#: Weights of the evidence for a country in the document's context.
COUNTRY_NAMED, DEMONYM, UNAMBIGUOUS_PLACE, ACTOR_COUNTRY = 2.0, 1.0, 1.0, 1.0
#: The words around a name that tell whether the text is in capitals (as ``actors.in_caps_context``).
CAPS_WINDOW = 4
_MAX_TOKENS = 8
_CACHE_SIZE = 500_000

# What the matcher needs about a word, worked out once per word (``_word``):
NORM, STARTS, ALPHA, CAP, UPPER, COUNTS, DEMONYM_OF, PLACE_WORD, MODE = range(9)


class PlaceMatcher:
    """Finds and resolves place names; records them under ``doc.spans["places"]``."""

    def __init__(self, nlp: Language, gazetteer: PlaceGazetteer | None = None) -> None:
        self.gazetteer = gazetteer or load_place_gazetteer()
        self._names = self.gazetteer.names()
        self._prefixes = self.gazetteer.prefixes()
        self._demonyms = self.gazetteer.nationality_words()
        self._words: dict[int, tuple] = {}

    def _word(self, orth: int, strings) -> tuple:
        """The facts about one word (by its ``ORTH`` id), see ``NORM``..."""
        if len(self._words) > _CACHE_SIZE:
            self._words.clear()
        text = strings[orth]
        norm = name_key(text)
        alpha = text.isalpha()
        cap = text[:1].isupper()
        lower = text.lower()
        word = self._words[orth] = (
            norm, alpha and norm in self._prefixes, alpha, cap, text.isupper(), alpha and len(text) > 1,
            self._demonyms.get(lower) if cap else None, lower in _PLACE_WORDS, self._names.get(norm) if alpha else None,
        )
        return word

    def _matches(self, doc: Doc, words: list[tuple], blocked: set[int]) -> list[tuple[int, int, str]]:
        """The longest allowed gazetteer name at each place a name can start, left to right."""
        found = []
        names, prefixes = self._names, self._prefixes
        n = len(words)
        after = 0
        for i in self._starts(words):
            if i < after or i in blocked:
                continue
            best = None
            key = words[i][NORM]
            for j in range(i + 1, min(i + _MAX_TOKENS, n) + 1):
                if j > i + 1:
                    if j - 1 in blocked:
                        break
                    piece = words[j - 1][NORM]
                    if piece:
                        key = f"{key} {piece}"
                        if key not in prefixes:
                            break
                    mode = names.get(key)
                else:
                    mode = words[i][MODE]
                if mode is not None and words[j - 1][ALPHA] and self._allowed(doc, words, i, j, key, mode):
                    best = (i, j, key)
            if best:
                found.append(best)
                after = best[1]
        return found

    @staticmethod
    def _starts(words: list[tuple]) -> list[int]:
        """Where a name may start: a capitalised word, or any word near words in capitals.

        A word that is not capitalised only matches in capitals context (``_allowed``),
        which needs a word in capitals among the ``CAPS_WINDOW`` words around the name.
        """
        starts = [i for i, word in enumerate(words) if word[STARTS]]
        if all(words[i][CAP] or words[i][UPPER] for i in starts):
            return starts
        near: set[int] = set()
        for k, word in enumerate(words):
            if word[COUNTS] and word[UPPER]:
                near.update(range(k - CAPS_WINDOW - _MAX_TOKENS + 1, k + CAPS_WINDOW + 1))
        return [i for i in starts if words[i][CAP] or words[i][UPPER] or i in near]

    def _allowed(self, doc: Doc, words: list[tuple], start: int, end: int, key: str, mode: int) -> bool:
        caps = _in_caps_context(words, start, end) or all(words[k][UPPER] for k in range(start, end) if words[k][ALPHA])
        if caps:
            return mode == MATCH_ANY
        if not words[start][CAP]:
            return False
        if end - start == 1 and self._inside_name(doc, words, start, key):
            return False
        if mode != MATCH_ANY and doc[start].is_sent_start:
            return self.gazetteer.traits(key).major
        return True

    def _inside_name(self, doc: Doc, words: list[tuple], i: int, key: str) -> bool:
        """A small town's name inside a longer proper name ("Hassan Ali", "George Bush") is not a place."""
        if self.gazetteer.traits(key).notable:
            return False
        if i > 0 and words[i - 1][ALPHA] and words[i - 1][CAP] and not doc[i].is_sent_start:
            return True
        if i + 1 < len(words):
            after = words[i + 1]
            return after[ALPHA] and after[CAP] and not after[PLACE_WORD]
        return False

    def _context(self, doc: Doc, words: list[tuple], matches: list[tuple[int, int, str]]) -> dict[str, float]:
        weights: dict[str, float] = defaultdict(float)
        traits = self.gazetteer.traits
        for _, _, key in matches:
            facts = traits(key)
            if len(facts.countries) == 1:
                weights[facts.first_country] += COUNTRY_NAMED if facts.has_country else UNAMBIGUOUS_PLACE
        for code in [word[DEMONYM_OF] for word in words if word[DEMONYM_OF]]:
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
        known = self._words.get
        words = [known(orth) or self._word(orth, strings) for orth in doc.to_array(ORTH).tolist()]
        matches = self._matches(doc, words, blocked)
        context = self._context(doc, words, matches)
        gazetteer = self.gazetteer
        text = doc_text(doc) if matches else ""
        spans = []
        for start, end, key in matches:
            span = Span(doc, start, end, label="place")
            ranked = gazetteer.ranked_indices(key, context)
            set_value(span, KEY, {
                "candidates": [gazetteer.place_dict(i) for i in ranked[:MAX_CANDIDATES]],
                "location": gazetteer.location_dict(ranked[0], text[span.start_char:span.end_char], span.start_char, span.end_char),
            })
            spans.append(span)
        doc.spans[KEY] = spans
        return doc

    def pipe(self, docs, batch_size: int = 32):
        for doc in docs:
            yield self(doc)


def _in_caps_context(words: list[tuple], start: int, end: int) -> bool:
    """``actors.in_caps_context`` over the words' facts: are the words around start:end in capitals?"""
    seen = upper = 0
    for k in (*range(max(start - CAPS_WINDOW, 0), start), *range(end, min(end + CAPS_WINDOW, len(words)))):
        word = words[k]
        if word[COUNTS]:
            seen += 1
            upper += word[UPPER]
    return seen > 0 and upper * 2 > seen


@Language.factory("vigil_places", assigns=["doc.spans"])
def make_places(nlp: Language, name: str) -> PlaceMatcher:
    return PlaceMatcher(nlp)
