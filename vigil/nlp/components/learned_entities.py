"""Registers ``vigil_learned_entities`` (the learned entity tagger; code in ``vigil.nlp.learned``)."""

from vigil.nlp.learned.ner_component import LearnedEntities, make_learned_entities

__all__ = ["LearnedEntities", "make_learned_entities"]
