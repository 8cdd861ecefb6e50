"""BIO tags for the learned entity tagger: the label set, constrained decoding, spans.

A tagger scores every (token, tag) pair; ``viterbi`` then picks the best tag sequence
among those that are valid BIO (an ``I-X`` follows only ``B-X`` or ``I-X``), so the
spans read back with ``spans_from_tags`` never depend on how a stray ``I-`` is read.
Pure Python and numpy: the CRF and the encoder share it, and it needs no torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import get_args

import numpy as np

from vigil.model.records import EntityType

#: the re3d types the tagger learns: Vigil's entity types but Vehicle (a Vigil type that re3d lacks)
NER_TYPES: tuple[str, ...] = tuple(t for t in get_args(EntityType) if t != "Vehicle")


def tag_set(types: Sequence[str] = NER_TYPES) -> list[str]:
    """``O`` then ``B-X``, ``I-X`` for each type, in that order (the classifier's outputs)."""
    return ["O", *(f"{prefix}-{kind}" for kind in types for prefix in ("B", "I"))]


def allowed_transitions(tags: Sequence[str]) -> np.ndarray:
    """``allowed[i, j]``: tag j may follow tag i. Row ``len(tags)`` is the sentence start."""
    n = len(tags)
    allowed = np.ones((n + 1, n), dtype=bool)
    for j, tag in enumerate(tags):
        if not tag.startswith("I-"):
            continue
        kind = tag[2:]
        for i, previous in enumerate(tags):
            allowed[i, j] = previous in (f"B-{kind}", f"I-{kind}")
        allowed[n, j] = False
    return allowed


def viterbi(scores: np.ndarray, allowed: np.ndarray, transitions: np.ndarray | None = None) -> list[int]:
    """The best valid tag sequence for per-token ``scores`` (tokens x tags, log-probabilities).

    ``transitions`` (tags x tags) adds learned transition scores where a model has them.
    """
    length, n = scores.shape
    if length == 0:
        return []
    forbidden = np.where(allowed, 0.0, -np.inf)
    step = forbidden[:n] + (transitions if transitions is not None else 0.0)
    best = forbidden[n] + scores[0]
    back = np.zeros((length, n), dtype=np.int64)
    for t in range(1, length):
        total = best[:, None] + step
        back[t] = total.argmax(axis=0)
        best = total[back[t], np.arange(n)] + scores[t]
    path = [int(best.argmax())]
    for t in range(length - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    path.reverse()
    return path


def repair(tags: Sequence[str]) -> list[str]:
    """Make a tag sequence valid BIO: a stray ``I-X`` opens a mention (``B-X``), as conlleval reads it."""
    fixed: list[str] = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        fixed.append(tag)
        previous = tag
    return fixed


def is_valid(tags: Sequence[str]) -> bool:
    """Whether every ``I-X`` continues a mention of type X."""
    return list(tags) == repair(tags)


def spans_from_tags(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end exclusive, type) of each mention of a valid BIO sequence, in order."""
    spans: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if kind and not tag == f"I-{kind}":
            spans.append((start, i, kind))
            kind = ""
        if tag.startswith("B-") or (tag.startswith("I-") and not kind):
            start, kind = i, tag[2:]
    return spans


def tags_from_spans(spans: Sequence[tuple[int, int, str]], length: int) -> list[str]:
    """BIO tags for ``length`` tokens from non-overlapping (start, end, type) spans."""
    tags = ["O"] * length
    for start, end, kind in spans:
        tags[start] = f"B-{kind}"
        for i in range(start + 1, end):
            tags[i] = f"I-{kind}"
    return tags
