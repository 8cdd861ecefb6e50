"""``ner_cv``: cross-validation on re3d train, the way the CRF penalties and rule types were chosen."""

from __future__ import annotations

import pytest

from vigil.evaluation.datasets import find_dev_dir

pytest.importorskip("pycrfsuite")

DEV = find_dev_dir()
needs_data = pytest.mark.skipif(DEV is None or not (DEV / "re3d-train.conll").is_file(), reason="re3d train not found")


@needs_data
def test_folds_pool_every_sentence_once_and_variants_differ_only_where_they_should():
    from vigil.nlp.learned.ner_cv import cross_validate, summary

    results = cross_validate(DEV / "re3d-train.conll", {"rules": {"rules_only": True}, "tagger": {"rule_types": []},
                                                         "rules money": {"rule_types": ["Money"]}}, folds=2, limit=60)
    support = {name: sum(s.support for s in scores) for name, scores in results.items()}
    assert len(set(support.values())) == 1 and support["rules"] > 0  # same gold, every sentence scored once
    by_type = {name: {s.type: (s.tp, s.fp) for s in scores} for name, scores in results.items()}
    # letting the rules decide Money changes nothing for the types the tagger still decides
    assert by_type["tagger"].get("Organisation") == by_type["rules money"].get("Organisation")
    assert all(line.count("micro-F1") == 1 for line in summary(results))
