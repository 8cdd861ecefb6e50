"""ACLED-typed events from trigger phrases, with their arguments from nearby mentions.

How it decides, in order:
1. Trigger phrases (``patterns/events.json``) are matched per sentence; triggers under
   a modality blocker ("threatened to attack", "could attack") are dropped.
2. Adjacent sentences that describe one incident (no conflicting place or date)
   are merged, so "IS attacked a convention ... A suicide bomber detonated his vest"
   is one event; the most specific trigger decides the ACLED sub-event type.
3. Arguments come from the mentions other components found in those sentences:
   perpetrators (named actors or words like "gunmen", in agent position, after
   "by", or claiming responsibility), targets (what follows "attacked"/"attack on"),
   victims (the people counted by casualty figures, or persons killed/abducted),
   weapons, casualty bounds, the most precise place, and the date.
4. A violent event needs concrete anchors (a casualty figure, a place, a date, an
   actor or a target); a confidence is derived from how many it has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from vigil.model.records import ActorRef, Bounds, Event, Location
from vigil.gazetteers.places import load_place_gazetteer
from vigil.model.taxonomy import event_type_of
from vigil.nlp.extensions import COUNTRIES_KEY
from vigil.nlp.grammar import grammar
from vigil.nlp.lexicon import load_patterns
from vigil.nlp.spans import (
    Mention,
    MentionIndex,
    actor_ref,
    longest_matches,
    lowers,
    mention_index,
    span_ref,
    text_of,
    weapon_record,
)
from vigil.nlp.values.text import doc_lower, doc_text, phrases_present

PRECISION_RANK = {"place": 3, "admin2": 2, "admin1": 1, "country": 0}
AGENT_ACTOR_KINDS = {"armed_group", "state_force", "person", "organisation", None}


@dataclass
class Trigger:
    span: Span
    sub_type: str
    priority: int
    violent: bool


@dataclass(frozen=True)
class Agent:
    """Who may have done it: a named actor or person (``mention``), or words like 'gunmen'."""

    span: Span
    mention: Mention | None
    kind: str | None
    noun_kind: str = "organisation"

    def ref(self) -> ActorRef:
        return actor_ref(self.mention) if self.mention is not None else span_ref(self.span, self.noun_kind)


@dataclass
class Candidate:
    sentences: list[int]
    triggers: list[Trigger] = field(default_factory=list)

    @property
    def main(self) -> Trigger:
        return max(self.triggers, key=lambda t: t.priority)


class EventExtractor:
    """The ``vigil_events`` component."""

    def __init__(self, nlp: Language) -> None:
        self.g = grammar()
        lexicon = load_patterns("events")
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.info: dict[str, tuple[int, bool]] = {}
        for entry in lexicon["sub_event_types"]:
            event_type_of(entry["type"])  # fail at load time on a misspelt ACLED type
            self.info[entry["type"]] = (entry["priority"], entry["violent"])
            self.matcher.add(entry["type"], [nlp.make_doc(t) for t in entry["triggers"]])
        self.blockers: dict[str, list[tuple[str, ...]]] = {}
        for phrase in lexicon["modality_blockers"]:
            words = tuple(phrase.split())
            self.blockers.setdefault(words[0], []).append(words)
        self.military = set(lexicon["military_targets"])
        self.sentence_blockers = tuple(lexicon["sentence_blockers"])
        self.non_violent = tuple(lexicon["non_violent_context"])
        self.weak = set(lexicon["weak_triggers"])
        # the actor nouns ("gunmen", "soldiers") go in the same matcher, under their role, so
        # one pass over the document finds both; ``_split`` tells them apart by label
        nouns = load_patterns("actor_nouns")
        roles = ("perpetrators", "state_forces", "victims", "targets")
        for role in roles:
            self.matcher.add(role, [nlp.make_doc(t) for t in nouns[role]])
        self.roles = {nlp.vocab.strings[role] for role in roles}

    # -- pipeline protocol -------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        index = mention_index(doc)
        doc._.events.extend(self.events(doc, index))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    # -- steps ---------------------------------------------------------------
    def events(self, doc: Doc, index: MentionIndex) -> list[Event]:
        trigger_matches, noun_matches = self._split(self.matcher(doc))
        triggers = self.triggers(doc, index, trigger_matches)
        nouns = self.noun_mentions(doc, index, noun_matches)
        agents: dict[int, list[Agent]] = {}
        published = doc._.published
        events = []
        for candidate in self.merge(triggers, index):
            event = self.build(doc, index, candidate, nouns, agents, published)
            if event is not None:
                events.append(event)
        return events

    def _split(self, matches: list[tuple[int, int, int]]) -> tuple[list, list]:
        """The matcher's (label, start, end) matches: (triggers, actor nouns), each in the matcher's order."""
        roles = self.roles
        triggers, nouns = [], []
        for match in matches:
            (nouns if match[0] in roles else triggers).append(match)
        return triggers, nouns

    def triggers(self, doc: Doc, index: MentionIndex, matches: list[tuple[int, int, int]]) -> dict[int, list[Trigger]]:
        taken = index.covered("actors", "persons")
        spans = [Span(doc, start, end, label=label) for label, start, end in longest_matches(matches)]
        by_sentence: dict[int, list[Trigger]] = {}
        sentence_ok: dict[int, tuple[bool, bool]] = {}
        blockers = phrases_present(doc, self.sentence_blockers)
        non_violent = phrases_present(doc, self.non_violent)
        for span in spans:
            sent_i = index.sentence_of(span.start)
            if sent_i not in sentence_ok:
                sent = index.sentences[sent_i]
                lowered = doc_lower(doc)[sent.start_char : sent.end_char]
                sentence_ok[sent_i] = (not any(b in lowered for b in blockers),
                                       not any(w in lowered for w in non_violent))
            about_incident, not_accident = sentence_ok[sent_i]
            if not about_incident or (not not_accident and lowers(doc)[span.end - 1] in self.weak):
                continue
            if span.start in taken or self.blocked(doc, span, index.sentences[sent_i].start):
                continue
            priority, violent = self.info[span.label_]
            by_sentence.setdefault(sent_i, []).append(Trigger(span, span.label_, priority, violent))
        return by_sentence

    def blocked(self, doc: Doc, span: Span, sent_start: int) -> bool:
        """True when a modality word ("threatened to", "could") governs the trigger."""
        words = lowers(doc)
        for i in range(max(sent_start, span.start - 4), span.start):
            for blocker in self.blockers.get(words[i], ()):
                if tuple(words[i : i + len(blocker)]) == blocker and i + len(blocker) <= span.start:
                    return True
        return False

    def noun_mentions(self, doc: Doc, index: MentionIndex, matches: list[tuple[int, int, int]]) -> dict[int, list[Span]]:
        spans = [Span(doc, s, e, label=label) for label, s, e in longest_matches(matches)]
        out: dict[int, list[Span]] = {}
        for span in spans:
            out.setdefault(index.sentence_of(span.start), []).append(span)
        return out

    def merge(self, triggers: dict[int, list[Trigger]], index: MentionIndex) -> list[Candidate]:
        """Group trigger sentences that describe one incident."""
        candidates: list[Candidate] = []
        for sent_i in sorted(triggers):
            current = Candidate([sent_i], list(triggers[sent_i]))
            previous = candidates[-1] if candidates else None
            # neighbours, or one sentence apart with no trigger between ("At least 83 people were wounded.")
            if previous and sent_i - previous.sentences[-1] <= 2 and self.compatible(previous, current, index):
                previous.sentences.extend(range(previous.sentences[-1] + 1, sent_i + 1))
                previous.triggers.extend(current.triggers)
            else:
                candidates.append(current)
        for candidate in candidates:
            # a following sentence that only adds figures belongs to the incident
            after = candidate.sentences[-1] + 1
            if after < len(index.sentences) and after not in triggers and index.in_sentence("casualties", after):
                candidate.sentences.append(after)
        return candidates

    def compatible(self, a: Candidate, b: Candidate, index: MentionIndex) -> bool:
        """Two neighbouring sentences are one incident unless place or date disagree."""
        if a.main.violent != b.main.violent:
            return False
        dates_a = {m.value.get("date") for s in a.sentences for m in index.in_sentence("dates", s)}
        dates_b = {m.value.get("date") for m in index.in_sentence("dates", b.sentences[0])}
        if dates_a and dates_b and not dates_a & dates_b:
            return False
        places_a = {self._place_key(m) for s in a.sentences for m in places_in(index, s)}
        places_b = {self._place_key(m) for m in places_in(index, b.sentences[0])}
        if places_a and places_b and not places_a & places_b and not self._nested(places_a, places_b):
            return False
        return True

    @staticmethod
    def _place_key(mention: Mention) -> tuple:
        loc = mention.value.get("location") or {}
        return (loc.get("country"), loc.get("admin1"), loc.get("name"))

    @staticmethod
    def _nested(a: set[tuple], b: set[tuple]) -> bool:
        """One side only names the country or province the other side's place lies in."""
        for country, admin1, name in a:
            for country2, admin1_2, name2 in b:
                if country == country2 and (admin1 is None or admin1_2 is None or admin1 == admin1_2):
                    return True
        return False

    def build(
        self, doc: Doc, index: MentionIndex, c: Candidate, nouns: dict[int, list[Span]], agents: dict, published: dt.date | None
    ) -> Event | None:
        sents = [index.sentences[i] for i in c.sentences]
        main = c.main
        perpetrators, responsibility = self.perpetrators(doc, index, c, nouns, agents)
        targets = self.targets(doc, index, c, nouns)
        victims = self.victims(doc, index, c, nouns)
        fatalities, injuries = self.casualties(index, c)
        location = self.location(index, c)
        date, precision, date_text = self.date(index, c, published)
        weapons = [weapon_record(m) for s in c.sentences for m in index.in_sentence("weapons", s)]
        sub_type = self.refine(main, c, perpetrators, targets, victims, index)
        anchors = sum(bool(x) for x in (fatalities or injuries, location, date_text, perpetrators, targets or victims))
        needed = 2 if self.info[sub_type][1] else 1
        if anchors < needed:
            return None
        return Event(
            type=sub_type,
            event_type=event_type_of(sub_type),
            start=sents[0].start_char,
            end=sents[-1].end_char,
            sentence=doc_text(doc)[sents[0].start_char : sents[-1].end_char],
            trigger=text_of(main.span),
            date=date,
            date_precision=precision,
            date_text=date_text,
            location=location,
            perpetrators=perpetrators,
            targets=targets,
            victims=victims,
            weapons=weapons,
            fatalities=fatalities,
            injuries=injuries,
            responsibility=responsibility if perpetrators else None,
            confidence=round(min(0.3 + 0.13 * anchors, 0.95), 2),
        )

    # -- arguments ---------------------------------------------------------------
    @staticmethod
    def _agents(index: MentionIndex, sent_i: int, nouns: dict[int, list[Span]], cache: dict) -> list[Agent]:
        """Actor-like mentions of a sentence, in text order (built once per sentence)."""
        if sent_i in cache:
            return cache[sent_i]
        found: list[Agent] = [Agent(m.span, m, m.value.get("kind")) for m in index.in_sentence("actors", sent_i)]
        found += [Agent(m.span, m, "person") for m in index.in_sentence("persons", sent_i)]
        covered = {t for a in found for t in range(a.span.start, a.span.end)}
        for span in nouns.get(sent_i, []):
            if span.label_ in ("perpetrators", "state_forces") and span.start not in covered:
                found.append(Agent(span, None, None, "person" if span.label_ == "perpetrators" else "organisation"))
        found.sort(key=lambda a: a.span.start)
        cache[sent_i] = found
        return found

    def perpetrators(self, doc: Doc, index: MentionIndex, c: Candidate, nouns, cache: dict) -> tuple[list[ActorRef], str | None]:
        chosen: list[ActorRef] = []
        responsibility: str | None = None
        claim_words = phrases_present(doc, self.g.claim_words)
        suspicion_words = phrases_present(doc, self.g.suspicion_words)
        attribution_words = phrases_present(doc, self.g.attribution_words)
        for sent_i in c.sentences + [c.sentences[-1] + 1]:
            if sent_i >= len(index.sentences):
                continue
            sent = index.sentences[sent_i]
            lowered = doc_lower(doc)[sent.start_char : sent.end_char]
            agents = self._agents(index, sent_i, nouns, cache)
            if any(w in lowered for w in claim_words):
                words = lowers(doc)
                claim_at = next(i for i in range(sent.start, sent.end) if words[i] in ("claimed", "claiming", "responsibility"))
                before = [a for a in agents if a.span.end <= claim_at]
                if before:
                    chosen.append(before[-1].ref())
                    responsibility = "claimed"
                    continue
            if sent_i not in c.sentences:
                continue
            triggers = [t for t in c.triggers if sent.start <= t.span.start < sent.end]
            for trig in triggers:
                after_by = self._after_by(doc, trig.span, agents, sent.end)
                if after_by is not None:
                    chosen.append(after_by.ref())
                    continue
                agent = self._agent_before(doc, trig.span, agents)
                if agent is not None:
                    chosen.append(agent.ref())
            if chosen and responsibility is None:
                if any(w in lowered for w in suspicion_words):
                    responsibility = "suspected"
                elif any(w in lowered for w in attribution_words):
                    responsibility = "attributed"
        unique = _unique(chosen)
        if unique and responsibility is None:
            responsibility = "attributed"
        return unique, responsibility

    @staticmethod
    def _after_by(doc: Doc, trig: Span, agents: list[Agent], sent_end: int) -> Agent | None:
        words = lowers(doc)
        for i in range(trig.end, min(trig.end + 6, sent_end)):
            if words[i] == "by":
                for agent in agents:
                    if i < agent.span.start <= i + 4:
                        return agent
        return None

    def _agent_before(self, doc: Doc, trig: Span, agents: list[Agent]) -> Agent | None:
        """The closest actor before the trigger that reads as its subject (never for a passive verb)."""
        words = lowers(doc)
        if self.g.is_passive(words, trig.start) or not self.g.is_verbal(words, trig):
            return None
        for agent in reversed([a for a in agents if a.span.end <= trig.start]):
            span, kind = agent.span, agent.kind
            if kind not in AGENT_ACTOR_KINDS:
                continue
            if span.start > 0 and words[span.start - 1] in self.g.agent_blockers:
                continue
            if self.g.target_markers.intersection(words[max(0, span.start - 3) : span.start]):
                continue
            if span.end < len(doc) and words[span.end] in self.g.reporting_after:
                continue
            if trig.start - span.end > 12:
                return None
            return agent
        return None

    def targets(self, doc: Doc, index: MentionIndex, c: Candidate, nouns) -> list[ActorRef]:
        found: list[ActorRef] = []
        words = lowers(doc)
        for trig in c.triggers:
            after = words[trig.span.end] if trig.span.end < len(doc) else ""
            preposition = after in ("on", "against", "targeting")
            if not (words[trig.span.end - 1] in self.g.target_verbs or preposition) or self.g.is_passive(words, trig.span.start):
                continue
            start = trig.span.end + (1 if preposition else 0)
            sent_i = index.sentence_of(trig.span.start)
            sent_end = index.sentences[sent_i].end
            end = start
            while end < sent_end and end - start < 10 and words[end] not in self.g.target_stops:
                end += 1
            if end <= start:
                continue
            chunk = doc[start:end]
            actors = [m for m in index.in_sentence("actors", sent_i) if m.start < end and start < m.end]
            has_noun = any(s.label_ in ("targets", "victims", "state_forces") and start <= s.start < end for s in nouns.get(sent_i, []))
            if actors or has_noun:
                actor_id = actors[0].value.get("actor") if actors else None
                found.append(ActorRef(start=chunk.start_char, end=chunk.end_char, text=text_of(chunk), kind="organisation", actor=actor_id))
        return _unique(found)

    def victims(self, doc: Doc, index: MentionIndex, c: Candidate, nouns) -> list[ActorRef]:
        found: list[ActorRef] = []
        for sent_i in c.sentences:
            sent_nouns = [s for s in nouns.get(sent_i, []) if s.label_ in ("victims", "state_forces")]
            for m in index.in_sentence("casualties", sent_i):
                for noun in sent_nouns:
                    if m.end <= noun.start <= m.end + 3:
                        found.append(span_ref(noun, "person"))
                        break
            for trig in (t for t in c.triggers if index.sentence_of(t.span.start) == sent_i):
                if self.g.is_passive(lowers(doc), trig.span.start):
                    # "two soldiers were killed": the subject before the verb is the victim
                    before = [n for n in sent_nouns if n.end <= trig.span.start and trig.span.start - n.end <= 4]
                    before += [p.span for p in index.in_sentence("persons", sent_i) if p.end <= trig.span.start and trig.span.start - p.end <= 4]
                    if before:
                        closest = max(before, key=lambda sp: sp.end)
                        found.append(span_ref(closest, "person"))
                if trig.span[-1].lower_ in ("killed", "assassinated", "kidnapped", "abducted", "murdered", "beheaded", "executed", "shot"):
                    for p in index.in_sentence("persons", sent_i):
                        if trig.span.end <= p.start <= trig.span.end + 2:
                            found.append(actor_ref(p))
        return _unique(found)

    @staticmethod
    def casualties(index: MentionIndex, c: Candidate) -> tuple[Bounds | None, Bounds | None]:
        best: dict[str, Bounds] = {}
        for sent_i in c.sentences:
            for m in index.in_sentence("casualties", sent_i):
                kind = m.value.get("kind")
                if kind not in ("killed", "injured"):
                    continue
                bounds = Bounds(min=m.value.get("min"), max=m.value.get("max"), text=m.value.get("text") or text_of(m.span))
                current = best.get(kind)
                if current is None or (bounds.min or bounds.max or 0) > (current.min or current.max or 0):
                    best[kind] = bounds
        return best.get("killed"), best.get("injured")

    def location(self, index: MentionIndex, c: Candidate) -> Location | None:
        """The most precise place of the incident's sentences, preferring 'in/at/near X'.

        A country used as a modifier ("U.S. troops", "Pakistani officials") says whose
        forces, not where, and is skipped.
        """
        words = lowers(index.doc)

        def best_of(sent_ids: Iterable[int]) -> Location | None:
            options = []
            for s in sent_ids:
                for m in places_in(index, s):
                    loc = m.value.get("location")
                    if not loc:
                        continue
                    precision = loc.get("precision") or "country"
                    following = words[m.end] if m.end < len(words) else ""
                    if precision == "country" and (following in self.g.modified_nouns or following.startswith("-")):
                        continue
                    locative = m.start > 0 and words[m.start - 1] in self.g.locatives
                    options.append((PRECISION_RANK.get(precision, 0), locative, -m.start, loc, m.span))
            if not options:
                return None
            *_, loc, span = max(options, key=lambda o: o[:3])
            return Location.model_validate({**loc, "text": text_of(span), "start": span.start_char, "end": span.end_char})

        found = best_of(c.sentences)
        if found is None:
            first = c.sentences[0]
            found = best_of(range(max(0, first - 2), first)) or best_of([0])
        return found or self._country_of_document(index.doc)

    def _country_of_document(self, doc: Doc) -> Location | None:
        """No place named near the event: the country the report is clearly about, at country precision."""
        weights = doc.user_data.get(COUNTRIES_KEY) or {}
        total = sum(weights.values())
        if not total:
            return None
        code, weight = max(weights.items(), key=lambda kv: kv[1])
        country = load_place_gazetteer().country(code) if weight / total > 0.5 else None
        if country is None:
            return None
        return Location(name=country.name, country=code, lat=country.lat, lon=country.lon,
                        geonames_id=country.geonames_id, precision="country")

    @staticmethod
    def date(index: MentionIndex, c: Candidate, published: dt.date | None) -> tuple[str | None, str | None, str | None]:
        """The first date named in the incident's sentences, else the publication day."""
        for sent_i in c.sentences:
            for m in index.in_sentence("dates", sent_i):
                if m.value.get("date"):
                    return m.value["date"], m.value.get("precision"), text_of(m.span)
        if published is not None:
            return published.isoformat(), "day", None
        return None, None, None

    def refine(self, main: Trigger, c: Candidate, perps, targets, victims, index: MentionIndex) -> str:
        """An 'Attack' on armed forces is an armed clash in ACLED's terms."""
        if main.sub_type != "Attack":
            return main.sub_type
        words = " ".join(r.text.lower() for r in targets + victims)
        tokens = set(words.split())
        if any((w in words) if " " in w else (w in tokens) for w in self.military):
            return "Armed clash"
        for ref in targets:
            if ref.actor and any(m.value.get("actor") == ref.actor and m.value.get("kind") == "state_force"
                                 for s in c.sentences for m in index.in_sentence("actors", s)):
                return "Armed clash"
        return "Attack"


def places_in(index: MentionIndex, sent_i: int) -> list[Mention]:
    """The sentence's places, less words inside a person's or actor's name ('LUIS' in 'LUIS ARTURO ISAACS').

    Asked again for each event and neighbour compared, so kept with the index.
    """
    key = ("places_in", sent_i)
    found = index.derived.get(key)
    if found is None:
        names = [(p.start, p.end) for kind in ("persons", "actors") for p in index.in_sentence(kind, sent_i)]
        found = index.derived[key] = [
            m for m in index.in_sentence("places", sent_i) if not any(a < m.end and m.start < b for a, b in names)
        ]
    return found


def _unique(refs: list[ActorRef]) -> list[ActorRef]:
    seen: set[tuple[int, int]] = set()
    out = []
    for ref in refs:
        if (ref.start, ref.end) not in seen:
            seen.add((ref.start, ref.end))
            out.append(ref)
    return out


@Language.factory("vigil_events")
def make_events(nlp: Language, name: str) -> EventExtractor:
    return EventExtractor(nlp)
