"""From per-token role probabilities to document-level entities, and their scoring."""

from __future__ import annotations

from vigil.evaluation.datasets import Muc4Doc
from vigil.evaluation.muc4 import score_entities
from vigil.nlp.learned.roles_decode import DecodeSettings, RoleSpan, decode, marginal_labels, marginal_spans, tagged_spans
from vigil.nlp.learned.roles_features import Sentence
from vigil.nlp.learned.roles_train import as_predicted, choose_decoding

ROLES = ("PerpInd", "Target")
TEXT = "GUERRILLAS BURNED A TANK TRUCK"
WORDS = TEXT.split()
OFFSETS = []
for word in WORDS:
    start = TEXT.index(word, OFFSETS[-1][1] if OFFSETS else 0)
    OFFSETS.append((start, start + len(word)))
SENTENCE = Sentence(list(range(len(WORDS))), WORDS, [() for _ in WORDS])


def row(**probs: float) -> list[float]:
    labels = marginal_labels(ROLES)
    values = [probs.get(label.replace("-", "_"), 0.0) for label in labels]
    values[0] = 1.0 - sum(values)
    return values


MARGINALS = [[
    row(B_PerpInd=0.8),
    row(),
    row(),
    row(B_Target=0.6),
    row(I_Target=0.55, B_Target=0.3),
]]


def test_marginal_spans_start_on_b_and_extend_while_i_holds():
    spans = marginal_spans(TEXT, OFFSETS, [SENTENCE], MARGINALS, ROLES, floor=0.05, keep=0.5)
    found = {(s.role, s.text, round(s.score, 2)) for s in spans}
    assert ("PerpInd", "GUERRILLAS", 0.8) in found
    assert ("Target", "TANK TRUCK", 0.6) in found
    assert ("Target", "TRUCK", 0.3) in found  # a weaker reading, starting inside


def test_viterbi_spans_carry_mean_marginals():
    spans = tagged_spans(TEXT, OFFSETS, [SENTENCE], [(["B-PerpInd", "O", "O", "B-Target", "I-Target"], [0.9, 1, 1, 0.6, 0.4])])
    assert [(s.role, s.text, round(s.score, 2)) for s in spans] == [("PerpInd", "GUERRILLAS", 0.9), ("Target", "TANK TRUCK", 0.5)]


def test_decode_merges_nested_strings_thresholds_and_caps():
    spans = [RoleSpan("Target", 3, 5, "TANK TRUCK", 0.6), RoleSpan("Target", 4, 5, "TRUCK", 0.3),
             RoleSpan("Target", 9, 10, "BRIDGE", 0.2), RoleSpan("PerpInd", 0, 1, "GUERRILLAS", 0.8)]
    merged = decode(spans, DecodeSettings({"Target": 0.1}, merge_nested=True))
    assert [e.strings for e in merged["Target"]] == [{"tank truck", "truck"}, {"bridge"}]
    separate = decode(spans, DecodeSettings({"Target": 0.25}, merge_nested=False))
    assert [e.strings for e in separate["Target"]] == [{"tank truck"}, {"truck"}]
    capped = decode(spans, DecodeSettings({}, max_per_role=1))
    assert [e.strings for e in capped["Target"]] == [{"tank truck", "truck"}]


def test_entities_score_like_the_muc4_scorer():
    gold = Muc4Doc("d1", TEXT, {"perp_individual_id": [["GUERRILLAS"]], "phys_tgt_id": [["TRUCK"]], "hum_tgt_name": [["MAYOR"]]})
    entities = decode([RoleSpan("Target", 3, 5, "TANK TRUCK", 0.6), RoleSpan("Target", 4, 5, "TRUCK", 0.3),
                       RoleSpan("Victim", 0, 1, "GUERRILLAS", 0.4)], DecodeSettings())
    rows = {s.type: s for s in score_entities([gold], {"d1": as_predicted(entities)})}
    assert (rows["Target"].tp, rows["Target"].fp) == (1, 0)  # one entity holding both strings
    assert (rows["Victim"].tp, rows["Victim"].fp, rows["Victim"].fn) == (0, 1, 1)
    assert rows["PerpInd"].fn == 1
    assert (rows["micro"].tp, rows["micro"].fp, rows["micro"].fn) == (1, 1, 2)


def test_choose_decoding_picks_the_threshold_that_drops_a_false_filler():
    gold = [Muc4Doc("d1", TEXT, {"phys_tgt_id": [["TANK TRUCK"]]})]
    spans = {"d1": [RoleSpan("Target", 3, 5, "TANK TRUCK", 0.6), RoleSpan("Target", 9, 10, "BRIDGE", 0.12)]}
    chosen = choose_decoding(gold, spans)
    assert 0.12 < chosen.thresholds["Target"] <= 0.6


def test_scorer_adds_sentence_weapons_only_to_rule_filled_events():
    from vigil.evaluation.muc4 import predicted_fillers
    from vigil.model.records import Event, Extraction, WeaponMention

    text = "REBELS FIRED RIFLES AND A MORTAR AT THE POST."
    rifles = WeaponMention(start=13, end=19, text="RIFLES")
    mortar = WeaponMention(start=26, end=32, text="MORTAR")

    def fillers(extractor: str) -> list[str]:
        event = Event(type="Attack", event_type="Violence against civilians", start=0, end=len(text), sentence=text,
                      weapons=[mortar], extractor=extractor)
        extraction = Extraction(id="d", events=[event], weapons=[rifles, mortar])
        return sorted(t for _, t in predicted_fillers(extraction)["incident_instrument_id"])

    assert fillers("rules") == ["MORTAR", "MORTAR", "RIFLES"]
    assert fillers("rules+roles-crf-v1") == ["MORTAR"]


def test_an_acronym_joins_the_long_form_it_was_introduced_with():
    from vigil.nlp.learned.roles_decode import acronyms

    text = "MEMBERS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT (FMLN) ATTACKED. THE FMLN AND THE ARMY (FAES) ..."
    known = acronyms(text)
    assert "farabundo marti national liberation front" in known["fmln"]
    spans = [RoleSpan("PerpOrg", 3, 8, "FARABUNDO MARTI NATIONAL LIBERATION FRONT", 0.9),
             RoleSpan("PerpOrg", 12, 13, "FMLN", 0.5), RoleSpan("PerpOrg", 15, 16, "ARMY", 0.4)]
    merged = decode(spans, DecodeSettings(), text)
    assert [e.strings for e in merged["PerpOrg"]] == [{"farabundo marti national liberation front", "fmln"}, {"army"}]
    apart = decode(spans, DecodeSettings(merge_acronyms=False), text)
    assert len(apart["PerpOrg"]) == 3
