"""One spaCy component per module; importing a module registers its factory.

``vigil.nlp.pipeline.build_pipeline`` imports ``vigil.nlp.components.NAME`` for a
component named ``vigil_NAME``.
"""
