"""Text helpers shared by the regex-driven components: case folding, trigger windows, overlaps.

Python's regex engine is slow to try a long pattern at every character of a document,
so components first find cheap triggers (literal words found with ``str.find``, or a
short regex) and run their full patterns only in the windows around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Doc

#: Literal words, or a short regex, whose occurrences open a window.
Trigger = re.Pattern[str] | tuple[str, ...]
#: A find: (start_char, end_char, value).
Found = tuple[int, int, dict]

_SPACE = re.compile(r"\s")
_TEXT_KEY = ("vigil", "text")


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per document and kept in ``doc.user_data``.

    spaCy rebuilds ``Doc.text`` from the tokens on every access, which costs more than
    some components; those that need the text share this copy.
    """
    text = doc.user_data.get(_TEXT_KEY)
    size = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    if text is None or len(text) != size:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def lower_same_length(text: str) -> str:
    """``text`` lower-cased with every offset kept (characters whose lower case is longer stay)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def windows(
    trigger: Trigger, text: str, before: int, after: int, word_start: bool = False, word_end: bool = False
) -> list[tuple[int, int]]:
    """Merged stretches of ``text`` around each occurrence of ``trigger``.

    A window reaches ``before`` characters back and ``after`` forward, widened to white
    space at both ends so that no word or number is cut. With ``word_start`` (``word_end``)
    literal triggers count only at the start (end) of a word.
    """
    if isinstance(trigger, tuple):
        hits = sorted(_occurrences(trigger, text, word_start, word_end))
    else:
        hits = [(m.start(), m.end()) for m in trigger.finditer(text)]
    spans: list[tuple[int, int]] = []
    for hit_start, hit_end in hits:
        start = hit_start - before
        start = 0 if start <= 0 else text.rfind(" ", 0, start) + 1
        space = _SPACE.search(text, hit_end + after)
        end = space.start() if space else len(text)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _occurrences(words: tuple[str, ...], text: str, word_start: bool, word_end: bool) -> Iterator[tuple[int, int]]:
    size = len(text)
    for word in words:
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if not (word_start and at and text[at - 1].isalpha()) and not (word_end and end < size and text[end].isalpha()):
                yield at, end
            at = text.find(word, at + 1)


def longest_first(found: list[Found]) -> list[Found]:
    """Drop overlapping finds, keeping the longer (then the earlier) of each pair."""
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[Found] = []
    for hit in found:
        if kept and hit[0] < kept[-1][1]:
            if hit[1] - hit[0] > kept[-1][1] - kept[-1][0]:
                kept[-1] = hit
            continue
        kept.append(hit)
    return kept
