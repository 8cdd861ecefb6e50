"""Pair scores and their explanations in plain words."""

from __future__ import annotations

from vigil.resolve.features import FEATURES

from .conftest import BAJAUR, KHAR, QUETTA, actor, mention

A_TEXT = "A suicide bomber blew himself up at a JUI-F convention in Bajaur on Sunday, killing 44 people."
B_TEXT = "The death toll from Sunday's suicide bombing at a JUI-F workers' convention in Khar, Bajaur, rose to 54."


def bajaur_pair():
    a = mention("report-a", A_TEXT, location=BAJAUR, perpetrators=[actor("Islamic State", "islamic-state")],
                killed=(44, 44), date="2023-07-30")
    b = mention("report-b", B_TEXT, location=KHAR, perpetrators=[actor("IS-K", "islamic-state-khorasan-province")],
                killed=(54, 54), date="2023-07-31", published="2023-08-01")
    return a, b


def test_the_explanation_names_every_signal_in_plain_words(fusion):
    a, b = bajaur_pair()
    explanation = fusion.linker.explain(a, b)
    assert explanation.linked
    assert [f.name for f in explanation.features] == list(FEATURES)
    summary = explanation.summary
    assert "same sub-event type (Suicide bomb)" in summary
    assert "dates 1 day apart" in summary
    assert "Khar" in summary and "Bajaur" in summary and "within" in summary
    assert "perpetrator Islamic State Khorasan Province is part of Islamic State" in summary
    assert "fatalities 44 vs 54 compatible" in summary
    assert "evidence similarity" in summary and fusion.vectors.encoder.method in summary
    assert explanation.method == fusion.vectors.encoder.method


def test_contributions_add_up_to_the_probability(fusion):
    import math

    a, b = bajaur_pair()
    explanation = fusion.linker.explain(a, b)
    logit = fusion.linker.model.bias + sum(f.contribution for f in explanation.features)
    assert abs(1 / (1 + math.exp(-logit)) - explanation.probability) < 1e-3
    for feature in explanation.features:
        assert abs(feature.weight * feature.value - feature.contribution) < 1e-3


def test_different_place_and_toll_count_against(fusion):
    a, b = bajaur_pair()
    other = mention("report-c", "A suicide bomber killed 3 people at a market in Quetta on Sunday.", location=QUETTA,
                    killed=(3, 3), date="2023-07-30")
    same = fusion.linker.explain(a, b)
    different = fusion.linker.explain(a, other)
    assert different.probability < same.probability
    assert not different.linked
    assert "different province" in different.summary
    assert "fatalities 44 vs 3 far apart" in different.summary


def test_the_text_only_mode_uses_similarity_alone():
    from vigil.resolve.engine import EventFusion
    from vigil.resolve.lexical import LexicalEncoder

    text_only = EventFusion(LexicalEncoder(), mode="text")
    a, b = bajaur_pair()
    explanation = text_only.linker.explain(a, b)
    assert [f.name for f in explanation.features] == ["similarity"]
    assert explanation.blocked_by is None
