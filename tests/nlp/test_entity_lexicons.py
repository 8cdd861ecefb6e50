"""vigil_entities on the rare re3d types: document references, nationalities and hardware from the word lists."""

from __future__ import annotations

import pytest

from vigil.model.records import Document
from vigil.nlp.pipeline import Extractor, build_pipeline


@pytest.fixture(scope="module")
def extractor():
    return Extractor(build_pipeline(["vigil_sentences", "vigil_persons", "vigil_entities"]))


def typed(extractor, text):
    return [(e.text, e.type) for e in extractor.extract(Document.from_text(text)).entities]


def test_lower_case_and_abbreviated_resolutions_are_documents(extractor):
    found = typed(extractor, "The council adopted resolution 2231 and recalled UNSCR 1373.")
    assert ("resolution 2231", "DocumentReference") in found
    assert ("UNSCR 1373", "DocumentReference") in found


def test_a_lower_case_resolution_needs_a_number(extractor):
    found = typed(extractor, "The council adopted a resolution on Tuesday.")
    assert not [text for text, kind in found if kind == "DocumentReference"]


def test_demonyms_beyond_the_middle_east(extractor):
    found = typed(extractor, "The refugees were Congolese, Rwandan and Tigrayan.")
    assert {("Congolese", "Nationality"), ("Rwandan", "Nationality"), ("Tigrayan", "Nationality")} <= set(found)


def test_platform_and_weapon_types_from_the_lists(extractor):
    found = typed(extractor, "Two corvettes escorted the convoy while howitzers fired and a T-90 advanced.")
    assert ("howitzers", "Weapon") in found
    assert any(kind == "MilitaryPlatform" and "corvettes" in text for text, kind in found)
    assert any(kind == "MilitaryPlatform" and "T-90" in text for text, kind in found)
