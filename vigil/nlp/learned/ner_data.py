"""Training and scoring examples for the entity tagger: re3d sentences seen as the pipeline sees them.

Each re3d sentence is rebuilt as its tokens joined by spaces (as ``vigil eval`` does),
run through the rule components, and its gold IOB2 tags are carried over to spaCy's
tokens by character offsets (spaCy may split "U.S.-led" where re3d has one token; it
never joins two re3d tokens). The tagger thus learns on the same tokens and the same
rule features it meets at run time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from vigil.nlp.learned.ner_bio import NER_TYPES, repair, spans_from_tags, tags_from_spans
from vigil.nlp.learned.ner_features import token_features


@dataclass
class NerExample:
    """One sentence: its words, per-word rule features, and gold tags (None when unlabelled)."""

    words: list[str]
    features: list[list[str]]
    tags: list[str] | None = None


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """(tokens, IOB2 tags) per sentence of a tab-separated CoNLL file."""
    from vigil.evaluation.re3d import read_conll as read_sentences

    if not Path(path).is_file():
        raise FileNotFoundError(f"{path}: no such CoNLL file")
    return [(s.tokens, s.tags) for s in read_sentences(Path(path))]


def rule_pipeline():
    """The rule components up to ``vigil_entities``, with re3d's convention (pronouns are entities)."""
    from vigil.nlp.pipeline import COMPONENTS, build_pipeline

    names = COMPONENTS[: COMPONENTS.index("vigil_entities") + 1]
    return build_pipeline(names, config={"vigil_entities": {"pronouns": True}})


def gold_char_spans(tokens: Sequence[str], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Gold mentions as (start char, end char, type) in the space-joined text (types outside NER_TYPES dropped)."""
    starts, position = [], 0
    for token in tokens:
        starts.append(position)
        position += len(token) + 1
    spans = []
    for first, end, kind in spans_from_tags(repair(tags)):
        if kind in NER_TYPES:
            spans.append((starts[first], starts[end - 1] + len(tokens[end - 1]), kind))
    return spans


def project(doc: Doc, char_spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """Gold tags on the Doc's tokens; a mention whose edges fall inside a token is dropped."""
    token_spans = []
    for start, end, kind in char_spans:
        span = doc.char_span(start, end)
        if span is not None:
            token_spans.append((span.start, span.end, kind))
    return tags_from_spans(token_spans, len(doc))


def examples_from_conll(path: Path, nlp=None) -> list[NerExample]:
    """Labelled examples of every sentence of a re3d CoNLL file, with the rule features."""
    nlp = nlp or rule_pipeline()
    sentences = read_conll(path)
    texts = [" ".join(tokens) for tokens, _ in sentences]
    examples = []
    for (tokens, tags), doc in zip(sentences, annotate(nlp, texts)):
        gold = project(doc, gold_char_spans(tokens, tags))
        examples.append(NerExample([t.text for t in doc], token_features(doc), gold))
    return examples


def annotate(nlp, texts: Iterable[str]) -> Iterator[Doc]:
    """Run the rule components over texts (as ``Extractor.annotate`` does, one at a time)."""
    from vigil.nlp.pipeline import Extractor

    extractor = Extractor(nlp)
    for text in texts:
        yield extractor.annotate(text)
