"""The vigil_places component: matching in mixed case and ALL CAPS, country context."""

from __future__ import annotations

import pytest

from vigil.nlp.extensions import get_value
from vigil.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(["vigil_sentences", "vigil_actors", "vigil_places"])


def places(nlp, text):
    doc = nlp(text)
    return {span.text: get_value(span, "places")["location"] for span in doc.spans["places"]}


def test_peshawar(nlp):
    found = places(nlp, "A bomb exploded in Peshawar on Monday.")
    assert found["Peshawar"]["country"] == "PK" and found["Peshawar"]["admin1"] == "Khyber Pakhtunkhwa"
    assert found["Peshawar"]["precision"] == "place"
    assert found["Peshawar"]["text"] == "Peshawar" and found["Peshawar"]["start"] == 19


def test_all_caps_headline(nlp):
    found = places(nlp, "BOMB IN PESHAWAR KILLS 3")
    assert list(found) == ["PESHAWAR"] and found["PESHAWAR"]["country"] == "PK"


def test_hyderabad_by_context(nlp):
    assert places(nlp, "Police in Hyderabad said Pakistani officials in Sindh were told.")["Hyderabad"]["country"] == "PK"
    assert places(nlp, "Police in Hyderabad, India, said the Indian Army was deployed.")["Hyderabad"]["country"] == "IN"
    assert places(nlp, "TTP fighters were seen near Hyderabad.")["Hyderabad"]["country"] == "PK"  # actor country


def test_country_inside_actor_name_is_not_a_place(nlp):
    doc = nlp("The Tehrik-e-Taliban Pakistan attacked a post in Bajaur.")
    assert [span.text for span in doc.spans["places"]] == ["Bajaur"]
    assert get_value(doc.spans["places"][0], "places")["location"]["precision"] == "admin2"


def test_common_words_and_lowercase_are_not_places(nlp):
    assert places(nlp, "Police said the man hit a bar of soap. He was in peshawar.") == {}
    assert places(nlp, "THE POLICE SAID THE MAN WAS HIT.") == {}


def test_candidates_and_historic_names(nlp):
    doc = nlp("Clashes in the NWFP and North Waziristan; Mosul was calm.")
    values = {span.text: get_value(span, "places") for span in doc.spans["places"]}
    assert values["NWFP"]["location"]["admin1"] == "Khyber Pakhtunkhwa"
    assert values["North Waziristan"]["location"]["precision"] == "admin2"
    assert values["Mosul"]["location"]["country"] == "IQ"
    assert values["Mosul"]["candidates"][0]["name"] == "Mosul"


def test_pipe(nlp):
    docs = list(nlp.pipe(["Kabul", "Nothing to see."]))
    assert [s.text for s in docs[0].spans["places"]] == ["Kabul"] and len(docs[1].spans["places"]) == 0


def test_forgetting_the_word_tables_changes_nothing(nlp, monkeypatch):
    """The per-word tables are dropped when they grow too big; the places found stay the same."""
    import vigil.nlp.components.places as module

    texts = [
        "BOMB IN PESHAWAR KILLS 3",
        "Police in Hyderabad, India, said the Indian Army was deployed near Karachi and Quetta.",
        "A bomb exploded in Peshawar on Monday. Pakistani officials in Sindh were told.",
    ]
    expected = [places(nlp, text) for text in texts]
    fresh = build_pipeline(["vigil_sentences", "vigil_actors", "vigil_places"])
    monkeypatch.setattr(module, "_MAX_WORDS", 12)  # fewer than any of these texts has
    assert [places(fresh, text) for text in texts] == expected
    assert [places(fresh, text) for text in texts] == expected
    assert len(fresh.get_pipe("vigil_places")._words) <= 20
