"""Name normalisation and the common-English-word table shared by the gazetteers.

``normalise`` is the one key function: both gazetteers index names by it and the
components look text up with it, so "Tehrik-e-Taliban", "TEHRIK E TALIBAN" and
"Tehrīk-e Taliban" meet on the same key.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
COMMON_WORDS_FILE = "common_words.tsv.gz"

_DASHES = re.compile(r"[\-\u2010-\u2015\u2212_/]+")
_QUOTES = re.compile(r"[\u2018\u2019\u02bc\u02bb`´'\"\u201c\u201d]")
_PUNCT = re.compile(r"[^\w\s&]")
_SPACES = re.compile(r"\s+")
_ARTICLE = re.compile(r"^(?:al|el|ul|ad|an|ar|as|ash|at|az)\s(?=\w)")


def strip_accents(text: str) -> str:
    """Latin letters without diacritics ("Wazīristān" -> "Waziristan")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """The comparison key of a name: casefolded, accents, quotes and dashes removed.

    Hyphens and spaces are equivalent, apostrophes vanish ("Qa'ida" == "Qaida"),
    and full stops inside acronyms go ("U.N." == "UN").
    """
    key = strip_accents(text).casefold()
    key = _QUOTES.sub("", key)
    key = _DASHES.sub(" ", key)
    key = key.replace(".", "")
    key = _PUNCT.sub(" ", key)
    return _SPACES.sub(" ", key).strip()


def loose_key(text: str) -> str:
    """``normalise`` plus Arabic-article folding: "al Qaeda" == "Alqaeda" == "Qaeda".

    Used only as a fallback by ``lookup``, never for matching running text.
    """
    key = normalise(text)
    key = _ARTICLE.sub("", key)
    key = re.sub(r"\b(?:al|el)\s", "", key)
    return key.replace(" ", "")


@lru_cache(maxsize=1)
def common_words() -> dict[str, float]:
    """Lowercase English words mostly written in lowercase, with their log-probability.

    Shipped as ``data/common_words.tsv.gz`` (see the data README); used to keep
    ordinary words ("police", "is", "tip") from being read as names.
    """
    path = DATA_DIR / COMMON_WORDS_FILE
    words: dict[str, float] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            word, _, prob = line.rstrip("\n").partition("\t")
            words[word] = float(prob)
    return words


def word_prob(word: str) -> float | None:
    """Log-probability of ``word`` as a lowercase English word, None if not common."""
    return common_words().get(word.lower())


def build_common_words(lexeme_prob_json_gz: Path, out: Path, min_prob: float = -14.0) -> int:
    """Derive ``common_words.tsv.gz`` from spacy-lookups-data's ``en_lexeme_prob.json.gz``.

    A word is kept when its lowercase form is alphabetic, at least ``min_prob``
    likely, and more frequent than its capitalised form (so "police" is kept and
    "kabul" is not). Returns the number of words written.
    """
    with gzip.open(lexeme_prob_json_gz, "rt", encoding="utf-8") as handle:
        probs: dict[str, float] = json.load(handle)
    kept = sorted(
        (word, prob)
        for word, prob in probs.items()
        if word.isalpha() and word.isascii() and word.islower() and prob >= min_prob and prob > probs.get(word.title(), -99.0)
    )
    tmp = out.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=9) as handle:
        for word, prob in kept:
            handle.write(f"{word}\t{prob:.2f}\n")
    tmp.replace(out)
    return len(kept)


def slugify(text: str) -> str:
    """A stable lowercase ASCII id fragment ("Tehrik-e-Taliban Pakistan" -> "tehrik-e-taliban-pakistan")."""
    key = strip_accents(text).lower()
    key = _QUOTES.sub("", key)
    key = re.sub(r"[^a-z0-9]+", "-", key)
    return key.strip("-")
