"""Event fusion: reports of the same real-world event become one event with all its sources.

Stage ``resolve`` of the one-way flow (ingest -> nlp -> resolve -> store ->
analysis). Pure functions and in-memory state over ``EventMention`` records;
``vigil.store.fusion`` keeps the state in the store and runs it on ingest
(``Clusterer.restore``/``score``/``recluster`` let it load only the
neighbourhood of new reports). Start with ``EventFusion``; the
parts are: ``candidates`` (blocking), ``features`` (pair signals and hard
rules), ``similarity``/``embeddings``/``lexical`` (evidence similarity),
``linker`` (scores and explanations), ``clusters``, ``merging`` and ``decisions``
(incremental clustering under analyst decisions), ``fusion`` and
``casualties`` (the fused fields).
"""

from vigil.resolve.engine import EventFusion, mentions_of
from vigil.resolve.records import Decision, EventMention, FusedEvent, LinkExplanation

__all__ = ["Decision", "EventFusion", "EventMention", "FusedEvent", "LinkExplanation", "mentions_of"]
