"""Text normalisation applied once, before a Document is built.

The NLP stage records character offsets into ``Document.text``, so whatever
cleaning we do must happen here, never afterwards.
"""

from __future__ import annotations

import re
import unicodedata

# Control and format characters except tab/newline; zero-width characters and BOMs.
_DROP = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\ufffe]")
_HSPACE = re.compile(r"[^\S\n]+")  # any whitespace other than a newline
_SPACE_AROUND_NL = re.compile(r" *\n *")
_MANY_NL = re.compile(r"\n{3,}")


def normalise_newlines(text: str) -> str:
    """CRLF, CR and Unicode line/paragraph separators become ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")


def normalise_text(text: str) -> str:
    """Clean text for extraction while keeping its paragraph structure.

    NFC-composes characters, unifies newlines, drops control and zero-width
    characters, collapses runs of spaces/tabs to one space, trims each line and
    reduces runs of blank lines to a single blank line (a paragraph break).
    """
    text = unicodedata.normalize("NFC", normalise_newlines(text))
    text = _DROP.sub("", text)
    text = _HSPACE.sub(" ", text)
    text = _SPACE_AROUND_NL.sub("\n", text)
    text = _MANY_NL.sub("\n\n", text)
    return text.strip()
