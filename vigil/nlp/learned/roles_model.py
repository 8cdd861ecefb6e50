"""The shipped event-role tagger: a CRF file plus the decoding settings chosen with it.

``models/roles/`` holds ``roles.crfsuite`` (the CRF) and ``settings.json`` (format,
roles, projection, decoding thresholds). ``RoleModel.predict`` turns a ``RoleDocument``
into document-level entities per role. Needs python-crfsuite (the ``ml`` extra).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from vigil.errors import DataFileError
from vigil.nlp.learned.roles_data import ROLES, RoleDocument
from vigil.nlp.learned.roles_decode import DecodeSettings, Entity, decode, marginal_labels, marginal_spans

FORMAT = "vigil-roles-crf-v1"
MODEL_DIR = Path(__file__).resolve().parent / "models" / "roles"
CRF_FILE = "roles.crfsuite"
SETTINGS_FILE = "settings.json"


@dataclass
class RoleSettings:
    """How the model was trained and how its output is decoded (saved next to the CRF)."""

    occurrences: str = "all"
    c1: float = 0.05
    c2: float = 0.05
    iterations: int = 100
    floor: float = 0.05
    keep: float = 0.5
    decode: DecodeSettings = field(default_factory=DecodeSettings)
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "format": FORMAT, "roles": list(ROLES), "occurrences": self.occurrences, "c1": self.c1, "c2": self.c2,
            "iterations": self.iterations, "floor": self.floor, "keep": self.keep, "decode": self.decode.to_dict(),
            "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "RoleSettings":
        if data.get("format") != FORMAT:
            raise DataFileError(f"role model settings: format {data.get('format')!r}, expected {FORMAT!r}")
        return cls(data["occurrences"], data["c1"], data["c2"], data["iterations"], data["floor"], data["keep"],
                   DecodeSettings.from_dict(data["decode"]), data.get("meta", {}))


def model_unavailable(model_dir: Path | None = None) -> str | None:
    """Why the role tagger cannot run here (None when it can)."""
    folder = Path(model_dir) if model_dir else MODEL_DIR
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        return "python-crfsuite is not installed (pip install 'vigil[ml]')"
    if not (folder / CRF_FILE).is_file() or not (folder / SETTINGS_FILE).is_file():
        return f"no role model in {folder} (run: vigil train roles)"
    return None


class RoleModel:
    """CRF + settings: document in, entities per role out."""

    def __init__(self, crf_path: Path, settings: RoleSettings) -> None:
        from vigil.nlp.learned.roles_crf import RoleCrf

        self.crf = RoleCrf(crf_path)
        self.settings = settings
        self.labels = marginal_labels(ROLES)

    @classmethod
    def load(cls, model_dir: Path | None = None) -> "RoleModel":
        folder = Path(model_dir) if model_dir else MODEL_DIR
        reason = model_unavailable(folder)
        if reason:
            raise DataFileError(reason)
        settings = RoleSettings.from_dict(json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8")))
        return cls(folder / CRF_FILE, settings)

    def spans(self, document: RoleDocument):
        """All candidate role spans of a document, with their scores (before thresholds)."""
        marginals = self.crf.marginals(document.sentences, self.labels)
        return marginal_spans(document.text, document.offsets, document.sentences, marginals, ROLES,
                              floor=self.settings.floor, keep=self.settings.keep)

    def predict(self, document: RoleDocument) -> dict[str, list[Entity]]:
        """Entities per role label (``ROLES``), most confident first."""
        return decode(self.spans(document), self.settings.decode, document.text)


def write_settings(model_dir: Path, settings: RoleSettings) -> Path:
    path = Path(model_dir) / SETTINGS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings.to_dict(), indent=2) + "\n", encoding="utf-8")
    return path
