"""The shipped fusion data files are valid, and bad ones are refused with the reason."""

from __future__ import annotations

import pytest

from vigil.errors import DataFileError
from vigil.model.taxonomy import event_types
from vigil.resolve.config import load_fusion_config, parse_models
from vigil.resolve.event_types import load_type_rules, parse_type_rules
from vigil.resolve.features import FEATURES


def test_shipped_models_cover_both_kinds_and_modes():
    config = load_fusion_config()
    for kind in ("embedding", "lexical"):
        full = config.model(kind, "full")
        assert set(full.weights) <= set(FEATURES) and 0 < full.threshold < 1
        assert set(config.model(kind, "text").weights) == {"similarity"}
    assert config.windows.max_day_gap > 0 and config.outlier_factor > 1


def test_every_acled_sub_event_type_has_a_family_and_a_severity():
    rules = load_type_rules()
    for subs in event_types().values():
        for sub in subs:
            assert any(sub in members for members in rules.families.values()), sub
            assert sub in rules.severity, sub


def test_unknown_type_names_are_refused():
    with pytest.raises(DataFileError, match="Suicide bombing"):
        parse_type_rules({"families": {"x": ["Suicide bombing"]}, "close": [], "severity": []})


def test_unknown_signals_and_bad_thresholds_are_refused():
    with pytest.raises(DataFileError, match="weather"):
        parse_models({"models": {"lexical": {"full": {"bias": 0, "threshold": 0.5, "weights": {"weather": 1}}}}})
    with pytest.raises(DataFileError, match="threshold"):
        parse_models({"models": {"lexical": {"full": {"bias": 0, "threshold": 1.5, "weights": {}}}}})
