"""Person names found by rules: titles and roles, name lexicons, reporting appositives.

Writes ``doc.spans["persons"]`` (label ``person``), each with the value
``{"name": normalised name | None, "role": title or role words | None}``:

* a title or role, possibly with modifiers, before a name: "President Pervez
  Musharraf", "Iraqi Prime Minister Nouri al-Maliki", "Lt. Gen. Stephen J.
  Townsend", "spokesman Zabihullah Mujahid"; in ALL-CAPS wire text too
  ("ARMED FORCES SPOKESMAN COLONEL LUIS ARTURO ISAACS SAID");
* a capitalised role standing for a person: "the Foreign Secretary";
* a name starting with a known first name or containing a known surname
  ("Abdul Rashid Dostum", "Baitullah Mehsud"), or "Abu ...";
* a capitalised sequence next to a reporting verb or a role appositive
  ("..., said Jane Doe", "Jane Doe, a spokeswoman for ...");
* later mentions of a found surname ("Townsend").

The word lists are data: ``vigil/nlp/patterns/entities/{titles,names}.json``.
"""

from __future__ import annotations

import csv
import json
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

import numpy as np

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from vigil.nlp.extensions import get_value, read_spans, set_value, write_spans
from vigil.nlp.spans import sentence_starts
from vigil.nlp.token_table import TokenColumns, token_lowers, token_offsets, token_rows, token_texts
from vigil.nlp.values.text import doc_text

KEY = "persons"
PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns" / "entities"

_REPORTING = {"said", "says", "say", "told", "added", "stated", "explained", "noted", "claimed", "denied", "confirmed", "warned", "announced", "asserted", "insisted", "stressed", "argued", "wrote", "tweeted", "declared"}
_APPOSITIVE_ROLES = {"spokesman", "spokeswoman", "spokesperson", "commander", "leader", "chief", "official", "member", "minister", "senior", "former", "resident", "witness", "analyst", "professor", "director", "head", "deputy", "founder", "cleric", "journalist", "reporter", "representative", "correspondent", "senator", "lawmaker", "student", "doctor", "police", "army", "military", "local", "top", "militant", "taliban"}


def load_json(name: str) -> dict:
    """A data file of ``vigil/nlp/patterns/entities`` (cached)."""
    return _load_json(name)


@lru_cache(maxsize=None)
def _load_json(name: str) -> dict:
    return json.loads((PATTERNS_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def load_demonyms() -> dict[str, tuple[str, str]]:
    """Demonym (lower case) -> (country name, ISO alpha-2); both may be empty."""
    table: dict[str, tuple[str, str]] = {}
    with (PATTERNS_DIR / "demonyms.tsv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            demonym, country, code = (row + ["", ""])[:3]
            table[demonym.lower()] = (country, code)
    return table


def norm(token: Token) -> str:
    """Lower case without full stops: 'Lt.' -> 'lt', 'U.S.' -> 'us'."""
    return token.lower_.replace(".", "")


class Lexicon:
    """The person word lists, compiled for token lookups."""

    def __init__(self) -> None:
        titles = load_json("titles.json")
        names = load_json("names.json")
        self.honorifics = _phrase_set(titles["honorifics"])
        self.roles = _phrase_set(titles["roles"])
        self.lower_roles = _phrase_set(titles["lower_roles"])
        self.titles = self.honorifics | self.roles
        self.max_title = max(len(t) for t in self.titles | self.lower_roles)
        self.modifiers = {m.replace(".", "") for m in titles["modifiers"]}
        self.role_of_heads = set(titles["role_of_heads"])
        self.given = {n.lower() for n in names["given"]}
        self.surnames = {n.lower() for n in names["surnames"]}
        self.particles = set(names["particles"])
        self.stop = set(names["stopwords"])
        self.ambiguous = set(names["ambiguous"])
        self.demonyms = set(load_demonyms())
        title_words = {w for t in self.titles for w in t}
        self.not_names = self.stop | title_words | self.demonyms | set(names["not_names"])
        self.prefixes = self.modifiers | self.demonyms
        self.title_starts = {t[0] for t in self.titles | self.lower_roles}
        # every leading word sequence of a title: a longer title needs its words so far to be one
        self.title_prefixes = {t[:k] for t in self.titles | self.lower_roles for k in range(1, len(t) + 1)}


def _phrase_set(phrases: list[str]) -> set[tuple[str, ...]]:
    return {tuple(p.lower().replace(".", "").split()) for p in phrases}


#: the feature columns of where a match can start (mixed case, ALL CAPS), read with ``TokenColumns.where``
GATE_MIXED, GATE_CAPS = 7, 8
#: the text and lower case, read from the shared columns (``token_texts``, ``token_lowers``)
TEXT, LOW = 0, 1
_GATES = frozenset((GATE_MIXED, GATE_CAPS, TEXT, LOW))


class PersonFinder:
    """The ``vigil_persons`` component."""

    def __init__(self, vocab) -> None:
        self.lex = Lexicon()
        self.given_or_surname = self.lex.given | self.lex.surnames
        self.table = TokenColumns(vocab, self._features)

    def _features(self, lexeme) -> tuple:
        """The columns of ``_Tokens``, in its order, for one word."""
        lex = self.lex
        text = lexeme.orth_
        low = lexeme.lower_
        normed = low.replace(".", "")
        alpha = lexeme.is_alpha
        first_upper = text[:1].isupper()
        upper_word = alpha and lexeme.is_upper
        # a name word, if capitalised: not a stop or title word; an initial ("J."), a word, "O'Neill"
        nameish = bool(text) and normed not in lex.not_names and (
            (text.endswith(".") and len(text) == 2) or bool(alpha or ("'" in text or "’" in text) and text[0].isalpha())
        )
        long_alpha = alpha and len(text) > 1
        word = text.replace(".", "").isalpha()
        title_start = normed in lex.title_starts
        # where a match can start: a title, or a capitalised prefix or name word
        opens = nameish or normed in lex.prefixes or low in lex.particles or low in ("abu", "umm") or (len(text) == 1 and text.isupper())
        return (
            text,
            low,
            normed,
            first_upper,
            upper_word,
            first_upper and nameish,
            upper_word and nameish,
            word and (title_start or first_upper and opens),
            word and (title_start or upper_word and opens),
            word,
            title_start,
            long_alpha,
            long_alpha and lexeme.is_upper,
            alpha,
        )

    # -- the component -------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        table = self.table
        t = _Tokens(table.columns(doc, skip=_GATES))
        t.text, t.lower = token_texts(doc), token_lowers(doc)
        rows = token_rows(doc)[1]
        t.gates = {False: table.where(doc, GATE_MIXED), True: table.where(doc, GATE_CAPS)}
        t.doc = doc
        found: list[tuple[int, int, str | None, str | None]] = []
        # scan across sentence boundaries ("Lt. Gen." splits a sentence) but judge ALL CAPS per sentence
        for start, end, caps in _caps_runs(doc, t):
            found.extend(self._scan(doc, t, start, end, caps))
        found = _non_overlapping(found)
        found.extend(self._later_mentions(t, found, np.flatnonzero(table.array(3)[rows]).tolist() if found else ()))
        # words inside an organisation's name ("... Sanctions Monitoring Team") are not a person
        organisations = [(s.start, s.end) for s in read_spans(doc, "actors") if (get_value(s, "actors") or {}).get("kind") != "person"]
        found = [f for f in found if not any(f[0] < e and s < f[1] for s, e in organisations)]
        spans = []
        for start, end, name, role in sorted(found):
            span = Span(doc, start, end, label="person")
            set_value(span, KEY, {"name": name, "role": role})
            spans.append(span)
        write_spans(doc, KEY, spans)
        return doc

    def pipe(self, docs, batch_size: int = 32):
        for doc in docs:
            yield self(doc)

    def _scan(self, doc: Doc, t: _Tokens, start: int, end: int, caps: bool):
        t.set_caps(caps)
        gates = t.gates[caps]
        i = start
        for c in gates[bisect_left(gates, start) : bisect_left(gates, end)]:
            if c < i:
                continue
            hit = self._titled(doc, t, c, end, caps)
            if hit is None:
                hit = self._named(doc, t, c, end, caps)
            if hit is None:
                continue
            yield hit
            i = hit[1]

    def _match_title(self, t: _Tokens, i: int, end: int, lower_ok: bool) -> tuple[int, str] | None:
        """Longest title starting at token i: (end token, kind), skipping '.' tokens."""
        lex = self.lex
        text, norms, cap, word = t.text, t.norm, t.cap, t.word
        words: list[str] = []
        best: tuple[int, str] | None = None
        capitalised = cap[i] or t.first_upper[i]
        j = i
        while j < end and len(words) < lex.max_title:
            if text[j] == "." and words:
                j += 1
                continue
            if not word[j]:
                break
            words.append(norms[j])
            key = tuple(words)
            if key not in lex.title_prefixes:
                break
            if capitalised and key in lex.titles:
                best = (j + 1, "role" if key in lex.roles else "honorific")
            elif lower_ok and key in lex.lower_roles:
                best = (j + 1, "lower")
            j += 1
        if best is not None:  # absorb the full stop of an abbreviation ("Col .")
            k = best[0]
            if k < end and text[k] == "." and len(text[k - 1]) <= 5 and k + 1 < end and cap[k + 1]:
                best = (k + 1, best[1])
        return best

    def _name_run(self, t: _Tokens, i: int, end: int) -> int:
        """End of the name starting at token i (i itself when there is none)."""
        text, lowers, name = t.text, t.lower, t.name
        particles = self.lex.particles
        j = i
        while j < end:
            if name[j]:
                j += 1
            elif lowers[j] in particles and j + 1 < end and (
                name[j + 1] or text[j + 1] in ("-", "‑") and j + 2 < end and name[j + 2]
            ):
                j += 2 if text[j + 1] in ("-", "‑") else 1
            elif text[j] == "-" and j > i and j + 1 < end and lowers[j - 1] in particles:
                j += 1
            elif len(text[j]) == 1 and text[j].isupper() and j + 1 < end and text[j + 1] == "." and j + 2 < end and name[j + 2]:
                j += 2  # "Scott C . Dayton"
            else:
                break
        # do not end on a particle or hyphen
        while j > i and (lowers[j - 1] in particles or text[j - 1] == "-"):
            j -= 1
        return j

    def _titled(self, doc: Doc, t: _Tokens, i: int, end: int, caps: bool):
        """[the] (modifier | demonym)* title+ [of|for ...] name*"""
        lex = self.lex
        norms, cap, lowers = t.norm, t.cap, t.lower
        j = i
        while j < end and norms[j] in lex.prefixes and cap[j]:
            j += 1
        if j >= end or not t.title_start[j]:
            return None
        role_end = None
        kind = None
        k = j
        while k < end:
            match = self._match_title(t, k, end, lower_ok=(k == i))
            if match is None:
                if role_end is not None and norms[k] in lex.modifiers and cap[k]:
                    k += 1
                    continue
                break
            k, kind = match
            role_end = k
        if role_end is None:
            return None
        # "Minister for the Middle East", "Minister of Foreign Affairs of Iraq"
        last = norms[role_end - 1]
        if kind != "lower" and last in lex.role_of_heads and role_end < end and lowers[role_end] in ("of", "for"):
            m = role_end + 1
            if m < end and lowers[m] == "the":
                m += 1
            n = m
            while n < end and n - m < 5 and cap[n] and t.alpha[n] and norms[n] not in lex.given:
                n += 1
            if n > m:
                role_end = n
        name_end = self._name_run(t, role_end, end)
        if kind == "lower" and name_end - role_end < 1:
            return None
        first = i
        if i > 0 and lowers[i - 1] == "the":
            first = i - 1
        role = _text(t, i, role_end, caps)
        if name_end > role_end:
            if kind == "lower" and name_end - role_end == 1 and norms[role_end] not in self.given_or_surname:
                return None
            return (first, name_end, _text(t, role_end, name_end, caps), role)
        if kind == "role" and (first < i or role_end - i > 1) and not caps:
            return (first, role_end, None, role)
        return None

    def _named(self, doc: Doc, t: _Tokens, i: int, end: int, caps: bool):
        lex = self.lex
        lowers = t.lower
        if not t.cap[i]:
            return None
        low = lowers[i]
        if low in ("abu", "umm") and i + 1 < end and t.name[i + 1]:
            stop = self._name_run(t, i + 1, end)
            return (i, stop, _text(t, i, stop, caps), None)
        stop = self._name_run(t, i, end)
        if stop == i:
            return None
        words = lowers[i:stop]
        length = stop - i
        if words[0] in lex.given and words[0] not in lex.ambiguous and (length >= 2 or i > 0 and lowers[i - 1] in _REPORTING):
            return (i, stop, _text(t, i, stop, caps), None)
        if length >= 2 and any(w in lex.surnames for w in words[1:]) and not caps:
            return (i, stop, _text(t, i, stop, caps), None)
        if length >= 2 and not caps and self._reported(t, i, stop, end):
            return (i, stop, _text(t, i, stop, caps), None)
        return None

    def _reported(self, t: _Tokens, i: int, stop: int, end: int) -> bool:
        """A name next to a reporting verb or followed by a role appositive."""
        lowers = t.lower
        if i > 0 and lowers[i - 1] in _REPORTING:
            return True
        if i > 1 and lowers[i - 2] == "according" and lowers[i - 1] == "to":
            return True
        if stop < end and lowers[stop] in _REPORTING:
            return True
        if stop + 2 < end and t.text[stop] == "," and lowers[stop + 1] in ("a", "an", "the", "its", "his", "who") and (
            lowers[stop + 2] in _APPOSITIVE_ROLES or lowers[stop + 1] == "who"
        ):
            return True
        return False

    def _later_mentions(self, t: _Tokens, found, capitalised):
        """Bare surnames of persons already found ("Townsend said ...")."""
        surnames = {}
        covered = set()
        for start, end, name, role in found:
            covered.update(range(start, end))
            if name:
                last = name.split()[-1].split("-")[-1]
                if len(last) > 2 and last.lower() not in self.lex.particles:
                    surnames[last.lower()] = name
        if not surnames:
            return []
        extra = []
        lowers = t.lower
        for i in capitalised:  # tokens with an upper-case initial
            low = lowers[i]
            if low in surnames and i not in covered:
                extra.append((i, i + 1, surnames[low], None))
        return extra


class _Tokens:
    """One document's token columns, by name; ``cap`` and ``name`` follow the ALL CAPS mode.

    ``gates``: where a title or a name can start, in mixed-case and in ALL CAPS text.
    """

    __slots__ = (
        "text", "lower", "norm", "first_upper", "upper_word", "name_mixed", "name_caps",
        "word", "title_start", "long_alpha", "long_upper", "alpha", "cap", "name", "gates", "doc", "chars",
    )

    def __init__(self, columns: tuple[tuple, ...]) -> None:
        (
            self.text,
            self.lower,
            self.norm,
            self.first_upper,
            self.upper_word,
            self.name_mixed,
            self.name_caps,
            _,
            _,
            self.word,
            self.title_start,
            self.long_alpha,
            self.long_upper,
            self.alpha,
        ) = columns
        self.chars = None
        self.set_caps(False)

    def set_caps(self, caps: bool) -> None:
        """In ALL CAPS text a capitalised word is an upper-case word, elsewhere one with an upper-case initial.

        ``name``: a capitalised name word.
        """
        if caps:
            self.cap, self.name = self.upper_word, self.name_caps
        else:
            self.cap, self.name = self.first_upper, self.name_mixed


def _caps_runs(doc: Doc, t: _Tokens):
    """(start, end, all_caps) over runs of sentences that agree on ALL CAPS."""
    bounds = _sentence_bounds(doc) if doc.has_annotation("SENT_START") else [(0, len(doc))]
    runs: list[list] = []
    for start, end in bounds:
        caps = _is_caps(t, start, end) if end - start > 3 else (runs[-1][2] if runs else _is_caps(t, start, end))
        if runs and runs[-1][2] == caps:
            runs[-1][1] = end
        else:
            runs.append([start, end, caps])
    return [tuple(r) for r in runs]


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) of each sentence, as ``doc.sents`` gives them, without creating spans."""
    starts = sentence_starts(doc)
    return list(zip(starts, starts[1:] + [len(doc)]))


def _is_caps(t: _Tokens, start: int, end: int) -> bool:
    letters = sum(t.long_alpha[start:end])
    return letters >= 3 and sum(t.long_upper[start:end]) >= 0.7 * letters


def _text(t: _Tokens, start: int, end: int, caps: bool) -> str:
    """``doc[start:end].text``, cut from the cached document text."""
    if t.chars is None:
        t.chars = token_offsets(t.doc)
    chars = t.chars
    text = doc_text(t.doc)[chars[start] : chars[end - 1] + len(t.text[end - 1])]
    text = text.replace(" - ", "-").replace(" .", ".")
    return text.title() if caps else text


def _non_overlapping(found):
    found = sorted(found, key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: set[int] = set()
    kept = []
    for item in found:
        cells = set(range(item[0], item[1]))
        if cells & taken:
            continue
        taken |= cells
        kept.append(item)
    return kept


@Language.factory("vigil_persons")
def make_persons(nlp: Language, name: str) -> PersonFinder:
    return PersonFinder(nlp.vocab)
