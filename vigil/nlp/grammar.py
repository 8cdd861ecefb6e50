"""English function-word lists and the two voice tests the fact components share.

The lists live in ``patterns/grammar.json``; ``grammar()`` loads them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span

from vigil.nlp.lexicon import load_patterns


@dataclass(frozen=True)
class Grammar:
    target_verbs: frozenset[str]
    target_stops: frozenset[str]
    agent_blockers: frozenset[str]
    target_markers: frozenset[str]
    claim_words: tuple[str, ...]
    attribution_words: tuple[str, ...]
    suspicion_words: tuple[str, ...]
    reporting_after: frozenset[str]
    locatives: frozenset[str]
    modified_nouns: frozenset[str]
    passive_auxiliaries: frozenset[str]
    adverbs: frozenset[str]
    determiners: frozenset[str]
    verb_forms: frozenset[str]

    def is_verbal(self, words: list[str], trigger: Span) -> bool:
        """Whether a trigger reads as a verb with a subject ('gunmen attacked') rather than a noun ('a bomb blast')."""
        if trigger.start > 0 and words[trigger.start - 1] in self.determiners:
            return False
        last = words[trigger.end - 1]
        return last.endswith(("ed", "ing")) or last in self.verb_forms

    def is_passive(self, words: list[str], trigger_start: int) -> bool:
        """'were killed', 'was reportedly shot': the grammatical subject is the one acted on."""
        i = trigger_start - 1
        while i >= 0 and words[i] in self.adverbs and trigger_start - i <= 3:
            i -= 1
        return i >= 0 and words[i] in self.passive_auxiliaries


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    raw = load_patterns("grammar")
    phrases = {"claim_words", "attribution_words", "suspicion_words"}
    return Grammar(**{
        name: tuple(raw[name]) if name in phrases else frozenset(raw[name])
        for name in Grammar.__dataclass_fields__
    })
