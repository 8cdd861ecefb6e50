"""Word shapes and phrase look-ups shared by the entity rules."""

from __future__ import annotations

import re

DIGITS = re.compile(r"^\d+(?:[.,]\d+)*$")
NUM_UNIT = re.compile(r"^\d+(?:[.,]\d+)*(km|m|mm|cm|kg|ft|mi|%)$", re.I)
ORDINAL_DAY = re.compile(r"^\d{1,2}(st|nd|rd|th)?$", re.I)
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
ACRONYM = re.compile(r"^[A-Z][A-Z0-9&\-]{1,7}$")
# words that may open a money amount: 'more than $5 million', 'about 50,000 rupees'
MONEY_LEAD = ("more", "less", "over", "under", "about", "around", "nearly", "almost", "some", "up")
# words after a capitalised name that make it a place: 'Anbar province'
ADMIN_UNITS = ("province", "district", "governorate", "neighbourhood", "neighborhood")


class PhraseIndex:
    """Phrases tokenised like the documents, looked up by their first token (lower case)."""

    def __init__(self, tokenizer, phrases) -> None:
        self.first: dict[str, list[tuple[tuple[str, ...], object]]] = {}
        items = phrases.items() if isinstance(phrases, dict) else ((p, None) for p in phrases)
        for phrase, value in items:
            key = tuple(t.lower_ for t in tokenizer(phrase))
            if key:
                self.first.setdefault(key[0], []).append((key, value))
        for entries in self.first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def match(self, lowers: tuple[str, ...], i: int) -> tuple[int, object] | None:
        """(end, value) of the longest phrase starting at token i."""
        entries = self.first.get(lowers[i]) if i < len(lowers) else None
        if entries is not None:
            for key, value in entries:
                end = i + len(key)
                if lowers[i:end] == key:
                    return end, value
        return None
