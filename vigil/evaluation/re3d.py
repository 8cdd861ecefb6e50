"""Entity extraction scored on re3d (Dstl), exact match as in CoNLL and Hu et al. 2022.

The file is CoNLL-style: one ``token<TAB>tag`` per line (IOB2), a blank line
between sentences. Each sentence is rebuilt as its tokens joined by single
spaces, run through the extractor, and its predicted entities are mapped back to
tokens; a prediction counts only when its token boundaries and type equal a
gold span's.

    python -m vigil.evaluation.re3d /path/to/re3d-dev.conll
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from vigil.evaluation.scoring import Score, macro_f1, micro
from vigil.model.records import ENTITY_TYPES, Document

TASK = "re3d"

#: (type, first token, last token exclusive)
TokenSpan = tuple[str, int, int]


@dataclass
class Sentence:
    """One re3d sentence: its tokens, their IOB2 tags, and the rebuilt text."""

    tokens: list[str]
    tags: list[str]
    offsets: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.offsets:
            position = 0
            for token in self.tokens:
                self.offsets.append((position, position + len(token)))
                position += len(token) + 1

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    def gold(self) -> set[TokenSpan]:
        return spans_from_tags(self.tags)

    def token_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The tokens a character span covers, or None if it cuts through a token."""
        first = next((i for i, (s, _) in enumerate(self.offsets) if s == start), None)
        last = next((i for i, (_, e) in enumerate(self.offsets) if e == end), None)
        if first is None or last is None or last < first:
            return None
        return first, last + 1


def read_conll(path: Path) -> list[Sentence]:
    """Parse a tab-separated IOB2 file into sentences."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if tokens:
                sentences.append(Sentence(tokens, tags))
                tokens, tags = [], []
            continue
        token, _, tag = line.rpartition("\t")
        tokens.append(token)
        tags.append(tag.strip() or "O")
    if tokens:
        sentences.append(Sentence(tokens, tags))
    return sentences


def spans_from_tags(tags: list[str]) -> set[TokenSpan]:
    """Typed token spans from IOB2 tags (a stray I- opens a span, as conlleval does)."""
    spans: set[TokenSpan] = set()
    current: str | None = None
    start = 0
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == current
        if current is not None and not continues:
            spans.add((current, start, i))
            current = None
        if prefix in ("B", "I") and not continues:
            current, start = kind, i
    return spans


def predicted_spans(sentence: Sentence, entities: Iterable) -> set[TokenSpan]:
    """Predicted entities as token spans; ones that cut through a token cannot match."""
    spans: set[TokenSpan] = set()
    for entity in entities:
        bounds = sentence.token_span(entity.start, entity.end)
        if bounds is None:
            spans.add((entity.type, -1 - entity.start, -1 - entity.end))  # a guaranteed miss
        else:
            spans.add((entity.type, *bounds))
    return spans


def score_spans(gold: set[TokenSpan], predicted: set[TokenSpan], scores: dict[str, Score]) -> None:
    """Add one sentence's exact-match counts to the per-type scores."""
    for kind in {k for k, _, _ in gold | predicted}:
        g = {s for s in gold if s[0] == kind}
        p = {s for s in predicted if s[0] == kind}
        cell = scores.setdefault(kind, Score(TASK, kind))
        cell.add(tp=len(g & p), fp=len(p - g), fn=len(g - p))


def iter_predictions(sentences: list[Sentence], extractor) -> Iterator[tuple[Sentence, set[TokenSpan]]]:
    for sentence in sentences:
        extraction = extractor.extract(Document.from_text(sentence.text))
        yield sentence, predicted_spans(sentence, extraction.entities)


def evaluate_re3d(path: Path, extractor) -> list[Score]:
    """Exact-match scores per entity type over a re3d CoNLL file (task "re3d")."""
    return score_sentences(read_conll(Path(path)), extractor)


def score_sentences(sentences: list[Sentence], extractor) -> list[Score]:
    """Exact-match scores per entity type over parsed re3d sentences."""
    scores: dict[str, Score] = {kind: Score(TASK, kind) for kind in ENTITY_TYPES}
    for sentence, predicted in iter_predictions(sentences, extractor):
        score_spans(sentence.gold(), predicted, scores)
    return [s for s in scores.values() if s.support or s.fp]


def re3d_extractor(learned: dict | None = None):
    """The extractor up to ``vigil_entities``, set up for re3d's annotation convention.

    re3d marks pronouns ("he", "we", "they") as Person or Organisation mentions;
    Vigil's entity component leaves them out by default and includes them with
    ``pronouns=True``. This is an annotation convention, not a tuned setting.
    ``learned``: settings of ``vigil_learned_entities``, run after the rules (None: rules only).
    """
    from vigil.nlp.pipeline import COMPONENTS, Extractor, build_pipeline

    names = list(COMPONENTS[: COMPONENTS.index("vigil_entities") + 1])
    config = {"vigil_entities": {"pronouns": True}}
    if learned is not None:
        names.append("vigil_learned_entities")
        config["vigil_learned_entities"] = {**learned, "pronouns": True}
    return Extractor(build_pipeline(names, config=config))


def learned_settings(extractor) -> dict | None:
    """The settings of the extractor's ``vigil_learned_entities`` (None when it runs the rules only)."""
    nlp = getattr(extractor, "nlp", None)
    if nlp is None or "vigil_learned_entities" not in nlp.pipe_names:
        return None
    pipe = nlp.get_pipe("vigil_learned_entities")
    return {"tagger": pipe.kind, "policy": pipe.policy, "model_dir": str(pipe.model_dir)}


def format_table(scores: list[Score]) -> str:
    lines = [f"{'type':<18} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for s in sorted(scores, key=lambda s: -s.support) + [micro(TASK, scores)]:
        lines.append(f"{s.type:<18} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d}")
    lines.append(f"macro-F1 {macro_f1(scores):.3f}")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(format_table(evaluate_re3d(Path(sys.argv[1]), re3d_extractor())))
