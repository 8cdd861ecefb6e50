"""Load the pattern and lexicon data files shipped in ``vigil/nlp/patterns``."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from vigil.errors import DataFileError


@lru_cache(maxsize=None)
def load_patterns(name: str) -> dict:
    """Parse ``vigil/nlp/patterns/<name>.json`` once per process."""
    path = resources.files("vigil.nlp").joinpath("patterns", f"{name}.json")
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataFileError(f"pattern file {name}.json is missing or invalid: {exc}") from exc
