"""vigil_weapons: one span per weapon mention, with class, model, calibre and origin."""

from pathlib import Path

import pytest

from vigil.nlp.extensions import get_value
from vigil.nlp.lexicon import load_patterns
from vigil.nlp.pipeline import build_pipeline

ACCEPTANCE = Path(__file__).parents[1] / "acceptance" / "commentary_2023_08_28.txt"


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(["vigil_sentences", "vigil_weapons"])


def weapons(nlp, text):
    doc = nlp(text)
    out = []
    for span in doc.spans["weapons"]:
        value = get_value(span, "weapons")
        out.append((span.text, value["weapon_class"], value["model"], value["calibre"], value["origin"]))
    return out


def test_issue_examples(nlp):
    assert weapons(nlp, "providing NATO-calibre weapons to IS-K") == [
        ("NATO-calibre weapons", "weapons", None, None, "NATO-calibre")
    ]
    assert weapons(nlp, "They carried US-made M4 rifles.") == [
        ("US-made M4 rifles", "rifle", "M4", "5.56x45mm NATO", "US-made")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("armed with AK-47s", ("AK-47s", "assault rifle", "AK-47", "7.62x39mm", None)),
        ("a Kalashnikov", ("Kalashnikov", "assault rifle", "AK-47", "7.62x39mm", None)),
        ("PKM machine guns", ("PKM machine guns", "machine gun", "PK", "7.62x54mmR", None)),
        ("an RPG-7", ("RPG-7", "RPG", "RPG-7", None, None)),
        ("Stinger missiles", ("Stinger missiles", "missile", "Stinger", None, None)),
        ("a Soviet-era Dragunov sniper rifle", ("Soviet-era Dragunov sniper rifle", "sniper rifle", "Dragunov", "7.62x54mmR", "Soviet-era")),
        ("a Glock pistol", ("Glock pistol", "pistol", "Glock", "9x19mm", None)),
        ("Chinese-made rockets", ("Chinese-made rockets", "rocket", None, None, "Chinese-made")),
        ("drones of Iranian origin", ("drones of Iranian origin", "drone", None, None, "of Iranian origin")),
        ("7.62 x 39 mm ammunition", ("7.62 x 39 mm ammunition", "ammunition", None, "7.62x39mm", None)),
        ("5.56mm rifles", ("5.56mm rifles", "rifle", None, "5.56x45mm NATO", None)),
        ("a .50 calibre machine gun", (".50 calibre machine gun", "machine gun", None, "12.7x99mm NATO", None)),
        ("a 12.7mm", ("12.7mm", None, None, "12.7mm", None)),
        ("a roadside bomb", ("roadside bomb", "IED", None, None, None)),
        ("a car bomb", ("car bomb", "VBIED", None, None, None)),
        ("a suicide vest", ("suicide vest", "suicide vest", None, None, None)),
        ("hand grenades", ("hand grenades", "grenade", None, None, None)),
        ("mortar rounds", ("mortar rounds", "mortar", None, None, None)),
        ("landmines", ("landmines", "landmine", None, None, None)),
        ("night-vision equipment", ("night-vision equipment", "night-vision equipment", None, None, None)),
        ("small arms and light weapons", ("small arms and light weapons", "small arms and light weapons", None, None, None)),
        ("explosives", ("explosives", "explosives", None, None, None)),
        ("T-72 tanks", ("T-72 tanks", "tank", "T-72", None, None)),
        ("an armoured vehicle", ("armoured vehicle", "armoured vehicle", None, None, None)),
        ("a Mi-17 helicopter", ("Mi-17 helicopter", "helicopter", "Mi-8/17", None, None)),
        ("an F-16", ("F-16", "combat aircraft", "F-16", None, None)),
        ("a UAV", ("UAV", "drone", None, None, None)),
        ("Grad rockets", ("Grad rockets", "rocket", "BM-21 Grad", "122mm", None)),
        ("arms smuggling", ("arms", "weapons", None, None, None)),
    ],
)
def test_weapons_mixed_case(nlp, text, expected):
    assert weapons(nlp, text) == [expected]


def test_weapons_all_caps(nlp):
    assert weapons(nlp, "ARMED WITH AK-47 RIFLES AND M-16 RIFLES") == [
        ("AK-47 RIFLES", "rifle", "AK-47", "7.62x39mm", None),
        ("M-16 RIFLES", "rifle", "M16", "5.56x45mm NATO", None),
    ]
    assert weapons(nlp, "US-MADE M4 RIFLES")[0][1:] == ("rifle", "M4", "5.56x45mm NATO", "US-MADE")


def test_origins_before_and_after(nlp):
    assert weapons(nlp, "former Afghan security forces' weapons were sold") == [
        ("former Afghan security forces' weapons", "weapons", None, None, "former Afghan security forces")
    ]
    text = "weapons left behind by the Afghan National Defence and Security Forces"
    assert weapons(nlp, text) == [(text, "weapons", None, None, "left behind by the Afghan National Defence and Security Forces")]


@pytest.mark.parametrize(
    "text",
    [
        "He held the child in his arms.",
        "The militants took up arms.",
        "A water tank exploded.",
        "Graduate and grad students protested.",
        "Give us a chance.",
        "The gunmen fled.",
        "A suicide bombing.",
    ],
)
def test_no_false_weapons(nlp, text):
    assert weapons(nlp, text) == []


def test_pronoun_us_is_no_origin(nlp):
    assert weapons(nlp, "give us weapons") == [("weapons", "weapons", None, None, None)]


def test_lexicon_is_consistent():
    data = load_patterns("weapons")
    classes = {entry["class"] for entry in data["classes"]}
    terms = [t for entry in data["classes"] + data["models"] for t in entry["terms"]]
    assert all(t == t.lower() for t in terms)
    assert all(model["class"] in classes for model in data["models"])
    assert set(data["case_sensitive"]) <= set(terms)


@pytest.mark.skipif(not ACCEPTANCE.exists(), reason="acceptance text absent")
def test_acceptance_commentary(nlp):
    found = weapons(nlp, ACCEPTANCE.read_text("utf-8"))
    assert ("NATO-calibre weapons", "weapons", None, None, "NATO-calibre") in found
    arms = [w for w in found if w[0].startswith("arms left behind")]
    assert arms and arms[0][4] == "left behind by the former Afghan security forces"
    assert any(w[1] == "night-vision equipment" for w in found)
    assert any(w[0] == "rifles" and w[1] == "rifle" for w in found)


def _term_end_char_by_char(low: str, at: int, term: str) -> int | None:
    """The term comparison as first written: a space or hyphen in the term matches one of
    space, hyphen, tab, newline and then skips spaces, tabs and newlines."""
    i = at
    for ch in term:
        if i >= len(low):
            return None
        if ch in " -":
            if low[i] not in " -\n\t":
                return None
            i += 1
            while i < len(low) and low[i] in " \n\t":
                i += 1
        elif low[i] != ch:
            return None
        else:
            i += 1
    return i


def test_term_patterns_compare_like_the_words():
    import random

    from vigil.nlp.components.weapons import _term_pattern, weapon_rules

    terms = [*weapon_rules().terms, "a  b", "a -b", "x- y"]
    rng = random.Random(3)
    for _ in range(20_000):
        term = rng.choice(terms)
        if rng.random() < 0.5:
            low = "".join(rng.choice("ab -\n\tk47xy.") for _ in range(rng.randint(0, 12)))
        else:  # the term with its separators varied
            low = "".join(rng.choice([" ", "  ", "-", "\n", " -", "\t "]) if c in " -" else c for c in term)
            low += rng.choice(["", "s", " x", "-"])
        at = rng.randint(0, 2) if rng.random() < 0.3 else 0
        match = _term_pattern(term).match(low, at)
        assert (match.end() if match else None) == _term_end_char_by_char(low, at, term), (term, low, at)
