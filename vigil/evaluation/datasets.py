"""Locate and load the development sets used by ``vigil eval``.

The development data lives outside the package (``shared/data/dev`` next to the
repository); Vigil never needs it at run time. ``find_dev_dir()`` looks, in order:

1. ``$VIGIL_DEV_DATA`` (must be a directory);
2. ``../shared/data/dev`` relative to the repository root, then ``shared/data/dev``
   inside the repository root;
3. ``../shared/data/dev`` then ``shared/data/dev`` relative to the current directory.

The loaders turn each file into plain dataclasses with the text and the gold
annotations; the task modules (``muc4``, ``wikievents``) score against them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: Role keys of the GRIT-processed MUC-4 files, in the order of the report.
MUC4_ROLES: tuple[str, ...] = (
    "perp_individual_id",
    "perp_organization_id",
    "phys_tgt_id",
    "hum_tgt_name",
    "incident_instrument_id",
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def _candidates(cwd: Path | None = None) -> Iterator[Path]:
    env = os.environ.get("VIGIL_DEV_DATA")
    if env:
        yield Path(env).expanduser()
    for base in (REPO_ROOT, Path.cwd() if cwd is None else cwd):
        yield base.parent / "shared" / "data" / "dev"
        yield base / "shared" / "data" / "dev"


def find_dev_dir(cwd: Path | None = None) -> Path | None:
    """The development-data directory, or None when none of the candidates exists."""
    for path in _candidates(cwd):
        if path.is_dir():
            return path.resolve()
    return None


# --------------------------------------------------------------------------- MUC-4


@dataclass
class Muc4Doc:
    """One MUC-4 document: ALL-CAPS text and, per role, gold entities (lists of coreferent mentions)."""

    id: str
    text: str
    roles: dict[str, list[list[str]]]


def load_muc4(path: Path) -> list[Muc4Doc]:
    """Read a GRIT-format MUC-4 file (``{doc_id: {"doc": text, "roles": {...}}}``), in file order."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    docs = []
    for doc_id, value in raw.items():
        roles = {role: [list(entity) for entity in value.get("roles", {}).get(role, [])] for role in MUC4_ROLES}
        docs.append(Muc4Doc(id=doc_id, text=value["doc"], roles=roles))
    return docs


# ------------------------------------------------------------------------ WikiEvents


@dataclass
class WEMention:
    """A gold entity mention, with character offsets into the rebuilt text."""

    id: str
    start: int
    end: int
    text: str
    head: tuple[int, int]
    sentence: int
    entity_type: str


@dataclass
class WEArgument:
    role: str
    entity_id: str
    text: str


@dataclass
class WEEvent:
    id: str
    event_type: str
    trigger_start: int
    trigger_end: int
    trigger_text: str
    sentence: int
    arguments: list[WEArgument] = field(default_factory=list)


@dataclass
class WEDoc:
    """A WikiEvents document with its text rebuilt so that every offset is exact.

    ``sentences`` are ``(start, end)`` character spans of the rebuilt text.
    """

    id: str
    text: str
    sentences: list[tuple[int, int]]
    mentions: dict[str, WEMention]
    events: list[WEEvent]


#: Function words skipped when choosing a mention's head token (last content token
#: before a post-modifier such as "of ..." or ", ...").
_HEAD_STOP = {"of", ",", "(", "who", "which", "that", "from", "in", "at", "on", "with", "–", "—"}


def head_token(tokens: list[tuple[str, int, int]]) -> tuple[int, int]:
    """Character span of a phrase's head: the last token before the first post-modifier.

    "members of the FMLN" -> "members"; "a roadside IED" -> "IED". Punctuation-only
    tokens are never the head unless the phrase has nothing else.
    """
    cut = len(tokens)
    for i, (text, _, _) in enumerate(tokens):
        if i > 0 and text.lower() in _HEAD_STOP:
            cut = i
            break
    for text, start, end in reversed(tokens[:cut]):
        if any(ch.isalnum() for ch in text):
            return (start, end)
    return (tokens[-1][1], tokens[-1][2]) if tokens else (0, 0)


def rebuild_wikievents_text(sentences: list) -> tuple[str, list[list[tuple[str, int, int]]], list[tuple[int, int]]]:
    """Rebuild a document from WikiEvents sentences.

    The file's ``text`` field glues sentences together ("...in SyriaThe desert")
    although the token offsets assume a gap. We keep each sentence's internal
    spacing (tokens placed at their original offsets relative to the sentence
    start) and join sentences with a blank line, so the sentence splitter sees a
    paragraph break at every gold sentence boundary (headlines have no full stop).
    Returns the text, the tokens of each sentence with new offsets, and the
    sentence spans.
    """
    pieces: list[str] = []
    pos = 0
    sent_tokens: list[list[tuple[str, int, int]]] = []
    spans: list[tuple[int, int]] = []
    for tokens, _ in sentences:
        if pieces:
            pieces.append("\n\n")
            pos += 2
        origin = tokens[0][1] if tokens else 0
        buf: list[str] = []
        cursor = 0
        placed = []
        for text, start, _end in tokens:
            rel = max(start - origin, cursor)
            if rel > cursor:
                buf.append(" " * (rel - cursor))
            buf.append(text)
            placed.append((text, pos + rel, pos + rel + len(text)))
            cursor = rel + len(text)
        sentence = "".join(buf)
        pieces.append(sentence)
        spans.append((pos, pos + len(sentence)))
        sent_tokens.append(placed)
        pos += len(sentence)
    return "".join(pieces), sent_tokens, spans


def _parse_wikievents(record: dict) -> WEDoc:
    text, sent_tokens, spans = rebuild_wikievents_text(record["sentences"])
    tokens = [tok for sent in sent_tokens for tok in sent]  # global token index -> (text, start, end)
    token_sentence = [i for i, sent in enumerate(sent_tokens) for _ in sent]
    mentions: dict[str, WEMention] = {}
    for m in record.get("entity_mentions", []):
        toks = tokens[m["start"] : m["end"]]
        if not toks:
            continue
        mentions[m["id"]] = WEMention(
            id=m["id"],
            start=toks[0][1],
            end=toks[-1][2],
            text=text[toks[0][1] : toks[-1][2]],
            head=head_token(toks),
            sentence=token_sentence[m["start"]],
            entity_type=m.get("entity_type", ""),
        )
    events = []
    for e in record.get("event_mentions", []):
        trig = e["trigger"]
        toks = tokens[trig["start"] : trig["end"]]
        if not toks:
            continue
        events.append(
            WEEvent(
                id=e["id"],
                event_type=e["event_type"],
                trigger_start=toks[0][1],
                trigger_end=toks[-1][2],
                trigger_text=text[toks[0][1] : toks[-1][2]],
                sentence=token_sentence[trig["start"]],
                arguments=[WEArgument(a["role"], a["entity_id"], a.get("text", "")) for a in e.get("arguments", [])],
            )
        )
    return WEDoc(id=record["doc_id"], text=text, sentences=spans, mentions=mentions, events=events)


def load_wikievents(path: Path) -> list[WEDoc]:
    """Read a WikiEvents JSONL file into documents with rebuilt text and exact offsets."""
    docs = []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                docs.append(_parse_wikievents(json.loads(line)))
    return docs
