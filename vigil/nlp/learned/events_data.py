"""The labelled ACLED sentence set (``data/acled_sentences.jsonl``): load and validate it.

Each line is one sentence with its ACLED sub-event type (or ``NONE``), the article it
comes from and the split (``train`` or ``test``) fixed by article. See
``data/ANNOTATION.md`` for how the labels were made.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from vigil.errors import DataFileError
from vigil.model.taxonomy import is_sub_event_type

NONE_LABEL = "NONE"
SPLITS = ("train", "test")
DATA_FILE = "acled_sentences.jsonl"


@dataclass(frozen=True)
class LabelledSentence:
    id: str
    text: str
    label: str
    article: str
    split: str
    source: str
    published: str | None = None
    no_violence: str | None = None  # the topic of a no-violence text (disaster, crime, ...)


def default_path() -> Path:
    return Path(str(resources.files("vigil.nlp").joinpath("learned", "data", DATA_FILE)))


def load_sentences(path: Path | None = None) -> list[LabelledSentence]:
    """Every labelled sentence, validated: known label, known split, one split per article, no duplicates."""
    path = Path(path) if path is not None else default_path()
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read the labelled sentences ({exc})") from exc
    out: list[LabelledSentence] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            item = LabelledSentence(
                id=raw["id"], text=raw["text"], label=raw["label"], article=raw["article"], split=raw["split"],
                source=raw["source"], published=raw.get("published"), no_violence=raw.get("no_violence"),
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DataFileError(f"{path}:{n}: not a labelled sentence ({exc})") from exc
        if item.label != NONE_LABEL and not is_sub_event_type(item.label):
            raise DataFileError(f"{path}:{n}: {item.label!r} is not an ACLED sub-event type")
        if item.split not in SPLITS:
            raise DataFileError(f"{path}:{n}: split {item.split!r} is not one of {', '.join(SPLITS)}")
        out.append(item)
    check_splits(out, str(path))
    return out


def check_splits(items: list[LabelledSentence], where: str = "labelled set") -> None:
    """An article lies in one split only, and a sentence text occurs once."""
    split_of: dict[str, str] = {}
    seen: set[str] = set()
    for item in items:
        if split_of.setdefault(item.article, item.split) != item.split:
            raise DataFileError(f"{where}: article {item.article} is in both splits")
        key = " ".join(item.text.lower().split())
        if key in seen:
            raise DataFileError(f"{where}: sentence {item.id} occurs twice")
        seen.add(key)


def split(items: list[LabelledSentence], name: str) -> list[LabelledSentence]:
    return [item for item in items if item.split == name]
