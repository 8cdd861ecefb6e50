"""Dates and times of events, normalised against the publication date.

Writes ``doc.spans["dates"]`` (label = precision) with the value
``{"date": "2023-07-30" | "2023-07" | "2023", "precision": "day" | "week" | "month" | "year"}``.

Regular expressions over ``doc.text`` built from ``patterns/dates.json``, aligned to
tokens with ``char_span``. Conventions (see the data file for the word lists):

* Absolute dates: "30 July 2023", "July 30, 2023", "2023-07-30", "30/07/2023"
  (day-first unless impossible), "2 FEB 90" (two-digit years only in ALL-CAPS wire style),
  "July 2023" (month), "in 2022" (year; a bare year needs a preposition).
* Without a year a day/month is the most recent one not after publication (allowing
  ``future_grace_days`` ahead, for announced dates); "in July" is the most recent July
  not after the publication month; "on Sunday" / "Sunday's attack" the most recent
  Sunday on or before publication ("last Sunday": strictly before).
* Relative phrases ("yesterday", "last week", "three weeks ago"...): week precision is
  written as the Monday of that ISO week; month/year precision as "2023-07" / "2023".
* With no publication date only dates that carry their year are kept.
* Not dates: "may"/"march" as verbs (a bare month must be capitalised and follow a
  preposition), bare numbers, decades ("the 1990s").
* The span covers the date words only: "on" in "on Sunday" and "'s" in "Sunday's"
  are left out; "last" in "last Sunday" and "early" in "early July" are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from vigil.nlp.lexicon import load_patterns
from vigil.nlp.values import dates as cal
from vigil.nlp.values.numbers import number_pattern, parse_number
from vigil.nlp.values.finds import record_finds
from vigil.nlp.values.text import Found, Trigger, doc_lower, doc_text, longest_first, lower_same_length, windows

KEY = "dates"
# A found date: (start_char, end_char, value).
Handler = Callable[[re.Match[str], date | None, str], Found | None]


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


class DateRules:
    """The compiled patterns and the words they need, built once from the data file."""

    def __init__(self, data: dict) -> None:
        self.months: dict[str, int] = {**data["months"], **data["month_abbreviations"]}
        self.ambiguous = set(data["ambiguous_months"])
        self.ambiguous_bad_before = re.compile(rf"\b(?:{_alt(data['ambiguous_month_bad_prepositions'])})\s+(?:the\s+)?$")
        self.ambiguous_bad_after = re.compile(rf"\s+(?:{_alt(data['ambiguous_month_bad_next_words'])})\b")
        self.weekdays: dict[str, int] = data["weekdays"]
        self.relative: dict[str, dict] = {" ".join(k.split()): v for k, v in data["relative"].items()}
        self.ago_units: dict[str, dict] = data["ago_units"]
        self.grace = int(data["future_grace_days"])
        self.pivot = int(data["two_digit_year_pivot"])
        month_full = _alt(data["months"])
        month_any = rf"(?:{month_full}|(?:{_alt(data['month_abbreviations'])})\.?)"
        weekday = _alt(self.weekdays)
        period = _alt(data["period_modifiers"])
        ordinal = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
        year4 = r"(?:1[89]\d\d|20\d\d)"
        lead_wd = rf"(?:(?:{weekday}),?\s+)?"
        # The patterns run over the lower-cased text; handlers read case from the original.
        self.month_preposition = re.compile(rf"\b(?:{_alt(data['month_prepositions'])})\s+(?:the\s+)?$")
        self.year_preposition = re.compile(rf"\b(?:{_alt(data['year_prepositions'])})[\s-]+(?:the\s+year\s+)?$")
        relative = _alt(self.relative)
        # Python's regex engine is slow to try a long pattern at every character, so each
        # family of patterns runs only in windows around a cheap trigger (literal words found
        # with str.find, or a short regex): (trigger, chars before, chars after, patterns).
        self.families: list[tuple[Trigger, int, int, list[tuple[re.Pattern[str], Handler]]]] = [
            (
                re.compile(r"\d[/.-]\d"),
                3,
                6,
                [
                    (re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])"), self._iso),
                    (re.compile(r"(?<![\d/.])(\d{1,2})([/.])(\d{1,2})\2(\d{4}|\d{2})(?![\d/]|\.\d)"), self._numeric),
                ],
            ),
            (
                tuple(self.months),
                30,
                14,
                [
                    (
                        re.compile(
                            rf"\b{lead_wd}(?:the\s+)?(?P<d>{ordinal})(?:\s+of)?\s+(?P<m>{month_any})(?![\w-])"
                            rf"(?:,?\s+(?P<y>{year4})\b|\s+'?(?P<yy>\d\d)\b(?![\d,.]))?"
                        ),
                        self._resolve_day,
                    ),
                    (
                        re.compile(
                            rf"\b{lead_wd}(?P<m>{month_any})\s+(?P<d>{ordinal})(?![\w,.]\d|\d|\s*%)(?:,?\s+(?P<y>{year4})\b)?"
                        ),
                        self._resolve_day,
                    ),
                    (
                        re.compile(
                            rf"\b(?:(?P<p>{period})[\s-]+)?(?P<m>{month_any}),?\s+(?:of\s+)?(?P<y>{year4})\b(?!\s*[-–]\s*\d)"
                        ),
                        self._month_year,
                    ),
                    (re.compile(rf"\b(?P<m>{month_full})\s+(?P<rel>last|this|next)\s+year\b"), self._month_relative_year),
                    (re.compile(rf"\b(?P<span>(?:(?:{period})[\s-]+)?(?P<m>{month_full}))\b"), self._bare_month),
                ],
            ),
            (
                re.compile(r"(?:1[89]|20)\d\d"),
                24,
                8,
                [
                    (
                        re.compile(
                            rf"(?<![\w'’-])(?P<span>(?:(?:{period})[\s-]+)?(?P<y>{year4}))(?![\w'’]|\s*[-–/]\s*\d|[.,]\d)"
                        ),
                        self._bare_year,
                    )
                ],
            ),
            (
                tuple(self.weekdays),
                8,
                16,
                [
                    (
                        re.compile(
                            rf"\b(?P<span>(?:(?P<rel>last|this|next|past)\s+)?(?P<wd>{weekday})"
                            rf"(?:(?P<poss>['’]s)|\s+(?P<part>{_alt(data['parts_of_day'])})\b)?)(?!\w)"
                            rf"(?!\s+(?:{_alt(data['weekday_exclusions_after'])})\b)"
                        ),
                        self._weekday,
                    )
                ],
            ),
            (tuple(data["relative_triggers"]), 24, 12, [(re.compile(rf"\b(?:{relative})\b"), self._relative)]),
            (
                ("ago",),
                48,
                1,
                [
                    (
                        re.compile(rf"(?<![\w-])(?P<n>{number_pattern()}|an?)\s+(?P<u>{_alt(self.ago_units)})s?\s+ago\b"),
                        self._ago,
                    )
                ],
            ),
        ]

    # Each handler turns a match over the lower-cased text into (start, end, value), or
    # None when it is no date; ``text`` is the original, for the case of the words.

    def _value(self, day: date, precision: str) -> dict:
        return {"date": cal.iso(day, precision), "precision": precision}

    def _iso(self, m: re.Match[str], published: date | None, text: str) -> Found | None:
        day = cal.make_date(int(m[1]), int(m[2]), int(m[3]))
        return (m.start(), m.end(), self._value(day, "day")) if day else None

    def _numeric(self, m: re.Match[str], published: date | None, text: str) -> Found | None:
        order = cal.day_first(int(m[1]), int(m[3]))
        if order is None:
            return None
        year = int(m[4]) if len(m[4]) == 4 else cal.expand_year(int(m[4]), published, self.pivot)
        day = cal.make_date(year, order[1], order[0])
        return (m.start(), m.end(), self._value(day, "day")) if day else None

    def _month(self, word: str) -> int:
        return self.months[word.rstrip(".")]

    def _resolve_day(self, m: re.Match[str], published: date | None, text: str) -> Found | None:
        month_word = text[m.start("m") : m.end("m")]
        month = self._month(m["m"])
        day_number = int(re.match(r"\d+", m["d"])[0])  # type: ignore[index]
        end = m.end()
        year = int(m["y"]) if m["y"] else None
        if m.groupdict().get("yy"):
            if month_word.isupper():  # "2 FEB 90": wire style only
                year = cal.expand_year(int(m["yy"]), published, self.pivot)
            else:
                end = m.end("m")
        if year is None and m["m"] in self.ambiguous and month_word.islower():
            return None
        if year is None and m.start("m") < m.start("d") and m["d"].isdigit():
            # "In July 30 people were killed": a month-day after "in" is a month and a count.
            if m.string[max(m.start() - 3, 0) : m.start()] == "in ":
                return None
        start = m.start("d") if m[0].startswith("the ") else m.start()
        if year is not None:
            day = cal.make_date(year, month, day_number)
        elif published is not None:
            day = cal.latest_day(month, day_number, published, self.grace)
        else:
            return None
        return (start, end, self._value(day, "day")) if day else None

    def _month_year(self, m: re.Match[str], published: date | None, text: str) -> Found | None:
        return m.start(), m.end(), {"date": f"{int(m['y']):04d}-{self._month(m['m']):02d}", "precision": "month"}

    def _month_relative_year(self, m: re.Match[str], published: date | None, text: str) -> Found | None:
        if published is None or text[m.start("m") : m.end("m")].islower():
            return None
        year = published.year + {"last": -1, "this": 0, "next": 1}[m["rel"]]
        return m.start(), m.end(), {"date": f"{year:04d}-{self._month(m['m']):02d}", "precision": "month"}

    def _bare_month(self, m: re.Match[str], published: date | None, text: str) -> Found | None:
        if published is None or text[m.start("m") : m.end("m")].islower():
            return None
        before = m.string[max(m.start() - 24, 0) : m.start()]
        if not self.month_preposition.search(before):
            return None
        if m["m"] in self.ambiguous and (self.ambiguous_bad_before.search(before) or self.ambiguous_bad_after.match(m.string, m.end())):
            return None
        year, month = cal.latest_month(self._month(m["m"]), published)
        return m.start("span"), m.end("span"), {"date": f"{year:04d}-{month:02d}", "precision": "month"}

    def _bare_year(self, m: re.Match[str], published: date | None, text: str) -> Found | None:
        if m.start("span") == m.start("y"):  # no "early"/"mid-": a preposition must come before
            before = m.string[max(m.start() - 24, 0) : m.start()]
            if not self.year_preposition.search(before):
                return None
        return m.start("span"), m.end("span"), {"date": m["y"], "precision": "year"}

    def _weekday(self, m: re.Match[str], published: date | None, text: str) -> Found | None:
        if published is None:
            return None
        day = cal.latest_weekday(self.weekdays[m["wd"]], published, m["rel"])
        end = m.end("wd") if m["poss"] else m.end("span")
        return m.start("span"), end, self._value(day, "day")

    def _relative(self, m: re.Match[str], published: date | None, text: str) -> Found | None:
        if published is None:
            return None
        rule = self.relative[" ".join(m[0].split())]
        return m.start(), m.end(), self._value(cal.shift(published, rule["unit"], rule["offset"]), rule["precision"])

    def _ago(self, m: re.Match[str], published: date | None, text: str) -> Found | None:
        if published is None:
            return None
        n = 1 if m["n"] in ("a", "an") else parse_number(m["n"])
        if n is None:
            return None
        rule = self.ago_units[m["u"]]
        return m.start(), m.end(), self._value(cal.shift(published, rule["unit"], -n), rule["precision"])

    def find(self, text: str, published: date | None, low: str | None = None) -> list[Found]:
        """Non-overlapping dates in ``text``: where two overlap, the longer wins.

        ``low``: ``lower_same_length(text)`` when the caller has it already.
        """
        if low is None:
            low = lower_same_length(text)
        found: list[Found] = []
        for trigger, before, after, patterns in self.families:
            for start, end in windows(trigger, low, before, after, word_start=True, word_end=True):
                for pattern, handler in patterns:
                    for match in pattern.finditer(low, start, end):
                        hit = handler(match, published, text)
                        if hit is not None:
                            found.append(hit)
        return longest_first(found)


@lru_cache(maxsize=None)
def date_rules() -> DateRules:
    """The rules, compiled once per process."""
    return DateRules(load_patterns("dates"))


class DateFinder:
    """spaCy component: dates into ``doc.spans["dates"]``."""

    def __init__(self) -> None:
        self.rules = date_rules()

    def __call__(self, doc: Doc) -> Doc:
        published = cal.as_date(doc._.published)
        return record_finds(doc, KEY, self.rules.find(doc_text(doc), published, doc_lower(doc)), _label)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def _label(value: dict) -> str:
    return value["precision"]


@Language.factory("vigil_dates", assigns=["doc.spans"])
def make_dates(nlp: Language, name: str) -> DateFinder:
    return DateFinder()
