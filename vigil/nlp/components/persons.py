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
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from vigil.nlp.extensions import get_value, set_value

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


def _phrase_set(phrases: list[str]) -> set[tuple[str, ...]]:
    return {tuple(p.lower().replace(".", "").split()) for p in phrases}


class PersonFinder:
    """The ``vigil_persons`` component."""

    def __init__(self) -> None:
        self.lex = Lexicon()

    # -- token tests -------------------------------------------------------
    def _cap(self, token: Token, caps: bool) -> bool:
        text = token.text
        if caps:
            return token.is_alpha and token.is_upper
        return bool(text) and text[0].isupper()

    def _name_token(self, token: Token, caps: bool) -> bool:
        text = token.text
        if not text or not self._cap(token, caps):
            return False
        low = norm(token)
        if low in self.lex.not_names:
            return False
        if text.endswith(".") and len(text) == 2:  # an initial: "J."
            return True
        return token.is_alpha or ("'" in text or "’" in text) and text[0].isalpha()

    def _match_title(self, doc: Doc, i: int, end: int, caps: bool, lower_ok: bool) -> tuple[int, str] | None:
        """Longest title starting at token i: (end token, kind), skipping '.' tokens."""
        words: list[str] = []
        best: tuple[int, str] | None = None
        j = i
        while j < end and len(words) < self.lex.max_title:
            token = doc[j]
            if token.text == "." and words:
                j += 1
                continue
            if not token.is_alpha and token.text.replace(".", "").isalpha() is False:
                break
            words.append(norm(token))
            key = tuple(words)
            capitalised = self._cap(doc[i], caps) or doc[i].text[0].isupper()
            if capitalised and key in self.lex.titles:
                best = (j + 1, "role" if key in self.lex.roles else "honorific")
            elif lower_ok and key in self.lex.lower_roles:
                best = (j + 1, "lower")
            j += 1
        if best is not None:  # absorb the full stop of an abbreviation ("Col .")
            k = best[0]
            if k < end and doc[k].text == "." and len(doc[k - 1].text) <= 5 and k + 1 < end and self._cap(doc[k + 1], caps):
                best = (k + 1, best[1])
        return best

    def _name_run(self, doc: Doc, i: int, end: int, caps: bool) -> int:
        """End of the name starting at token i (i itself when there is none)."""
        j = i
        while j < end:
            token = doc[j]
            low = token.lower_
            if self._name_token(token, caps):
                j += 1
            elif low in self.lex.particles and j + 1 < end and (
                self._name_token(doc[j + 1], caps) or doc[j + 1].text in ("-", "‑") and j + 2 < end and self._name_token(doc[j + 2], caps)
            ):
                j += 2 if doc[j + 1].text in ("-", "‑") else 1
            elif token.text in ("-",) and j > i and j + 1 < end and doc[j - 1].lower_ in self.lex.particles:
                j += 1
            elif len(token.text) == 1 and token.text.isupper() and j + 1 < end and doc[j + 1].text == "." and j + 2 < end and self._name_token(doc[j + 2], caps):
                j += 2  # "Scott C . Dayton"
            else:
                break
        # do not end on a particle or hyphen
        while j > i and (doc[j - 1].lower_ in self.lex.particles or doc[j - 1].text == "-"):
            j -= 1
        return j

    # -- the component -------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, str | None, str | None]] = []
        # scan across sentence boundaries ("Lt. Gen." splits a sentence) but judge ALL CAPS per sentence
        for start, end, caps in _caps_runs(doc):
            found.extend(self._scan(doc, start, end, caps))
        found = _non_overlapping(found)
        found.extend(self._later_mentions(doc, found))
        # words inside an organisation's name ("... Sanctions Monitoring Team") are not a person
        organisations = [(s.start, s.end) for s in doc.spans.get("actors", ()) if (get_value(s, "actors") or {}).get("kind") != "person"]
        found = [f for f in found if not any(f[0] < e and s < f[1] for s, e in organisations)]
        spans = []
        for start, end, name, role in sorted(found):
            span = Span(doc, start, end, label="person")
            set_value(span, KEY, {"name": name, "role": role})
            spans.append(span)
        doc.spans[KEY] = spans
        return doc

    def pipe(self, docs, batch_size: int = 32):
        for doc in docs:
            yield self(doc)

    def _scan(self, doc: Doc, start: int, end: int, caps: bool):
        lex = self.lex
        i = start
        while i < end:
            token = doc[i]
            if not token.text.replace(".", "").isalpha():
                i += 1
                continue
            hit = self._titled(doc, i, end, caps)
            if hit is None:
                hit = self._named(doc, i, end, caps)
            if hit is None:
                i += 1
                continue
            yield hit
            i = hit[1]

    def _titled(self, doc: Doc, i: int, end: int, caps: bool):
        """[the] (modifier | demonym)* title+ [of|for ...] name*"""
        lex = self.lex
        j = i
        while j < end and norm(doc[j]) in lex.prefixes and self._cap(doc[j], caps):
            j += 1
        if j >= end or norm(doc[j]) not in lex.title_starts:
            return None
        role_end = None
        kind = None
        k = j
        while k < end:
            match = self._match_title(doc, k, end, caps, lower_ok=(k == i))
            if match is None:
                if role_end is not None and norm(doc[k]) in lex.modifiers and self._cap(doc[k], caps):
                    k += 1
                    continue
                break
            k, kind = match
            role_end = k
        if role_end is None:
            return None
        # "Minister for the Middle East", "Minister of Foreign Affairs of Iraq"
        last = norm(doc[role_end - 1])
        if kind != "lower" and last in lex.role_of_heads and role_end < end and doc[role_end].lower_ in ("of", "for"):
            m = role_end + 1
            if m < end and doc[m].lower_ == "the":
                m += 1
            n = m
            while n < end and n - m < 5 and self._cap(doc[n], caps) and doc[n].is_alpha and norm(doc[n]) not in lex.given:
                n += 1
            if n > m:
                role_end = n
        name_end = self._name_run(doc, role_end, end, caps)
        if kind == "lower" and name_end - role_end < 1:
            return None
        first = i
        if i > 0 and doc[i - 1].lower_ == "the":
            first = i - 1
        role = _text(doc, i, role_end, caps)
        if name_end > role_end:
            if kind == "lower" and name_end - role_end == 1 and norm(doc[role_end]) not in lex.given | lex.surnames:
                return None
            return (first, name_end, _text(doc, role_end, name_end, caps), role)
        if kind == "role" and (first < i or role_end - i > 1) and not caps:
            return (first, role_end, None, role)
        return None

    def _named(self, doc: Doc, i: int, end: int, caps: bool):
        lex = self.lex
        token = doc[i]
        low = token.lower_
        if not self._cap(token, caps):
            return None
        if low in ("abu", "umm") and i + 1 < end and self._name_token(doc[i + 1], caps):
            stop = self._name_run(doc, i + 1, end, caps)
            return (i, stop, _text(doc, i, stop, caps), None)
        stop = self._name_run(doc, i, end, caps)
        if stop == i:
            return None
        words = [d.lower_ for d in doc[i:stop]]
        length = stop - i
        if words[0] in lex.given and words[0] not in lex.ambiguous and (length >= 2 or i > 0 and doc[i - 1].lower_ in _REPORTING):
            return (i, stop, _text(doc, i, stop, caps), None)
        if length >= 2 and any(w in lex.surnames for w in words[1:]) and not caps:
            return (i, stop, _text(doc, i, stop, caps), None)
        if length >= 2 and not caps and self._reported(doc, i, stop, end):
            return (i, stop, _text(doc, i, stop, caps), None)
        return None

    def _reported(self, doc: Doc, i: int, stop: int, end: int) -> bool:
        """A name next to a reporting verb or followed by a role appositive."""
        if i > 0 and doc[i - 1].lower_ in _REPORTING:
            return True
        if i > 1 and doc[i - 2].lower_ == "according" and doc[i - 1].lower_ == "to":
            return True
        if stop < end and doc[stop].lower_ in _REPORTING:
            return True
        if stop + 2 < end and doc[stop].text == "," and doc[stop + 1].lower_ in ("a", "an", "the", "its", "his", "who") and (
            doc[stop + 2].lower_ in _APPOSITIVE_ROLES or doc[stop + 1].lower_ == "who"
        ):
            return True
        return False

    def _later_mentions(self, doc: Doc, found):
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
        for token in doc:
            if token.i not in covered and token.lower_ in surnames and token.text[0].isupper():
                extra.append((token.i, token.i + 1, surnames[token.lower_], None))
        return extra


def _caps_runs(doc: Doc):
    """(start, end, all_caps) over runs of sentences that agree on ALL CAPS."""
    sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    runs: list[list] = []
    for sent in sentences:
        caps = _is_caps(sent) if len(sent) > 3 else (runs[-1][2] if runs else _is_caps(sent))
        if runs and runs[-1][2] == caps:
            runs[-1][1] = sent.end
        else:
            runs.append([sent.start, sent.end, caps])
    return [tuple(r) for r in runs]


def _is_caps(sent: Span) -> bool:
    letters = [t for t in sent if t.is_alpha and len(t) > 1]
    return len(letters) >= 3 and sum(t.is_upper for t in letters) >= 0.7 * len(letters)


def _text(doc: Doc, start: int, end: int, caps: bool) -> str:
    text = doc[start:end].text
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
    return PersonFinder()
