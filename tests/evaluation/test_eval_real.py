"""The real extractor on a few development documents (slow; skipped until the pipeline builds)."""

from __future__ import annotations

import pytest

from vigil.evaluation.datasets import find_dev_dir
from vigil.evaluation.report import run_eval

pytestmark = pytest.mark.slow
DEV = find_dev_dir()


@pytest.fixture(scope="module")
def extractor():
    from vigil.nlp.pipeline import Extractor

    ex = Extractor()
    try:
        ex.nlp
    except (ModuleNotFoundError, ValueError) as exc:  # components not all there yet
        pytest.skip(f"extraction pipeline does not build: {exc}")
    return ex


@pytest.mark.skipif(DEV is None, reason="development data (shared/data/dev or $VIGIL_DEV_DATA) not available")
def test_muc4_and_wikievents_run_end_to_end(extractor):
    report = run_eval(["muc4", "wikievents"], DEV, extractor, limit=5)
    tasks = {r.task for r in report.rows}
    assert {"muc4", "wikievents-event", "wikievents-arg"} <= tasks
    for row in report.rows:
        assert 0.0 <= row.precision <= 1.0 and 0.0 <= row.recall <= 1.0
