"""``EntityRules``: the entity component's own rules, where to try them, and the words they need.

Per word, ``_features`` says which rules can start there (``TokenColumns`` computes it
once per distinct word); ``find`` tries each rule at those positions only and returns
the mentions in token then rule order. The rules themselves are in ``names.py`` and
``numbers.py``; the word lists in ``vigil/nlp/patterns/entities/lexicon.json`` and
``demonyms.tsv``.
"""

from __future__ import annotations

from itertools import compress

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from vigil.nlp.components.persons import load_demonyms, load_json
from vigil.nlp.entity_rules.names import NameRules
from vigil.nlp.entity_rules.numbers import NumberRules
from vigil.nlp.entity_rules.phrases import ACRONYM, ADMIN_UNITS, DIGITS, MONEY_LEAD, NUM_UNIT, ORDINAL_DAY, YEAR, PhraseIndex
from vigil.nlp.token_table import TokenColumns, token_lowers, token_offsets, token_rows, token_texts
from vigil.nlp.values.text import doc_text

#: priority of the rules' mentions when two mentions have the same length (see the component's sources)
RULE_PRIORITY = 2
#: feature columns (``EntityRules._features``) read only as where they are set, with ``TokenColumns.where``
HEAD_FIRST, LOC_FIRST, DOCREF_LOW, DOCREF_NUM, ORG_START, ORG_HEAD, GATE = 10, 11, 12, 13, 15, 16, 17
#: feature columns only asked whether any token of the document has them
ADMIN_UNIT, DOCREF_HEAD = 20, 21
#: columns not picked for the whole document: the text and lower case (shared: ``token_texts``,
#: ``token_lowers``) and the rules (read by row where they are tried)
TEXT, LOW, RULES = 0, 1, 9
_WHERE_ONLY = frozenset(
    (HEAD_FIRST, LOC_FIRST, DOCREF_LOW, DOCREF_NUM, ORG_START, ORG_HEAD, GATE, ADMIN_UNIT, DOCREF_HEAD, TEXT, LOW, RULES)
)


class EntityRules(NameRules, NumberRules):
    """The word lists, the per-word features and the per-document state of the rules."""

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
        self.docref_lower_numbered = set(lex["docref_lower_numbered"])
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
        organisation start, organisation head, gate, long alphabetic word, long upper-case word,
        administrative unit, document head).

        The rules are those tried at every word that can start them, with their order and
        priority; the other rules are tried only at positions ``_gated`` finds from the flags.
        """
        text = lexeme.orth_
        low = lexeme.lower_
        cap = text[:1].isupper()
        alpha = lexeme.is_alpha
        digits = bool(DIGITS.match(text))
        number = digits or low in self.number_words
        pr = RULE_PRIORITY
        # (order, rule, priority): rules tried at every word that can start them; the order
        # is that of ``_RULE_ORDER`` (ties in ``_resolve`` keep it)
        rules = []
        if low in MONEY_LEAD or low in self.currency_symbols or number or low in ("millions", "billions", "thousands") or low in self.money_nouns.first:
            rules.append((0, self._money, pr))
        if (
            low in ("the", "this", "that", "today", "yesterday", "tomorrow", "tonight")
            or low in self.temporal_relative
            or low in self.temporal_words
            or low in self.weekdays
            or low.rstrip(".") in self.months
            or number
            or ORDINAL_DAY.match(text)
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
        if number or NUM_UNIT.match(text):
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
        # where ``find`` tries the rules of ``rules`` (see ``_rule_positions``): 1 always; 2 'the' (it can
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
            text, low, cap, alpha, digits, bool(ORDINAL_DAY.match(text)), bool(YEAR.match(text)), word, modifier, tuple(rules),
            flags & 8 != 0, flags & 32 != 0, flags & 128 != 0, flags & 256 != 0, flags,
            # organisations: a known name, a prefix ("Ministry ...") or an acronym can start one; a head ends one
            bool(low in self.known_orgs.first and (cap or low in ("coalition", "al")) or cap and (low in self.org_prefixes or ACRONYM.match(text))),
            low in self.org_heads,
            gate,
            # for telling ALL-CAPS sentences: an alphabetic word of two letters or more, and one in upper case
            alpha and len(text) > 1,
            alpha and len(text) > 1 and text.isupper(),
            # rules skipped when no word of the document has these (``prepare``)
            low in ADMIN_UNITS,
            low in self.docref_heads,
        )

    def prepare(self, doc: Doc) -> tuple[str, ...]:
        """Read the document's token columns; returns the lower-case words."""
        # per-call columns (components run one doc at a time): token i's text, lower case, ...
        (
            _,
            _,
            self._capitals,
            self._alpha,
            self._digits,
            self._day,
            self._year,
            self._word,
            self._modifier,
            _,
            _,
            _,
            _,
            _,
            self._flags,
            _,
            _,
            _,
            self._long_alpha,
            self._long_upper,
            _,
            _,
        ) = self.table.columns(doc, skip=_WHERE_ONLY)
        self._text = token_texts(doc)
        lowers = token_lowers(doc)
        self._chars = None
        self._doc = doc
        self._sent_starts: list[int] | None = None
        self._sentence_caps: dict[int, bool] = {}
        self._lowers = lowers
        self._runs: dict[tuple[int, int], int] = {}
        # rules skipped when the document lacks the words they need
        rows = token_rows(doc)[1]
        self._admin_units = bool(self.table.array(ADMIN_UNIT)[rows].any())
        self._docref_named = bool(self.table.array(DOCREF_HEAD)[rows].any())
        return lowers

    def find(self, doc: Doc, lowers: tuple[str, ...], cands: list) -> None:
        """Add the rules' mentions to ``cands``: each rule tried where its first token can be (see
        ``_features``), in token then rule order. Call after ``prepare``; forgets the document."""
        hits = []
        rule_list, rows = self.table.cols[RULES], token_rows(doc)[0]
        for i in self._rule_positions(doc):
            for order, rule, priority in rule_list[rows[i]]:
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
        self._doc = None  # do not keep the document alive

    def _rule_positions(self, doc: Doc) -> list[int]:
        """The tokens whose rules (``_features``) can match, found with numpy from the gate column."""
        gate = self.table.array(GATE)[token_rows(doc)[1]]
        after = np.zeros_like(gate)
        after[:-1] = gate[1:]
        keep = (gate & 1) | (gate & 2) & (after >> 2) | (gate & 4) & (after >> 2)
        return np.flatnonzero(keep).tolist()

    def _text_of(self, start: int, end: int) -> str:
        """``doc[start:end].text``, cut from the cached document text."""
        doc = self._doc
        if self._chars is None:
            self._chars = token_offsets(doc)
        chars = self._chars
        return doc_text(doc)[chars[start] : chars[end - 1] + len(self._text[end - 1])]

    def _gated(self, lowers: tuple[str, ...]):
        """(order, rule, priority, positions) for the rules tried only where a cheap test says they may match.

        Each position set holds every token where the rule can return a mention.
        """
        n = len(lowers)
        flags = self._flags
        pr = RULE_PRIORITY
        positions = range(n)
        # documents: 'Resolution 2254', '[the] ... Report', 'the (adjective) report'
        doc, where = self._doc, self.table.where
        docref = {i for i in where(doc, DOCREF_NUM) if self._capitals[i] or lowers[i] in self.docref_lower_numbered}
        if self._docref_named:
            # a capitalised run of at most 8 tokens holding a (capitalised) document head
            capitals = self._capitals
            for h in [k for k in where(doc, DOCREF_HEAD) if capitals[k]]:
                docref.update(i for i in range(max(h - 7, 0), h + 1) if capitals[i] and (i == 0 or not capitals[i - 1] or lowers[i - 1] == "the"))
        for k in where(doc, DOCREF_LOW):
            if k > 0 and flags[k - 1] & 64:
                docref.add(k - 1)
            if k > 1 and flags[k - 2] & 64:
                docref.add(k - 2)
        # organisations: a known name, prefix or acronym at i; else a capitalised run of at most 8 tokens with a head
        capitals = self._capitals
        org = set(where(doc, ORG_START))
        for h in where(doc, ORG_HEAD):
            org.update(i for i in range(max(h - 7, 0), h + 1) if capitals[i])
        # groups: the modifier run after an optional determiner must reach a group head
        reach: set[int] = set()
        for h in where(doc, HEAD_FIRST):
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
        place = {k - 1 for k in where(doc, LOC_FIRST) if k > 0 and flags[k - 1] & 16}
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


def _position_order(hit):
    return hit[0], hit[1]
