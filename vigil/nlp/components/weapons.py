"""Weapons and military platforms named in reports, with calibre, model and origin.

Writes ``doc.spans["weapons"]`` (label = weapon class) with the value
``{"weapon_class", "calibre", "model", "origin"}`` (any may be None). One span per
mention: "US-made M4 rifles" is one mention (model M4, class rifle, calibre
5.56x45mm NATO from the lexicon, origin "US-made").

How a mention is read (lexicon and word lists in ``patterns/weapons.json``):

1. Heads: lexicon terms (classes and models) found on whole words, plurals allowed;
   the longest wins where two overlap; a model directly followed by a class word
   ("M4 rifles", "Stinger missiles") is one head, and then the class word decides the
   class (the words of the text before the lexicon's class for the model).
2. Left of a head: a calibre ("7.62mm ammunition"), filler adjectives ("heavy"), and an
   origin: "US-made", "NATO-calibre", "Chinese", "former Afghan security forces'".
3. Right of a head: an origin phrase: "left behind by the former Afghan security
   forces", "of Iranian origin". It is part of the span.
4. A calibre with no weapon word ("5.56mm") is a mention of its own (class None).

Generic words ("weapons", "arms") are mentions of class "weapons"; "arms" is skipped
after possessives and in idioms listed as exclusions ("his arms", "took up arms").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from vigil.nlp.lexicon import load_patterns
from vigil.nlp.spans import lowers
from vigil.nlp.token_table import TokenColumns, token_offsets
from vigil.nlp.values.finds import record_finds
from vigil.nlp.values.text import doc_lower, doc_text, longest_first, lower_same_length, windows

KEY = "weapons"
_WORD = re.compile(r"[a-z0-9][a-z0-9.]*(?:-[a-z0-9]+)*")


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in sorted(set(words), key=len, reverse=True))


def _term_pattern(term: str) -> re.Pattern[str]:
    """A term's words as a regex on the lower-cased text: a space or hyphen in the term
    matches one space, hyphen, tab or newline and then every space, tab and newline after
    it, without giving any back (possessive ``*+``), as a word-by-word comparison would."""
    return re.compile("".join(r"[ \-\n\t][ \n\t]*+" if ch in " -" else re.escape(ch) for ch in term))


class Term:
    """A lexicon entry: the class, model and calibre a word stands for."""

    __slots__ = ("text", "weapon_class", "model", "calibre", "is_model", "case_sensitive", "before", "after", "match")

    def __init__(self, text: str, weapon_class: str, model: str | None, calibre: str | None) -> None:
        self.text = text
        self.match = _term_pattern(text).match
        self.weapon_class = weapon_class
        self.model = model
        self.calibre = calibre
        self.is_model = model is not None
        self.case_sensitive = False
        self.before: re.Pattern[str] | None = None
        self.after: re.Pattern[str] | None = None


class WeaponRules:
    """The lexicon and context patterns, built once from the data file."""

    def __init__(self, data: dict) -> None:
        self.terms: dict[str, Term] = {}
        for entry in data["classes"]:
            for text in entry["terms"]:
                self.terms[text] = Term(text, entry["class"], None, None)
        for entry in data["models"]:
            for text in entry["terms"]:
                self.terms[text] = Term(text, entry["class"], entry["model"], entry["calibre"])
        for text in data["case_sensitive"]:
            self.terms[text].case_sensitive = True
        for text, context in data["exclusions"].items():
            term = self.terms.get(text)
            if term is None:
                continue
            if context["before"]:
                term.before = re.compile(rf"\b(?:{_alt(context['before'])})[\s-]+$")
            if context["after"]:
                term.after = re.compile(rf"[\s-]+(?:{_alt(context['after'])})\b")
        # Terms are looked up by their first word, cut at a space ("ak-47") or also at a
        # hyphen ("night" of "night-vision"), as spaCy's tokenizer may cut it; longest first.
        self.by_word: dict[str, list[Term]] = {}
        for term in sorted(self.terms.values(), key=lambda t: len(t.text), reverse=True):
            first = term.text.split(" ")[0]
            words = {first, re.split(r"[\s-]", term.text, maxsplit=1)[0]}
            if first == term.text:
                words |= {first + "s", first + "es"}
            for word in words:
                self.by_word.setdefault(word, []).append(term)
        # per language: where a document's words begin a term (``candidates``), found with numpy
        self._first_words: dict[str, TokenColumns] = {}

        self.canonical_calibres: dict[str, str] = data["calibres"]["canonical"]
        self.calibre = re.compile(
            r"(?<![\w.])(?:(?P<a>\d{1,2}(?:[.,]\d{1,2})?)\s*(?:x|×|by)\s*(?P<b>\d{2,3})\s*(?:mm|millimet(?:re|er)s?)(?P<r>r\b)?"
            r"(?:\s*nato\b)?|(?P<mm>\d{1,3}(?:[.,]\d{1,2})?)\s*-?\s*(?:mm|millimet(?:re|er)s?)\b"
            r"|(?P<inch>\.\d{2,3})\s*-?\s*(?:cal(?:ibre|iber)?\b\.?|bmg\b)?)(?![\w])"
        )
        self.calibre_before = re.compile(self.calibre.pattern + r"[\s-]+$")

        origins = data["origins"]
        adjectives = _alt(origins["adjectives"])
        suffixes = _alt(origins["suffixes"])
        possessor = (
            rf"(?:(?:{_alt(origins['possessor_modifiers'])})\s+)*(?:[a-z][\w.'’-]*\s+){{0,4}}?"
            rf"(?:{_alt(origins['possessors'])})['’]s?"
        )
        fillers = _alt(data["fillers"])
        # Left context, matched against the text just before a head and ending there.
        self.left = re.compile(
            rf"(?:(?P<origin>(?:{adjectives})(?:[\s-]+(?:{suffixes}))?|{possessor})[\s,]+)?"
            rf"(?:(?:{fillers})[\s,-]+){{0,3}}"
            rf"(?:(?P<cal>{self.calibre.pattern})[\s-]+)?$"
        )
        # The last word before a head must be one of these for the left context to be tried.
        self.left_last_words = {
            re.split(r"[\s-]", word)[-1]
            for word in [*origins["adjectives"], *origins["suffixes"], *data["fillers"], *origins["possessors"]]
        } | {"mm", "calibre", "caliber", "cal", "cal.", "bmg", "nato", "millimetre", "millimeter", "millimetres"}
        # Right context: "left behind by the former Afghan security forces", "of Iranian origin".
        # Names are runs of capitalised words, so these patterns are case-sensitive except
        # for their (?i:...) parts; ALL-CAPS text falls back to ``right_lower``.
        leads = _alt(origins["post_leads"])
        connectors = _alt(origins["post_connectors"])
        modifiers = _alt(origins["possessor_modifiers"])
        name = r"(?:[A-Z][\w'’&-]*|(?:and|of|the|for|de|al)(?=\s+[A-Z]))"
        self.right_named = re.compile(
            rf"\s*,?\s+(?P<phrase>(?i:(?:(?:{connectors})\s+)?(?:{leads})\s+(?:the\s+)?(?:(?:{modifiers})\s+)*)"
            rf"{name}(?:\s+{name}){{0,7}})"
        )
        self.right_lower = re.compile(
            rf"\s*,?\s+(?P<phrase>(?:(?:{connectors})\s+)?(?:{leads})\s+(?:the\s+)?(?:[a-z][\w.'’-]*\s+){{0,4}}?"
            rf"(?:{_alt(origins['possessors'])}))\b",
            re.IGNORECASE,
        )
        self.right_origin = re.compile(rf"\s+(?P<phrase>of\s+(?:{adjectives})\s+(?:origin|make|manufacture))\b", re.IGNORECASE)

    # -- finding ------------------------------------------------------------------------

    def heads(self, text: str, low: str, starts: Iterable[tuple[int, str]] | None = None) -> list[tuple[int, int, dict]]:
        """Lexicon terms on whole words (plural -s/-es allowed), longest first.

        ``starts``: (offset, lower-cased word) of the words that may begin a term; by
        default every word of the text (the component passes spaCy tokens instead).
        """
        if starts is None:
            starts = ((m.start(), m[0]) for m in _WORD.finditer(low))
        found: list[tuple[int, int, dict]] = []
        size = len(low)
        for at, word in starts:
            terms = self.by_word.get(word)
            if terms and not (at and (low[at - 1].isalnum() or low[at - 1] in "-.")):
                term = self._term_at(text, low, at, size, terms)
                if term is not None:
                    found.append(term)
        return longest_first(found)

    def candidates(self, doc: Doc) -> list[tuple[int, str]]:
        """(offset, lower-cased text) of the tokens that may begin a lexicon term."""
        if not len(doc):
            return []
        table = self._first_words.get(doc.vocab.lang)
        if table is None:  # one per language (a word's lower case follows its rules), like ``lowers``
            by_word = self.by_word
            table = self._first_words[doc.vocab.lang] = TokenColumns(doc.vocab, lambda lexeme: (lexeme.lower_ in by_word,))
        hits = table.where(doc, 0)
        if not hits:
            return []
        words = lowers(doc)  # shared, cached by the sentence splitter
        offsets = token_offsets(doc)  # shared with the entity rules
        return [(offsets[i], words[i]) for i in hits]

    def _term_at(self, text: str, low: str, at: int, size: int, terms: list[Term]) -> tuple[int, int, dict] | None:
        for term in terms:
            match = term.match(low, at)
            if match is None:
                continue
            end = match.end()
            for plural in ("es", "s", ""):
                if low.startswith(plural, end) and not (end + len(plural) < size and (low[end + len(plural)].isalnum())):
                    end += len(plural)
                    break
            else:
                continue
            if term.case_sensitive and text[at:end].islower():
                continue
            if term.before and term.before.search(low, max(at - 30, 0), at):
                continue
            if term.after and term.after.match(low, end):
                continue
            return at, end, {"term": term}
        return None

    def calibre_name(self, match: re.Match[str]) -> str:
        """The reported name of a calibre match ("7.62 x 39 mm" -> "7.62x39mm")."""
        if match["a"]:
            key = f"{match['a'].replace(',', '.')}x{match['b']}mm{'r' if match['r'] else ''}"
            key_nato = key + "nato" if "nato" in match[0] else key
            return self.canonical_calibres.get(key_nato) or self.canonical_calibres.get(key, key.replace("mmr", "mmR"))
        if match["mm"]:
            key = f"{match['mm'].replace(',', '.')}mm"
            return self.canonical_calibres.get(key, key)
        return self.canonical_calibres.get(match["inch"], f"{match['inch']} calibre")

    def find(
        self, text: str, starts: Iterable[tuple[int, str]] | None = None, low: str | None = None
    ) -> list[tuple[int, int, dict]]:
        """Weapon mentions in ``text``: (start, end, value); ``starts`` as for ``heads``.

        ``low``: ``lower_same_length(text)`` when the caller has it already.
        """
        if low is None:
            low = lower_same_length(text)
        heads = self._merge_models(self.heads(text, low, starts), low)
        mentions: list[tuple[int, int, dict]] = []
        for start, end, info in heads:
            value = {"weapon_class": info["weapon_class"], "calibre": info["calibre"], "model": info["model"], "origin": None}
            start = self._left(text, low, start, value)
            value["head_end"] = end  # the weapon words end here; an origin phrase may follow
            end = self._right(text, end, value)
            mentions.append((start, end, value))
        covered = [(s, e) for s, e, _ in mentions]
        for w_start, w_end in windows(("mm", "cal", "bmg", "millim", "."), low, 16, 12):
            for match in self.calibre.finditer(low, w_start, w_end):
                if match["inch"] and not re.search(r"cal|bmg", match[0]):
                    continue
                if any(s <= match.start() < e for s, e in covered):
                    continue
                value = {"weapon_class": None, "calibre": self.calibre_name(match), "model": None, "origin": None}
                mentions.append((match.start(), match.end(), value))
                covered.append(match.span())
        return longest_first(mentions)

    def _merge_models(self, heads: list[tuple[int, int, dict]], low: str) -> list[tuple[int, int, dict]]:
        """One head per mention: a model and the class word right after it are one."""
        merged: list[tuple[int, int, dict]] = []
        for start, end, found in heads:
            term: Term = found["term"]
            info = {"weapon_class": term.weapon_class, "model": term.model, "calibre": term.calibre}
            if merged:
                p_start, p_end, p_info = merged[-1]
                gap = low[p_end:start]
                if p_info["model"] and not term.is_model and gap.strip(" -") == "" and len(gap) <= 2:
                    merged[-1] = (p_start, end, {**p_info, "weapon_class": term.weapon_class})
                    continue
            merged.append((start, end, info))
        return merged

    def _left(self, text: str, low: str, start: int, value: dict) -> int:
        before = low[max(start - 24, 0) : start].rstrip(" ,-\n")
        last = re.split(r"[\s-]", before)[-1] if before else ""
        if not (last in self.left_last_words or last.endswith(("'", "’", "'s", "’s", "mm")) or last[-1:].isdigit()):
            return start
        match = self.left.search(low, max(start - 80, 0), start)
        if match is None or match.start() == start:
            return start
        new_start = start
        if match["cal"]:
            calibre = self.calibre.match(low, match.start("cal"))
            if calibre:  # the words of the text win over the lexicon's calibre for a model
                value["calibre"] = self.calibre_name(calibre)
            new_start = match.start("cal")
        if match["origin"]:
            origin = text[match.start("origin") : match.end("origin")]
            if origin.lower() != "us" or origin == "US":  # not the pronoun "us"
                value["origin"] = re.sub(r"['’]s?$", "", origin)
                new_start = match.start("origin")
        return new_start

    def _right(self, text: str, end: int, value: dict) -> int:
        best = None
        for pattern in (self.right_origin, self.right_named, self.right_lower):
            match = pattern.match(text, end)
            if match is None or (pattern is self.right_named and match["phrase"].isupper()):
                continue
            if best is None or match.end() > best.end():
                best = match
        if best is None:
            return end
        if value["origin"] is None:
            value["origin"] = best["phrase"]
        return best.end()


@lru_cache(maxsize=None)
def weapon_rules() -> WeaponRules:
    """The rules, compiled once per process."""
    return WeaponRules(load_patterns("weapons"))


class WeaponFinder:
    """spaCy component: weapon mentions into ``doc.spans["weapons"]``."""

    def __init__(self) -> None:
        self.rules = weapon_rules()

    def __call__(self, doc: Doc) -> Doc:
        return record_finds(doc, KEY, self.rules.find(doc_text(doc), self.rules.candidates(doc), doc_lower(doc)), _label)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def _label(value: dict) -> str:
    return value["weapon_class"] or "weapon"


@Language.factory("vigil_weapons", assigns=["doc.spans"])
def make_weapons(nlp: Language, name: str) -> WeaponFinder:
    return WeaponFinder()
