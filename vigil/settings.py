"""Settings, built once at the edge (CLI, API, tests) and passed down.

Nothing reads the environment at import time: ``Settings.from_env()`` is called
by the CLI; tests construct ``Settings(...)`` directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from vigil.errors import VigilError

DEFAULT_HOME = Path.home() / ".vigil"
AUTH_MODES = ("single", "multi")
ERR_AUTH_MODE = "VIGIL_AUTH: {value!r} is not an authentication mode; use single (no login) or multi (logins and tokens)."
ERR_SESSION_HOURS = "VIGIL_SESSION_HOURS: {value!r} is not a positive number of hours."
ERR_LOGIN_LIMIT = "VIGIL_LOGIN_MAX_FAILURES: {value!r} is not a whole number of at least 1."


class SettingsError(VigilError, ValueError):
    """A setting with a value Vigil cannot use; the message names the variable."""


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
    #: "single" (the default: no login, one analyst on a laptop) or "multi" (every page and API route needs
    #: a login session or an API token; see vigil.api.auth).
    auth_mode: str = "single"
    #: How long a dashboard login session lasts, in hours.
    session_hours: float = 12.0
    #: Failed logins of one user name within 15 minutes after which its logins are refused for a while
    #: (four times as many from one client address; see vigil.share.login_guard).
    login_max_failures: int = 5
    #: The key that encrypts partners' TAXII tokens in the store (``vigil.share.secrets``); made on first use.
    secret_key_file: str = field(default_factory=lambda: str(DEFAULT_HOME / "secret.key"))

    def __post_init__(self) -> None:
        if self.auth_mode not in AUTH_MODES:
            raise SettingsError(ERR_AUTH_MODE.format(value=self.auth_mode))
        if not self.session_hours > 0:
            raise SettingsError(ERR_SESSION_HOURS.format(value=self.session_hours))
        if self.login_max_failures < 1:
            raise SettingsError(ERR_LOGIN_LIMIT.format(value=self.login_max_failures))
    #: The TLP 2.0 marking of an ingested document when none is given (``vigil ingest --tlp``).
    default_tlp: str = "TLP:CLEAR"

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
        if env.get("VIGIL_SECRET_KEY_FILE"):
            kwargs["secret_key_file"] = env["VIGIL_SECRET_KEY_FILE"]
        if env.get("VIGIL_AUTH"):
            kwargs["auth_mode"] = env["VIGIL_AUTH"].strip().lower()
        if env.get("VIGIL_SESSION_HOURS"):
            try:
                kwargs["session_hours"] = float(env["VIGIL_SESSION_HOURS"])
            except ValueError:
                raise SettingsError(ERR_SESSION_HOURS.format(value=env["VIGIL_SESSION_HOURS"])) from None
        if env.get("VIGIL_DEFAULT_TLP"):
            kwargs["default_tlp"] = env["VIGIL_DEFAULT_TLP"]
        if env.get("VIGIL_LOGIN_MAX_FAILURES"):
            try:
                kwargs["login_max_failures"] = int(env["VIGIL_LOGIN_MAX_FAILURES"])
            except ValueError:
                raise SettingsError(ERR_LOGIN_LIMIT.format(value=env["VIGIL_LOGIN_MAX_FAILURES"])) from None
        return cls(**kwargs)  # type: ignore[arg-type]
