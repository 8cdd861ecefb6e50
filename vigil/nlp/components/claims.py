"""Claims: who said what, asserting or denying it, with the verbatim words.

A reporting verb ("said", "denied", "rejected"; ``patterns/claims.json``) opens a
claim. Its speaker is the person, actor or speaker noun ("police", "a
spokesman") next to the verb; a person's organisation comes from an adjacent
actor ("Taliban spokesman X") or a possessive pointing back ("Its spokesman X"
after a sentence about the Taliban). The quote is what follows "that" or the
verb, or, for "..., police said", what precedes. A claim concerns the events and
relations its words overlap; a denial of "the claims" or "the findings" concerns
what earlier speakers asserted.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from vigil.gazetteers.actors import load_actor_gazetteer
from vigil.model.records import ActorRef, Claim, Concern
from vigil.nlp.lexicon import load_patterns
from vigil.nlp.spans import Mention, MentionIndex, actor_ref, longest_matches, lowers, mention_index, span_ref, text_of
from vigil.nlp.token_table import TokenColumns
from vigil.nlp.values.text import doc_text

QUOTES = {'"', "“", "”", "'", "‘", "’", "``", "''"}
TRAILING = " \t\n,.;:\"“”'’"


class ClaimExtractor:
    """The ``vigil_claims`` component."""

    def __init__(self, nlp: Language) -> None:
        lexicon = load_patterns("claims")
        self.stance = {w: "asserts" for w in lexicon["asserts"]} | {w: "denies" for w in lexicon["denies"]}
        # speaker nouns ("a spokesman") and back references ("the claims") in one matcher: one pass
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher.add("speaker", [nlp.make_doc(t) for t in lexicon["speaker_nouns"]])
        self.matcher.add("back", [nlp.make_doc(t) for t in lexicon["back_references"]])
        self.speaker_label = nlp.vocab.strings["speaker"]
        self.possessives = set(lexicon["possessives"])
        self.heads = set(lexicon["speaker_heads"])
        self.cue_table = TokenColumns(nlp.vocab, self._cue_flags)
        gazetteer = load_actor_gazetteer()
        self.actors = gazetteer.actors
        self.parents = {a.id: a.parent for a in gazetteer.actors.values() if a.kind == "person" and a.parent}

    def _cue_flags(self, lexeme) -> tuple[bool, bool, bool]:
        """Per word (``_Cues``): a reporting verb, 'according', a speaker head."""
        low = lexeme.lower_
        return low in self.stance, low == "according", low in self.heads

    def __call__(self, doc: Doc) -> Doc:
        doc._.claims.extend(self.claims(doc, mention_index(doc)))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def claims(self, doc: Doc, index: MentionIndex) -> list[Claim]:
        cues = _Cues(doc, lowers(doc), self.cue_table)
        if not cues.verbs and not cues.according:
            return []
        matches = self.matcher(doc)
        speaker = self.speaker_label
        nouns = [Span(doc, s, e) for _, s, e in longest_matches([m for m in matches if m[0] == speaker])]
        back_refs = [Span(doc, s, e) for label, s, e in matches if label != speaker]
        published = doc._.published
        known = _Known(published.isoformat() if published else None, doc._.events, doc._.relations)
        claims: list[Claim] = []
        for sent_i, sent in enumerate(index.sentences):
            verb = self._verb(doc, sent, cues)
            according = self._according(sent, cues)
            if verb is None and according is None:
                continue
            speakers = self._speaker_candidates(index, sent_i, nouns, cues)
            if according is not None:
                speaker = next((c for c in speakers if c[0].start > according), None)
                content = (sent.start, according) if according > sent.start + 2 else (speaker[0].end if speaker else according + 2, sent.end)
                stance = "asserts"
            else:
                assert verb is not None
                speaker = self._speaker(doc, verb, speakers)
                content = self._content(doc, sent, verb, speaker)
                stance = self.stance[verb.lower_]
            if speaker is None or content is None:
                continue
            span, _, mention = speaker
            speaker = (span, actor_ref(mention) if mention is not None else span_ref(span, "organisation"), mention)
            claim = self._claim(doc, index, sent, sent_i, speaker, stance, content, back_refs, claims, known)
            if claim is not None:
                claims.append(claim)
        return claims

    # -- pieces ------------------------------------------------------------------
    def _verb(self, doc: Doc, sent: Span, cues: _Cues):
        """The sentence's main reporting verb: a denial verb wins over 'said'."""
        words = cues.words
        verbs = cues.between(cues.verbs, sent.start, sent.end)
        if not verbs:
            return None
        denials = [i for i in verbs if self.stance[words[i]] == "denies"]
        return doc[denials[0] if denials else verbs[0]]

    @staticmethod
    def _according(sent: Span, cues: _Cues) -> int | None:
        """Where 'according to' starts in the sentence, if it does."""
        found = cues.between(cues.according, sent.start, sent.end - 1)
        return found[0] if found else None

    def _speaker_candidates(
        self, index: MentionIndex, sent_i: int, nouns: list[Span], cues: _Cues
    ) -> list[tuple[Span, None, Mention | None]]:
        """(span, None, mention) for each possible speaker; the record is made for the chosen one only."""
        found: list[tuple[Span, None, Mention | None]] = []
        for key in ("persons", "actors"):
            for m in index.in_sentence(key, sent_i):
                found.append((m.span, None, m))
        taken = {t for span, _, _ in found for t in range(span.start, span.end)}
        sent = index.sentences[sent_i]
        for span in nouns:
            if sent.start <= span.start < sent.end and not (set(range(span.start, span.end)) & taken):
                found.append((span, None, None))
                taken.update(range(span.start, span.end))
        for span in self._headed(sent, taken, cues):
            found.append((span, None, None))
        # a person inside an actor-like span ("Taliban spokesman Zabihullah Mujahid") keeps both
        return sorted(found, key=lambda f: (f[0].start, -(f[0].end - f[0].start)))

    def _headed(self, sent: Span, taken: set[int], cues: _Cues) -> list[Span]:
        """Speakers named by a head noun and its modifiers: 'the provincial police', 'THE GUATEMALAN ARMY'."""
        doc, words, found = sent.doc, cues.words, []
        for i in cues.between(cues.heads, sent.start, sent.end):
            if i in taken:
                continue
            start = i
            while start > sent.start and i - start < 3 and (start - 1) not in taken and words[start - 1] not in self.stance \
                    and (doc[start - 1].is_title or doc[start - 1].is_upper or words[start - 1] in ("the", "a", "provincial", "local", "senior", "military", "government")):
                start -= 1
            found.append(Span(doc, start, i + 1))
        return found

    @staticmethod
    def _speaker(doc: Doc, verb, candidates):
        before = [c for c in candidates if c[0].end <= verb.i]
        after = [c for c in candidates if c[0].start > verb.i]
        if before and verb.i - before[-1][0].end <= 3:
            return before[-1]
        if after and after[0][0].start - verb.i <= 2:
            return after[0]
        if before and verb.i - before[-1][0].end <= 8:
            return before[-1]
        return None

    @staticmethod
    def _content(doc: Doc, sent: Span, verb, speaker) -> tuple[int, int] | None:
        """Token range of what is claimed."""
        speaker_span = speaker[0] if speaker else None
        if speaker_span is not None and speaker_span.start > verb.i:
            # inverted: '"...", said X' or '..., X said' with the speaker after the verb
            end = verb.i
            while end > sent.start and (doc[end - 1].is_punct or doc[end - 1].text in QUOTES):
                end -= 1
            return (sent.start, end) if end - sent.start >= 3 else None
        after = verb.i + 1
        words = lowers(doc)
        # "said that ...", "denied today that ...", "said on Monday that ..."
        that = next((i for i in range(after, min(after + 4, sent.end)) if words[i] == "that"), None)
        if that is not None:
            after = that + 1
        if sent.end - after >= 3:
            return after, sent.end
        if speaker_span is not None and speaker_span.start - sent.start >= 3:
            end = speaker_span.start
            while end > sent.start and (doc[end - 1].is_punct or doc[end - 1].text in QUOTES):
                end -= 1
            return sent.start, end
        return None

    def _organisation(self, doc: Doc, index: MentionIndex, sent_i: int, speaker) -> ActorRef | None:
        """The organisation a person speaks for, most reliable evidence first.

        1. the gazetteer's parent of a known person (Zabihullah Mujahid -> Taliban);
        2. an actor just before the name ("Taliban spokesman X") or after a role word
           ("X, a spokesman for the Taliban");
        3. a possessive pointing back ("Its spokesman X") to the last organisation named.
        """
        span, ref, _ = speaker
        if ref.kind != "person":
            return None
        orgs = [m for m in index.in_sentence("actors", sent_i) if m.value.get("kind") != "person"]
        parent = self.parents.get(ref.actor or "")
        if parent:
            named = next((m for m in orgs if m.value.get("actor") == parent), None)
            if named is not None:
                return actor_ref(named)
            actor = self.actors.get(parent)
            return ActorRef(start=span.start_char, end=span.end_char, text=actor.name if actor else parent, kind="organisation", actor=parent)
        for m in orgs:
            if 0 <= span.start - m.end <= 2:
                return actor_ref(m)
            between = {t.lower_ for t in doc[span.end : m.start]} if 0 <= m.start - span.end <= 6 else set()
            if between & {"for", "of"}:
                return actor_ref(m)
        window = [t.lower_ for t in doc[max(index.sentences[sent_i].start, span.start - 3) : span.start]]
        if any(w in self.possessives or w.endswith("'s") for w in window):
            for prev in range(sent_i - 1, max(-1, sent_i - 3), -1):
                earlier = [m for m in index.in_sentence("actors", prev) if m.value.get("kind") != "person"]
                if earlier:
                    return actor_ref(earlier[0])
        return None

    def _claim(self, doc: Doc, index: MentionIndex, sent: Span, sent_i: int, speaker, stance: str,
               content: tuple[int, int], back_refs: list[Span], earlier: list[Claim], known: _Known) -> Claim | None:
        start, end = content
        start_char = doc[start].idx
        end_char = doc[end - 1].idx + len(doc[end - 1].text)
        text = doc_text(doc)[start_char:end_char].strip(TRAILING)
        if len(text) < 8:
            return None
        start_char = doc_text(doc).index(text, start_char)
        end_char = start_char + len(text)
        organisation = self._organisation(doc, index, sent_i, speaker)
        denier = {a for a in (speaker[1].actor, organisation.actor if organisation else None) if a}
        concerns = self._concerns(doc, start_char, end_char, sent, stance, back_refs, earlier, denier, known)
        return Claim(
            speaker=speaker[1],
            speaker_org=organisation,
            stance=stance,  # type: ignore[arg-type]
            start=start_char,
            end=end_char,
            text=text,
            sentence=text_of(sent),
            date=known.date,
            concerns=concerns,
            confidence=0.7 if speaker[1].actor else 0.5,
        )

    @staticmethod
    def _concerns(doc: Doc, start: int, end: int, sent: Span, stance: str, back_refs: list[Span], earlier: list[Claim],
                  denier: set[str], known: _Known) -> list[Concern]:
        concerns: list[Concern] = []
        for i, event in enumerate(known.events):
            if event.start < end and start < event.end:
                concerns.append(Concern(kind="event", index=i))
        for i, relation in enumerate(known.relations):
            if relation.start <= sent.start_char < relation.end or sent.start_char <= relation.start < sent.end_char:
                concerns.append(Concern(kind="relation", index=i))
        pointing_back = any(sent.start <= r.start < sent.end for r in back_refs)
        if stance == "denies" and pointing_back:
            # "denied the claims": what named sources asserted earlier (not routine police statements)
            for claim in earlier:
                if claim.stance == "asserts" and claim.speaker.actor and claim.speaker.actor not in denier:
                    concerns.extend(c for c in claim.concerns if c.kind in ("event", "relation") and c not in concerns)
        if not concerns or stance == "denies":
            concerns.append(Concern(kind="statement", text=doc_text(doc)[start:end]))
        return concerns


class _Known(NamedTuple):
    """What the document says besides its words, read once per document (``doc._`` is slow to reach)."""

    date: str | None  # the publication date, the date of its claims
    events: list
    relations: list


class _Cues:
    """Where a document's reporting verbs, 'according to' and speaker head nouns are.

    Found once per document from a per-word table of flags (``TokenColumns.where``, in
    numpy), so each sentence takes its share by bisection instead of re-reading its words.
    """

    __slots__ = ("words", "verbs", "according", "heads")

    def __init__(self, doc: Doc, words: list[str], table: TokenColumns) -> None:
        self.words = words
        self.verbs = table.where(doc, 0)
        last = len(words) - 1
        self.according = [i for i in table.where(doc, 1) if i < last and words[i + 1] == "to"]
        self.heads = table.where(doc, 2)

    @staticmethod
    def between(positions: list[int], start: int, end: int) -> list[int]:
        """The positions in [start, end)."""
        return positions[bisect_left(positions, start) : bisect_left(positions, end)]


@Language.factory("vigil_claims")
def make_claims(nlp: Language, name: str) -> ClaimExtractor:
    return ClaimExtractor(nlp)
