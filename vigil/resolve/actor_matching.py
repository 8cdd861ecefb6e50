"""Comparing two actor names: one actor, two related ones, or unrelated, with the reasons in words.

Two names are the **same** actor only when

- their spelling keys are equal (``actor_names.variant_key``), or
- the mention is written as initials and they are the name's ("TTP"; a name
  whose initials happen to be an actor's acronym is only related), or
- they have the same words but one, and that one differs by a single letter
  (an insertion, deletion, substitution or swap) in a word of five letters or
  more that is not a place, branch or organisation word ("Mohamad"/"Muhamad").

Everything else is not merged, however much it shares: a shared word alone
never suffices ("Taliban" vs "Tehrik-e-Taliban Pakistan": "tehrik" and
"pakistan" are only in one), a place or nationality tells groups apart
("Afghan" / "Pakistani"), different organisation words do ("Jaish" /
"Lashkar"), and different acronyms do ("JeM" / "JuA"). A name with every word
of another and more ("Islamic State Khorasan Province") is flagged ``part_of``:
a branch or faction of it, never it. Parent chains between canonical actors are
checked by ``compare_actors``. The word lists are ``data/actor_distinctions.json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from vigil.errors import DataFileError
from vigil.gazetteers.actor_names import fold_word, initials, looks_like_acronym, name_words, variant_key
from vigil.model.records import Actor
from vigil.resolve.actor_records import Verdict

DISTINCTIONS_FILE = "actor_distinctions.json"
#: Shared words count fully; words one letter apart count this much.
_NEAR_WEIGHT = 0.8
_NEAR_FROM = 5


@dataclass(frozen=True)
class Distinctions:
    """Words that tell names apart, by what they are (to say why in words)."""

    places: frozenset[str]
    branch_words: frozenset[str]
    organisation_words: frozenset[str]

    def kind_of(self, word: str) -> str | None:
        if word in self.places:
            return "a place or nationality"
        if word in self.branch_words:
            return "a branch word"
        if word in self.organisation_words:
            return "an organisation word"
        return None


@lru_cache(maxsize=1)
def distinctions() -> Distinctions:
    """``data/actor_distinctions.json``, its words in key form; a bad file is a ``DataFileError``."""
    try:
        raw = json.loads(resources.files("vigil.resolve").joinpath("data", DISTINCTIONS_FILE).read_text("utf-8"))
        lists = ("places", "branch_words", "organisation_words")
        return Distinctions(**{name: frozenset(fold_word(word) for word in raw[name]) for name in lists})
    except (OSError, KeyError, TypeError, ValueError) as error:
        raise DataFileError(f"{DISTINCTIONS_FILE}: {error}") from error


@dataclass(frozen=True)
class NameComparison:
    """The verdict on two names, how much they agree (0 to 1), and why."""

    verdict: Verdict
    score: float
    reasons: tuple[str, ...]
    part_of: bool = False


def compare_names(mention: str, name: str) -> NameComparison:
    """Whether ``mention`` names the actor called ``name`` (see the module's rules)."""
    return compare_keyed(mention, variant_key(mention), name, variant_key(name))


def compare_keyed(mention: str, mention_key: str, name: str, name_key: str) -> NameComparison:
    """``compare_names`` with both spelling keys already computed."""
    if not mention_key or not name_key:
        return NameComparison("distinct", 0.0, ("one of the names has no letters",))
    if mention_key == name_key:
        if looks_like_acronym(name) and not looks_like_acronym(mention):
            return NameComparison("related", 0.5, (f"{name!r} is initials and {mention!r} is not written as initials",))
        return NameComparison("same", 1.0, (f"the same name once spellings are folded ({mention_key!r})",))
    by_initials = _compare_initials(mention, mention_key, name, name_key)
    if by_initials is not None:
        return by_initials
    return _compare_words(mention, mention_key.split(), name, name_key.split())


def _compare_initials(mention: str, mention_key: str, name: str, name_key: str) -> NameComparison | None:
    short_mention, short_name = looks_like_acronym(mention), looks_like_acronym(name)
    if short_mention and short_name:
        return NameComparison("distinct", 0.0, (f"different acronyms: {mention!r} and {name!r}",))
    if short_mention:
        if mention_key in initials(name):
            return NameComparison("same", 0.95, (f"{mention!r} is the initials of {name!r}",))
        return NameComparison("distinct", 0.0, (f"{mention!r} is an acronym, and not the initials of {name!r}",))
    if short_name:
        if name_key in initials(mention):
            why = f"{mention!r} has the initials {name!r}, an acronym of the actor: initials alone never make one actor"
            return NameComparison("related", 0.6, (why,))
        return NameComparison("distinct", 0.0, (f"{name!r} is an acronym, and not the initials of {mention!r}",))
    return None


def _compare_words(mention: str, mention_words: list[str], name: str, name_words: list[str]) -> NameComparison:
    rules = distinctions()
    only_name = list(name_words)
    shared: list[str] = []
    only_mention: list[str] = []
    for word in mention_words:
        if word in only_name:
            only_name.remove(word)
            shared.append(word)
        else:
            only_mention.append(word)
    near: list[tuple[str, str]] = []
    for word in list(only_mention):
        twin = next((other for other in only_name if one_letter_apart(word, other)), None)
        if twin is not None:
            only_mention.remove(word)
            only_name.remove(twin)
            near.append((word, twin))
    if not only_mention and not only_name:
        return _same_words(shared, near, rules)
    score = round(2 * (len(shared) + _NEAR_WEIGHT * len(near)) / (len(mention_words) + len(name_words)), 3)
    reasons: list[str] = []
    agreeing = [_as_written(w, mention) for w in shared] + [f"{_as_written(a, mention)}/{_as_written(b, name)}" for a, b in near]
    if agreeing:
        reasons.append(f"shares only {_quoted(agreeing)}: a shared word alone never makes two names one actor")
    if mention_words[0] != name_words[0] and {mention_words[0], name_words[0]} <= rules.organisation_words:
        reasons.append(f"different organisation words: {_as_written(mention_words[0], mention)!r} and "
                       f"{_as_written(name_words[0], name)!r}")
    reasons += [_only_in(word, mention, rules) for word in only_mention]
    reasons += [_only_in(word, name, rules) for word in only_name]
    part_of = bool(agreeing) and not only_name and bool(only_mention)
    if part_of:
        reasons.append(f"{mention!r} has every word of {name!r} and more: perhaps a branch or faction of it, not the same actor")
    return NameComparison("related" if agreeing else "distinct", score, tuple(reasons), part_of)


def _same_words(shared: list[str], near: list[tuple[str, str]], rules: Distinctions) -> NameComparison:
    if not near:
        return NameComparison("related", 0.9, ("the same words in another order",))
    if len(near) == 1 and not any(rules.kind_of(word) for word in near[0]):
        a, b = near[0]
        return NameComparison("same", 0.9, (f"the same words but one, {a!r}/{b!r}, one letter apart",))
    differing = ", ".join(f"{a!r}/{b!r}" for a, b in near)
    return NameComparison("related", 0.8, (f"spelled differently in {differing}: more than one slip, or a word that tells groups apart",))


def _only_in(word: str, name: str, rules: Distinctions) -> str:
    kind = rules.kind_of(word)
    shown = _as_written(word, name)
    return f"{shown!r} ({kind}) is only in {name!r}" if kind else f"{shown!r} is only in {name!r}"


def _as_written(word: str, name: str) -> str:
    """A key word as ``name`` writes it ("Defence" for "defence", "Press" for "pres"), else as it is."""
    return next((w.text for w in name_words(name) if fold_word(w.text.casefold()) == word), word)


def _quoted(words: Sequence[str]) -> str:
    return ", ".join(repr(word) for word in words)


def one_slip(mention_key: str, name_key: str) -> bool:
    """Whether two keys have the same words but one, one letter apart and not a word that tells groups apart.

    The "same" rule of ``compare_keyed`` for words, without the reasons: a cheap test for many names.
    """
    mention_words, name_words = mention_key.split(), name_key.split()
    if len(mention_words) != len(name_words):
        return False
    only_mention = list(mention_words)
    for word in name_words:
        if word in only_mention:
            only_mention.remove(word)
    if len(only_mention) != 1:
        return False
    only_name = list(name_words)
    for word in mention_words:
        if word in only_name:
            only_name.remove(word)
    a, b = only_mention[0], only_name[0]
    return one_letter_apart(a, b) and not distinctions().kind_of(a) and not distinctions().kind_of(b)


def one_letter_apart(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance exactly one, for two words of five letters or more with the same first letter."""
    if a == b or min(len(a), len(b)) < _NEAR_FROM or a[0] != b[0] or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def compare_actors(first: Actor, second: Actor, lineage: Callable[[str], Sequence[str]]) -> NameComparison:
    """Two canonical actors: never the same; a parent chain or a shared parent says how they relate.

    ``lineage(id)`` is the actor and its ancestors, nearest first.
    """
    names = compare_names(first.name, second.name)
    if first.id == second.id:
        return NameComparison("same", 1.0, ("the same actor id",))
    first_chain, second_chain = list(lineage(first.id)), list(lineage(second.id))
    if second.id in first_chain[1:]:
        why = f"{first.name} is part of {second.name} (parent chain: {' > '.join(first_chain)}), not the same actor"
    elif first.id in second_chain[1:]:
        why = f"{second.name} is part of {first.name} (parent chain: {' > '.join(second_chain)}), not the same actor"
    elif len(first_chain) > 1 and len(second_chain) > 1 and first_chain[1] == second_chain[1]:
        why = f"both are parts of {first_chain[1]}: two branches, not one actor"
    else:
        return NameComparison("distinct", names.score, ("two canonical actors", *names.reasons))
    return NameComparison("related", names.score, (why, *names.reasons), part_of=True)
