"""``TokenColumns`` reads in bulk what reading each token would give."""

from __future__ import annotations

import spacy

from vigil.nlp.token_table import TokenColumns, token_rows

TEXTS = ["", "x", "Kabul police said 12 people died.", "New words: Zzyzx, Qwertyuiop and Kabul again Kabul"]


def _features(lexeme) -> tuple:
    text = lexeme.orth_
    return (text, text[:1].isupper(), len(text) > 4)


def test_columns_and_where_match_the_tokens():
    nlp = spacy.blank("en")
    table = TokenColumns(nlp.vocab, _features)
    for text in TEXTS:
        doc = nlp.make_doc(text)
        words, capitalised, long_words = table.columns(doc)
        assert list(words) == [t.text for t in doc]
        assert list(capitalised) == [t.text[:1].isupper() for t in doc]
        assert list(long_words) == [len(t.text) > 4 for t in doc]
        assert table.where(doc, 1) == [t.i for t in doc if t.text[:1].isupper()]
        assert table.where(doc, 2) == [t.i for t in doc if len(t.text) > 4]


def test_skipped_columns_are_none_and_the_others_unchanged():
    nlp = spacy.blank("en")
    table = TokenColumns(nlp.vocab, _features)
    for text in TEXTS:
        doc = nlp.make_doc(text)
        full = table.columns(doc)
        partial = table.columns(doc, skip=frozenset({1}))
        assert partial[1] is None
        assert list(partial[0]) == list(full[0]) and list(partial[2]) == list(full[2])


def test_a_word_keeps_its_row():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Kabul and Kabul, never seen before: Xylophonic Kabul")
    rows, row_array = token_rows(doc)
    assert rows == row_array.tolist() and len(rows) == len(doc)
    kabul = {rows[t.i] for t in doc if t.text == "Kabul"}
    assert len(kabul) == 1
    assert len({rows[t.i] for t in doc}) == len({t.text for t in doc})
