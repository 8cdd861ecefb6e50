"""From character-offset finds to a span group, and regex runs anchored on word starts.

The regex-driven components (dates, casualties, weapons) find (start_char, end_char,
value) triples in the text and record them as ``doc.spans[key]`` with their values;
``record_finds`` does that for all of them. ``anchored_finditer`` runs a pattern only
where one of its possible first words stands, which is much cheaper than letting the
regex engine try it at every character.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from spacy.tokens import Doc, Span

from vigil.nlp.extensions import set_value, write_spans

Found = tuple[int, int, dict]

#: A word start and its word: a digit alone (read as "0"), letters as a run (the lower-cased text).
_WORD_START = re.compile(r"(?<!\w)(?:(\d)|[a-z]+)")
DIGIT = "0"


def record_finds(doc: Doc, key: str, found: Iterable[Found], label_of: Callable[[dict], str]) -> Doc:
    """Write ``doc.spans[key]``: one span per find, widened to whole tokens, with its value.

    (``doc.char_span`` per find measured faster than one ``to_array`` of the token offsets.)
    """
    spans: list[Span] = []
    for start, end, value in found:
        span = doc.char_span(start, end, label=label_of(value), alignment_mode="expand")
        if span is not None:
            spans.append(span)
            set_value(span, key, value)
    write_spans(doc, key, spans)
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


def start_finder(*word_sets: frozenset[str]) -> re.Pattern[str]:
    """A regex for the word starts (no word character before) that begin with one of the words
    (``DIGIT``: any digit); group 1 is set for a digit. Every such start is found: the words
    are runs of letters, so no start lies inside a match, and at a start whose whole run of
    letters is one of the words that word is the match (the longest alternative is tried first).
    """
    words = sorted({w for group in word_sets for w in group if w != DIGIT}, key=len, reverse=True)
    firsts = "".join(sorted({w[0] for w in words}))
    return re.compile(rf"\b(?=[\d{firsts}])(?:(\d)|{'|'.join(words)})")


def word_starts(finder: re.Pattern[str], low: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, word) of the starts ``finder`` finds in ``low[start:end]``; a digit is read as ``DIGIT``."""
    return [(m.start(), DIGIT if m[1] else m[0]) for m in finder.finditer(low, start, end)]


def anchored_finditer(
    pattern: re.Pattern[str], low: str, end: int, starts: list[tuple[int, str]], first: frozenset[str], begin: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(low, begin, end)`` for a pattern that can only match at a word start
    (no word character before it) whose word (``_WORD_START``) is in ``first``.

    ``starts`` are the word starts of ``low[begin:end]`` (``word_starts``), at least those
    whose word is in ``first``. Every match of the pattern begins at
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
