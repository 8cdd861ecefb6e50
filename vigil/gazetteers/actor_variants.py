"""Actor names in running text that no alias spells exactly, found through the variant index.

The phrase matcher of ``vigil_actors`` knows every alias as the gazetteer writes
it; reporters also write "Tahrik-i-Taleban Pakistan", "Lashkar e Toiba" or
"Serajuddin Haqani". ``VariantFinder.read`` reads the *runs* of a text:
capitalised words joined by spaces, hyphens or the connecting particles of
``actor_spellings.json`` ("Jaish al Adl", "Lashkar e Toiba"). A run resolves only
as a whole (``VariantIndex.lookup_named``: names and aliases, never initials an
actor merely derives), or without leading words that are common in lowercase
("On", "Yesterday", "Commander"), so a run never resolves through a word it shares
with another name: "Tehreek-e-Taleban Swat" is not the Taliban.

``read`` also gives the *compounds*, names whose words a particle joins
("Tehrik-e-Taliban Swat", "Jamiat Ulema-e-Islam-Fazl"; not "al", which also opens
a name): an alias that starts or ends inside one ("Taliban") is a word of another
name, not an actor.

Speed: what a run says is worked out once per distinct run and remembered (most
say nothing: places, people, months; a per-word test rules them out before any
key is computed), and a text whose runs all say nothing is read as strings only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from vigil.gazetteers.actor_index import VariantIndex, load_variant_index
from vigil.gazetteers.actor_names import ACRONYM_RUN, SpellingRules, fold_word, is_acronym_word, spelling_rules
from vigil.gazetteers.actors import load_actor_gazetteer
from vigil.gazetteers.text import strip_accents, word_prob

#: A leading word this likely in lowercase English is dropped when the whole run does not resolve.
_COMMON = -13.0
#: Distinct runs remembered; past this the memory (runs and words) starts again: a long stream meets many names.
_MAX_REMEMBERED = 200_000
_WORD = r"[A-Z\u00c0-\u00de]\w*(?:['\u2019]\w\w+)*"
_MISSING = object()
_JOINED = re.compile(r"[ -][a-z]|-[A-Z]{1,3}-")
_SPECIAL = ("", False)
_WORDS = re.compile(r"[^ -]+")


def _phrase(text: str) -> str:
    """A name as the alias matcher compares it: its words (hyphens are words apart), single-spaced."""
    return " ".join(_WORDS.findall(text))


@dataclass(frozen=True)
class NameFind:
    """A name in the text (character offsets) and the actor it resolves to."""

    start: int
    end: int
    actor_id: str


@dataclass(frozen=True)
class RunReading:
    """What a run says, offsets relative to it: the part that resolves, and its particle-joined compounds."""

    name: tuple[int, int, str] | None
    compounds: tuple[tuple[int, int], ...]


def _alternatives(words: frozenset[str] | set[str]) -> str:
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))


def _joins(rules: SpellingRules, leaving_out: frozenset[str]) -> str:
    """Two words joined by a particle: spaced or hyphenated ("Lashkar e Taiba"), or only hyphenated
    ("Jamaat-ud-Dawa"); between hyphens in any case ("TEHRIK-I-TALIBAN")."""
    always = _alternatives(rules.always_particles - leaving_out)
    hyphenated = _alternatives((rules.hyphenated_particles | rules.always_particles) - leaving_out)
    return rf"(?:[ -](?:{always})[ -]|-(?i:{hyphenated})-)"


def name_patterns(rules: SpellingRules) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The regular expressions of a name run and of a particle-joined compound, from the spelling rules.

    Compounds leave out the particles that also open a name ("al", "el"): in
    "Sunni Islamist al-Qaeda" the "al" belongs to al-Qaeda, not to a longer name.
    """
    run = re.compile(rf"{_WORD}(?:(?:{_joins(rules, frozenset())}|[ -]){_WORD})*")
    compound = re.compile(rf"(?<![\w'\u2019-]){_WORD}(?:{_joins(rules, rules.leading_particles)}{_WORD})+")
    return run, compound


class VariantFinder:
    """Resolves the capitalised names of a text through a variant index (see the module)."""

    def __init__(self, index: VariantIndex, aliases: Iterable[tuple[str, bool]] = ()) -> None:
        """``aliases``: (text, case_sensitive) of the names the alias matcher finds as written; a run
        that resolves to one of them is left to the matcher."""
        self.index = index
        self._aliases = {_phrase(text if sensitive else text.casefold()) for text, sensitive in aliases}
        rules = spelling_rules()
        self._runs, self._compounds = name_patterns(rules)
        self._articles = tuple(f"{p}{sep}" for p in rules.leading_particles for sep in "- ")
        self._known: dict[str, RunReading | None] = {}
        self._keys = frozenset(index.claims)
        self._ends = frozenset(key.rsplit(" ", 1)[-1] for key in index.claims)
        self._phrases = rules.phrases
        # words that change a key beyond their own folding ("Daesh", "Hizbul", a trailing "Group", "Of")
        self._special = (set(rules.phrases) | rules.trailing_words | set(rules.joined) | rules.particles
                         | rules.stopwords | {word for phrase in rules.leading_phrases for word in phrase})
        self._word_forms: dict[str, tuple[str, bool]] = {}

    def read(self, text: str) -> tuple[list[NameFind], list[tuple[int, int]]]:
        """The names of ``text`` that resolve, and the particle-joined compounds, in text order.

        Most texts have neither: the runs are first read as strings only, and their
        offsets are looked for when one of them is new or says something.
        """
        known = self._known
        for run in self._runs.findall(text):
            reading = known.get(run, _MISSING)
            if reading is _MISSING:
                reading = self._remember(run)
            if reading is not None:
                break
        else:
            return [], []
        names: list[NameFind] = []
        compounds: list[tuple[int, int]] = []
        for match in self._runs.finditer(text):
            run = match.group()
            reading = known.get(run, _MISSING)
            if reading is _MISSING:
                reading = self._remember(run)
            if reading is None:
                continue
            start = match.start()
            if start and text[start - 1].isalnum():
                continue  # a capital inside a word ("iPhone"): not where a name starts
            compounds += [(start + a, start + b) for a, b in reading.compounds]  # type: ignore[union-attr]
            if reading.name is not None:  # type: ignore[union-attr]
                a, b, actor_id = reading.name  # type: ignore[union-attr]
                begin = start + a
                if a == 0 and text[max(begin - 3, 0) : begin] in self._articles and (begin == 3 or not text[begin - 4].isalnum()):
                    begin -= 3  # the article of "al-Qa'eda" belongs to the name
                names.append(NameFind(begin, start + b, actor_id))
        return names, compounds

    def find(self, text: str) -> list[NameFind]:
        """The names of ``text`` that resolve, in text order."""
        return self.read(text)[0]

    def _remember(self, run: str) -> RunReading | None:
        if len(self._known) >= _MAX_REMEMBERED:
            self._known.clear()
            self._word_forms.clear()
        reading = self._known[run] = self._read(run)
        return reading

    def _read(self, run: str) -> RunReading | None:
        """What the run says that the alias matcher does not: None for most runs."""
        compounds = tuple(match.span() for match in self._compounds.finditer(run)) if _JOINED.search(run) else ()
        if compounds and not self._cut(run, compounds):
            compounds = ()  # no alias starts or ends inside them: nothing to drop
        name = self._resolve(run) if self._may_end(run) and self._may_resolve(run) else None
        if name is not None and self._is_alias(run[name[0] : name[1]], article=name[0] == 0):
            name = None  # the alias matcher finds it as written
        return RunReading(name, compounds) if name is not None or compounds else None

    def _is_alias(self, text: str, *, article: bool = False) -> bool:
        """Whether the alias matcher finds ``text`` as written (``article``: or with "al-" before it)."""
        forms = [text] + ([f"{a}{text}" for a in self._articles] if article else [])
        return any(_phrase(form) in self._aliases or _phrase(form.casefold()) in self._aliases for form in forms)

    def _cut(self, run: str, compounds: tuple[tuple[int, int], ...]) -> bool:
        """Whether some alias in the run starts or ends strictly inside one of the compounds."""
        words = [(m.start(), m.end(), m.group()) for m in _WORDS.finditer(run)]
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                start, end = words[i][0], words[j - 1][1]
                if not any(a < start < b or a < end < b for a, b in compounds):
                    continue
                phrase = " ".join(word for _, _, word in words[i:j])
                if phrase in self._aliases or phrase.casefold() in self._aliases:
                    return True
        return False

    def _may_end(self, run: str) -> bool:
        """Whether the run's last word may end a key: the quick test most runs fail."""
        last = run[max(run.rfind(" "), run.rfind("-")) + 1 :]
        form = self._word_forms.get(last)
        if form is None:
            form = self._word_forms[last] = self._word_form(last)
        return form is _SPECIAL or form[1] or form[0] in self._ends

    def _may_resolve(self, run: str) -> bool:
        """Whether a part ``_resolve`` tries may be a key, from each word's key form (remembered per word):
        most runs (places, people, months) are ruled out without computing their key. A word whose key
        form depends on its neighbours (a particle or stopword in capitals, "Daesh") leaves it to the key."""
        words = [word for word in run.replace("-", " ").split() if not word.islower()]  # not the particles
        if words and words[0] in ("The", "THE"):
            del words[0]
        forms: list[tuple[str, bool]] = []
        for word in words:
            form = self._word_forms.get(word)
            if form is None:
                form = self._word_forms[word] = self._word_form(word)
            if form is _SPECIAL:
                return True
            forms.append(form)  # type: ignore[arg-type]
        for start in range(len(forms)):
            if self._rough_key(forms[start:]) in self._keys:
                return True
            if not _common(words[start]):
                return False
        return False

    def _word_form(self, word: str) -> tuple[str, bool]:
        """The word as a key writes it, and whether it is initials ("TTP", "K"); ``_SPECIAL`` when that depends on more."""
        lowered = (word if word.isascii() else strip_accents(word)).casefold().replace("'", "").replace("\u2019", "")
        if lowered in self._special:
            return _SPECIAL
        if not word[1:].islower() and is_acronym_word(word):  # "Kabul" is not initials: the common case, quickly
            return lowered, True
        folded = fold_word(lowered)
        return _SPECIAL if folded in self._special else (folded, False)

    def _rough_key(self, forms: list[tuple[str, bool]]) -> str:
        """``variant_key`` of the words from their key forms (initials written apart are one acronym)."""
        if all(initials for _, initials in forms) and (len(forms) == 1 or sum(len(f) for f, _ in forms) <= ACRONYM_RUN):
            acronym = "".join(form for form, _ in forms)
            return " ".join(self._phrases.get(acronym, (acronym,)))
        return " ".join(form for form, _ in forms)

    def _resolve(self, run: str) -> tuple[int, int, str] | None:
        """(start, end, actor id) of the part of the run that resolves: the run, else without common leading words.

        A leading "The" is never part of the name (as in the alias matcher).
        """
        end = len(run)
        offset = 4 if run[:4] in ("The ", "THE ") else 0
        while offset < end:
            actor_id = self.index.lookup_named(run[offset:end])
            if actor_id is not None:
                return offset, end, actor_id
            space = run.find(" ", offset, end)
            if space < 0 or not _common(run[offset:space]):
                return None
            offset = space + 1
        return None


def _common(word: str) -> bool:
    prob = word_prob(word) if word.isalpha() else None
    return prob is not None and prob >= _COMMON


@lru_cache(maxsize=1)
def load_variant_finder() -> VariantFinder:
    """The finder over the shipped actors' variant index, built once per process."""
    return VariantFinder(load_variant_index(), ((text, sensitive) for text, _, sensitive in load_actor_gazetteer().alias_entries()))
