"""MUC-4 role-filler scoring on hand-made gold and predictions."""

from __future__ import annotations

import pytest

from vigil.evaluation.datasets import Muc4Doc
from vigil.evaluation.muc4 import (
    group_predictions,
    head_word,
    max_matching,
    normalise,
    predicted_fillers,
    score_muc4,
    score_role,
)
from vigil.model.records import ActorRef, Event, Extraction, WeaponMention

TEXT = "GUERRILLAS OF THE FMLN ATTACKED THE SUBSTATION WITH DYNAMITE AND KILLED HECTOR OQUELI. RIFLES WERE FOUND."


def ref(text: str, kind: str = "organisation", actor: str | None = None) -> ActorRef:
    start = TEXT.find(text) if text in TEXT else 0
    return ActorRef(start=start, end=start + len(text), text=text, kind=kind, actor=actor)  # type: ignore[arg-type]


def weapon(text: str) -> WeaponMention:
    start = TEXT.find(text)
    return WeaponMention(start=start, end=start + len(text), text=text)


def event(event_type: str, sub: str, **fields) -> Event:
    end = TEXT.find(".") + 1
    return Event(type=sub, event_type=event_type, start=0, end=end, sentence=TEXT[:end], **fields)


GOLD = [
    Muc4Doc(
        id="d1",
        text=TEXT,
        roles={
            "perp_individual_id": [["GUERRILLAS"], ["URBAN COMMANDOS"]],
            "perp_organization_id": [["FARABUNDO MARTI NATIONAL LIBERATION FRONT", "FMLN"]],
            "phys_tgt_id": [["ELECTRIC POWER SUBSTATION"]],
            "hum_tgt_name": [["HECTOR OQUELI"]],
            "incident_instrument_id": [["DYNAMITE"]],
        },
    ),
    Muc4Doc(id="d2", text="NOTHING HAPPENED.", roles={r: [] for r in ("perp_individual_id", "perp_organization_id", "phys_tgt_id", "hum_tgt_name", "incident_instrument_id")}),
]

PRED = [
    Extraction(
        id="d1",
        events=[
            event(
                "Battles",
                "Armed clash",
                perpetrators=[
                    ref("the guerrillas"),  # generic individual word -> PerpInd
                    ref("FMLN", actor="fmln"),
                    ref("Farabundo Marti National Liberation Front", actor="fmln"),  # same actor: one entity
                ],
                targets=[ref("THE SUBSTATION")],
                victims=[ref("HECTOR OQUELI", kind="person")],
            ),
            event("Protests", "Peaceful protest", perpetrators=[ref("students")]),  # not a MUC incident
        ],
        weapons=[weapon("DYNAMITE"), weapon("RIFLES")],  # RIFLES is outside the event's sentence
    ),
    Extraction(id="d2", events=[event("Battles", "Armed clash", perpetrators=[ref("army")])]),
]


def counts(scores):
    return {s.type: (s.tp, s.fp, s.fn) for s in scores}


def test_normalise_strips_case_punctuation_articles_and_space():
    assert normalise('  The "SANTO TOMAS"  presidential FARM ') == "santo tomas presidential farm"
    assert normalise("MEMBERS OF THE FMLN [FMLN]") == "members of fmln fmln"
    assert normalise("A") == ""


def test_head_word():
    assert head_word("members of the FMLN") == "members"
    assert head_word("the urban guerrillas") == "guerrillas"


def test_role_mapping():
    fillers = predicted_fillers(PRED[0])
    assert fillers["perp_individual_id"] == [(None, "the guerrillas")]
    assert [t for _, t in fillers["perp_organization_id"]] == ["FMLN", "Farabundo Marti National Liberation Front"]
    assert fillers["incident_instrument_id"] == [(None, "DYNAMITE")]
    assert predicted_fillers(PRED[0], weapons="event")["incident_instrument_id"] == []


def test_scores_exact_counts():
    scores = score_muc4(GOLD, PRED)
    assert counts(scores) == {
        "PerpInd": (1, 0, 1),
        "PerpOrg": (1, 1, 0),  # FMLN matched in d1; "army" in d2 has no gold
        "Target": (0, 1, 1),  # "substation" != "electric power substation" (exact match only)
        "Victim": (1, 0, 0),
        "Weapon": (1, 0, 0),
        "micro": (4, 2, 2),
    }
    total = scores[-1]
    assert total.precision == pytest.approx(4 / 6)
    assert total.recall == pytest.approx(4 / 6)
    assert total.f1 == pytest.approx(2 / 3)
    assert counts(score_muc4(GOLD, PRED, weapons="event"))["Weapon"] == (0, 0, 1)


def test_missing_extraction_counts_gold_as_missed():
    assert counts(score_muc4(GOLD[:1], []))["micro"] == (0, 0, 6)


def test_each_gold_entity_matched_once():
    # Two unresolved strings for the same gold entity: one tp, one fp.
    preds = group_predictions([(None, "FMLN"), (None, "the Farabundo Marti National Liberation Front")])
    assert len(preds) == 2
    assert score_role([["FARABUNDO MARTI NATIONAL LIBERATION FRONT", "FMLN"]], preds) == (1, 1, 0)
    # Duplicates after normalisation collapse into one prediction.
    assert score_role([["FMLN"]], group_predictions([(None, "FMLN"), (None, "the fmln")])) == (1, 0, 0)


def test_matching_is_maximal_not_greedy():
    # pred 0 could take gold 0 or 1, pred 1 only gold 0: the best alignment matches both.
    assert max_matching([[0, 1], [0]], 2) == 2
    assert max_matching([[0], [0]], 1) == 1
