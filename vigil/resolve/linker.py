"""Pairwise linking: score two mentions and explain the verdict in plain words.

The score is the logistic model of ``config.LinkModel`` over the signals of
``features.Comparer``; a hard rule (``blocked_by``) sets it to zero. The
explanation lists every signal with its value, weight and contribution, and a
summary such as "same sub-event type (Suicide bomb); dates 1 day apart; ...;
evidence similarity 0.81 (all-MiniLM-L6-v2)".
"""

from __future__ import annotations

from vigil.resolve.config import LinkModel
from vigil.resolve.features import FEATURES, Comparer, PairEvidence
from vigil.resolve.records import EventMention, FeatureValue, LinkExplanation

#: Which phrase describes which signal (several signals share one phrase).
_PHRASE_OF = {
    "type_same": "type", "type_close": "type", "type_related": "type",
    "date_gap": "date", "date_unstated": "date", "date_coarse": "date",
    "place_agreement": "place", "place_conflict": "place", "place_unknown": "place",
    "perpetrator": "perpetrator", "target_shared": "target",
    "fatalities_both": "fatalities", "fatalities_distance": "fatalities",
    "similarity": "similarity", "same_document": "same_document",
}
_SUMMARY_ORDER = ("type", "date", "place", "perpetrator", "target", "fatalities", "similarity")


class Linker:
    """Scores pairs with one link model; ``mode == "text"`` uses evidence similarity alone, without hard rules."""

    def __init__(self, comparer: Comparer, model: LinkModel) -> None:
        self.comparer = comparer
        self.model = model

    @property
    def threshold(self) -> float:
        return self.model.threshold

    def score(self, a: EventMention, b: EventMention) -> tuple[float, str | None]:
        """The pair's link probability (rounded as its explanation shows it) and the hard rule that
        blocks it, without building the explanation: clustering scores many pairs and explains few."""
        evidence = self._evidence(a, b)
        probability = 0.0 if evidence.blocked_by else self.model.score(evidence.values)[0]
        return round(float(probability), 4), evidence.blocked_by

    def _evidence(self, a: EventMention, b: EventMention) -> PairEvidence:
        if self.model.mode != "text":
            return self.comparer.compare(a, b)
        evidence = PairEvidence()
        score = self.comparer.vectors.similarity(a, b)
        evidence.values["similarity"] = score
        evidence.phrases["similarity"] = f"evidence similarity {score:.2f} ({self.comparer.vectors.encoder.method})"
        return evidence

    def explain(self, a: EventMention, b: EventMention) -> LinkExplanation:
        """The verdict on a pair with every signal behind it."""
        evidence = self._evidence(a, b)
        probability, contributions = self.model.score(evidence.values)
        if evidence.blocked_by:
            probability = 0.0
        # Built without validation (model_construct): every value is computed here, and scoring all
        # candidate pairs of a store makes validation the largest cost of fusion.
        features = [
            FeatureValue.model_construct(
                name=name, value=round(float(evidence.values[name]), 4), weight=self.model.weights.get(name, 0.0),
                contribution=round(float(contributions.get(name, 0.0)), 4), text=evidence.phrases.get(_PHRASE_OF[name], ""),
            )
            for name in FEATURES if name in evidence.values
        ]
        return LinkExplanation.model_construct(
            a=a.id, b=b.id, method=self.comparer.vectors.encoder.method, probability=round(float(probability), 4),
            threshold=self.model.threshold, linked=bool(probability >= self.model.threshold),
            blocked_by=evidence.blocked_by, features=features, summary=_summary(evidence, probability, self.model.threshold),
        )


def _summary(evidence: PairEvidence, probability: float, threshold: float) -> str:
    phrases = "; ".join(evidence.phrases[key] for key in _SUMMARY_ORDER if key in evidence.phrases)
    if evidence.blocked_by:
        return f"not the same event: {evidence.blocked_by} ({phrases})"
    verdict = "same event" if probability >= threshold else "not the same event"
    return f"{verdict} (p={probability:.2f}, threshold {threshold:.2f}): {phrases}"
