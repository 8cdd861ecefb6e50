"""Rules for numbers: money, quantities and times ('$5 million', '3 km', 'last week', 'May 15 , 2006').

``NumberRules`` is a part of ``EntityRules`` (see ``rules.py``): its methods read the
word lists and the per-document token columns that ``EntityRules`` sets up.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from vigil.nlp.entity_rules.phrases import NUM_UNIT


class NumberRules:
    """Rules for amounts and times (mixed into ``EntityRules``)."""

    # -- numbers, money, time -------------------------------------------
    def _number(self, doc: Doc, lowers: tuple[str, ...], i: int) -> int:
        """End of a number starting at i ('3 , 000', '5 million', 'tens of thousands'), or i."""
        n = len(doc)
        j = i
        if self._digits[i]:
            j = i + 1
            while j + 1 < n and lowers[j] in (",", ".") and re.fullmatch(r"\d{3}" if lowers[j] == "," else r"\d+", self._text[j + 1]):
                j += 2
        elif lowers[i] in self.number_words:
            j = i + 1
            if j + 1 < n and lowers[j] == "of" and lowers[j + 1] in ("thousands", "millions", "billions"):
                j += 2
            while j < n and lowers[j] in self.number_words and lowers[j] not in ("several", "multiple"):
                j += 1
        else:
            return i
        while j < n and lowers[j] in self.multipliers and lowers[j] not in ("m", "k"):
            j += 1
        return j

    def _money(self, doc: Doc, lowers: tuple[str, ...], i: int):
        n = len(doc)
        start = i
        j = i
        if lowers[j] in ("more", "less", "over", "under", "about", "around", "nearly", "almost", "some", "up") and j + 1 < n:
            if lowers[j] in ("more", "less", "up") and j + 2 < n and lowers[j + 1] in ("than", "to"):
                j += 2
            else:
                j += 1
        if lowers[j] in self.currency_symbols:
            end = self._number(doc, lowers, j + 1) if j + 1 < n else j + 1
            if end > j + 1:
                return (start, end, "Money")
            return None
        if j != i and lowers[i] not in ("over", "about", "around", "nearly", "almost"):
            pass
        end = self._number(doc, lowers, j)
        if end > j:
            k = end
            if k < n and self.demonyms.match(lowers, k):
                k = self.demonyms.match(lowers, k)[0]
            if k < n and lowers[k] in self.currency_words:
                return (start, k + 1, "Money")
            return None
        if j == i and lowers[i] in ("millions", "billions", "thousands") and i + 2 < n and lowers[i + 1] == "of" and lowers[i + 2] in self.currency_words:
            return (i, i + 3, "Money")
        if j == i:
            hit = self.money_nouns.match(lowers, i)
            if hit:
                return (i, hit[0], "Money")
        return None

    def _quantity(self, doc: Doc, lowers: tuple[str, ...], i: int):
        n = len(doc)
        text = self._text[i]
        if NUM_UNIT.match(text):
            return (i, i + 1, "Quantity")
        if i > 0 and (self._digits[i - 1] or lowers[i - 1] in self.number_words or lowers[i - 1] == ","):
            if self._digits[i] or lowers[i] in self.number_words:
                return None  # inside a longer number
        end = self._number(doc, lowers, i)
        if end == i or lowers[i] in ("one", "several", "multiple", "scores"):
            return None
        if i > 0 and lowers[i - 1] == "[" or end < n and lowers[end] in ("°", "]", ".", ";") and end + 1 < n and self._digits[end + 1]:
            return None  # a footnote mark or a coordinate
        if end < n and lowers[end] in ("°", "]"):
            return None
        if self._year[i] and end == i + 1:
            return None
        if i > 0 and (lowers[i - 1] in self.docref_numbered or lowers[i - 1] in self.months or lowers[i - 1] in self.currency_symbols):
            return None
        if end < n and (lowers[end] in self.months or lowers[end] in self.temporal_units or lowers[end] in self.currency_words):
            return None
        if end + 1 < n and lowers[end] in ("to", "-") and self._number(doc, lowers, end + 1) > end + 1:
            end = self._number(doc, lowers, end + 1)
        unit = self.units.match(lowers, end) if end < n else None
        if unit and unit[0] and lowers[end] not in ("m",):
            end = unit[0]
        return (i, end, "Quantity")

    def _temporal(self, doc: Doc, lowers: tuple[str, ...], i: int):
        n = len(doc)
        low = lowers[i]
        start = i
        j = i
        # relative: [the] (last|past|next|...) [number] unit [ago]
        if low == "the" and i + 1 < n and lowers[i + 1] in self.temporal_relative:
            j = i + 1
        if lowers[j] in self.temporal_relative and j + 1 < n:
            k = j + 1
            k2 = self._number(doc, lowers, k)
            if k2 > k and k2 < n and lowers[k2] == "-" and k2 + 1 < n and lowers[k2 + 1] == "plus":
                k2 += 2
            if k2 < n and (lowers[k2] in self.temporal_units or lowers[k2] in self.months or lowers[k2] in self.weekdays):
                end = k2 + 1
                if end + 2 < n and lowers[end] == "and" and lowers[end + 1] in self.temporal_units:
                    end += 2
                return (start, end, "Temporal")
            if lowers[j] in ("early", "late", "mid") and k < n and lowers[k] in self.months:
                return (start, self._date_end(doc, lowers, k), "Temporal")
            return None
        if low in ("this", "that") and i + 1 < n and (lowers[i + 1] in self.temporal_units or lowers[i + 1] in self.temporal_words):
            return (i, i + 2, "Temporal")
        if low in self.temporal_words and self._capitals[i] or low in ("today", "yesterday", "tomorrow", "tonight"):
            return (i, i + 1, "Temporal")
        # number unit [ago]
        end = self._number(doc, lowers, i)
        if end > i and end < n and lowers[end] in self.temporal_units and lowers[i] not in ("one",):
            if i > 0 and (lowers[i - 1] in ("last", "past", "next", "the", "of") or self._digits[i - 1]):
                return None
            end += 1
            if end < n and lowers[end] == "ago":
                end += 1
            return (i, end, "Temporal")
        # dates: [weekday ,] (month day[, year] | day month [year] | month year | year)
        day, year = self._day, self._year
        if i > 0 and (lowers[i - 1] in self.weekdays or lowers[i - 1] in self.months or day[i - 1] or lowers[i - 1] in ("early", "late", "mid")):
            if low in self.months or day[i] or year[i]:
                return None
        if low in self.weekdays and self._capitals[i]:
            k = i + 1
            if k < n and lowers[k] == ",":
                k += 1
            if k < n and (lowers[k].rstrip(".") in self.months or day[k]):
                end = self._date_end(doc, lowers, k)
                if end > k:
                    return (i, end, "Temporal")
            return (i, i + 1, "Temporal")
        if (low.rstrip(".") in self.months and self._capitals[i] and (low != "may" or self._date_end(doc, lowers, i) > i + 1)) or (
            day[i] and i + 1 < n and lowers[i + 1].rstrip(".") in self.months
        ):
            return (i, self._date_end(doc, lowers, i), "Temporal")
        if year[i]:
            end = i + 1
            if end + 1 < n and lowers[end] == "-" and re.fullmatch(r"\d{2,4}", self._text[end + 1]):
                end += 2
            if i > 0 and lowers[i - 1] in ("since", "until", "in") and lowers[i - 1] == "since":
                return (i - 1, end, "Temporal")
            return (i, end, "Temporal")
        return None

    def _date_end(self, doc: Doc, lowers: tuple[str, ...], i: int) -> int:
        """End of 'Dec. 14th', 'January 15 , 2006', '23 May 2006', 'May 15 - 24', 'November 2005'."""
        n = len(doc)
        day, year = self._day, self._year
        j = i
        if day[j]:
            j += 1
            if j < n and lowers[j].rstrip(".") in self.months:
                j += 1
            if j < n and year[j]:
                j += 1
            return j
        j += 1  # month
        if j < n and self._text[j] == ".":
            j += 1
        if j < n and day[j]:
            j += 1
            if j + 1 < n and lowers[j] == "-" and day[j + 1]:
                j += 2
            if j + 1 < n and lowers[j] == "," and year[j + 1]:
                j += 2
            return j
        if j < n and year[j]:
            j += 1
        elif j + 2 < n and lowers[j] == "of" and year[j + 1]:
            j += 2
        return j
