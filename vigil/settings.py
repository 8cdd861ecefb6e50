"""Settings, built once at the edge (CLI, API, tests) and passed down.

Nothing reads the environment at import time: ``Settings.from_env()`` is called
by the CLI; tests construct ``Settings(...)`` directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOME = Path.home() / ".vigil"


@dataclass(frozen=True)
class Settings:
    """Where the store lives and the limits that protect it."""

    database_url: str = field(default_factory=lambda: f"sqlite:///{DEFAULT_HOME / 'vigil.sqlite'}")
    max_document_bytes: int = 20 * 1024 * 1024
    url_timeout_s: float = 20.0
    user_agent: str = "Vigil/0.1 (+https://github.com/vigil-osint/vigil)"
    #: How event fusion compares evidence sentences: "lexical" (the default: as accurate as embeddings once
    #: metadata is used, see benchmarks/README.md), "embedding" (the ml extra) or "auto" (embeddings when installed).
    fusion_similarity: str = "lexical"
    #: A sentence-transformers model folder or name for "embedding" (default: the bundled all-MiniLM-L6-v2).
    embedding_model: str | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Settings":
        """Settings from ``VIGIL_*`` variables, defaults otherwise."""
        env = os.environ if environ is None else environ
        kwargs: dict[str, object] = {}
        if env.get("VIGIL_DATABASE_URL"):
            kwargs["database_url"] = env["VIGIL_DATABASE_URL"]
        if env.get("VIGIL_MAX_DOCUMENT_BYTES"):
            kwargs["max_document_bytes"] = int(env["VIGIL_MAX_DOCUMENT_BYTES"])
        if env.get("VIGIL_URL_TIMEOUT"):
            kwargs["url_timeout_s"] = float(env["VIGIL_URL_TIMEOUT"])
        if env.get("VIGIL_FUSION_SIMILARITY"):
            kwargs["fusion_similarity"] = env["VIGIL_FUSION_SIMILARITY"]
        if env.get("VIGIL_EMBEDDING_MODEL"):
            kwargs["embedding_model"] = env["VIGIL_EMBEDDING_MODEL"]
        return cls(**kwargs)  # type: ignore[arg-type]
