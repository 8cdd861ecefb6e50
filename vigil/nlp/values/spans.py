"""From character-offset finds to a span group, and regex runs anchored on word starts.

The regex-driven components (dates, casualties, weapons) find (start_char, end_char,
value) triples in the text and record them as ``doc.spans[key]`` with their values;
``record_finds`` does that for all of them. ``anchored_finditer`` runs a pattern only
where one of its possible first words stands, which is much cheaper than letting the
regex engine try it at every character.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Span

from vigil.nlp.extensions import set_value

Found = tuple[int, int, dict]

#: A word start and its word: a digit alone (read as "0"), letters as a run (the lower-cased text).
_WORD_START = re.compile(r"(?<!\w)(?:(\d)|[a-z]+)")
DIGIT = "0"


def record_finds(doc: Doc, key: str, found: Iterable[Found], label_of: Callable[[dict], str]) -> Doc:
    """Write ``doc.spans[key]``: one span per find, widened to whole tokens, with its value.

    Each span is exactly what ``doc.char_span(start, end, label, alignment_mode="expand")``
    gives (a find that lies outside the text is dropped), found by bisecting the token
    offsets once per document instead of once per find.
    """
    spans: list[Span] = []
    found = list(found)
    if found:
        size = len(doc)
        if size:
            table = doc.to_array([IDX, LENGTH])
            starts = table[:, 0].tolist()
            lengths = table[:, 1].tolist()
            text_end = starts[-1] + len(doc[-1].text_with_ws)
        for start, end, value in found:
            if not size or not (0 <= start < text_end) or not (0 <= end - 1 < text_end):
                continue
            first = bisect_right(starts, start) - 1
            last = bisect_right(starts, end - 1) - 1
            if start == starts[first] + lengths[first]:  # in the space after a token
                first += 1
            span = Span(doc, first, last + 1, label=label_of(value))
            spans.append(span)
            set_value(span, key, value)
    doc.spans[key] = spans
    return doc


def first_words(phrases: Iterable[str]) -> frozenset[str] | None:
    """The words (as ``_WORD_START`` reads them) the phrases begin with; None if one begins otherwise."""
    words = set()
    for phrase in phrases:
        match = _WORD_START.match(phrase)
        if match is None:
            return None
        words.add(DIGIT if match[1] else match[0])
    return frozenset(words)


def word_starts(low: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, word) of the word starts in ``low[start:end]``; a digit is read as ``DIGIT``."""
    return [(m.start(), DIGIT if m[1] else m[0]) for m in _WORD_START.finditer(low, start, end)]


def anchored_finditer(
    pattern: re.Pattern[str], low: str, end: int, starts: list[tuple[int, str]], first: frozenset[str], begin: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(low, begin, end)`` for a pattern that can only match at a word start
    (no word character before it) whose word (``_WORD_START``) is in ``first``.

    ``starts`` are the word starts of ``low[begin:end]``. Every match of the pattern begins at
    one of them, so trying the pattern there alone, left to right and from the end of the
    last match on, gives the same matches.
    """
    at = begin
    for offset, word in starts:
        if offset >= at and word in first:
            match = pattern.match(low, offset, end)
            if match is not None:
                yield match
                at = match.end() if match.end() > offset else offset + 1
