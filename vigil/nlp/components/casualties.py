"""Casualty figures: how many were killed or injured, as bounds.

Writes ``doc.spans["casualties"]`` (label = kind); the span is the quantity phrase
("more than 40") and its value is
``{"kind": "killed" | "injured", "min": int | None, "max": int | None, "text": str, "estimate": int | None}``.
Bounds follow ``vigil/nlp/values/numbers.py`` (more than 40 -> min 40; about 30 ->
min = max = 30; dozens -> min 24, estimate 12 as ACLED codes it). Word lists are in
``patterns/casualties.json``. Four shapes are read, in any case (wire ALL CAPS too):

* verb then count: "killing more than 40 people", "killed 43 and injured over 100",
  "killed himself and 12 others" (the bomber is not counted);
* leave: "left 12 dead and 30 wounded" (the second half is read as count then state);
* count then state: "three soldiers were killed", "at least 54 people died", "dozens
  wounded", "20 people, including five children, were killed" (20; 5 is a subset);
* toll: "the death toll rose to 63".

Not read: "casualties" (kind unknown), a count with no number words ("a policeman was
killed"), counts split from their verb by a clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from vigil.nlp.lexicon import load_patterns
from vigil.nlp.values.numbers import number_data, parse_quantity, quantity_pattern
from vigil.nlp.values.finds import DIGIT, anchored_finditer, first_words, record_finds, start_finder, word_starts
from vigil.nlp.values.text import doc_lower, doc_text, lower_same_length, windows

KEY = "casualties"


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


def _key(words: str) -> str:
    return " ".join(words.split())


class CasualtyRules:
    """Compiled casualty patterns, built once from the data files."""

    def __init__(self, data: dict) -> None:
        self.verbs: dict[str, str] = data["verbs"]
        self.states: dict[str, str] = data["states"]
        self.triggers = tuple(data["triggers"])
        numbers = number_data()
        number_words = [*numbers["units"], *numbers["tens"], *numbers["scales"], *numbers["multiples"]]
        qty = quantity_pattern()
        stop = _alt([*data["gap_stops"], *number_words, *data["auxiliaries"], *self.states, *self.verbs])
        gap = rf"(?:\s+(?!(?:{stop})\b)[a-z][a-z'’.-]*){{0,{int(data['max_gap_words'])}}}?"
        subset = rf"(?:\s*[,(–—-]\s*(?:{_alt(data['subset_markers'])})\b[^,.;:()]{{1,80}}[,)–—-])?"
        aux = rf"(?:\s+(?:{_alt(data['auxiliaries'])})){{0,4}}"
        not_after = rf"(?![\w-]|\s*(?:{_alt(data['not_counts_after'])})(?![\w]))"
        states = _alt(self.states)
        self.not_before = re.compile(rf"(?:\b(?:{_alt(data['not_counts_before'])})|[$£€#])\s*$")
        self.subset_before = re.compile(rf"\b(?:{_alt(data['subset_markers'])})\s+$")
        self.patterns: list[tuple[re.Pattern[str], str]] = [
            (
                re.compile(
                    rf"\b(?P<verb>{_alt(self.verbs)})\s+(?:(?:{_alt(data['self_words'])})\s+and\s+)?"
                    rf"(?P<q>{qty}){not_after}"
                ),
                "verb",
            ),
            (
                re.compile(
                    rf"\b(?:{_alt(data['leave_verbs'])})\s+(?P<q>{qty}){not_after}{gap}\s+(?P<state>{states})\b"
                ),
                "state",
            ),
            (re.compile(rf"(?P<q>{qty}){not_after}{gap}{subset}{aux}\s+(?P<state>{states})\b"), "state"),
            (
                re.compile(
                    rf"\b(?:{_alt(data['toll_phrases'])})\s+(?:{_alt(data['toll_verbs'])})\s+(?P<q>{qty}){not_after}"
                ),
                "toll",
            ),
            (
                # "the death toll from the bombing of a rally in Bajaur rose to 63": words between, same sentence
                re.compile(
                    rf"\b(?:{_alt(data['toll_phrases'])})(?:\s+[^\s.;!?]+){{1,{int(data['max_toll_gap_words'])}}}?"
                    rf"\s+(?:{_alt(data['toll_gap_verbs'])})\s+(?P<q>{qty}){not_after}"
                ),
                "toll",
            ),
        ]
        # The words each pattern can begin with: the regex engine is slow to try a long
        # pattern at every character, so each runs only at the word starts it can match at.
        quantity_first = first_words([
            *numbers["modifiers"], *numbers["vague"], *number_words, "between", "a", "an", DIGIT,
        ])
        self.first: list[frozenset[str]] = [
            first_words(self.verbs),  # type: ignore[list-item]
            first_words(data["leave_verbs"]),  # type: ignore[list-item]
            quantity_first,  # type: ignore[list-item]
            first_words(data["toll_phrases"]),  # type: ignore[list-item]
            first_words(data["toll_phrases"]),  # type: ignore[list-item]
        ]
        assert all(self.first), "every casualty pattern begins with a word"
        self.starts = start_finder(*self.first)

    def find(self, text: str, low: str | None = None) -> list[tuple[int, int, dict]]:
        """Casualty figures in ``text``: (start, end, value), one per quantity phrase.

        ``low``: ``lower_same_length(text)`` when the caller has it already.
        """
        if low is None:
            low = lower_same_length(text)
        found: dict[int, tuple[int, int, dict]] = {}
        for start, end in windows(self.triggers, low, 160, 60, word_start=True):
            starts = word_starts(self.starts, low, start, end)
            for (pattern, shape), first in zip(self.patterns, self.first):
                for match in anchored_finditer(pattern, low, end, starts, first, start):
                    q_start, q_end = match.span("q")
                    if q_start in found or self._excluded(low, q_start):
                        continue
                    if shape == "verb":
                        kind = self.verbs[_key(match["verb"])]
                    elif shape == "state":
                        kind = self.states[_key(match["state"])]
                    else:
                        kind = "killed"
                    quantity = parse_quantity(low[q_start:q_end])
                    if quantity is None:
                        continue
                    found[q_start] = (
                        q_start,
                        q_end,
                        {
                            "kind": kind,
                            "min": quantity.min,
                            "max": quantity.max,
                            "text": text[q_start:q_end],
                            "estimate": quantity.estimate,
                        },
                    )
        return sorted(found.values(), key=lambda f: f[0])

    def _excluded(self, low: str, start: int) -> bool:
        before = low[max(start - 24, 0) : start]
        return bool(self.not_before.search(before) or self.subset_before.search(before))


@lru_cache(maxsize=None)
def casualty_rules() -> CasualtyRules:
    """The rules, compiled once per process."""
    return CasualtyRules(load_patterns("casualties"))


class CasualtyFinder:
    """spaCy component: casualty figures into ``doc.spans["casualties"]``."""

    def __init__(self) -> None:
        self.rules = casualty_rules()

    def __call__(self, doc: Doc) -> Doc:
        return record_finds(doc, KEY, self.rules.find(doc_text(doc), doc_lower(doc)), _label)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def _label(value: dict) -> str:
    return value["kind"]


@Language.factory("vigil_casualties", assigns=["doc.spans"])
def make_casualties(nlp: Language, name: str) -> CasualtyFinder:
    return CasualtyFinder()
