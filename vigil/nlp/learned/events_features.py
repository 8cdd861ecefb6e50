"""Sparse features of an event's evidence text for the ACLED sub-event classifier.

Three families, all binary:
* words and word pairs of the text, lower-cased (``w=bomb``, ``b=suicide_bomber``);
* the rule lexicon's trigger phrases found in the text, by the sub-event type they
  stand for (``lex=Suicide bomb``), and the blockers it knows (``blk=modality``...),
  so the rule component's knowledge is a feature the model can weigh;
* the sub-event type the rule component gave the event (``rule=Attack``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from vigil.nlp.lexicon import load_patterns

WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
MAX_PHRASE = 5


@lru_cache(maxsize=1)
def _lexicon() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Word tuple -> feature names, for triggers, blockers and the actor-noun lists."""
    patterns = load_patterns("events")
    table: dict[tuple[str, ...], list[str]] = {}

    def add(phrase: str, feature: str) -> None:
        words = tuple(WORD.findall(phrase.lower()))
        if words and len(words) <= MAX_PHRASE:
            table.setdefault(words, []).append(feature)

    for entry in patterns["sub_event_types"]:
        for trigger in entry["triggers"]:
            add(trigger, f"lex={entry['type']}")
    for phrase in patterns["modality_blockers"]:
        add(phrase, "blk=modality")
    for phrase in patterns["sentence_blockers"]:
        add(phrase, "blk=sentence")
    for phrase in patterns["non_violent_context"]:
        add(phrase, "blk=non_violent")
    for phrase in patterns["military_targets"]:
        add(phrase, "tgt=military")
    nouns = load_patterns("actor_nouns")
    for role in ("perpetrators", "state_forces", "victims", "targets"):
        for phrase in nouns.get(role, []):
            add(phrase, f"noun={role}")
    return {k: tuple(dict.fromkeys(v)) for k, v in table.items()}


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower())


def features(text: str, rule_type: str | None) -> set[str]:
    """The feature names of one evidence text (``rule_type``: the rule component's type, or None)."""
    words = words_of(text)
    found = {f"w={w}" for w in words}
    found.update(f"b={a}_{b}" for a, b in zip(words, words[1:]))
    lexicon = _lexicon()
    for i in range(len(words)):
        for n in range(1, MAX_PHRASE + 1):
            hit = lexicon.get(tuple(words[i : i + n]))
            if hit:
                found.update(hit)
    found.add(f"rule={rule_type or 'NONE'}")
    return found


def vocabulary(texts: Iterable[set[str]], min_count: int = 2) -> list[str]:
    """Features seen at least ``min_count`` times, plus every lexicon and rule feature (sorted: stable)."""
    counts: dict[str, int] = {}
    for feats in texts:
        for f in feats:
            counts[f] = counts.get(f, 0) + 1
    return sorted(f for f, c in counts.items() if c >= min_count or not f.startswith(("w=", "b=")))
