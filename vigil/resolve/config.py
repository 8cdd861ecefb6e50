"""Fusion settings and the link model, read from ``data/`` once and validated.

``fusion.json`` holds the windows and the casualty outlier factor;
``linker.json`` the weights of the pairwise model, one per similarity kind
("embedding", "lexical") and mode ("full": every signal, "text": evidence
similarity alone). Both are data so that a change of rule is a reviewable diff.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from vigil.errors import DataFileError
from vigil.resolve.features import FEATURES, Windows

Mode = Literal["full", "text"]


@dataclass(frozen=True)
class LinkModel:
    """A logistic model over the pair signals, with its decision thresholds.

    ``threshold`` decides a single pair; ``cluster_threshold`` is the average link
    probability two groups need to be merged into one event (it defaults to
    ``threshold``; fitted separately because a group's average is not a pair's score).
    """

    kind: str
    mode: Mode
    bias: float
    weights: dict[str, float]
    threshold: float
    cluster_threshold: float | None = None

    @property
    def merge_threshold(self) -> float:
        return self.threshold if self.cluster_threshold is None else self.cluster_threshold

    def score(self, values: dict[str, float]) -> tuple[float, dict[str, float]]:
        """The probability of a link and each signal's contribution to its log-odds."""
        contributions = {name: weight * values.get(name, 0.0) for name, weight in self.weights.items()}
        logit = self.bias + sum(contributions.values())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit)))), contributions


@dataclass(frozen=True)
class FusionConfig:
    """What fusion needs besides the gazetteer: windows, outlier factor, link models."""

    windows: Windows
    outlier_factor: float
    models: dict[tuple[str, str], LinkModel]

    def model(self, kind: str, mode: Mode = "full") -> LinkModel:
        try:
            return self.models[(kind, mode)]
        except KeyError:
            raise DataFileError(f"linker.json: no {mode!r} model for similarity kind {kind!r}") from None


def parse_models(raw: dict, where: str = "linker.json") -> dict[tuple[str, str], LinkModel]:
    """Validate the link models: known signal names, numeric weights, a threshold in (0, 1)."""
    models = {}
    for kind, modes in raw["models"].items():
        for mode, spec in modes.items():
            unknown = sorted(set(spec["weights"]) - set(FEATURES))
            if unknown:
                raise DataFileError(f"{where}: {kind}/{mode}: unknown signals {', '.join(unknown)}")
            for key in ("threshold", "cluster_threshold"):
                if key in spec and not 0.0 < float(spec[key]) < 1.0:
                    raise DataFileError(f"{where}: {kind}/{mode}: {key} must be between 0 and 1, not {spec[key]}")
            weights = {name: float(spec["weights"][name]) for name in FEATURES if name in spec["weights"]}
            cluster = float(spec["cluster_threshold"]) if "cluster_threshold" in spec else None
            models[(kind, mode)] = LinkModel(kind, mode, float(spec["bias"]), weights, float(spec["threshold"]), cluster)
    return models


def _read(name: str) -> dict:
    try:
        return json.loads(resources.files("vigil.resolve").joinpath("data", name).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(f"vigil/resolve/data/{name}: {exc}") from exc


@lru_cache(maxsize=1)
def load_fusion_config() -> FusionConfig:
    """The shipped configuration, read once per process."""
    fusion = _read("fusion.json")
    windows = Windows(max_day_gap=int(fusion["max_day_gap"]), undated_days=int(fusion["undated_days"]))
    models = parse_models(_read("linker.json"))
    return FusionConfig(windows=windows, outlier_factor=float(fusion["outlier_factor"]), models=models)
