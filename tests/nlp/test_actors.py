"""The vigil_actors component: aliases to canonical ids, longest match, ALL-CAPS text."""

from __future__ import annotations

import pytest

from vigil.nlp.extensions import get_value
from vigil.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(["vigil_sentences", "vigil_actors"])


def actors(nlp, text):
    doc = nlp(text)
    return [(span.text, span.label_) for span in doc.spans["actors"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The TTP claimed the attack.", [("TTP", "tehrik-e-taliban-pakistan")]),
        ("THE TTP CLAIMED THE ATTACK.", [("TTP", "tehrik-e-taliban-pakistan")]),
        ("Fighters of the Tehreek-e-Taliban attacked.", [("Tehreek-e-Taliban", "tehrik-e-taliban-pakistan")]),
        ("THE TEHRIK-E-TALIBAN PAKISTAN SAID", [("TEHRIK-E-TALIBAN PAKISTAN", "tehrik-e-taliban-pakistan")]),
        ("IS fighters entered the town.", [("IS", "islamic-state")]),
        ("Daesh and ISIS are one group.", [("Daesh", "islamic-state"), ("ISIS", "islamic-state")]),
        ("ISKP said it carried out the attack.", [("ISKP", "islamic-state-khorasan-province")]),
        ("ISLAMIC STATE KHORASAN PROVINCE CLAIMED IT", [("ISLAMIC STATE KHORASAN PROVINCE", "islamic-state-khorasan-province")]),
        ("IS-K claimed it.", [("IS-K", "islamic-state-khorasan-province")]),
        ("JUI-F workers protested.", [("JUI-F", "jamiat-ulema-e-islam-f")]),
        ("JUI-F WORKERS PROTESTED.", [("JUI-F", "jamiat-ulema-e-islam-f")]),
        ("Jamiat Ulema-e-Islam-Fazl chief spoke.", [("Jamiat Ulema-e-Islam-Fazl", "jamiat-ulema-e-islam-f")]),
        ("The ANDSF withdrew.", [("ANDSF", "andsf")]),
        ("AFGHAN NATIONAL DEFENSE AND SECURITY FORCES WITHDREW", [("AFGHAN NATIONAL DEFENSE AND SECURITY FORCES", "andsf")]),
    ],
)
def test_aliases_resolve(nlp, text, expected):
    assert actors(nlp, text) == expected


def test_is_the_verb_in_all_caps_is_not_an_actor(nlp):
    found = actors(nlp, "THE SITUATION IS TENSE AND THE ARMY IS ON ALERT, THE ISIS THREAT IS REAL.")
    assert ("IS", "islamic-state") not in found
    assert ("ISIS", "islamic-state") in found


def test_taliban_and_ttp_are_distinct(nlp):
    found = actors(nlp, "The Taliban in Kabul distanced themselves from the Tehrik-e-Taliban Pakistan.")
    assert found == [("Taliban", "taliban"), ("Tehrik-e-Taliban Pakistan", "tehrik-e-taliban-pakistan")]


def test_value_and_pipe(nlp):
    docs = list(nlp.pipe(["Zabihullah Mujahid, the Taliban spokesman, spoke.", "Nothing here."]))
    span = docs[0].spans["actors"][0]
    assert get_value(span, "actors") == {"actor": "zabihullah-mujahid", "kind": "person", "name": "Zabihullah Mujahid"}
    assert len(docs[1].spans["actors"]) == 0


def test_lowercase_word_is_not_an_acronym(nlp):
    assert actors(nlp, "He gave a tip to the waiter; it is late.") == []


# --- spelling variants through the variant index -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tahrik-i-Taleban Pakistan claimed the attack.", [("Tahrik-i-Taleban Pakistan", "tehrik-e-taliban-pakistan")]),
        ("Militants of Lashkar e Toiba crossed.", [("Lashkar e Toiba", "lashkar-e-taiba")]),
        ("Serajuddin Haqani was named.", [("Serajuddin Haqani", "sirajuddin-haqqani")]),
        ("Hezb-ul Mujahidin cadres met.", [("Hezb-ul Mujahidin", "hizb-ul-mujahideen")]),
    ],
)
def test_spelling_variants_resolve(nlp, text, expected):
    assert actors(nlp, text) == expected


def test_a_variant_spelling_of_the_ttp_is_never_the_taliban(nlp):
    found = actors(nlp, "The Afghan Taleban and the Tahreek-e-Taleban Pakistan met.")
    assert found == [("Afghan Taleban", "taliban"), ("Tahreek-e-Taleban Pakistan", "tehrik-e-taliban-pakistan")]


def test_an_alias_inside_another_groups_name_is_dropped(nlp):
    # "Taleban" is an alias of the Taliban; here it is a word of a faction's name, which resolves to nothing
    assert actors(nlp, "Fighters of the Tehreek-e-Taleban Swat attacked.") == []
    assert actors(nlp, "Jamiat Ulema-e-Islam-Fazl and Jamiat Ulema-e-Islam") == [
        ("Jamiat Ulema-e-Islam-Fazl", "jamiat-ulema-e-islam-f"), ("Jamiat Ulema-e-Islam", "jamiat-ulema-e-islam")]


def test_in_all_caps_text_an_alias_inside_another_name_is_dropped_too(nlp):
    assert actors(nlp, "THE TEHRIK-I-TALEBAN SWAT SAID") == []
    assert actors(nlp, "THE TEHRIK-I-TALIBAN PAKISTAN SAID") == [("TEHRIK-I-TALIBAN PAKISTAN", "tehrik-e-taliban-pakistan")]
