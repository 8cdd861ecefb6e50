"""vigil_casualties: killed/injured counts as bounds, in mixed case and wire ALL CAPS."""

from pathlib import Path

import pytest

from vigil.nlp.extensions import get_value
from vigil.nlp.pipeline import build_pipeline

ACCEPTANCE = Path(__file__).parents[1] / "acceptance" / "commentary_2023_08_28.txt"


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(["vigil_sentences", "vigil_casualties"])


def figures(nlp, text):
    doc = nlp(text)
    out = []
    for span in doc.spans["casualties"]:
        value = get_value(span, "casualties")
        assert value["text"] == span.text
        out.append((span.text, value["kind"], value["min"], value["max"]))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Islamic State attacked a convention, killing more than 40 people and injuring more than 100.",
            [("more than 40", "killed", 40, None), ("more than 100", "injured", 100, None)],
        ),
        ("More than 40 were killed.", [("More than 40", "killed", 40, None)]),
        ("At least 54 people died.", [("At least 54", "killed", 54, None)]),
        ("The death toll rose to 63.", [("63", "killed", 63, 63)]),
        ("The blast left 12 dead and 30 wounded.", [("12", "killed", 12, 12), ("30", "injured", 30, 30)]),
        ("Gunmen killed 43 and injured over 100.", [("43", "killed", 43, 43), ("over 100", "injured", 100, None)]),
        ("Three soldiers were killed.", [("Three", "killed", 3, 3)]),
        ("Two policemen were injured.", [("Two", "injured", 2, 2)]),
        ("Dozens wounded in market blast.", [("Dozens", "injured", 24, None)]),
        ("The bomb went off, killing all 14 passengers.", [("all 14", "killed", 14, 14)]),
        ("20 people, including five children, were killed.", [("20", "killed", 20, 20)]),
        ("The attack killed 20 people, including five children.", [("20", "killed", 20, 20)]),
        ("Forty-three people were killed.", [("Forty-three", "killed", 43, 43)]),
        ("A dozen soldiers were wounded.", [("A dozen", "injured", 12, 12)]),
        ("Two hundred people died.", [("Two hundred", "killed", 200, 200)]),
        ("1,200 civilians have been killed.", [("1,200", "killed", 1200, 1200)]),
        ("40-odd fighters were killed.", [("40-odd", "killed", 40, None)]),
        ("Between 20 and 30 people were killed.", [("Between 20 and 30", "killed", 20, 30)]),
        ("Up to 30 people were killed.", [("Up to 30", "killed", None, 30)]),
        ("Nearly 50 died.", [("Nearly 50", "killed", None, 50)]),
        ("Almost 50 people were injured.", [("Almost 50", "injured", None, 50)]),
        ("About 30 were wounded.", [("About 30", "injured", 30, 30)]),
        ("Some 30 people were killed.", [("Some 30", "killed", 30, 30)]),
        ("Around 30 killed in raid.", [("Around 30", "killed", 30, 30)]),
        ("Several people were injured.", [("Several", "injured", 3, None)]),
        ("A suicide bomber killed himself and 12 others.", [("12", "killed", 12, 12)]),
        ("At least 17 people have been killed and 30 wounded.", [("At least 17", "killed", 17, None), ("30", "injured", 30, 30)]),
    ],
)
def test_casualties_mixed_case(nlp, text, expected):
    assert figures(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("THE EXPLOSION, KILLING 12 PEOPLE.", [("12", "killed", 12, 12)]),
        ("THREE PEASANTS WERE KILLED AND FIVE WOUNDED.", [("THREE", "killed", 3, 3), ("FIVE", "injured", 5, 5)]),
        ("KILLING MORE THAN 40 PEOPLE AND INJURING MORE THAN 100", [("MORE THAN 40", "killed", 40, None), ("MORE THAN 100", "injured", 100, None)]),
    ],
)
def test_casualties_all_caps(nlp, text, expected):
    assert figures(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A suicide bomber killed himself.",
        "He was killed 30 km from Kabul.",
        "A 12-year-old boy was killed.",
        "Scores of casualties were reported.",
        "The 30 delegates met for 12 hours.",
    ],
)
def test_no_false_counts(nlp, text):
    assert figures(nlp, text) == []


def test_dates_and_years_are_not_counts(nlp):
    assert figures(nlp, "In 2019 five people were killed.") == [("five", "killed", 5, 5)]
    assert figures(nlp, "On 30 July 12 people were killed.") == [("12", "killed", 12, 12)]


def test_vague_counts_carry_an_estimate(nlp):
    doc = nlp("Dozens were killed.")
    assert get_value(doc.spans["casualties"][0], "casualties")["estimate"] == 12


@pytest.mark.skipif(not ACCEPTANCE.exists(), reason="acceptance text absent")
def test_acceptance_commentary(nlp):
    found = figures(nlp, ACCEPTANCE.read_text("utf-8"))
    assert ("more than 40", "killed", 40, None) in found
    assert ("more than 100", "injured", 100, None) in found
    assert len(found) == 2
