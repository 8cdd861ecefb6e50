"""Encrypting what the instance must keep but never show: the tokens partners gave us.

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) under a key kept in a file apart
from the database (``Settings.secret_key_file``, made with mode 0600 on first use): a copy of
the database alone yields no partner token. Losing the key file means re-entering the tokens
(``vigil partners add`` again).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from vigil.errors import VigilError

ERR_KEY_FILE = "The secret key file {path} is not usable: {reason}"
ERR_DECRYPT = "A stored secret cannot be read with the key in {path} (was the key file replaced?); add the partner's token again."


class SecretError(VigilError):
    """The key file cannot be read or made, or a secret was encrypted under another key."""


class SecretBox:
    """Encrypts and decrypts short secrets with the instance's key."""

    def __init__(self, key_file: str | Path) -> None:
        self.path = Path(key_file).expanduser()
        self._fernet = Fernet(self._key())

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode("utf-8")).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError):
            raise SecretError(ERR_DECRYPT.format(path=self.path)) from None

    def _key(self) -> bytes:
        try:
            if self.path.exists():
                key = self.path.read_bytes().strip()
                Fernet(key)  # a malformed key is an error here, not at first use
                return key
            self.path.parent.mkdir(parents=True, exist_ok=True)
            key = Fernet.generate_key()
            descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(key + b"\n")
            return key
        except FileExistsError:  # made by another process just now
            return self.path.read_bytes().strip()
        except (OSError, ValueError) as error:
            raise SecretError(ERR_KEY_FILE.format(path=self.path, reason=error)) from error
