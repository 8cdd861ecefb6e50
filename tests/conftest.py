"""Shared fixtures: one extraction pipeline per test session (building it is the slow part)."""

from __future__ import annotations

import pytest

from vigil.nlp.pipeline import Extractor


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    built = Extractor()
    built.nlp  # noqa: B018  (build once, here)
    return built
