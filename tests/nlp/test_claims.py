"""The claim component: speakers, stance, quotes and what a claim concerns."""

from __future__ import annotations

import datetime as dt

from vigil.model.records import Document


def claims(extractor, text: str):
    return extractor.extract(Document.from_text(text, published=dt.date(2023, 2, 1))).claims


def test_inverted_attribution(extractor):
    text = "A bomb exploded outside a mosque in Quetta, killing five people, police said."
    [claim] = claims(extractor, text)
    assert claim.speaker.text == "police" and claim.stance == "asserts"
    assert claim.text == "A bomb exploded outside a mosque in Quetta, killing five people"
    assert claim.concerns[0].kind == "event"
    assert claim.date == "2023-02-01"


def test_denial_by_a_spokesman_of_a_group(extractor):
    text = "TTP spokesman Muhammad Khurasani denied that the group was involved in the blast."
    [claim] = claims(extractor, text)
    assert claim.stance == "denies"
    assert claim.speaker.kind == "person" and "Khurasani" in claim.speaker.text
    assert claim.speaker_org is not None and claim.speaker_org.actor == "tehrik-e-taliban-pakistan"
    assert claim.text == "the group was involved in the blast"


def test_according_to(extractor):
    text = "According to the UN Monitoring Team, several thousand foreign fighters remain in Afghanistan."
    [claim] = claims(extractor, text)
    assert claim.stance == "asserts" and "Monitoring Team" in claim.speaker.text
    assert "foreign fighters" in claim.text


def test_all_caps_denial(extractor):
    text = "THE GUATEMALAN ARMY DENIED TODAY THAT GUERRILLAS ATTACKED THE SANTO TOMAS FARM."
    [claim] = claims(extractor, text)
    assert claim.stance == "denies"
    assert claim.text == "GUERRILLAS ATTACKED THE SANTO TOMAS FARM"


def test_no_claim_without_a_speaker(extractor):
    assert claims(extractor, "He said nothing.") == []


def test_one_matcher_finds_the_speaker_nouns_and_back_references(extractor):
    from spacy.matcher import PhraseMatcher

    from vigil.nlp.lexicon import load_patterns

    nlp = extractor.nlp
    component = nlp.get_pipe("vigil_claims")
    lexicon = load_patterns("claims")
    speakers, back = PhraseMatcher(nlp.vocab, attr="LOWER"), PhraseMatcher(nlp.vocab, attr="LOWER")
    speakers.add("speaker", [nlp.make_doc(t) for t in lexicon["speaker_nouns"]])
    back.add("back", [nlp.make_doc(t) for t in lexicon["back_references"]])
    doc = nlp.make_doc("A spokesman denied the report. Police said the claims were false; the report was wrong.")
    matches = component.matcher(doc)
    assert [m for m in matches if m[0] == component.speaker_label] == speakers(doc)
    assert [m[1:] for m in matches if m[0] != component.speaker_label] == [m[1:] for m in back(doc)]
    assert speakers(doc) and back(doc)
