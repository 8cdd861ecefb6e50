"""vigil_entities: re3d-typed mentions from earlier components and its own rules."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Span

from vigil.model.records import Document
from vigil.nlp.extensions import set_value
from vigil.nlp.pipeline import Extractor, build_pipeline


@pytest.fixture(scope="module")
def extractor():
    return Extractor(build_pipeline(["vigil_sentences", "vigil_persons", "vigil_entities"]))


def typed(extractor, text):
    return [(e.text, e.type) for e in extractor.extract(Document.from_text(text)).entities]


def test_nationality_money_quantity(extractor):
    found = typed(extractor, "A Pakistani court froze $5 million and 50,000 rupees after 3,000 troops moved 200 km.")
    assert ("Pakistani", "Nationality") in found
    assert ("$5 million", "Money") in found
    assert ("50,000 rupees", "Money") in found
    assert ("3,000", "Quantity") in found
    assert ("200 km", "Quantity") in found


def test_document_references(extractor):
    found = typed(extractor, "UN Security Council Resolution 2255 extended the sanctions; Resolution 1267 created them, the report said.")
    assert ("UN Security Council Resolution 2255", "DocumentReference") in found
    assert ("Resolution 1267", "DocumentReference") in found
    assert ("the report", "DocumentReference") in found


def test_persons_temporal_and_organisations(extractor):
    found = typed(extractor, "Last week the Interior Ministry said President Pervez Musharraf met Iraqi security forces on 23 May 2006.")
    assert ("Last week", "Temporal") in found
    assert ("the Interior Ministry", "Organisation") in found
    assert ("President Pervez Musharraf", "Person") in found
    assert ("Iraqi security forces", "Organisation") in found
    assert ("23 May 2006", "Temporal") in found


def test_platforms_and_weapons(extractor):
    found = typed(extractor, "Coalition aircraft and two helicopters hit a VBIED and a heavy machine gun near a truck.")
    assert ("Coalition aircraft", "MilitaryPlatform") in found
    assert ("helicopters", "MilitaryPlatform") in found
    assert ("a VBIED", "Weapon") in found
    assert ("a heavy machine gun", "Weapon") in found
    assert ("a truck", "Vehicle") in found


def test_pronouns_only_when_asked():
    nlp = build_pipeline(["vigil_sentences", "vigil_persons", "vigil_entities"])
    doc = nlp("He said we will win.")
    assert list(doc.spans["entities"]) == []
    nlp.get_pipe("vigil_entities").pronouns = True
    doc = nlp("He said we will win.")
    assert [(s.text, s.label_) for s in doc.spans["entities"]] == [("He", "Person"), ("we", "Organisation")]


@Language.component("test_fake_actors")
def fake_actors(doc):
    """Stands in for vigil_actors: marks 'Tehrik-i-Taliban Pakistan' as the actor ttp."""
    spans = []
    for start in range(len(doc)):
        if doc[start].text == "Tehrik":
            end = next(i for i in range(start, len(doc)) if doc[i].text == "Pakistan") + 1
            span = Span(doc, start, end, label="ttp")
            set_value(span, "actors", {"actor": "ttp", "kind": "armed_group", "name": "Tehrik-i-Taliban Pakistan"})
            spans.append(span)
    doc.spans["actors"] = spans
    return doc


def test_entities_carry_actor_ids_from_actor_spans():
    nlp = build_pipeline(["vigil_sentences"])
    nlp.add_pipe("test_fake_actors")
    nlp.add_pipe("vigil_entities")
    extraction = Extractor(nlp).extract(Document.from_text("The Tehrik-i-Taliban Pakistan claimed the attack."))
    orgs = [e for e in extraction.entities if e.type == "Organisation"]
    assert len(orgs) == 1
    assert orgs[0].actor == "ttp"
    assert orgs[0].text == "The Tehrik-i-Taliban Pakistan"  # re3d includes the article
    assert orgs[0].extractor == "rules"


def test_all_caps_sentences_are_told_as_spacy_sentences_tell():
    nlp = build_pipeline(["vigil_sentences", "vigil_entities"])
    rules = nlp.get_pipe("vigil_entities").rules
    text = (
        "THE GUATEMALAN ARMY DENIED TODAY THAT GUERRILLAS ATTACKED THE FARM. The army said so. "
        "NATO and the UN met in Kabul.\n\nAN OFFICIAL OF THE U.S. EMBASSY SAID IT. OK."
    )
    for doc in (nlp.make_doc(text), nlp(text)):  # without and with sentence boundaries
        rules.prepare(doc)
        for token in doc:
            sentence = token.sent if doc.has_annotation("SENT_START") else doc[:]
            words = [t.text for t in sentence if t.is_alpha and len(t.text) > 1]
            plain = len(words) >= 3 and sum(w.isupper() for w in words) >= 0.7 * len(words)
            assert rules._all_caps_sentence(token.i) == plain, token.text
