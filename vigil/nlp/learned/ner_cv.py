"""Cross-validation on re3d train: how the CRF settings and the decision layer's ``rule_types`` were chosen.

Each fold trains the CRF on the other folds (the rule features come from the rule
components, as in ``vigil train ner``) and scores the whole pipeline on its own
sentences exactly as ``vigil eval`` does; counts are pooled over the folds. Dev is
never read. Run ``python -m vigil.nlp.learned.ner_cv`` (with the ml extra) to print
the comparison behind ``ner_crf.C1`` and ``ner_decide.CV_RULE_TYPES``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from vigil.evaluation.scoring import Score, macro_f1, micro

#: what one variant changes: CRF penalties and/or the decision layer's rule types ("rules": rules only)
Variant = Mapping[str, object]


def cross_validate(train_file: Path, variants: Mapping[str, Variant], folds: int = 6, limit: int | None = None) -> dict[str, list[Score]]:
    """Pooled exact-match scores per type of each variant over ``folds`` contiguous folds of ``train_file``."""
    from vigil.evaluation.re3d import re3d_extractor, read_conll, score_sentences
    from vigil.nlp.learned.ner_crf import C1, C2, train_crf
    from vigil.nlp.learned.ner_data import examples_from_conll, rule_pipeline

    sentences = read_conll(Path(train_file))[:limit]
    examples = examples_from_conll(Path(train_file), rule_pipeline())[:limit]
    pooled: dict[str, dict[str, Score]] = {name: {} for name in variants}
    n = len(sentences)
    for k in range(folds):
        a, b = n * k // folds, n * (k + 1) // folds
        work = Path(tempfile.mkdtemp(prefix="vigil-ner-cv-"))
        trained: dict[tuple[float, float], Path] = {}
        for name, variant in variants.items():
            if variant.get("rules_only"):
                extractor = re3d_extractor()
            else:
                penalties = (float(variant.get("c1", C1)), float(variant.get("c2", C2)))
                if penalties not in trained:
                    folder = work / f"crf-{len(trained)}"
                    train_crf(examples[:a] + examples[b:], folder / "crf.crfsuite", c1=penalties[0], c2=penalties[1])
                    trained[penalties] = folder
                learned = {"tagger": "crf", "model_dir": str(trained[penalties]), "rule_types": variant.get("rule_types")}
                extractor = re3d_extractor(learned=learned)
            for score in score_sentences(sentences[a:b], extractor):
                cell = pooled[name].setdefault(score.type, Score(score.task, score.type))
                cell.add(score.tp, score.fp, score.fn)
    return {name: list(cells.values()) for name, cells in pooled.items()}


def summary(results: Mapping[str, Sequence[Score]]) -> list[str]:
    """One line per variant: micro- and macro-F1 (types with support), then F1 per type."""
    lines = []
    for name, scores in results.items():
        per_type = " ".join(f"{s.type}:{s.f1:.3f}" for s in sorted(scores, key=lambda s: -s.support) if s.support)
        lines.append(f"{name}: micro-F1 {micro('re3d', scores).f1:.3f} macro-F1 {macro_f1(scores):.3f}  {per_type}")
    return lines


def main() -> None:
    from vigil.evaluation.datasets import find_dev_dir
    from vigil.nlp.learned.ner_bio import NER_TYPES
    from vigil.nlp.learned.ner_decide import CV_RULE_TYPES
    from vigil.nlp.learned.training import TRAIN_FILE

    folder = find_dev_dir()
    if folder is None:
        raise SystemExit("development data not found; set VIGIL_DEV_DATA")
    variants: dict[str, Variant] = {
        "rules only": {"rules_only": True},
        "tagger decides every type": {"rule_types": []},
        "rules decide every type": {"rule_types": list(NER_TYPES)},
        "rules decide CV_RULE_TYPES": {"rule_types": list(CV_RULE_TYPES)},
        **{f"c1={c1} c2={c2}": {"c1": c1, "c2": c2, "rule_types": []} for c1, c2 in ((0.05, 0.05), (0.2, 0.05), (0.1, 0.1))},
    }
    for line in summary(cross_validate(Path(folder) / TRAIN_FILE, variants)):
        print(line)


if __name__ == "__main__":
    main()
