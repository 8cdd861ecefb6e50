"""Shared fixtures: one extraction pipeline per test session (building it is the slow part)."""

from __future__ import annotations

import os
import tempfile

import pytest

from vigil.nlp.pipeline import Extractor

# Gazetteer caches go to a throw-away folder, never the user's ~/.cache.
os.environ["VIGIL_CACHE_DIR"] = tempfile.mkdtemp(prefix="vigil-test-cache-")


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    built = Extractor()
    built.nlp  # noqa: B018  (build once, here)
    return built
