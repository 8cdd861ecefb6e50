"""Registers ``vigil_events_learned`` (the learned ACLED sub-event typer; code in ``vigil.nlp.learned``)."""

from vigil.nlp.learned.events_component import LearnedEventTyper, make_learned_events

__all__ = ["LearnedEventTyper", "make_learned_events"]
