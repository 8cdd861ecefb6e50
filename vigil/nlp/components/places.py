"""Place mentions resolved against the place gazetteer with the document's country context.

Names are looked up by their normalised text (case, accents and hyphens
ignored), so "Peshawar", "PESHAWAR" and "Khyber-Pakhtunkhwa" all match. In
mixed-case text a name must be capitalised; names that are also ordinary words
("Tank", "Turkey") match only in mixed-case text. Words inside an actor mention
("Pakistan" in "Tehrik-e-Taliban Pakistan") are skipped. Each mention is then
resolved with the countries the document points to: countries and demonyms it
mentions, places that exist in one country only, and the actors' countries.

Speed: the component reads the words as ``ORTH`` ids and keeps what it needs to
know about each distinct word (its key, case, whether a name can start there) in
tables filled the first time the word is seen, so a document costs one pass over
its ids plus the work around the few words that can start a name.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import compress

import numpy as np
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from vigil.gazetteers.actors import load_actor_gazetteer
from vigil.gazetteers.places import MATCH_ANY, PlaceGazetteer, load_place_gazetteer, name_key
from vigil.nlp.extensions import COUNTRIES_KEY, get_value, read_spans, set_value, write_spans
from vigil.nlp.spans import text_of
from vigil.nlp.token_table import token_rows

KEY = "places"
_PLACE_WORDS = {"district", "province", "valley", "city", "town", "village", "agency", "region", "area", "division", "governorate"}
MAX_CANDIDATES = 10
#: Weights of the evidence for a country in the document's context.
COUNTRY_NAMED, DEMONYM, UNAMBIGUOUS_PLACE, ACTOR_COUNTRY = 2.0, 1.0, 1.0, 1.0
#: The words on each side of a name that tell whether the text is in capitals (as ``actors.in_caps_context``).
CAPS_WINDOW = 4
_MAX_TOKENS = 8
_MAX_WORDS = 500_000

#: What the matcher knows about a word (a tuple, by ``ORTH`` id): its gazetteer key,
#: its case, what it says about the country, its match mode as a name on its own and
#: whether it begins longer names.
NORM, ALPHA, CAP, UPPER, COUNTS, DEMONYM_OF, PLACE_WORD, MODE, LEADS = range(9)


class PlaceMatcher:
    """Finds and resolves place names; records them under ``doc.spans["places"]``."""

    def __init__(self, nlp: Language, gazetteer: PlaceGazetteer | None = None) -> None:
        self.gazetteer = gazetteer or load_place_gazetteer()
        self._names = self.gazetteer.names()
        self._prefixes = self.gazetteer.prefixes()
        self._leading = self.gazetteer.leading()
        self._demonyms = self.gazetteer.nationality_words()
        self._label = nlp.vocab.strings.add("place")
        self._mark_rows = np.zeros(1024, dtype=np.int8)
        self._forget()

    def _forget(self) -> None:
        self._words: dict[int, tuple] = {}
        self._marks: dict[int, bool] = {}  # every word seen: True for capital starts, words in capitals and demonyms
        self._capital_starts: set[int] = set()  # capitalised words a name can start with
        self._other_starts: set[int] = set()  # other words a name can start with (in capitals context only)
        self._shouting: set[int] = set()  # words in capitals that count for the capitals context
        # ``_marks`` by word row (``token_rows``), read for a whole document at once: 1, 0, or -1 not learnt yet
        self._mark_rows = np.full(len(self._mark_rows), -1, dtype=np.int8)

    def _learn(self, orths: set[int], strings) -> None:
        """Fill the word tables for words not seen before."""
        names, leading, demonyms = self._names, self._leading, self._demonyms
        for orth in orths:
            text = strings[orth]
            norm = name_key(text)
            alpha = text.isalpha()
            cap = text[:1].isupper()
            upper = text.isupper()
            lower = text.lower()
            mode = names.get(norm) if alpha else None
            word = self._words[orth] = (
                norm, alpha, cap, upper, alpha and len(text) > 1, demonyms.get(lower) if cap else None,
                lower in _PLACE_WORDS, mode, norm in leading,
            )
            # A name starts with a word that is a name itself or the start of a longer one.
            if alpha and (mode is not None or word[LEADS]):
                (self._capital_starts if cap or upper else self._other_starts).add(orth)
            if word[COUNTS] and upper:
                self._shouting.add(orth)
            self._marks[orth] = orth in self._capital_starts or orth in self._shouting or word[DEMONYM_OF] is not None

    def _marked(self, doc: Doc, orths: list[int]) -> list[int]:
        """Where the capital starts, words in capitals and demonyms are (learning new words on the way)."""
        if not orths:
            return []
        rows = token_rows(doc)[1]
        needed = int(rows.max()) + 1
        if len(self._mark_rows) < needed:
            grown = np.full(max(needed, 2 * len(self._mark_rows)), -1, dtype=np.int8)
            grown[: len(self._mark_rows)] = self._mark_rows
            self._mark_rows = grown
        marks = self._mark_rows[rows]
        unknown = np.flatnonzero(marks < 0).tolist()
        if unknown:
            new = {orths[i] for i in unknown if orths[i] not in self._words}
            if len(self._words) + len(new) > _MAX_WORDS:  # start again, from this document's words
                self._forget()
                marks = self._mark_rows[rows]
                unknown = list(range(len(orths)))
                new = set(orths)
            if new:
                self._learn(new, doc.vocab.strings)
            learnt = [self._marks[orths[i]] for i in unknown]
            marks[unknown] = learnt
            self._mark_rows[rows[unknown]] = learnt
        return np.flatnonzero(marks > 0).tolist()

    def _starts(self, orths: list[int], marked: list[int]) -> tuple[list[int], set[int]]:
        """Where a name may start: a capitalised word, or any word near words in capitals.

        Also returns where a name may start in capitals context (``_in_caps_context``): near
        a word in capitals, among the ``CAPS_WINDOW`` words on either side of the name. A word
        that is not capitalised only matches there (``_allowed``).
        """
        capital, shouting, other = self._capital_starts, self._shouting, self._other_starts
        marked_orths = [orths[i] for i in marked]
        starts = list(compress(marked, map(capital.__contains__, marked_orths)))
        loud = list(compress(marked, map(shouting.__contains__, marked_orths)))
        near: set[int] = set()
        if loud:
            # The windows around the words in capitals, merged: [i - 11, i + 5) each.
            reach_back, reach_on = CAPS_WINDOW + _MAX_TOKENS - 1, CAPS_WINDOW + 1
            ranges: list[list[int]] = []
            for i in loud:
                lo, hi = i - reach_back, i + reach_on
                if ranges and lo <= ranges[-1][1]:
                    ranges[-1][1] = hi
                else:
                    ranges.append([lo, hi])
            n = len(orths)
            extra = []
            for lo, hi in ranges:
                near.update(range(lo, hi))
                lo, hi = max(lo, 0), min(hi, n)
                extra.extend(compress(range(lo, hi), map(other.__contains__, orths[lo:hi])))
            if extra:
                starts = sorted({*starts, *extra})
        return starts, near

    def _matches(self, doc: Doc, orths: list[int], marked: list[int], blocked: set[int]) -> list[tuple[int, int, str]]:
        """The longest allowed gazetteer name at each place a name can start, left to right."""
        found = []
        names, prefixes, words = self._names, self._prefixes, self._words
        n = len(orths)
        after = 0
        starts, near = self._starts(orths, marked)
        for i in starts:
            if i < after or i in blocked:
                continue
            first = words[orths[i]]
            key, mode = first[NORM], first[MODE]
            best = (i, i + 1, key) if mode is not None and self._allowed(doc, orths, near, i, i + 1, key, mode) else None
            # Longer names: only from the start of one, or across words without a key ("Khyber - Pakhtunkhwa").
            if i + 1 < n and (first[LEADS] or not words[orths[i + 1]][NORM]):
                for j in range(i + 2, min(i + _MAX_TOKENS, n) + 1):
                    if j - 1 in blocked:
                        break
                    last = words[orths[j - 1]]
                    if last[NORM]:
                        key = f"{key} {last[NORM]}"
                        if key not in prefixes:
                            break
                    mode = names.get(key)
                    if mode is not None and last[ALPHA] and self._allowed(doc, orths, near, i, j, key, mode):
                        best = (i, j, key)
            if best:
                found.append(best)
                after = best[1]
        return found

    def _allowed(self, doc: Doc, orths: list[int], near: set[int], start: int, end: int, key: str, mode: int) -> bool:
        words = self._words
        if end - start == 1:
            caps = words[orths[start]][UPPER]
        else:
            caps = all(words[o][UPPER] for o in orths[start:end] if words[o][ALPHA])
        caps = caps or (start in near and self._in_caps_context(orths, start, end))
        if caps:
            return mode == MATCH_ANY
        if not words[orths[start]][CAP]:
            return False
        if end - start == 1 and self._inside_name(doc, orths, start, key):
            return False
        if mode != MATCH_ANY and doc[start].is_sent_start:
            return self.gazetteer.traits(key).major
        return True

    def _in_caps_context(self, orths: list[int], start: int, end: int) -> bool:
        """``actors.in_caps_context`` from the word tables: are the words around start:end in capitals?"""
        seen = upper = 0
        words = self._words
        for orth in (*orths[max(start - CAPS_WINDOW, 0):start], *orths[end:end + CAPS_WINDOW]):
            word = words[orth]
            if word[COUNTS]:
                seen += 1
                upper += word[UPPER]
        return seen > 0 and upper * 2 > seen

    def _inside_name(self, doc: Doc, orths: list[int], i: int, key: str) -> bool:
        """A small town's name inside a longer proper name ("Hassan Ali", "George Bush") is not a place."""
        if self.gazetteer.traits(key).notable:
            return False
        words = self._words
        if i > 0:
            before = words[orths[i - 1]]
            if before[ALPHA] and before[CAP] and not doc[i].is_sent_start:
                return True
        if i + 1 < len(orths):
            after = words[orths[i + 1]]
            return after[ALPHA] and after[CAP] and not after[PLACE_WORD]
        return False

    def _context(self, actor_spans: list[Span], orths: list[int], marked: list[int], matches: list[tuple[int, int, str]]) -> dict[str, float]:
        weights: dict[str, float] = defaultdict(float)
        traits = self.gazetteer.traits
        for _, _, key in matches:
            facts = traits(key)
            if len(facts.countries) == 1:
                weights[facts.first_country] += COUNTRY_NAMED if facts.has_country else UNAMBIGUOUS_PLACE
        words = self._words
        for i in marked:
            code = words[orths[i]][DEMONYM_OF]
            if code:
                weights[code] += DEMONYM
        actors = load_actor_gazetteer()
        for span in actor_spans:
            value = get_value(span, "actors") or {}
            actor = actors.get(value.get("actor", span.label_))
            if actor and actor.country:
                weights[actor.country] += ACTOR_COUNTRY
        return dict(weights)

    def __call__(self, doc: Doc) -> Doc:
        orths = doc.to_array(ORTH).tolist()
        marked = self._marked(doc, orths)
        actor_spans = read_spans(doc, "actors")
        blocked = {i for span in actor_spans for i in range(span.start, span.end)}
        matches = self._matches(doc, orths, marked, blocked)
        spans = []
        context = self._context(actor_spans, orths, marked, matches)
        doc.user_data[COUNTRIES_KEY] = context
        if matches:
            gazetteer = self.gazetteer
            strings = doc.vocab.strings
            ranked_by_key: dict[str, list[int]] = {}
            for start, end, key in matches:
                span = Span(doc, start, end, label=self._label)
                text = strings[orths[start]] if end - start == 1 else text_of(span)
                ranked = ranked_by_key.get(key)
                if ranked is None:
                    ranked = ranked_by_key[key] = gazetteer.ranked_indices(key, context)
                guess = None if self._foreign_guess(ranked, context) else ranked[0]
                set_value(span, KEY, {
                    "candidates": [gazetteer.place_dict(i) for i in ranked[:MAX_CANDIDATES]],
                    "location": None if guess is None else gazetteer.location_dict(guess, text, span.start_char, span.end_char),
                })
                spans.append(span)
        write_spans(doc, KEY, spans)
        return doc

    def _foreign_guess(self, ranked: list[int], context: dict[str, float]) -> bool:
        """A name shared by places in several countries, none of them among the document's countries,
        is left unresolved ("Santo Tomas" in a report about Guatemala is not the Philippine town)."""
        if not context:
            return False
        rows = self.gazetteer.rows
        countries = {rows[i].country for i in ranked}
        return len(countries) > 1 and not countries & context.keys()

    def pipe(self, docs, batch_size: int = 32):
        for doc in docs:
            yield self(doc)


@Language.factory("vigil_places", assigns=["doc.spans"])
def make_places(nlp: Language, name: str) -> PlaceMatcher:
    return PlaceMatcher(nlp)
