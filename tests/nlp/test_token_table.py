"""``TokenColumns`` reads in bulk what reading each token would give."""

from __future__ import annotations

import spacy

from vigil.nlp.token_table import TokenColumns, token_lowers, token_offsets, token_rows, token_texts

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
        if len(doc) > 1:
            assert isinstance(capitalised, bytes)  # flags: one byte per token
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


def test_rows_survive_the_table_growing():
    """Tens of thousands of new words make the row table grow; every word keeps its row."""
    nlp = spacy.blank("en")
    first = nlp.make_doc("Kabul Herat Kandahar")
    before = token_rows(first)[0]
    words = [f"w{i}x{i * 7919 % 104729}" for i in range(40_000)]  # more words than half the first table (32,768)
    rows_of: dict[str, int] = {}
    for at in range(0, len(words), 1000):
        doc = nlp.make_doc(" ".join(words[at : at + 1000]))
        rows_of.update(zip((t.text for t in doc), token_rows(doc)[0]))
    assert len(set(rows_of.values())) == len(words)
    again = nlp.make_doc(" ".join(words[::997]) + " Kabul Herat Kandahar")
    rows = token_rows(again)[0]
    assert rows[:-3] == [rows_of[w] for w in words[::997]]
    assert rows[-3:] == before


def test_shared_columns_match_the_tokens():
    """The text, lower case and offsets every component shares are those of the tokens."""
    nlp = spacy.blank("en")
    for text in [*TEXTS, "KABUL: Taliban FIGHTERS seized Ghazni. Ümit said so."]:
        doc = nlp.make_doc(text)
        assert token_texts(doc) == tuple(t.text for t in doc)
        assert token_lowers(doc) == tuple(t.lower_ for t in doc)
        assert token_offsets(doc) == [t.idx for t in doc]
        assert token_texts(doc) is token_texts(doc)  # computed once per document
