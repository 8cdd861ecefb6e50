"""Relations between actors: who supplies weapons to whom, alliances, factions, fighting.

Cue phrases and the grammatical form in which each is read live in
``patterns/relations.json``; this module holds one small reader per form. A
relation inside a reported frame ("A UN report says that X is providing ... to
Y") is attributed to the reporting source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from vigil.model.records import ActorRef, Relation, WeaponMention
from vigil.nlp.lexicon import load_patterns
from vigil.nlp.spans import Mention, MentionIndex, actor_ref, longest_matches, mention_index, text_of, weapon_record

Pair = tuple[list[Mention], list[Mention]]


class RelationExtractor:
    """The ``vigil_relations`` component."""

    def __init__(self, nlp: Language) -> None:
        lexicon = load_patterns("relations")
        self.patterns: list[dict] = lexicon["patterns"]
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for i, pattern in enumerate(self.patterns):
            self.matcher.add(str(i), [nlp.make_doc(cue) for cue in pattern["cues"]])
        self.coordination = set(lexicon["coordination"])
        self.clause_openers = set(lexicon["clause_openers"])
        self.reporting = set(lexicon["reporting_verbs"])
        self.readers: dict[str, Callable[[Doc, Span, MentionIndex], Pair]] = {
            "active_to": self.read_active_to,
            "passive_to_by": self.read_passive_to_by,
            "received_from": self.read_received_from,
            "verb_object": self.read_verb_object,
            "appositive": self.read_appositive,
            "between": self.read_between,
            "with": self.read_with,
        }

    def __call__(self, doc: Doc) -> Doc:
        doc._.relations.extend(self.relations(doc, mention_index(doc)))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def relations(self, doc: Doc, index: MentionIndex) -> list[Relation]:
        found: list[Relation] = []
        seen: set[tuple] = set()
        matches = self.matcher(doc)
        kept = {(s, e) for _, s, e in longest_matches(matches)}
        # several patterns may share a cue ("passed ... to X" or "passed to X by Y"): each gets its try
        for cue in (Span(doc, s, e, label=label) for label, s, e in matches if (s, e) in kept):
            pattern = self.patterns[int(cue.label_)]
            sources, targets = self.readers[pattern["form"]](doc, cue, index)
            sources = self._kinds(sources, pattern.get("subject_kinds"))
            targets = self._kinds(targets, pattern.get("object_kinds"))
            if not sources or not targets:
                continue
            sent = cue.sent
            weapons = [weapon_record(m) for m in index.in_sentence("weapons", index.sentence_of(cue.start))]
            if pattern.get("requires_weapon") and not weapons:
                continue
            attributed = self.attribution(doc, cue, index)
            for source in sources:
                for target in targets:
                    if source.span == target.span or (source.value.get("actor") and source.value.get("actor") == target.value.get("actor")):
                        continue
                    key = (pattern["type"], source.span.start, target.span.start)
                    if key in seen:
                        continue
                    seen.add(key)
                    found.append(self.record(pattern["type"], source, target, weapons, sent, attributed))
        return found

    @staticmethod
    def record(kind: str, source: Mention, target: Mention, weapons: list[WeaponMention], sent: Span,
               attributed: ActorRef | None) -> Relation:
        return Relation(
            type=kind,  # type: ignore[arg-type]
            source=actor_ref(source),
            target=actor_ref(target),
            weapons=weapons if kind == "supplies_weapons_to" else [],
            start=sent.start_char,
            end=sent.end_char,
            sentence=text_of(sent),
            attributed_to=attributed,
            confidence=0.6 if attributed else 0.5,
        )

    @staticmethod
    def _kinds(mentions: list[Mention], kinds: list[str] | None) -> list[Mention]:
        if not kinds:
            return mentions
        return [m for m in mentions if m.value.get("kind") in kinds]

    # -- helpers -----------------------------------------------------------------
    def _actors(self, index: MentionIndex, start: int, end: int, persons: bool = False) -> list[Mention]:
        found = index.between("actors", start, end)
        if persons:
            found = sorted(found + index.between("persons", start, end), key=lambda m: m.start)
        return found

    def _coordinated_before(self, doc: Doc, index: MentionIndex, cue: Span) -> list[Mention]:
        """Actors in the clause before the cue: 'groups such as the TTP and Al Qaeda are providing'."""
        sent = cue.sent
        clause_start = sent.start
        for tok in doc[sent.start : cue.start]:
            if tok.lower_ in self.clause_openers:
                clause_start = tok.i + 1
        return self._actors(index, clause_start, cue.start)

    def _coordinated_after(self, doc: Doc, index: MentionIndex, start: int, limit: int) -> list[Mention]:
        """Actors right after ``start`` joined by 'and', commas or 'such as'."""
        actors = self._actors(index, start, limit)
        chain: list[Mention] = []
        cursor = start
        for m in actors:
            gap = doc[cursor : m.start]
            if chain and any(t.lower_ not in self.coordination for t in gap):
                break
            if not chain and m.start - start > 4:
                break
            chain.append(m)
            cursor = m.end
        return chain

    def _find(self, doc: Doc, word: str, start: int, end: int) -> int | None:
        for tok in doc[start:end]:
            if tok.lower_ == word:
                return tok.i
        return None

    # -- readers, one per form ------------------------------------------------------
    def read_active_to(self, doc: Doc, cue: Span, index: MentionIndex) -> Pair:
        to = self._find(doc, "to", cue.end, min(cue.end + 15, cue.sent.end))
        if to is None:
            return [], []
        return self._coordinated_before(doc, index, cue), self._coordinated_after(doc, index, to + 1, cue.sent.end)[:1]

    def read_passive_to_by(self, doc: Doc, cue: Span, index: MentionIndex) -> Pair:
        to = self._find(doc, "to", cue.end, min(cue.end + 4, cue.sent.end))
        if to is None:
            return [], []
        by = self._find(doc, "by", to + 1, min(to + 12, cue.sent.end))
        if by is None:
            return [], []
        targets = self._coordinated_after(doc, index, to + 1, by)[:1]
        return self._coordinated_after(doc, index, by + 1, cue.sent.end), targets

    def read_received_from(self, doc: Doc, cue: Span, index: MentionIndex) -> Pair:
        source_at = self._find(doc, "from", cue.end, min(cue.end + 12, cue.sent.end))
        if source_at is None:
            return [], []
        subject = self._coordinated_before(doc, index, cue)[-1:]
        return self._coordinated_after(doc, index, source_at + 1, cue.sent.end), subject

    def read_verb_object(self, doc: Doc, cue: Span, index: MentionIndex) -> Pair:
        before = [m for m in self._coordinated_before(doc, index, cue) if cue.start - m.end <= 8]
        return before[-1:], self._coordinated_after(doc, index, cue.end, cue.sent.end)

    def read_appositive(self, doc: Doc, cue: Span, index: MentionIndex) -> Pair:
        sent = cue.sent
        before = [m for m in self._actors(index, sent.start, cue.start, persons=True) if cue.start - m.end <= 3]
        after = self._coordinated_after(doc, index, cue.end, cue.sent.end)[:1]
        return before[-1:], after

    def read_between(self, doc: Doc, cue: Span, index: MentionIndex) -> Pair:
        pair = self._coordinated_after(doc, index, cue.end, cue.sent.end)
        return (pair[:1], pair[1:2]) if len(pair) >= 2 else ([], [])

    def read_with(self, doc: Doc, cue: Span, index: MentionIndex) -> Pair:
        with_at = self._find(doc, "with", cue.end, min(cue.end + 4, cue.sent.end))
        if with_at is None:
            return [], []
        before = [m for m in self._coordinated_before(doc, index, cue) if cue.start - m.end <= 8]
        return before, self._coordinated_after(doc, index, with_at + 1, cue.sent.end)

    def attribution(self, doc: Doc, cue: Span, index: MentionIndex) -> ActorRef | None:
        """The source a reported relation comes from: 'A UN report says that ...', 'according to X'."""
        sent = cue.sent
        according = self._find(doc, "according", sent.start, sent.end)
        if according is not None:
            after = self._actors(index, according + 1, sent.end, persons=True)
            if after:
                return actor_ref(after[0])
        for tok in doc[sent.start : cue.start]:
            if tok.lower_ in self.reporting:
                before = self._actors(index, sent.start, tok.i, persons=True)
                if before:
                    return actor_ref(before[-1])
        return None


@Language.factory("vigil_relations")
def make_relations(nlp: Language, name: str) -> RelationExtractor:
    return RelationExtractor(nlp)
