"""Typed entity mentions (re3d types) from the earlier components plus rules of its own.

Writes ``doc.spans["entities"]`` (label = type), each with the value
``{"actor": actor id | None, "geo": Location dict | None, "extractor": "rules"}``.

Sources, when the earlier components ran: ``actors`` (Organisation, or Person for
kind person, with the actor id), ``places`` (Location with its geo; a country used
as an actor, "Russia has ...", becomes an Organisation), ``persons`` (Person),
``dates`` (Temporal), ``weapons`` (Weapon, MilitaryPlatform or Vehicle by head word).
Rules of its own: nationalities, money, quantities, relative times, document
references, organisations the gazetteer lacks (capitalised names ending in
Ministry, Army, Council..., acronyms, "Iraqi security forces", "the Asad regime"),
countries, platforms, vehicles and weapons from word lists. Overlaps go to the
longest mention, then to the more trusted source. Spans follow re3d's conventions:
"the" belongs to organisation and document mentions, "at least" does not belong to
a quantity. Pronouns ("he", "we") are re3d entities too; they are added only with
``pronouns=True`` (the re3d evaluation sets it).

Word lists: ``vigil/nlp/patterns/entities/lexicon.json`` and ``demonyms.tsv``.
"""

from __future__ import annotations

import re
from itertools import compress

import numpy as np
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span

from vigil.nlp.components.persons import TokenColumns, load_demonyms, load_json, token_rows
from vigil.nlp.extensions import get_value, set_value
from vigil.nlp.values.text import doc_text

KEY = "entities"
_DIGITS = re.compile(r"^\d+(?:[.,]\d+)*$")
_NUM_UNIT = re.compile(r"^\d+(?:[.,]\d+)*(km|m|mm|cm|kg|ft|mi|%)$", re.I)
_ORDINAL_DAY = re.compile(r"^\d{1,2}(st|nd|rd|th)?$", re.I)
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&\-]{1,7}$")
# words that may open a money amount: 'more than $5 million', 'about 50,000 rupees'
_MONEY_LEAD = ("more", "less", "over", "under", "about", "around", "nearly", "almost", "some", "up")
# words after a capitalised name that make it a place: 'Anbar province'
_ADMIN_UNITS = ("province", "district", "governorate", "neighbourhood", "neighborhood")

# priority of each source when two mentions have the same length
_PRIORITY = {"persons": 6, "actors": 5, "places": 4, "dates": 4, "weapons": 4, "rules": 2}


class PhraseIndex:
    """Phrases tokenised like the documents, looked up by their first token (lower case)."""

    def __init__(self, tokenizer, phrases) -> None:
        self.first: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        items = phrases.items() if isinstance(phrases, dict) else ((p, None) for p in phrases)
        for phrase, value in items:
            key = tuple(t.lower_ for t in tokenizer(phrase))
            if key:
                self.first.setdefault(key[0], []).append((key, value))
        for entries in self.first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def match(self, lowers: tuple[str, ...], i: int) -> tuple[int, object] | None:
        """(end, value) of the longest phrase starting at token i."""
        if i >= len(lowers):
            return None
        for key, value in self.first.get(lowers[i], ()):
            n = len(key)
            if lowers[i : i + n] == key:
                return i + n, value
        return None


class EntityTagger:
    """The ``vigil_entities`` component."""

    def __init__(self, nlp: Language, pronouns: bool = False) -> None:
        self.pronouns = pronouns
        lex = load_json("lexicon.json")
        tok = nlp.tokenizer
        demonyms = load_demonyms()
        countries = {c: code for c, code in demonyms.values() if c}
        countries.update(lex["countries_extra"])
        self.countries = PhraseIndex(tok, countries)
        self.demonyms = PhraseIndex(tok, {d: c for d, c in demonyms.items()})
        self.known_orgs = PhraseIndex(tok, lex["known_orgs"])
        self.platforms = PhraseIndex(tok, lex["platforms"])
        self.vehicles = PhraseIndex(tok, lex["vehicles"])
        self.weapons = PhraseIndex(tok, lex["weapons"])
        self.units = PhraseIndex(tok, lex["quantity_units"])
        self.money_nouns = PhraseIndex(tok, lex["money_nouns"])
        self.group_heads = PhraseIndex(tok, lex["group_heads"])
        self.currency_words = set(lex["currency_words"])
        self.currency_symbols = set(lex["currency_symbols"])
        self.org_heads = set(lex["org_heads"])
        self.org_prefixes = set(lex["org_prefixes"])
        self.group_modifiers = set(lex["group_modifiers"])
        self.determiners = set(lex["determiners"])
        self.months = lex["months"]
        self.weekdays = set(lex["weekdays"])
        self.temporal_words = set(lex["temporal_words"])
        self.temporal_units = set(lex["temporal_units"])
        self.temporal_relative = set(lex["temporal_relative"])
        self.number_words = lex["number_words"]
        self.multipliers = set(lex["multipliers"])
        self.docref_heads = set(lex["docref_heads"])
        self.docref_numbered = set(lex["docref_numbered"])
        self.docref_lower = set(lex["docref_lower_heads"])
        self.weapon_modifiers = set(lex["weapon_modifiers"])
        self.loc_preps = set(lex["loc_preps"])
        self.loc_heads = set(lex["loc_heads"])
        self.loc_nouns = PhraseIndex(tok, lex["loc_nouns"])
        self.directions = set(lex["directions"])
        self.org_verbs = set(lex["org_verbs"])
        self.pron_person = set(lex["pronouns_person"])
        self.pron_org = set(lex["pronouns_org"])
        self.pron_org_initial = set(lex["pronouns_org_initial"])
        self.demonym_words = {w for entries in self.demonyms.first.values() for key, _ in entries for w in key}
        # 'the' is no number, month, weekday or time word: as a first word it can open only 'the last ...'
        self._the_only_relative = not any(
            "the" in words for words in (self.temporal_relative, self.temporal_words, self.weekdays, self.months, self.number_words)
        )
        self.table = TokenColumns(nlp.vocab, self._features)

    def _features(self, lexeme) -> tuple:
        """Per word: (text, lower, capitalised, alphabetic, digits, day number, year, name word, group modifier,
        rules, group head start, place noun start, lower-case document head, numbered document head, flags,
        organisation start, organisation head).

        The rules are those tried at every word that can start them, with their order and
        priority; the other rules are tried only at positions ``_gated`` finds from the flags.
        """
        text = lexeme.orth_
        low = lexeme.lower_
        cap = text[:1].isupper()
        alpha = lexeme.is_alpha
        digits = bool(_DIGITS.match(text))
        number = digits or low in self.number_words
        pr = _PRIORITY["rules"]
        # (order, rule, priority): rules tried at every word that can start them; the order
        # is that of ``_RULE_ORDER`` (ties in ``_resolve`` keep it)
        rules = []
        if low in _MONEY_LEAD or low in self.currency_symbols or number or low in ("millions", "billions", "thousands") or low in self.money_nouns.first:
            rules.append((0, self._money, pr))
        if (
            low in ("the", "this", "that", "today", "yesterday", "tomorrow", "tonight")
            or low in self.temporal_relative
            or low in self.temporal_words
            or low in self.weekdays
            or low.rstrip(".") in self.months
            or number
            or _ORDINAL_DAY.match(text)
        ):
            rules.append((1, self._temporal, pr))
        if (
            low in ("a", "an")
            or low in self.weapon_modifiers
            or low in self.platforms.first
            or low in self.vehicles.first
            or low in self.weapons.first
            or cap and (low in self.known_orgs.first or low in self.demonyms.first)
        ):
            rules.append((5, self._hardware, pr))
        if cap and low in self.countries.first:
            rules.append((6, self._country, pr))
        if number or _NUM_UNIT.match(text):
            rules.append((7, self._quantity, pr))
        if cap and low in self.demonyms.first:
            rules.append((8, self._nationality, pr - 1))
        word = alpha or text.replace(".", "").replace("-", "").isalnum()
        # a word that continues a group's modifiers ("Iraqi security", "U.S.-backed"), demonyms aside
        modifier = low in self.group_modifiers or cap and (alpha and low not in self.determiners or text.endswith("."))
        # flags for the rules tried only at candidate positions found in bulk (``_gated``):
        # 1 a group can start here; 2 a determiner; 4 may continue a group's modifier run
        # (modifier, demonym word, '- led'); 8 may start a group head; 16 'the/a/an/this/that';
        # 32 may start a place noun; 64 'the/this/its/their'; 128 a lower-case document head;
        # 256 a numbered document head; 512 a pronoun
        flags = 0
        if cap or low in self.determiners or low in self.group_modifiers or low in self.demonyms.first or low in self.group_heads.first:
            flags |= 1
        if low in self.determiners:
            flags |= 2
        if modifier or low in self.demonym_words or low in ("-", "led", "backed"):
            flags |= 4
        if low in self.group_heads.first:
            flags |= 8
        if low in ("the", "a", "an", "this", "that"):
            flags |= 16
        if low in self.loc_nouns.first:
            flags |= 32
        if low in ("the", "this", "its", "their"):
            flags |= 64
        if low in self.docref_lower:
            flags |= 128
        if low in self.docref_numbered:
            flags |= 256
        if low in self.pron_person or low in self.pron_org or text == "They":
            flags |= 512
        # where ``_rules`` tries the rules of ``rules`` (see ``_rule_positions``): 1 always; 2 'the' (it can
        # start only a relative time, so only before a word of ``temporal_relative``); 4 'a'/'an' (only
        # weapons or platforms, so only before a word that continues them: 16); 8 a word of ``temporal_relative``
        hardware_next = (
            low in self.weapon_modifiers
            or low in self.platforms.first
            or low in self.vehicles.first
            or low in self.weapons.first
            or cap and (low in self.known_orgs.first or low in self.demonyms.first)
        )
        gate = (8 if low in self.temporal_relative else 0) | (16 if hardware_next else 0)
        if [r[0] for r in rules] == [1] and low == "the" and self._the_only_relative:
            gate |= 2
        elif [r[0] for r in rules] == [5] and low in ("a", "an") and not hardware_next:
            gate |= 4
        elif rules:
            gate |= 1
        return (
            text, low, cap, alpha, digits, bool(_ORDINAL_DAY.match(text)), bool(_YEAR.match(text)), word, modifier, tuple(rules),
            flags & 8 != 0, flags & 32 != 0, flags & 128 != 0, flags & 256 != 0, flags,
            # organisations: a known name, a prefix ("Ministry ...") or an acronym can start one; a head ends one
            bool(low in self.known_orgs.first and (cap or low in ("coalition", "al")) or cap and (low in self.org_prefixes or _ACRONYM.match(text))),
            low in self.org_heads,
            gate,
        )

    # ------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        lowers = self._prepare(doc)
        cands: list[tuple[int, int, str, int, dict]] = []
        self._from_components(doc, lowers, cands)
        self._rules(doc, lowers, cands)
        self._doc = None  # do not keep the document alive
        spans = []
        for start, end, kind, _, value in _resolve(cands):
            span = Span(doc, start, end, label=kind)
            set_value(span, KEY, {"actor": value.get("actor"), "geo": value.get("geo"), "extractor": "rules"})
            spans.append(span)
        doc.spans[KEY] = spans
        return doc

    def _prepare(self, doc: Doc) -> tuple[str, ...]:
        """Read the document's token columns; returns the lower-case words."""
        # per-call columns (components run one doc at a time): token i's text, lower case, ...
        (
            self._text,
            lowers,
            self._capitals,
            self._alpha,
            self._digits,
            self._day,
            self._year,
            self._word,
            self._modifier,
            self._rule_list,
            self._head_first,
            self._loc_first,
            self._docref_low,
            self._docref_num,
            self._flags,
            self._org_start,
            self._org_head,
            _,
        ) = self.table.columns(doc)
        self._chars = None
        self._doc = doc
        self._sentence_caps: dict[int, bool] = {}
        self._lowers = lowers
        self._runs: dict[tuple[int, int], int] = {}
        # rules skipped when the document lacks the words they need
        words = set(lowers)
        self._admin_units = not words.isdisjoint(_ADMIN_UNITS)
        self._docref_named = not words.isdisjoint(self.docref_heads)
        return lowers

    def pipe(self, docs, batch_size: int = 32):
        for doc in docs:
            yield self(doc)

    # -- what earlier components found ----------------------------------
    def _from_components(self, doc: Doc, lowers: tuple[str, ...], cands: list) -> None:
        actors_by_token: dict[int, str] = {}
        for span in doc.spans.get("actors", ()):
            value = get_value(span, "actors") or {}
            actor = value.get("actor") or span.label_
            kind = "Person" if value.get("kind") == "person" else "Organisation"
            start = self._with_the(doc, span.start) if kind == "Organisation" else span.start
            cands.append((start, span.end, kind, _PRIORITY["actors"], {"actor": actor}))
            for i in range(span.start, span.end):
                actors_by_token[i] = actor
        for span in doc.spans.get("persons", ()):
            actor = next((actors_by_token[i] for i in range(span.start, span.end) if i in actors_by_token), None)
            cands.append((span.start, span.end, "Person", _PRIORITY["persons"], {"actor": actor}))
        for span in doc.spans.get("places", ()):
            value = get_value(span, "places") or {}
            geo = value.get("location")
            if hasattr(geo, "model_dump"):
                geo = geo.model_dump()
            kind = "Location"
            if isinstance(geo, dict) and geo.get("precision") == "country" and self._country_as_actor(doc, lowers, span.start, span.end):
                kind = "Organisation"
            start, end = self._extend_location(doc, lowers, span.start, span.end) if kind == "Location" else (self._with_the(doc, span.start), span.end)
            cands.append((start, end, kind, _PRIORITY["places"], {"geo": geo}))
        for span in doc.spans.get("dates", ()):
            cands.append((span.start, span.end, "Temporal", _PRIORITY["dates"], {}))
        for span in doc.spans.get("weapons", ()):
            # the entity is the weapon words; an origin phrase after them ("left behind by the ANDSF") is not
            head_end = (get_value(span, "weapons") or {}).get("head_end")
            head = doc.char_span(span.start_char, head_end, alignment_mode="expand") if head_end else None
            end = head.end if head is not None and head.end > span.start else span.end
            cands.append((span.start, end, self._weapon_type(lowers, span.start, end), _PRIORITY["weapons"], {}))

    def _weapon_type(self, lowers: tuple[str, ...], start: int, end: int) -> str:
        for i in range(start, end):
            for index, kind in ((self.platforms, "MilitaryPlatform"), (self.vehicles, "Vehicle")):
                hit = index.match(lowers, i)
                if hit and hit[0] == end:
                    return kind
        return "Weapon"

    # -- rules -----------------------------------------------------------
    def _rules(self, doc: Doc, lowers: tuple[str, ...], cands: list) -> None:
        """Each rule tried where its first token can be (see ``_features``), in token then rule order."""
        hits = []
        rule_list = self._rule_list
        for i in self._rule_positions(doc):
            for order, rule, priority in rule_list[i]:
                found = rule(doc, lowers, i)
                if found:
                    hits.append((i, order, found, priority))
        for order, rule, priority, positions in self._gated(lowers):
            for i in positions:
                found = rule(doc, lowers, i)
                if found:
                    hits.append((i, order, found, priority))
        hits.sort(key=_position_order)
        for _, _, found, priority in hits:
            cands.append((found[0], found[1], found[2], priority, found[3] if len(found) > 3 else {}))

    def _rule_positions(self, doc: Doc) -> list[int]:
        """The tokens whose rules (``_features``) can match, found with numpy from the gate column."""
        gate = self.table.array(17)[token_rows(doc)[1]]
        after = np.zeros_like(gate)
        after[:-1] = gate[1:]
        keep = (gate & 1) | (gate & 2) & (after >> 2) | (gate & 4) & (after >> 2)
        return np.flatnonzero(keep).tolist()

    def _text_of(self, start: int, end: int) -> str:
        """``doc[start:end].text``, cut from the cached document text."""
        doc = self._doc
        if self._chars is None:
            self._chars = doc.to_array(IDX).tolist()
        chars = self._chars
        return doc_text(doc)[chars[start] : chars[end - 1] + len(self._text[end - 1])]

    def _gated(self, lowers: tuple[str, ...]):
        """(order, rule, priority, positions) for the rules tried only where a cheap test says they may match.

        Each position set holds every token where the rule can return a mention.
        """
        n = len(lowers)
        flags = self._flags
        pr = _PRIORITY["rules"]
        positions = range(n)
        # documents: 'Resolution 2254', '[the] ... Report', 'the (adjective) report'
        docref = {i for i in compress(positions, self._docref_num) if self._capitals[i]}
        if self._docref_named:
            # a capitalised run of at most 8 tokens holding a (capitalised) document head
            capitals = self._capitals
            for h in [k for k in compress(positions, capitals) if lowers[k] in self.docref_heads]:
                docref.update(i for i in range(max(h - 7, 0), h + 1) if capitals[i] and (i == 0 or not capitals[i - 1] or lowers[i - 1] == "the"))
        for k in compress(positions, self._docref_low):
            if k > 0 and flags[k - 1] & 64:
                docref.add(k - 1)
            if k > 1 and flags[k - 2] & 64:
                docref.add(k - 2)
        # organisations: a known name, prefix or acronym at i; else a capitalised run of at most 8 tokens with a head
        capitals = self._capitals
        org = set(compress(positions, self._org_start))
        for h in compress(positions, self._org_head):
            org.update(i for i in range(max(h - 7, 0), h + 1) if capitals[i])
        # groups: the modifier run after an optional determiner must reach a group head
        reach: set[int] = set()
        for h in compress(positions, self._head_first):
            k = h
            while k >= 0 and k not in reach and (k == h or flags[k] & 4):
                reach.add(k)
                k -= 1
        group = set()
        for k in reach:
            f = flags[k]
            if f & 1 and not f & 2:
                group.add(k)
            if k > 0 and flags[k - 1] & 2:
                group.add(k - 1)
        # places: a determiner before a place noun; a capitalised name before 'province' ...
        place = {k - 1 for k in compress(positions, self._loc_first) if k > 0 and flags[k - 1] & 16}
        if self._admin_units:
            capitals = self._capitals
            place.update(i for i in compress(positions, capitals) if self._alpha[i] and not flags[i] & 16 and (i == 0 or not capitals[i - 1]))
        gated = [
            (2, self._docref, pr, docref),
            (3, self._org_name, pr, org),
            (4, self._group, pr, group),
            (9, self._place_phrase, pr - 1, place),
        ]
        if self.pronouns:
            gated.append((10, self._pronoun, pr, [i for i, f in enumerate(flags) if f & 512]))
        return gated

    def _nationality(self, doc: Doc, lowers: tuple[str, ...], i: int):
        hit = self.demonyms.match(lowers, i)
        if hit and self._capitals[i] and self._nationality_context(doc, lowers, hit[0]):
            return (i, hit[0], "Nationality")
        return None

    def _pronoun(self, doc: Doc, lowers: tuple[str, ...], i: int):
        if not self.pronouns:
            return None
        low = lowers[i]
        text = self._text[i]
        if low in self.pron_person and (low != "i" or text == "I"):
            return (i, i + 1, "Person")
        if low in self.pron_org or (text in ("They",)):
            return (i, i + 1, "Organisation")
        return None

    def _nationality_context(self, doc: Doc, lowers: tuple[str, ...], end: int) -> bool:
        """A demonym is a Nationality unless it starts a name or a group ('Iraqi forces')."""
        if end >= len(lowers):
            return True
        if self._capitals[end] or self.group_heads.match(lowers, end) or lowers[end] in self.group_modifiers:
            return False
        return True

    def _place_phrase(self, doc: Doc, lowers: tuple[str, ...], i: int):
        """'the city of Mosul', 'Anbar province', 'the town', 'a hospital'."""
        n = len(doc)
        if lowers[i] in ("the", "a", "an", "this", "that") and i + 1 < n:
            hit = self.loc_nouns.match(lowers, i + 1)
            if hit is None:
                return None
            end = hit[0]
            if end + 1 < n and lowers[end] == "of" and self._capitals[end + 1]:
                stop = self._cap_run(doc, lowers, end + 1, limit=4)
                return (i, stop, "Location")
            if end < n and (lowers[end] in ("of",) or self._capitals[end]):
                return None
            return (i, end, "Location")
        if self._admin_units and self._capitals[i] and self._alpha[i] and (i == 0 or not self._capitals[i - 1]):
            stop = self._cap_run(doc, lowers, i, limit=3)
            if stop > i and stop < n and lowers[stop] in _ADMIN_UNITS and not self.demonyms.match(lowers, i):
                return (self._with_the(doc, i), stop + 1, "Location")
        return None

    def _all_caps_sentence(self, i: int) -> bool:
        """Whether token i's sentence is written in ALL CAPS (its letters counted from the token columns)."""
        doc = self._doc
        if doc.has_annotation("SENT_START"):
            sent = doc[i].sent
            start, end = sent.start, sent.end
        else:
            start, end = 0, len(doc)
        caps = self._sentence_caps
        found = caps.get(start)
        if found is None:
            # alphabetic words of two letters or more, and how many are upper case (``Token.is_upper``)
            words = [w for w, alpha in zip(self._text[start:end], self._alpha[start:end]) if alpha and len(w) > 1]
            found = caps[start] = len(words) >= 3 and sum(w.isupper() for w in words) >= 0.7 * len(words)
        return found

    def _with_the(self, doc: Doc, start: int) -> int:
        return start - 1 if start > 0 and self._lowers[start - 1] == "the" else start

    def _cap(self, doc: Doc, i: int) -> bool:
        return self._capitals[i]

    def _cap_run(self, doc: Doc, lowers: tuple[str, ...], i: int, limit: int = 8) -> int:
        """End of a capitalised name run at i, allowing 'of', 'and', 'the', 'for', '-' inside."""
        end = self._runs.get((i, limit))
        if end is None:
            end = self._runs[i, limit] = self._find_run(doc, lowers, i, limit)
        return end

    def _find_run(self, doc: Doc, lowers: tuple[str, ...], i: int, limit: int) -> int:
        n = len(doc)
        j = i
        while j < n and j - i < limit:
            if self._capitals[j] and self._word[j]:
                j += 1
            elif lowers[j] in ("of", "and", "the", "for", "-", "al", "'s") and j > i and j + 1 < n and self._capitals[j + 1]:
                j += 1
            else:
                break
        while j > i and lowers[j - 1] in ("of", "and", "the", "for", "-"):
            j -= 1
        return j

    def _org_name(self, doc: Doc, lowers: tuple[str, ...], i: int):
        hit = self.known_orgs.match(lowers, i) if lowers[i] in self.known_orgs.first else None
        if hit and (self._capitals[i] or lowers[i] in ("coalition", "al")):
            end = hit[0]
            if end + 1 < len(doc) and lowers[end] == "-" and lowers[end + 1] in ("held", "controlled", "occupied", "run"):
                return None
            return (self._with_the(doc, i), end, "Organisation")
        if not self._capitals[i] or (i > 0 and self._capitals[i - 1] and self._alpha[i - 1] and lowers[i - 1] != "the" and i - 1 > 0):
            return None
        end = self._cap_run(doc, lowers, i)
        if end == i:
            return None
        words = lowers[i:end]
        if len(words) > 1 and any(w in self.org_heads for w in words) or words[0] in self.org_prefixes or (
            len(words) > 1 and words[-1] in self.org_heads
        ):
            return (self._with_the(doc, i), end, "Organisation")
        text = self._text[i]
        if end == i + 1 and _ACRONYM.match(text) and not text.isdigit() and not self._all_caps_sentence(i):
            if self.weapons.match(lowers, i) or self.platforms.match(lowers, i) or self.units.match(lowers, i):
                return None
            return (self._with_the(doc, i), end, "Organisation")
        return None

    def _group(self, doc: Doc, lowers: tuple[str, ...], i: int):
        """[det] (modifier | demonym | name)* group-head: 'the Iraqi security forces', 'civilians'."""
        n = len(doc)
        start = i
        j = i
        if lowers[j] in self.determiners:
            j += 1
        first_mod = j
        modifier = self._modifier
        demonyms = self.demonyms
        while j < n:
            if modifier[j] or lowers[j] in demonyms.first and demonyms.match(lowers, j):
                j += 1
            elif lowers[j] == "-" and j > first_mod and j + 1 < n and lowers[j + 1] in ("led", "backed"):
                j += 2
            else:
                break
        if j >= n or lowers[j] not in self.group_heads.first:
            return None
        hit = self.group_heads.match(lowers, j)
        if hit is None:
            # a modifier run may have swallowed a capitalised head ("Iraqi Forces")
            return None
        end = hit[0]
        if start == j and lowers[j] in ("people", "members", "men", "women", "children", "nations", "countries", "parties"):
            return None
        if i > 0 and (lowers[i - 1] in self.determiners or self.demonyms.match(lowers, i - 1)) and start == i and lowers[i] not in self.determiners:
            return None  # the run starts earlier
        return (start, end, "Organisation")

    def _country(self, doc: Doc, lowers: tuple[str, ...], i: int):
        if not self._capitals[i]:
            return None
        hit = self.countries.match(lowers, i)
        if hit is None:
            return None
        end = hit[0]
        if end < len(doc) and self._capitals[end] and self._alpha[end]:
            return None  # part of a longer name
        geo = {"name": self._text_of(i, end), "country": hit[1], "precision": "country"}
        if self._country_as_actor(doc, lowers, i, end):
            return (self._with_the(doc, i), end, "Organisation", {"geo": geo})
        start, end = self._extend_location(doc, lowers, i, end)
        return (start, end, "Location", {"geo": geo})

    def _country_as_actor(self, doc: Doc, lowers: tuple[str, ...], start: int, end: int) -> bool:
        before = start - 1
        if before >= 0 and lowers[before] == "the":
            before -= 1
        if before >= 0 and lowers[before] in self.loc_preps:
            return False
        if start > 0 and lowers[start - 1] in self.directions:
            return False
        return end >= len(doc) or lowers[end] not in (",", ".", "-", "province", "city")

    def _extend_location(self, doc: Doc, lowers: tuple[str, ...], start: int, end: int) -> tuple[int, int]:
        n = len(doc)
        if start > 0 and lowers[start - 1] in self.directions:
            start -= 1
        elif start > 2 and lowers[start - 1] == "of" and lowers[start - 2] in self.loc_heads and lowers[start - 3] == "the":
            start -= 3
        elif start > 1 and lowers[start - 1] == "of" and lowers[start - 2] in self.loc_heads:
            start -= 2
        if start > 0 and lowers[start - 1] == "the" and lowers[start] in self.directions:
            start -= 1
        if end < n and lowers[end] in ("province", "district", "governorate", "region", "agency", "valley"):
            end += 1
        if end + 1 < n and lowers[end] == "," and self.countries.match(lowers, end + 1) and self._capitals[end + 1]:
            end = self.countries.match(lowers, end + 1)[0]
        return start, end

    def _hardware(self, doc: Doc, lowers: tuple[str, ...], i: int):
        n = len(doc)
        j = i
        if lowers[j] in ("a", "an"):
            j += 1
        while j < n and (lowers[j] in self.weapon_modifiers or (self._capitals[j] and (self.known_orgs.match(lowers, j) or self.demonyms.match(lowers, j)))):
            j += 1
        for index, kind in ((self.platforms, "MilitaryPlatform"), (self.vehicles, "Vehicle"), (self.weapons, "Weapon")):
            hit = index.match(lowers, j)
            if hit and kind == "MilitaryPlatform" and j > 0 and lowers[j - 1] == "suicide":
                continue  # a suicide bomber is a person, not an aircraft
            if hit:
                if j == i and i > 0 and (lowers[i - 1] in ("a", "an") or lowers[i - 1] in self.weapon_modifiers):
                    return None  # the run starts earlier
                if kind == "Vehicle" and lowers[hit[0] - 1] in ("vehicle", "vehicles") and j > i and lowers[j - 1] in ("tactical", "armoured", "armored", "technical"):
                    kind = "MilitaryPlatform"
                return (i, hit[0], kind)
        return None

    # -- numbers, money, time -------------------------------------------
    def _number(self, doc: Doc, lowers: tuple[str, ...], i: int) -> int:
        """End of a number starting at i ('3 , 000', '5 million', 'tens of thousands'), or i."""
        n = len(doc)
        j = i
        if self._digits[i]:
            j = i + 1
            while j + 1 < n and lowers[j] in (",", ".") and re.fullmatch(r"\d{3}" if lowers[j] == "," else r"\d+", self._text[j + 1]):
                j += 2
        elif lowers[i] in self.number_words:
            j = i + 1
            if j + 1 < n and lowers[j] == "of" and lowers[j + 1] in ("thousands", "millions", "billions"):
                j += 2
            while j < n and lowers[j] in self.number_words and lowers[j] not in ("several", "multiple"):
                j += 1
        else:
            return i
        while j < n and lowers[j] in self.multipliers and lowers[j] not in ("m", "k"):
            j += 1
        return j

    def _money(self, doc: Doc, lowers: tuple[str, ...], i: int):
        n = len(doc)
        start = i
        j = i
        if lowers[j] in ("more", "less", "over", "under", "about", "around", "nearly", "almost", "some", "up") and j + 1 < n:
            if lowers[j] in ("more", "less", "up") and j + 2 < n and lowers[j + 1] in ("than", "to"):
                j += 2
            else:
                j += 1
        if lowers[j] in self.currency_symbols:
            end = self._number(doc, lowers, j + 1) if j + 1 < n else j + 1
            if end > j + 1:
                return (start, end, "Money")
            return None
        if j != i and lowers[i] not in ("over", "about", "around", "nearly", "almost"):
            pass
        end = self._number(doc, lowers, j)
        if end > j:
            k = end
            if k < n and self.demonyms.match(lowers, k):
                k = self.demonyms.match(lowers, k)[0]
            if k < n and lowers[k] in self.currency_words:
                return (start, k + 1, "Money")
            return None
        if j == i and lowers[i] in ("millions", "billions", "thousands") and i + 2 < n and lowers[i + 1] == "of" and lowers[i + 2] in self.currency_words:
            return (i, i + 3, "Money")
        if j == i:
            hit = self.money_nouns.match(lowers, i)
            if hit:
                return (i, hit[0], "Money")
        return None

    def _quantity(self, doc: Doc, lowers: tuple[str, ...], i: int):
        n = len(doc)
        text = self._text[i]
        if _NUM_UNIT.match(text):
            return (i, i + 1, "Quantity")
        if i > 0 and (self._digits[i - 1] or lowers[i - 1] in self.number_words or lowers[i - 1] == ","):
            if self._digits[i] or lowers[i] in self.number_words:
                return None  # inside a longer number
        end = self._number(doc, lowers, i)
        if end == i or lowers[i] in ("one", "several", "multiple", "scores"):
            return None
        if i > 0 and lowers[i - 1] == "[" or end < n and lowers[end] in ("°", "]", ".", ";") and end + 1 < n and self._digits[end + 1]:
            return None  # a footnote mark or a coordinate
        if end < n and lowers[end] in ("°", "]"):
            return None
        if self._year[i] and end == i + 1:
            return None
        if i > 0 and (lowers[i - 1] in self.docref_numbered or lowers[i - 1] in self.months or lowers[i - 1] in self.currency_symbols):
            return None
        if end < n and (lowers[end] in self.months or lowers[end] in self.temporal_units or lowers[end] in self.currency_words):
            return None
        if end + 1 < n and lowers[end] in ("to", "-") and self._number(doc, lowers, end + 1) > end + 1:
            end = self._number(doc, lowers, end + 1)
        unit = self.units.match(lowers, end) if end < n else None
        if unit and unit[0] and lowers[end] not in ("m",):
            end = unit[0]
        return (i, end, "Quantity")

    def _temporal(self, doc: Doc, lowers: tuple[str, ...], i: int):
        n = len(doc)
        low = lowers[i]
        start = i
        j = i
        # relative: [the] (last|past|next|...) [number] unit [ago]
        if low == "the" and i + 1 < n and lowers[i + 1] in self.temporal_relative:
            j = i + 1
        if lowers[j] in self.temporal_relative and j + 1 < n:
            k = j + 1
            k2 = self._number(doc, lowers, k)
            if k2 > k and k2 < n and lowers[k2] == "-" and k2 + 1 < n and lowers[k2 + 1] == "plus":
                k2 += 2
            if k2 < n and (lowers[k2] in self.temporal_units or lowers[k2] in self.months or lowers[k2] in self.weekdays):
                end = k2 + 1
                if end + 2 < n and lowers[end] == "and" and lowers[end + 1] in self.temporal_units:
                    end += 2
                return (start, end, "Temporal")
            if lowers[j] in ("early", "late", "mid") and k < n and lowers[k] in self.months:
                return (start, self._date_end(doc, lowers, k), "Temporal")
            return None
        if low in ("this", "that") and i + 1 < n and (lowers[i + 1] in self.temporal_units or lowers[i + 1] in self.temporal_words):
            return (i, i + 2, "Temporal")
        if low in self.temporal_words and self._capitals[i] or low in ("today", "yesterday", "tomorrow", "tonight"):
            return (i, i + 1, "Temporal")
        # number unit [ago]
        end = self._number(doc, lowers, i)
        if end > i and end < n and lowers[end] in self.temporal_units and lowers[i] not in ("one",):
            if i > 0 and (lowers[i - 1] in ("last", "past", "next", "the", "of") or self._digits[i - 1]):
                return None
            end += 1
            if end < n and lowers[end] == "ago":
                end += 1
            return (i, end, "Temporal")
        # dates: [weekday ,] (month day[, year] | day month [year] | month year | year)
        day, year = self._day, self._year
        if i > 0 and (lowers[i - 1] in self.weekdays or lowers[i - 1] in self.months or day[i - 1] or lowers[i - 1] in ("early", "late", "mid")):
            if low in self.months or day[i] or year[i]:
                return None
        if low in self.weekdays and self._capitals[i]:
            k = i + 1
            if k < n and lowers[k] == ",":
                k += 1
            if k < n and (lowers[k].rstrip(".") in self.months or day[k]):
                end = self._date_end(doc, lowers, k)
                if end > k:
                    return (i, end, "Temporal")
            return (i, i + 1, "Temporal")
        if (low.rstrip(".") in self.months and self._capitals[i] and (low != "may" or self._date_end(doc, lowers, i) > i + 1)) or (
            day[i] and i + 1 < n and lowers[i + 1].rstrip(".") in self.months
        ):
            return (i, self._date_end(doc, lowers, i), "Temporal")
        if year[i]:
            end = i + 1
            if end + 1 < n and lowers[end] == "-" and re.fullmatch(r"\d{2,4}", self._text[end + 1]):
                end += 2
            if i > 0 and lowers[i - 1] in ("since", "until", "in") and lowers[i - 1] == "since":
                return (i - 1, end, "Temporal")
            return (i, end, "Temporal")
        return None

    def _date_end(self, doc: Doc, lowers: tuple[str, ...], i: int) -> int:
        """End of 'Dec. 14th', 'January 15 , 2006', '23 May 2006', 'May 15 - 24', 'November 2005'."""
        n = len(doc)
        day, year = self._day, self._year
        j = i
        if day[j]:
            j += 1
            if j < n and lowers[j].rstrip(".") in self.months:
                j += 1
            if j < n and year[j]:
                j += 1
            return j
        j += 1  # month
        if j < n and self._text[j] == ".":
            j += 1
        if j < n and day[j]:
            j += 1
            if j + 1 < n and lowers[j] == "-" and day[j + 1]:
                j += 2
            if j + 1 < n and lowers[j] == "," and year[j + 1]:
                j += 2
            return j
        if j < n and year[j]:
            j += 1
        elif j + 2 < n and lowers[j] == "of" and year[j + 1]:
            j += 2
        return j

    def _docref(self, doc: Doc, lowers: tuple[str, ...], i: int):
        n = len(doc)
        low = lowers[i]
        # numbered: 'Resolution 2254', 'Executive Order 13582', 'Chapter four'
        if low in self.docref_numbered and i + 1 < n and self._capitals[i]:
            end = self._number(doc, lowers, i + 1)
            if end > i + 1:
                while end + 1 < n and lowers[end] == "and" and self._digits[end + 1]:
                    end += 2
                start = i
                while start > 0 and self._capitals[start - 1] and self._alpha[start - 1] and lowers[start - 1] != "the":
                    start -= 1
                if start > 0 and lowers[start - 1] == "the":
                    start -= 1
                return (start, end, "DocumentReference")
        # [the] Capitalised ... Book/Report/Communique [of ...]
        if self._docref_named and self._capitals[i] and (i == 0 or not self._capitals[i - 1] or lowers[i - 1] == "the"):
            end = self._cap_run(doc, lowers, i)
            words = lowers[i:end]
            if end > i and any(w in self.docref_heads for w in words) and words[0] not in self.determiners and not any(w in self.org_heads for w in words):
                if end + 2 < n and lowers[end] == "of" and self._year[end + 1]:
                    end += 2
                return (self._with_the(doc, i), end, "DocumentReference")
        # the [adjective] report / manual ...
        if low in ("the", "this", "its", "their") and i + 1 < n:
            j = i + 1
            if j + 1 < n and lowers[j] in ("full", "new", "latest", "final", "annual", "english-language", "arabic-language"):
                j += 1
            if lowers[j] in self.docref_lower:
                return (i, j + 1, "DocumentReference")
        return None


def _position_order(hit):
    return hit[0], hit[1]


def _resolve(cands):
    """Longest first, then by source priority; no two mentions share a token."""
    cands = sorted((c for c in cands if c[1] > c[0]), key=lambda c: (-(c[1] - c[0]), -c[3], c[0]))
    taken: set[int] = set()
    kept = []
    for start, end, kind, priority, value in cands:
        cells = range(start, end)
        if any(c in taken for c in cells):
            continue
        taken.update(cells)
        kept.append((start, end, kind, priority, value))
    return sorted(kept, key=lambda c: (c[0], c[1]))


@Language.factory("vigil_entities", default_config={"pronouns": False})
def make_entities(nlp: Language, name: str, pronouns: bool) -> EntityTagger:
    return EntityTagger(nlp, pronouns=pronouns)
