"""The entity component's own rules: nationalities, money, quantities, times, document
references, organisations the gazetteer lacks, countries, platforms, vehicles, weapons.

``rules.py`` holds ``EntityRules`` (word lists, per-word features, where each rule is
tried); ``names.py`` and ``numbers.py`` the rules; ``phrases.py`` the phrase look-ups.
"""

from vigil.nlp.entity_rules.phrases import PhraseIndex
from vigil.nlp.entity_rules.rules import RULE_PRIORITY, EntityRules

__all__ = ["RULE_PRIORITY", "EntityRules", "PhraseIndex"]
