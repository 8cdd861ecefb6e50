"""The decision layer: the tagger's mentions combined with the rule components' mentions.

The tagger already sees the rule mentions as features; this layer decides what is
written and carries the rules' links over:

* ``policy="learned"``: the tagger's mentions, nothing else;
* ``policy="linked"``: also a rule mention linked to a canonical actor or place that
  no learned mention overlaps (the gazetteer knows it; the tagger missed it);
* ``policy="linked-wins"``: a linked rule mention replaces the learned ones it overlaps.

Rule mentions of types the tagger does not learn (Vehicle) are kept where no learned
mention overlaps them, under every policy. ``rule_types``: types where the rules decide
(per-type source choice, chosen on held-out re3d train): a rule mention of such a type
replaces the learned mentions it overlaps when they are of rule-decided types too, and
learned mentions of those types that no rule mention confirms are dropped.

A learned mention takes the actor or place link of the rule mention inside it of a
compatible type (one that names the same kind of thing), so the rule components still
link what the tagger found.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

POLICIES = ("learned", "linked", "linked-wins")
#: types where the rule mentions decide by default: none. 6-fold cross-validation on re3d train with the
#: CRF (``ner_cv``) favoured the rules for Temporal, Nationality, Money, Weapon, MilitaryPlatform and
#: DocumentReference (micro/macro-F1 0.652/0.645 against 0.639/0.562), but the rules were written with re3d
#: train in view (they score 0.625/0.629 on train, 0.552/0.398 on dev), so that comparison flatters them.
#: Dev was then lower with those types (0.631/0.427 against 0.641/0.466 for the CRF): switching them off
#: is a decision taken after seeing dev, said so in MODEL_CARD.md. ``rule_types=[...]`` turns them back on.
RULE_TYPES: tuple[str, ...] = ()
#: the types the cross-validation on train chose (see above), for ``rule_types=CV_RULE_TYPES``
CV_RULE_TYPES: tuple[str, ...] = ("Temporal", "Nationality", "Money", "Weapon", "MilitaryPlatform", "DocumentReference")

#: which link a learned type may take from a rule mention inside it
_LINKS = {"Organisation": "actor", "Person": "actor", "Location": "geo"}


@dataclass
class Mention:
    """A typed token span and its links; ``extractor`` says which component decided it."""

    start: int
    end: int
    type: str
    extractor: str
    value: dict = field(default_factory=dict)

    def overlaps(self, other: "Mention") -> bool:
        return self.start < other.end and other.start < self.end


def _linked(rule: Mention) -> bool:
    return bool(rule.value.get("actor") or rule.value.get("geo"))


def decide(learned: Sequence[Mention], rules: Sequence[Mention], known_types: Sequence[str], policy: str = "linked",
           rule_types: Collection[str] = ()) -> list[Mention]:
    """The mentions to write, in text order, none overlapping."""
    if policy not in POLICIES:
        raise ValueError(f"unknown decision policy {policy!r} (known: {', '.join(POLICIES)})")
    if rule_types:
        learned = _rules_decide(learned, rules, rule_types)
    chosen = [_with_link(m, rules) for m in learned]
    if policy == "linked-wins":
        winners = [r for r in rules if _linked(r) and r.type in _LINKS]
        chosen = [m for m in chosen if not any(m.overlaps(r) for r in winners)] + [_as_rule(r) for r in winners]
    extra = [r for r in rules if r.type not in known_types or (policy == "linked" and _linked(r))]
    for rule in extra:
        if not any(rule.overlaps(m) for m in chosen):
            chosen.append(_as_rule(rule))
    return sorted(chosen, key=lambda m: (m.start, m.end))


def _rules_decide(learned: Sequence[Mention], rules: Sequence[Mention], rule_types: Collection[str]) -> list[Mention]:
    """The learned mentions after the rules' say on ``rule_types`` (rule mentions enter as learned ones)."""
    kept = [m for m in learned if m.type not in rule_types or any((r.start, r.end, r.type) == (m.start, m.end, m.type) for r in rules)]
    for rule in rules:
        if rule.type not in rule_types:
            continue
        hit = [m for m in kept if m.overlaps(rule)]
        if all(m.type in rule_types for m in hit):
            kept = [m for m in kept if m not in hit] + [Mention(rule.start, rule.end, rule.type, "learned")]
    return kept


def _as_rule(rule: Mention) -> Mention:
    return Mention(rule.start, rule.end, rule.type, "rules", dict(rule.value))


def _with_link(mention: Mention, rules: Sequence[Mention]) -> Mention:
    """The learned mention with the link of a rule mention it covers, if their types agree on what is linked."""
    link = _LINKS.get(mention.type)
    value: dict = {"actor": None, "geo": None}
    same = next((r for r in rules if (r.start, r.end, r.type) == (mention.start, mention.end, mention.type)), None)
    if same is not None:
        return Mention(mention.start, mention.end, mention.type, "rules", dict(same.value))
    if link:
        inside = [r for r in rules if mention.start <= r.start and r.end <= mention.end and r.value.get(link)]
        if len(inside) == 1 and (link == "geo" or _LINKS.get(inside[0].type) == "actor"):
            value[link] = inside[0].value[link]
    return Mention(mention.start, mention.end, mention.type, "learned", value)
