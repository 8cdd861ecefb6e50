"""Event fusion: reports of the same real-world event become one event with all its sources.

Stage ``resolve`` of the one-way flow (ingest -> nlp -> resolve -> store ->
analysis). Pure functions and in-memory state over ``EventMention`` records;
the store keeps the state in a later phase. Start with ``EventFusion``; the
parts are: ``candidates`` (blocking), ``features`` (pair signals and hard
rules), ``similarity``/``embeddings``/``lexical`` (evidence similarity),
``linker`` (scores and explanations), ``clusters`` and ``decisions``
(incremental clustering under analyst decisions), ``fusion`` and
``casualties`` (the fused fields).
"""

from vigil.resolve.engine import EventFusion, mentions_of
from vigil.resolve.records import Decision, EventMention, FusedEvent, LinkExplanation

__all__ = ["Decision", "EventFusion", "EventMention", "FusedEvent", "LinkExplanation", "mentions_of"]
