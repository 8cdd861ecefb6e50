"""vigil_persons: names found through titles, lexicons and reporting appositives."""

from __future__ import annotations

import pytest

from vigil.nlp.extensions import get_value
from vigil.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(["vigil_sentences", "vigil_persons"])


def persons(nlp, text):
    doc = nlp(text)
    return [(s.text, get_value(s, "persons")) for s in doc.spans["persons"]]


def test_titles_in_mixed_case(nlp):
    found = persons(nlp, "Taliban spokesman Zabihullah Mujahid said President Pervez Musharraf met Lt. Gen. Stephen J. Townsend.")
    assert ("spokesman Zabihullah Mujahid", {"name": "Zabihullah Mujahid", "role": "spokesman"}) in found
    assert ("President Pervez Musharraf", {"name": "Pervez Musharraf", "role": "President"}) in found
    assert ("Lt. Gen. Stephen J. Townsend", {"name": "Stephen J. Townsend", "role": "Lt. Gen."}) in found


def test_religious_titles_and_nationality_prefix(nlp):
    found = dict(persons(nlp, "Maulana Fazlullah and Iraqi Prime Minister Nouri al-Maliki spoke; Mr Johnson listened."))
    assert found["Maulana Fazlullah"] == {"name": "Fazlullah", "role": "Maulana"}
    assert found["Iraqi Prime Minister Nouri al-Maliki"] == {"name": "Nouri al-Maliki", "role": "Iraqi Prime Minister"}
    assert found["Mr Johnson"]["name"] == "Johnson"


def test_all_caps_wire_text(nlp):
    found = persons(nlp, "ARMED FORCES SPOKESMAN COLONEL LUIS ARTURO ISAACS SAID THE ATTACK FAILED.")
    assert len(found) == 1
    text, value = found[0]
    assert text.endswith("COLONEL LUIS ARTURO ISAACS")
    assert value["name"] == "Luis Arturo Isaacs"
    assert "Colonel" in value["role"]


def test_name_lexicon_appositive_and_later_mention(nlp):
    found = persons(nlp, "Baitullah Mehsud was killed. Jane Doe, a spokeswoman for the army, said Mehsud had fled.")
    texts = [t for t, _ in found]
    assert texts == ["Baitullah Mehsud", "Jane Doe", "Mehsud"]
    assert found[2][1]["name"] == "Baitullah Mehsud"


def test_role_alone_and_no_false_names(nlp):
    found = persons(nlp, "The Foreign Secretary visited the Islamic State stronghold in North Waziristan on Monday.")
    assert found == [("The Foreign Secretary", {"name": None, "role": "Foreign Secretary"})]
