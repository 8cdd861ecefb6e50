"""Registers ``vigil_learned_roles`` (the learned event-role tagger; code in ``vigil.nlp.learned``)."""

from vigil.nlp.learned.roles_component import LearnedRoles, make_learned_roles

__all__ = ["LearnedRoles", "make_learned_roles"]
