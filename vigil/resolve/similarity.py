"""Evidence similarity: which encoder measures it, and a cache of vectors per mention.

``choose_encoder("auto")`` picks sentence embeddings when the ``ml`` extra is
installed (or a model is configured) and the lexical fallback otherwise; every
link explanation names the one used (``encoder.method``). Vigil's default
(``Settings.fusion_similarity``) is "lexical": with metadata it links as well as
the embeddings at a fraction of the cost (``benchmarks/README.md``). Vectors are
cached per mention id, so adding a report encodes only that report's evidence;
the store keeps sentence embeddings (``fusion_vectors``) so a later run reads
them back instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal, Protocol

from vigil.resolve.embeddings import SentenceEncoder, bundled_model_path, ml_installed
from vigil.resolve.lexical import LexicalEncoder
from vigil.resolve.records import EventMention

EncoderChoice = Literal["auto", "embedding", "lexical"]
_SPACES = re.compile(r"\s+")


class TextEncoder(Protocol):
    """Turns evidence texts into vectors and compares two of them (1 = same meaning)."""

    method: str
    kind: str  #: "embedding" or "lexical": which fitted weights apply

    def encode(self, texts: list[str]) -> list: ...

    def similarity(self, u, v) -> float: ...


def choose_encoder(choice: EncoderChoice = "auto", model: str | None = None) -> TextEncoder:
    """Sentence embeddings when available (or asked for), else the lexical fallback.

    ``model`` is a sentence-transformers model path or name (``VIGIL_EMBEDDING_MODEL``,
    read by the caller); without it the bundled all-MiniLM-L6-v2 is used.
    """
    if choice == "lexical":
        return LexicalEncoder()
    if choice == "embedding" or (ml_installed() and (model is not None or bundled_model_path() is not None)):
        return SentenceEncoder(model)
    return LexicalEncoder()


def evidence_text(mention: EventMention) -> str:
    """The words compared between reports: the event's evidence sentence(s), whitespace folded."""
    return _SPACES.sub(" ", mention.event.sentence).strip()


class VectorCache:
    """Evidence vectors per mention id, computed in batches and only once."""

    def __init__(self, encoder: TextEncoder) -> None:
        self.encoder = encoder
        self._vectors: dict[str, object] = {}

    def __contains__(self, mention_id: str) -> bool:
        return mention_id in self._vectors

    def ensure(self, mentions: Iterable[EventMention]) -> None:
        """Encode the mentions not yet cached, in one batch."""
        missing = {m.id: m for m in mentions if m.id not in self._vectors}
        if missing:
            vectors = self.encoder.encode([evidence_text(m) for m in missing.values()])
            self._vectors.update(zip(missing, vectors))

    def put(self, mention_id: str, vector: object) -> None:
        """Store a vector computed elsewhere (e.g. read back from the store)."""
        self._vectors[mention_id] = vector

    def get(self, mention: EventMention) -> object:
        if mention.id not in self._vectors:
            self.ensure([mention])
        return self._vectors[mention.id]

    def similarity(self, a: EventMention, b: EventMention) -> float:
        return self.encoder.similarity(self.get(a), self.get(b))
