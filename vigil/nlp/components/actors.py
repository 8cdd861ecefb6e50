"""Actor mentions: names and aliases from the actor gazetteer, longest match wins.

Two phrase matchers run over each document: one on lowercased text for names
("Tehrik-e-Taliban Pakistan", "TEHRIK-E-TALIBAN PAKISTAN"), one on exact text
for acronyms and aliases that are ordinary words in lowercase ("TTP", "IS").
An alias that ALL-CAPS text cannot tell from a word ("IS", "TIP") is dropped
when its neighbours are in capitals too.

Names no alias spells exactly ("Tahrik-i-Taleban Pakistan", "Serajuddin Haqani")
come from the variant index (``vigil.gazetteers.actor_variants``): a capitalised
name resolves as a whole to one actor's spelling key, or not at all. An alias
found inside a name whose words a particle joins ("Taliban" in
"Tehrik-e-Taliban Swat") is dropped: it is a word of another group's name.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from vigil.gazetteers.actor_index import build_variant_index
from vigil.gazetteers.actor_variants import VariantFinder, load_variant_finder
from vigil.gazetteers.actors import ActorGazetteer, load_actor_gazetteer
from vigil.nlp.extensions import set_value, write_spans
from vigil.nlp.values.text import doc_text

KEY = "actors"


def in_caps_context(doc: Doc, start: int, end: int, window: int = 4) -> bool:
    """Whether the words around ``doc[start:end]`` are written in capitals (wire text, headlines)."""
    seen = upper = 0
    for i in list(range(start - 1, max(start - 1 - window, -1), -1)) + list(range(end, min(end + window, len(doc)))):
        token = doc[i]
        if token.is_alpha and len(token) > 1:
            seen += 1
            upper += token.is_upper
    return seen > 0 and upper * 2 > seen


class ActorMatcher:
    """Finds gazetteer actors in a Doc and records them under ``doc.spans["actors"]``."""

    def __init__(self, nlp: Language, gazetteer: ActorGazetteer | None = None) -> None:
        self.gazetteer = gazetteer or load_actor_gazetteer()
        self._variants = load_variant_finder() if gazetteer is None else VariantFinder(
            build_variant_index(gazetteer.actors.values()), ((text, sensitive) for text, _, sensitive in gazetteer.alias_entries()))
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        sensitive: dict[str, list] = {}
        insensitive: dict[str, list] = {}
        for text, actor_id, case_sensitive in self.gazetteer.alias_entries():
            (sensitive if case_sensitive else insensitive).setdefault(actor_id, []).append(text)
        for table, matcher, lower in ((insensitive, self._lower, True), (sensitive, self._exact, False)):
            for actor_id, texts in table.items():
                docs = list(nlp.tokenizer.pipe([t.lower() if lower else t for t in texts]))
                matcher.add(actor_id, docs)
        self._ambiguous = {nlp.vocab.strings.add(t) for t in self.gazetteer.ambiguous_in_caps}

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, s, e, label=m) for m, s, e in self._lower(doc)]
        for match_id, start, end in self._exact(doc):
            if end - start == 1 and doc[start].orth in self._ambiguous and in_caps_context(doc, start, end):
                continue
            spans.append(Span(doc, start, end, label=match_id))
        found = sorted(filter_spans(self._with_variants(doc, spans)), key=lambda s: s.start)
        for span in found:
            actor = self.gazetteer.get(span.label_)
            set_value(span, KEY, {"actor": actor.id, "kind": actor.kind, "name": actor.name})
        write_spans(doc, KEY, found)
        return doc

    def _with_variants(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """The alias matches not cut out of a particle-joined name, then the names the variant index resolves."""
        names, compounds = self._variants.read(doc_text(doc))
        if compounds:
            spans = [s for s in spans if not any(a < s.start_char < b or a < s.end_char < b for a, b in compounds)]
        if names:
            matched = {(s.start_char, s.end_char) for s in spans}
            for name in names:
                if (name.start, name.end) in matched:
                    continue
                span = doc.char_span(name.start, name.end, label=name.actor_id)
                if span is not None and not (len(span) == 1 and in_caps_context(doc, span.start, span.end)):
                    spans.append(span)
        return spans

    def pipe(self, docs, batch_size: int = 32):
        for doc in docs:
            yield self(doc)


@Language.factory("vigil_actors", assigns=["doc.spans"])
def make_actors(nlp: Language, name: str) -> ActorMatcher:
    return ActorMatcher(nlp)
