"""Spelling keys for actor names: transliterations of one name meet on one key.

``variant_key`` folds what reporters vary when they write a South Asian or
Arabic group name in Latin letters, and nothing else:

- case, accents, apostrophes, quotes, full stops and hyphens ("Qa'ida" == "Qaida");
- connecting particles: "Lashkar-e-Taiba" == "Lashkar Taiba" == "Lashkar i Taiba",
  "Harakat-ul-Mujahideen" == "Harakat ul Mujahideen", a leading "al-"/"el-";
- spellings of one word, from ``data/actor_spellings.json`` ("Tehreek", "Tahrik"
  -> "tehrik"; "Taleban" -> "taliban"; "Daesh", "ISIS", "ISIL" -> "islamic state"),
  after the generic letter rules (``fold_letters``: "ee" -> "i", "oo" -> "u",
  doubled letters once: "Haqqani" == "Haqani");
- a run of acronym pieces written apart: "IS-K" == "ISK", "JUI (F)" == "JUIF".

It never drops a word that carries meaning, so "Taliban" and "Tehrik-e-Taliban
Pakistan", or "Lashkar-e-Taiba" and "Lashkar-e-Jhangvi", keep different keys.
``derived_acronyms`` gives the initials a group is known by ("TTP", "JuA",
"ISKP", "AQIS"), for the variant index.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from vigil.errors import DataFileError
from vigil.gazetteers.text import strip_accents, word_prob

SPELLINGS_FILE = "actor_spellings.json"
ERR_SPELLINGS = "{file}: {problem}"

_QUOTES = re.compile(r"[\u2018\u2019\u02bc\u02bb\u02bf\u02be`\u00b4'\"\u201c\u201d.]")
_PIECES = re.compile(r"[^\W_]+|[\-\u2010-\u2015\u2212]")
_HYPHEN = re.compile(r"[\-\u2010-\u2015\u2212]")
_DOUBLED = re.compile(r"(\w)\1+")
#: Letters are folded only in words at least this long: acronyms ("TTP", "AQIS") keep theirs.
_FOLD_FROM = 5
#: Acronym pieces written apart ("IS-K", "JUI (F)") are joined up to this many letters.
ACRONYM_RUN = 6


@dataclass(frozen=True)
class NameWord:
    """A word of a name as written, and whether a hyphen joins it to the next word."""

    text: str
    hyphen_after: bool = False


@dataclass(frozen=True)
class SpellingRules:
    """The folding rules of ``data/actor_spellings.json``, with every word already letter-folded."""

    leading_phrases: tuple[tuple[str, ...], ...]
    trailing_words: frozenset[str]
    stopwords: frozenset[str]
    always_particles: frozenset[str]
    hyphenated_particles: frozenset[str]
    leading_particles: frozenset[str]
    joined: dict[str, tuple[str, ...]]
    words: dict[str, str]
    phrases: dict[str, tuple[str, ...]]

    @property
    def particles(self) -> frozenset[str]:
        return self.always_particles | self.hyphenated_particles | self.leading_particles


def fold_letters(word: str) -> str:
    """Letter rules shared by every transliteration: "ee" -> "i", "oo" -> "u", doubled letters once."""
    if len(word) < _FOLD_FROM:
        return word
    return _DOUBLED.sub(r"\1", word.replace("ee", "i").replace("oo", "u"))


@lru_cache(maxsize=1)
def spelling_rules() -> SpellingRules:
    """The spelling rules, read once per process; a malformed file is a ``DataFileError`` naming it."""
    try:
        raw = json.loads(resources.files("vigil.gazetteers").joinpath("data", SPELLINGS_FILE).read_text("utf-8"))
        particles = raw["particles"]
        words: dict[str, str] = {}
        for canonical, variants in _entries(raw["words"]).items():
            for variant in [canonical, *variants]:
                folded = fold_letters(variant)
                if words.setdefault(folded, fold_letters(canonical)) != fold_letters(canonical):
                    raise ValueError(f"{variant!r} is a variant of two words")
        return SpellingRules(
            leading_phrases=tuple(tuple(phrase.split()) for phrase in raw["leading_phrases"]),
            trailing_words=frozenset(raw["trailing_words"]),
            stopwords=frozenset(raw["stopwords"]),
            always_particles=frozenset(particles["always"]),
            hyphenated_particles=frozenset(particles["hyphenated"]),
            leading_particles=frozenset(particles["leading"]),
            joined={word: tuple(parts.split()) for word, parts in _entries(raw["joined_particles"]).items()},
            words=words,
            phrases={
                fold_letters(variant): tuple(fold_letters(w) for w in phrase.split())
                for phrase, variants in _entries(raw["phrases"]).items()
                for variant in variants
            },
        )
    except (OSError, KeyError, TypeError, AttributeError, ValueError) as error:
        raise DataFileError(ERR_SPELLINGS.format(file=SPELLINGS_FILE, problem=error)) from error


def _entries(section: dict) -> dict:
    """A data section without its ``about`` note."""
    return {name: value for name, value in section.items() if name != "about"}


def fold_word(word: str, rules: SpellingRules | None = None) -> str:
    """One lowercase word in key form: letter rules, then the spelling table."""
    rules = rules or spelling_rules()
    folded = fold_letters(word)
    return rules.words.get(folded, folded)


def name_words(name: str) -> list[NameWord]:
    """The words of a name as written (accents, apostrophes and full stops removed), hyphens noted."""
    return list(_name_words(name))


@lru_cache(maxsize=50_000)
def _name_words(name: str) -> tuple[NameWord, ...]:
    text = _QUOTES.sub("", strip_accents(name))
    pieces = list(_PIECES.finditer(text))
    words: list[NameWord] = []
    for position, piece in enumerate(pieces):
        if _HYPHEN.fullmatch(piece.group()):
            continue
        following = pieces[position + 1 : position + 3]
        joined = (
            len(following) == 2
            and _HYPHEN.fullmatch(following[0].group()) is not None
            and following[0].start() == piece.end()
            and following[1].start() == following[0].end()
        )
        words.append(NameWord(piece.group(), joined))
    return tuple(words)


def is_acronym_word(word: str) -> bool:
    """"TTP", "ISKP", "LeT", "JuA", or one capital letter ("K" of "IS-K")."""
    if not word.isalpha():
        return False
    if len(word) == 1:
        return word.isupper()
    capitals = sum(ch.isupper() for ch in word)
    return len(word) <= 5 and capitals >= 2 and (word.isupper() or capitals >= len(word) - 1)


def variant_key(name: str) -> str:
    """The key every spelling of ``name`` shares (empty for a name without letters or digits).

    "Tehreek-i-Taliban Pakistan", "Tahrik-e-Taleban Pakistan" -> "tehrik taliban pakistan";
    "Daesh", "ISIL" -> "islamic state"; "IS-K" -> "isk".
    """
    rules = spelling_rules()
    words = name_words(name)
    if looks_like_acronym(name):
        acronym = "".join(w.text for w in words).casefold()
        return " ".join(rules.phrases.get(acronym, (acronym,)))
    kept = _drop_particles(_split_joined([NameWord(w.text.casefold(), w.hyphen_after) for w in words], rules), rules)
    folded: list[str] = []
    for word in kept:
        form = fold_word(word, rules)
        folded.extend(rules.phrases.get(form, (form,)))
    while len(folded) > 1 and folded[-1] in rules.trailing_words:
        folded.pop()
    return " ".join(folded)


def key_words(name: str) -> tuple[str, ...]:
    """The words of ``variant_key(name)``."""
    return tuple(variant_key(name).split())


def _split_joined(words: list[NameWord], rules: SpellingRules) -> list[NameWord]:
    """"Hizbul" -> "hizb ul"; a leading "the" or "so-called" goes."""
    split: list[NameWord] = []
    for word in words:
        parts = rules.joined.get(word.text)
        if parts is None:
            split.append(word)
        else:
            split.extend(NameWord(part) for part in parts[:-1])
            split.append(NameWord(parts[-1], word.hyphen_after))
    changed = True
    while changed:
        changed = False
        for phrase in rules.leading_phrases:
            if len(split) > len(phrase) and tuple(w.text for w in split[: len(phrase)]) == phrase:
                split = split[len(phrase) :]
                changed = True
    return split


def _drop_particles(words: list[NameWord], rules: SpellingRules) -> list[str]:
    """The words that carry meaning: particles between words, a leading article and small words go."""
    if len(words) < 2:
        return [w.text for w in words]
    last = len(words) - 1
    kept = []
    for position, word in enumerate(words):
        text = word.text
        if position == 0 and text in rules.leading_particles:
            continue
        if 0 < position < last and (
            text in rules.always_particles or (text in rules.hyphenated_particles and word.hyphen_after)
        ):
            continue
        if text in rules.stopwords:
            continue
        kept.append(text)
    return kept or [w.text for w in words]


def derived_acronyms(name: str) -> set[str]:
    """Initials a group may be known by, as keys: "Tehrik-e-Taliban Pakistan" -> {"ttp", "tetp"}.

    Those of ``initials``, kept only for names of three words or more (particles
    included), of three letters or more, and never an English word ("let"): they
    stand in the variant index beside real names.
    """
    if len(name_words(name)) < 3:
        return set()
    return {acronym for acronym in initials(name) if len(acronym) >= 3 and word_prob(acronym) is None}


def initials(name: str) -> set[str]:
    """Every way of writing a name's initials, as keys.

    Content words give capitals; a particle between words ("-e-", "-ul-") may give
    its first letter too ("JuA", "LeT", "HuJI"); a leading "al-" counts ("AQIS"),
    an inner one does not ("HTS"). Empty for a name of one word or not in Latin letters.
    """
    rules = spelling_rules()
    words = _split_joined([NameWord(w.text.casefold(), w.hyphen_after) for w in name_words(name)], rules)
    if len(words) < 2 or not all(w.text.isascii() and w.text.isalpha() for w in words):
        return set()
    plain, with_particles = [], []
    last = len(words) - 1
    for position, word in enumerate(words):
        text = word.text
        if position == 0 and text in rules.leading_particles:
            plain.append(text[0])
            with_particles.append(text[0])
        elif 0 < position < last and text in rules.always_particles | rules.hyphenated_particles:
            if text not in rules.leading_particles:
                with_particles.append(text[0])
        elif text not in rules.stopwords and text not in rules.particles:
            plain.append(text[0])
            with_particles.append(text[0])
    return {"".join(letters) for letters in (plain, with_particles) if len(letters) >= 2}


def looks_like_acronym(name: str) -> bool:
    """Whether a name is written as initials ("TTP", "IS-K", "JuA") rather than words.

    Pieces written apart count as one acronym up to six letters in all ("ISIS-K",
    "PML-N"); longer runs are words in capitals ("AL-QAIDA").
    """
    words = name_words(name)
    if not words or not all(is_acronym_word(w.text) for w in words) or not any(len(w.text) > 1 for w in words):
        return False
    return len(words) == 1 or sum(len(w.text) for w in words) <= ACRONYM_RUN
