"""Text helpers shared by the regex-driven components: case folding, trigger windows, overlaps.

Python's regex engine is slow to try a long pattern at every character of a document,
so components first find cheap triggers (literal words found with ``str.find``, or a
short regex) and run their full patterns only in the windows around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from spacy.attrs import ORTH, SPACY
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
    cached = doc.user_data.get(_TEXT_KEY)
    size = len(doc)
    if cached is not None and cached[0] == size:  # a retokenised doc has another token count
        return cached[1]
    text = _join(doc)
    doc.user_data[_TEXT_KEY] = (size, text)
    doc.user_data.pop(_LOW_KEY, None)
    return text


def remember_text(doc: Doc, text: str) -> None:
    """Keep ``text``, the string ``doc`` was tokenised from, as its ``doc_text``.

    spaCy's tokenizer loses no character, so the input string is ``doc.text``; keeping
    it saves joining the tokens again (about 3% of extraction). The length is checked
    against the last token's offset, as ``_join`` does.
    """
    size = len(doc)
    if size:
        last = doc[-1]
        if len(text) != last.idx + len(last.text_with_ws):
            return
    elif text:
        return
    doc.user_data[_TEXT_KEY] = (size, text)
    doc.user_data.pop(_LOW_KEY, None)


def doc_lower(doc: Doc) -> str:
    """``lower_same_length(doc_text(doc))``, computed once per document and shared."""
    text = doc_text(doc)
    found = doc.user_data.get(_LOW_KEY)
    if found is None or found[0] is not text:
        found = doc.user_data[_LOW_KEY] = (text, lower_same_length(text))
    return found[1]


def phrases_present(doc: Doc, phrases: tuple[str, ...]) -> tuple[str, ...]:
    """Those of ``phrases`` that occur in the document's lower-cased text (cached per document).

    A sentence can only contain phrases its document contains, so a component testing
    many sentences for any of a long list of phrases tries only these: one scan of the
    document per phrase instead of one per sentence.
    """
    low = doc_lower(doc)
    cached = doc.user_data.get(_PRESENT_KEY)
    if cached is None or cached[0] is not low:
        cached = doc.user_data[_PRESENT_KEY] = (low, {})
    found = cached[1].get(phrases)
    if found is None:
        found = cached[1][phrases] = tuple(p for p in phrases if p in low)
    return found


_PRESENT_KEY = ("vigil", "phrases-present")


def _join(doc: Doc) -> str:
    """``doc.text`` from the token ids, without Token objects.

    Each (word, trailing space) pair is one key of a table of strings: the word's id,
    or that id XOR ``_SPACED`` when a space follows. The length is checked against the
    last token's offset, and ``doc.text`` is used should it ever disagree.
    """
    size = len(doc)
    if not size:
        return ""
    pieces = _PIECES
    ids = doc.to_array([ORTH, SPACY])
    keys = np.where(ids[:, 1] == 0, ids[:, 0], ids[:, 0] ^ _SPACED).tolist()
    parts = list(map(pieces.get, keys))
    if None in parts:  # words not seen before
        if len(pieces) > _MAX_WORDS:
            pieces.clear()
        strings = doc.vocab.strings
        at = parts.index(None)
        while at >= 0:
            orth, space = ids[at].tolist()
            word = parts[at] = strings[orth] + " " if space else strings[orth]
            pieces[keys[at]] = word
            try:
                at = parts.index(None, at + 1)
            except ValueError:
                at = -1
    text = "".join(parts)
    last = doc[-1]
    if len(text) != last.idx + len(last.text_with_ws):
        return doc.text
    return text


_LOW_KEY = ("vigil", "text-lower")
_PIECES: dict[int, str] = {}
_SPACED = np.uint64(0x9E3779B97F4A7C15)
_MAX_WORDS = 1_000_000


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
    for prefix, group in _by_prefix(words):
        at = text.find(prefix)
        while at >= 0:
            for word in group:
                if word is prefix or text.startswith(word, at):
                    end = at + len(word)
                    if not (word_start and at and text[at - 1].isalpha()) and not (
                        word_end and end < size and text[end].isalpha()
                    ):
                        yield at, end
            at = text.find(prefix, at + 1)


def _by_prefix(words: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """The words grouped by their first three characters, so that one ``str.find`` serves a group.

    Every occurrence of a word is an occurrence of its prefix, so scanning for the prefix
    and checking each word of its group there finds exactly the occurrences of the words.
    """
    groups = _PREFIX_GROUPS.get(words)
    if groups is None:
        table: dict[str, list[str]] = {}
        for word in dict.fromkeys(words):
            table.setdefault(word[:3], []).append(word)
        if len(table) * 3 <= len(words) * 2:  # worth it only when it saves a third of the scans
            # ``word is prefix`` marks a word that is its own prefix (no startswith needed).
            groups = [(prefix, tuple(prefix if w == prefix else w for w in group)) for prefix, group in table.items()]
        else:
            groups = [(word, (word,)) for word in words]
        if len(_PREFIX_GROUPS) < 256:
            _PREFIX_GROUPS[words] = groups
    return groups


_PREFIX_GROUPS: dict[tuple[str, ...], list[tuple[str, tuple[str, ...]]]] = {}


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
