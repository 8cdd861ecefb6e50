"""Rules for names: nationalities, pronouns, places, organisations, groups, countries, hardware, documents.

``NameRules`` is a part of ``EntityRules`` (see ``rules.py``): its methods read the
word lists and the per-document token columns that ``EntityRules`` sets up. Each rule
takes (doc, lower-case words, token i) and returns (start, end, type[, value]) or None.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

from vigil.nlp.entity_rules.phrases import ACRONYM, ADMIN_UNITS
from vigil.nlp.spans import sentence_starts


class NameRules:
    """Rules for named and described things (mixed into ``EntityRules``)."""

    def _nationality(self, doc: Doc, lowers: tuple[str, ...], i: int):
        hit = self.demonyms.match(lowers, i)
        if hit and self._capitals[i] and self._nationality_context(doc, lowers, hit[0]):
            return (i, hit[0], "Nationality")
        return None

    def _pronoun(self, doc: Doc, lowers: tuple[str, ...], i: int):
        if not self.pronouns:
            return None
        low = lowers[i]
        text = self._text[i]
        if low in self.pron_person and (low != "i" or text == "I"):
            return (i, i + 1, "Person")
        if low in self.pron_org or (text in ("They",)):
            return (i, i + 1, "Organisation")
        return None

    def _nationality_context(self, doc: Doc, lowers: tuple[str, ...], end: int) -> bool:
        """A demonym is a Nationality unless it starts a name or a group ('Iraqi forces')."""
        if end >= len(lowers):
            return True
        if self._capitals[end] or self.group_heads.match(lowers, end) or lowers[end] in self.group_modifiers:
            return False
        return True

    def _place_phrase(self, doc: Doc, lowers: tuple[str, ...], i: int):
        """'the city of Mosul', 'Anbar province', 'the town', 'a hospital'."""
        n = len(doc)
        if lowers[i] in ("the", "a", "an", "this", "that") and i + 1 < n:
            hit = self.loc_nouns.match(lowers, i + 1)
            if hit is None:
                return None
            end = hit[0]
            if end + 1 < n and lowers[end] == "of" and self._capitals[end + 1]:
                stop = self._cap_run(doc, lowers, end + 1, limit=4)
                return (i, stop, "Location")
            if end < n and (lowers[end] in ("of",) or self._capitals[end]):
                return None
            return (i, end, "Location")
        if self._admin_units and self._capitals[i] and self._alpha[i] and (i == 0 or not self._capitals[i - 1]):
            stop = self._cap_run(doc, lowers, i, limit=3)
            if stop > i and stop < n and lowers[stop] in ADMIN_UNITS and not self.demonyms.match(lowers, i):
                return (self.with_the(doc, i), stop + 1, "Location")
        return None

    def _all_caps_sentence(self, i: int) -> bool:
        """Whether token i's sentence is written in ALL CAPS: at least three alphabetic words of two
        letters or more, 70% of them upper case (``Token.is_upper``), counted from the token columns."""
        starts = self._sent_starts
        if starts is None:
            starts = self._sent_starts = sentence_starts(self._doc)
        k = bisect_right(starts, i) - 1
        start = starts[k]
        caps = self._sentence_caps
        found = caps.get(start)
        if found is None:
            end = starts[k + 1] if k + 1 < len(starts) else len(self._lowers)
            words = sum(self._long_alpha[start:end])
            found = caps[start] = words >= 3 and sum(self._long_upper[start:end]) >= 0.7 * words
        return found

    def with_the(self, doc: Doc, start: int) -> int:
        return start - 1 if start > 0 and self._lowers[start - 1] == "the" else start

    def _cap(self, doc: Doc, i: int) -> bool:
        return self._capitals[i]

    def _cap_run(self, doc: Doc, lowers: tuple[str, ...], i: int, limit: int = 8) -> int:
        """End of a capitalised name run at i, allowing 'of', 'and', 'the', 'for', '-' inside."""
        end = self._runs.get((i, limit))
        if end is None:
            end = self._runs[i, limit] = self._find_run(doc, lowers, i, limit)
        return end

    def _find_run(self, doc: Doc, lowers: tuple[str, ...], i: int, limit: int) -> int:
        n = len(doc)
        j = i
        while j < n and j - i < limit:
            if self._capitals[j] and self._word[j]:
                j += 1
            elif lowers[j] in ("of", "and", "the", "for", "-", "al", "'s") and j > i and j + 1 < n and self._capitals[j + 1]:
                j += 1
            else:
                break
        while j > i and lowers[j - 1] in ("of", "and", "the", "for", "-"):
            j -= 1
        return j

    def _org_name(self, doc: Doc, lowers: tuple[str, ...], i: int):
        hit = self.known_orgs.match(lowers, i) if lowers[i] in self.known_orgs.first else None
        if hit and (self._capitals[i] or lowers[i] in ("coalition", "al")):
            end = hit[0]
            if end + 1 < len(doc) and lowers[end] == "-" and lowers[end + 1] in ("held", "controlled", "occupied", "run"):
                return None
            return (self.with_the(doc, i), end, "Organisation")
        if not self._capitals[i] or (i > 0 and self._capitals[i - 1] and self._alpha[i - 1] and lowers[i - 1] != "the" and i - 1 > 0):
            return None
        end = self._cap_run(doc, lowers, i)
        if end == i:
            return None
        words = lowers[i:end]
        if len(words) > 1 and self._all_caps_sentence(i):
            # capitals say nothing in ALL-CAPS text: the name ends at its head ("THE GUATEMALAN ARMY DENIED ...")
            heads = [k for k, w in enumerate(words) if w in self.org_heads]
            if not heads:
                return None
            end = i + heads[0] + 1
            words = words[: heads[0] + 1]
        if len(words) > 1 and any(w in self.org_heads for w in words) or words[0] in self.org_prefixes or (
            len(words) > 1 and words[-1] in self.org_heads
        ):
            return (self.with_the(doc, i), end, "Organisation")
        text = self._text[i]
        if end == i + 1 and ACRONYM.match(text) and not text.isdigit() and not self._all_caps_sentence(i):
            if self.weapons.match(lowers, i) or self.platforms.match(lowers, i) or self.units.match(lowers, i):
                return None
            return (self.with_the(doc, i), end, "Organisation")
        return None

    def _group(self, doc: Doc, lowers: tuple[str, ...], i: int):
        """[det] (modifier | demonym | name)* group-head: 'the Iraqi security forces', 'civilians'."""
        n = len(doc)
        start = i
        j = i
        if lowers[j] in self.determiners:
            j += 1
        first_mod = j
        modifier = self._modifier
        demonyms = self.demonyms
        while j < n:
            if modifier[j] or lowers[j] in demonyms.first and demonyms.match(lowers, j):
                j += 1
            elif lowers[j] == "-" and j > first_mod and j + 1 < n and lowers[j + 1] in ("led", "backed"):
                j += 2
            else:
                break
        if j >= n or lowers[j] not in self.group_heads.first:
            return None
        hit = self.group_heads.match(lowers, j)
        if hit is None:
            # a modifier run may have swallowed a capitalised head ("Iraqi Forces")
            return None
        end = hit[0]
        if start == j and lowers[j] in ("people", "members", "men", "women", "children", "nations", "countries", "parties"):
            return None
        if i > 0 and (lowers[i - 1] in self.determiners or self.demonyms.match(lowers, i - 1)) and start == i and lowers[i] not in self.determiners:
            return None  # the run starts earlier
        return (start, end, "Organisation")

    def _country(self, doc: Doc, lowers: tuple[str, ...], i: int):
        if not self._capitals[i]:
            return None
        hit = self.countries.match(lowers, i)
        if hit is None:
            return None
        end = hit[0]
        if end < len(doc) and self._capitals[end] and self._alpha[end]:
            return None  # part of a longer name
        geo = {"name": self._text_of(i, end), "country": hit[1], "precision": "country"}
        if self.country_as_actor(doc, lowers, i, end):
            return (self.with_the(doc, i), end, "Organisation", {"geo": geo})
        start, end = self.extend_location(doc, lowers, i, end)
        return (start, end, "Location", {"geo": geo})

    def country_as_actor(self, doc: Doc, lowers: tuple[str, ...], start: int, end: int) -> bool:
        before = start - 1
        if before >= 0 and lowers[before] == "the":
            before -= 1
        if before >= 0 and lowers[before] in self.loc_preps:
            return False
        if start > 0 and lowers[start - 1] in self.directions:
            return False
        return end >= len(doc) or lowers[end] not in (",", ".", "-", "province", "city")

    def extend_location(self, doc: Doc, lowers: tuple[str, ...], start: int, end: int) -> tuple[int, int]:
        n = len(doc)
        if start > 0 and lowers[start - 1] in self.directions:
            start -= 1
        elif start > 2 and lowers[start - 1] == "of" and lowers[start - 2] in self.loc_heads and lowers[start - 3] == "the":
            start -= 3
        elif start > 1 and lowers[start - 1] == "of" and lowers[start - 2] in self.loc_heads:
            start -= 2
        if start > 0 and lowers[start - 1] == "the" and lowers[start] in self.directions:
            start -= 1
        if end < n and lowers[end] in ("province", "district", "governorate", "region", "agency", "valley"):
            end += 1
        if end + 1 < n and lowers[end] == "," and self.countries.match(lowers, end + 1) and self._capitals[end + 1]:
            end = self.countries.match(lowers, end + 1)[0]
        return start, end

    def _hardware(self, doc: Doc, lowers: tuple[str, ...], i: int):
        n = len(doc)
        j = i
        if lowers[j] in ("a", "an"):
            j += 1
        while j < n and (lowers[j] in self.weapon_modifiers or (self._capitals[j] and (self.known_orgs.match(lowers, j) or self.demonyms.match(lowers, j)))):
            j += 1
        for index, kind in ((self.platforms, "MilitaryPlatform"), (self.vehicles, "Vehicle"), (self.weapons, "Weapon")):
            hit = index.match(lowers, j)
            if hit and kind == "MilitaryPlatform" and j > 0 and lowers[j - 1] == "suicide":
                continue  # a suicide bomber is a person, not an aircraft
            if hit:
                if j == i and i > 0 and (lowers[i - 1] in ("a", "an") or lowers[i - 1] in self.weapon_modifiers):
                    return None  # the run starts earlier
                if kind == "Vehicle" and lowers[hit[0] - 1] in ("vehicle", "vehicles") and j > i and lowers[j - 1] in ("tactical", "armoured", "armored", "technical"):
                    kind = "MilitaryPlatform"
                return (i, hit[0], kind)
        return None


    def _docref(self, doc: Doc, lowers: tuple[str, ...], i: int):
        n = len(doc)
        low = lowers[i]
        # numbered: 'Resolution 2254', 'Executive Order 13582', 'Chapter four', 'UNSCR 1373', 'resolution 2231'
        if low in self.docref_numbered and i + 1 < n and (self._capitals[i] or (low in self.docref_lower_numbered and self._digits[i + 1])):
            end = self._number(doc, lowers, i + 1)
            if end > i + 1:
                while end + 1 < n and lowers[end] == "and" and self._digits[end + 1]:
                    end += 2
                start = i
                while start > 0 and self._capitals[start - 1] and self._alpha[start - 1] and lowers[start - 1] != "the":
                    start -= 1
                if start > 0 and lowers[start - 1] == "the":
                    start -= 1
                return (start, end, "DocumentReference")
        # [the] Capitalised ... Book/Report/Communique [of ...]
        if self._docref_named and self._capitals[i] and (i == 0 or not self._capitals[i - 1] or lowers[i - 1] == "the"):
            end = self._cap_run(doc, lowers, i)
            words = lowers[i:end]
            if end > i and any(w in self.docref_heads for w in words) and words[0] not in self.determiners and not any(w in self.org_heads for w in words):
                if end + 2 < n and lowers[end] == "of" and self._year[end + 1]:
                    end += 2
                return (self.with_the(doc, i), end, "DocumentReference")
        # the [adjective] report / manual ...
        if low in ("the", "this", "its", "their") and i + 1 < n:
            j = i + 1
            if j + 1 < n and lowers[j] in ("full", "new", "latest", "final", "annual", "english-language", "arabic-language"):
                j += 1
            if lowers[j] in self.docref_lower:
                return (i, j + 1, "DocumentReference")
        return None
