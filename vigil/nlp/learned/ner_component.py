"""The ``vigil_learned_entities`` component: learned entity mentions, written where the rules write theirs.

Runs after ``vigil_entities``. Per sentence it gives the tagger the words and the
rule features (``ner_features``), decodes valid BIO, combines the result with the
rule mentions (``ner_decide``) and rewrites ``doc.spans["entities"]`` with the same
value shape (``{"actor", "geo", "extractor"}``; extractor "learned" for mentions only
the tagger found). Later components and ``vigil eval`` read it unchanged.

Settings: ``tagger`` ("auto": the CRF, fast enough for ingest; "ensemble" and
"encoder" by name), ``policy`` and ``rule_types`` (see ``ner_decide``; None: its default), ``pronouns`` (as ``vigil_entities``: "he",
"we" are re3d entities, left out by default), ``model_dir``. The model loads on the
first document, once per process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from vigil.nlp.extensions import read_spans, set_value_at, value_at, write_spans
from vigil.nlp.learned.ner_bio import NER_TYPES, spans_from_tags
from vigil.nlp.learned.ner_decide import RULE_TYPES, Mention, decide
from vigil.nlp.learned.ner_features import token_features
from vigil.nlp.learned.ner_model import MODEL_DIR, load_tagger, require_model, resolve_kind
from vigil.nlp.spans import sentence_starts

KEY = "entities"


class LearnedEntities:
    """Learned entity mentions combined with the rule components' ones."""

    def __init__(self, tagger: str = "auto", policy: str = "linked", pronouns: bool = False, model_dir: str | None = None,
                 rule_types: list[str] | None = None) -> None:
        self.model_dir = Path(model_dir) if model_dir else MODEL_DIR
        self.kind = resolve_kind(tagger, self.model_dir)
        require_model(self.kind, self.model_dir)  # a missing file is an error now, not at the first document
        self.policy = policy
        self.rule_types = frozenset(RULE_TYPES if rule_types is None else rule_types)
        self.pronouns = pronouns
        self._pronoun_words: frozenset[str] | None = None

    @property
    def tagger(self):
        return load_tagger(self.kind, self.model_dir)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Tag the sentences of ``batch_size`` documents together (the encoder runs in batches)."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, docs: list[Doc]) -> list[Doc]:
        sentences, where = [], []
        for n, doc in enumerate(docs):
            words = [token.text for token in doc]
            rows = token_features(doc, words)
            starts = sentence_starts(doc) + [len(doc)]
            for start, end in zip(starts, starts[1:]):
                tokens = [i for i in range(start, end) if not words[i].isspace()]
                if tokens:
                    sentences.append(([words[i] for i in tokens], [rows[i] for i in tokens]))
                    where.append((n, tokens))
        tagged = self.tagger.tag(sentences) if sentences else []
        learned: list[list[Mention]] = [[] for _ in docs]
        for (n, tokens), tags in zip(where, tagged):
            for first, end, kind in spans_from_tags(tags):
                learned[n].append(Mention(tokens[first], tokens[end - 1] + 1, kind, "learned"))
        for doc, mentions in zip(docs, learned):
            self._write(doc, [m for m in mentions if self.pronouns or not self._is_pronoun(doc, m)])
        return docs

    def _write(self, doc: Doc, learned: list[Mention]) -> None:
        rules = [
            Mention(s.start, s.end, s.label_, "rules", value_at(doc, KEY, s.start_char, s.end_char) or {})
            for s in (read_spans(doc, KEY) if KEY in doc.spans else [])
        ]
        spans = []
        for mention in decide(learned, rules, NER_TYPES, self.policy, self.rule_types):
            span = Span(doc, mention.start, mention.end, label=mention.type)
            value = {"actor": mention.value.get("actor"), "geo": mention.value.get("geo"), "extractor": mention.extractor}
            set_value_at(doc, KEY, span.start_char, span.end_char, value)
            spans.append(span)
        write_spans(doc, KEY, spans)

    def _is_pronoun(self, doc: Doc, mention: Mention) -> bool:
        if self._pronoun_words is None:
            from vigil.nlp.components.persons import load_json

            lexicon = load_json("lexicon.json")
            words = [*lexicon["pronouns_person"], *lexicon["pronouns_org"], *lexicon["pronouns_org_initial"]]
            self._pronoun_words = frozenset(w.lower() for w in words)
        return mention.end - mention.start == 1 and doc[mention.start].lower_ in self._pronoun_words


@Language.factory(
    "vigil_learned_entities",
    default_config={"tagger": "auto", "policy": "linked", "pronouns": False, "model_dir": None, "rule_types": None},
    assigns=["doc.spans"],
)
def make_learned_entities(nlp: Language, name: str, tagger: str, policy: str, pronouns: bool, model_dir: str | None,
                          rule_types: list[str] | None) -> LearnedEntities:
    return LearnedEntities(tagger=tagger, policy=policy, pronouns=pronouns, model_dir=model_dir, rule_types=rule_types)
