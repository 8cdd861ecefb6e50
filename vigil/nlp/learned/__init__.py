"""Learned extraction components and how to train them (``vigil train``).

Entities: ``ner_*`` (a CRF and an encoder tagger over the rule components' mentions,
the ``vigil_learned_entities`` component, ``training.train_ner``). Event types:
``events_*`` (the ACLED sub-event classifier, ``vigil_events_learned``). Event roles:
``roles_*`` (the MUC-4 role tagger, ``vigil_learned_roles``, mode "roles"). Nothing here
is imported by the rules-only (``--fast``) pipeline; torch is imported only by the
encoder modules, when their model is loaded.
"""
