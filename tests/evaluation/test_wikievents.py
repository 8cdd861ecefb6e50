"""WikiEvents loading and scoring on a hand-made document in the file's format."""

from __future__ import annotations

from vigil.evaluation.datasets import _parse_wikievents
from vigil.evaluation.wikievents import score_wikievents
from vigil.model.records import ActorRef, Event, Extraction, Location, WeaponMention

SENTENCES = [
    "Taliban fighters attacked a police checkpoint in Kandahar .",
    "Two officers were killed by a roadside bomb .",
    "Talks resumed .",
]


def make_record() -> dict:
    """A WikiEvents record: global token indices, offsets with a one-character gap between sentences."""
    sentences, tokens, pos = [], [], 0
    for sentence in SENTENCES:
        toks = []
        for word in sentence.split():
            toks.append([word, pos, pos + len(word)])
            pos += len(word) + 1
        sentences.append([toks, sentence])
        tokens.extend(t[0] for t in toks)

    def mention(mid, sent, start, end):
        return {"id": mid, "sent_idx": sent, "start": start, "end": end, "entity_type": "X", "mention_type": "UNK",
                "text": " ".join(tokens[start:end])}

    def trig(start, sent):
        return {"start": start, "end": start + 1, "text": tokens[start], "sent_idx": sent}

    return {
        "doc_id": "w1",
        "tokens": tokens,
        "text": "".join(SENTENCES),  # glued, as in the real file
        "sentences": sentences,
        "entity_mentions": [
            mention("T1", 0, 0, 2),  # Taliban fighters
            mention("T2", 0, 4, 6),  # police checkpoint
            mention("T3", 0, 7, 8),  # Kandahar
            mention("T4", 1, 9, 11),  # Two officers
            mention("T5", 1, 15, 17),  # roadside bomb
        ],
        "relation_mentions": [],
        "event_mentions": [
            {"id": "E1", "event_type": "Conflict.Attack.Unspecified", "trigger": trig(2, 0),
             "arguments": [{"entity_id": "T1", "role": "Attacker", "text": ""},
                           {"entity_id": "T2", "role": "Target", "text": ""},
                           {"entity_id": "T3", "role": "Place", "text": ""}]},
            {"id": "E2", "event_type": "Life.Die.Unspecified", "trigger": trig(12, 1),
             "arguments": [{"entity_id": "T4", "role": "Victim", "text": ""},
                           {"entity_id": "T5", "role": "Instrument", "text": ""}]},
            {"id": "E3", "event_type": "Conflict.Attack.DetonateExplode", "trigger": trig(16, 1),
             "arguments": [{"entity_id": "T5", "role": "ExplosiveDevice", "text": ""}]},
            {"id": "E4", "event_type": "Contact.Contact.Meet", "trigger": trig(19, 2),
             "arguments": [{"entity_id": "T1", "role": "Participant", "text": ""}]},
        ],
    }


def span(text: str, words: str, after: int = 0) -> tuple[int, int]:
    i = text.index(words, after)
    return i, i + len(words)


def ref(text: str, words: str, after: int = 0, kind: str = "organisation") -> ActorRef:
    s, e = span(text, words, after)
    return ActorRef(start=s, end=e, text=words, kind=kind)  # type: ignore[arg-type]


def sentence_event(doc, idx: int, event_type: str, sub: str, **fields) -> Event:
    s, e = doc.sentences[idx]
    return Event(type=sub, event_type=event_type, start=s, end=e, sentence=doc.text[s:e], **fields)


def test_rebuilt_text_and_offsets():
    doc = _parse_wikievents(make_record())
    assert doc.text == "\n\n".join(SENTENCES)
    assert [doc.text[s:e] for s, e in doc.sentences] == SENTENCES
    m = doc.mentions["T1"]
    assert doc.text[m.start : m.end] == "Taliban fighters"
    assert doc.text[m.head[0] : m.head[1]] == "fighters"
    assert doc.text[slice(*doc.mentions["T4"].head)] == "officers"
    assert [(e.trigger_text, e.sentence) for e in doc.events][:3] == [("attacked", 0), ("killed", 1), ("bomb", 1)]


def predictions(doc) -> Extraction:
    t = doc.text
    s1 = doc.sentences[1][0]
    return Extraction(
        id="w1",
        events=[
            sentence_event(doc, 0, "Battles", "Armed clash",
                           perpetrators=[ref(t, "Taliban")],  # gold span "Taliban fighters" contains its head
                           targets=[ref(t, "checkpoint")],  # contains the gold head "checkpoint"
                           location=Location(text="Kandahar")),  # no offsets: found by its text
            sentence_event(doc, 1, "Explosions/Remote violence", "Remote explosive/landmine/IED",
                           victims=[ref(t, "officers", s1, kind="person")]),
            sentence_event(doc, 2, "Violence against civilians", "Attack", targets=[ref(t, "Talks")]),  # wrong
            sentence_event(doc, 2, "Protests", "Peaceful protest", perpetrators=[ref(t, "Talks")]),  # ignored
            sentence_event(doc, 2, "Violence against civilians", "Abduction/forced disappearance"),  # ignored
        ],
        weapons=[WeaponMention(start=span(t, "bomb")[0], end=span(t, "bomb")[1], text="bomb")],
    )


def counts(scores):
    return {(s.task, s.type): (s.tp, s.fp, s.fn) for s in scores}


def test_scores_exact_counts():
    doc = _parse_wikievents(make_record())
    scores = score_wikievents([doc], [predictions(doc)])
    assert counts(scores) == {
        ("wikievents-event", "Conflict.Attack"): (2, 1, 0),
        ("wikievents-arg", "Attacker"): (1, 0, 0),
        ("wikievents-arg", "Target"): (1, 1, 0),
        ("wikievents-arg", "Victim"): (1, 0, 0),
        ("wikievents-arg", "Instrument"): (1, 0, 0),  # Instrument + ExplosiveDevice on T5 count once
        ("wikievents-arg", "Place"): (1, 0, 0),
        ("wikievents-arg", "micro"): (5, 1, 0),
    }
    # Only event weapons: the sentence-level "bomb" no longer counts.
    assert counts(score_wikievents([doc], [predictions(doc)], weapons="event"))[("wikievents-arg", "Instrument")] == (0, 0, 1)


def test_one_prediction_cannot_cover_two_gold_attacks_in_a_sentence():
    record = make_record()
    record["event_mentions"].append(
        {"id": "E5", "event_type": "Conflict.Attack.Unspecified", "trigger": {"start": 12, "end": 13, "text": "killed", "sent_idx": 1}, "arguments": []}
    )
    doc = _parse_wikievents(record)
    only_one = Extraction(id="w1", events=[sentence_event(doc, 1, "Battles", "Armed clash")])
    assert counts(score_wikievents([doc], [only_one]))[("wikievents-event", "Conflict.Attack")] == (1, 0, 2)


def test_unanchored_location_is_a_false_positive():
    doc = _parse_wikievents(make_record())
    x = Extraction(id="w1", events=[sentence_event(doc, 0, "Battles", "Armed clash", location=Location(name="Nowhere"))])
    assert counts(score_wikievents([doc], [x]))[("wikievents-arg", "Place")] == (0, 1, 1)
