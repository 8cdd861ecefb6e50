"""``vigil_learned_roles``: tagged fillers attached to the rule events; the shipped CRF on text of our own."""

from __future__ import annotations

import importlib.util

import pytest

from vigil.evaluation.muc4 import predicted_fillers
from vigil.model.records import Event
from vigil.nlp.convert import doc_to_extraction
from vigil.nlp.learned import roles_model
from vigil.nlp.learned.roles_component import LearnedRoles, host_event
from vigil.nlp.learned.roles_decode import Entity, RoleSpan
from vigil.nlp.pipeline import Extractor, build_pipeline, components_for

TEXT = (
    "Gunmen of the Shining Path attacked a police station in Ayacucho on Monday, killing two policemen.\n\n"
    "Witnesses said the attackers threw dynamite at the building before they fled."
)


class PhraseModel:
    """A stand-in tagger that finds fixed phrases: the attaching logic, without a trained model."""

    def __init__(self, phrases: dict[str, list[str]]) -> None:
        self.phrases = phrases

    def predict(self, document) -> dict[str, list[Entity]]:
        starts = {start: i for i, (start, _) in enumerate(document.offsets)}
        out: dict[str, list[Entity]] = {}
        for role, phrases in self.phrases.items():
            for phrase in phrases:
                char = document.text.find(phrase)
                first = starts[char]
                last = next(i for i, (_, end) in enumerate(document.offsets) if end == char + len(phrase))
                span = RoleSpan(role, first, last + 1, phrase, 0.9)
                out.setdefault(role, []).append(Entity(role, [span], {phrase.lower()}))
        return out


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor(build_pipeline(components_for("fast")))


def event(start: int, end: int, event_type: str = "Violence against civilians") -> Event:
    return Event(type="Attack", event_type=event_type, start=start, end=end, sentence="x" * (end - start))


def test_host_event_prefers_the_containing_then_the_nearest_violent_event():
    events = [event(0, 50, "Protests"), event(60, 100), event(200, 250)]
    assert host_event(events, 70, 80) == 1
    assert host_event(events, 110, 120) == 1  # nearest violent one
    assert host_event(events, 10, 20) == 1  # inside a protest: a violent event wins
    assert host_event([event(0, 50, "Protests")], 60, 70) == 0
    assert host_event([], 1, 2) is None


def test_component_fills_the_event_roles(rules):
    doc = rules.annotate(TEXT)
    assert doc._.events, "the rules should find the attack"
    model = PhraseModel({"PerpInd": ["Gunmen"], "PerpOrg": ["Shining Path"], "Target": ["police station"],
                         "Victim": ["two policemen"], "Weapon": ["dynamite"]})
    LearnedRoles(model, policy="replace", orphans="drop")(doc)
    extraction = doc_to_extraction(doc, "t1")
    fillers = {role: {text for _, text in found} for role, found in predicted_fillers(extraction, weapons="event").items()}
    assert fillers == {
        "perp_individual_id": {"Gunmen"},
        "perp_organization_id": {"Shining Path"},
        "phys_tgt_id": {"police station"},
        "hum_tgt_name": {"two policemen"},
        "incident_instrument_id": {"dynamite"},  # second sentence: attached to the nearest event
    }
    perpetrators = {ref.text: ref.kind for e in extraction.events for ref in e.perpetrators}
    assert perpetrators == {"Gunmen": "person", "Shining Path": "organisation"}
    assert all(e.extractor.endswith("roles-crf-v1") for e in extraction.events)
    for e in extraction.events:
        for ref in [*e.perpetrators, *e.targets, *e.victims, *e.weapons]:
            assert TEXT[ref.start : ref.end] == ref.text


def roles_of(doc, field: str) -> set[str]:
    return {r.text for e in doc._.events for r in getattr(e, field)}


def test_policies_decide_what_becomes_of_rule_roles_and_orphan_fillers(rules):
    rule_victims = roles_of(rules.annotate(TEXT), "victims")
    assert rule_victims, "the rules should find the victims"
    tagger = PhraseModel({"Weapon": ["dynamite"], "Target": ["police station"]})
    for policy, victims in (("merge", rule_victims), ("fill", rule_victims), ("replace", set()), ("document", set())):
        doc = rules.annotate(TEXT)
        LearnedRoles(tagger, policy=policy)(doc)
        assert roles_of(doc, "victims") == victims, policy
        assert "dynamite" in roles_of(doc, "weapons"), policy
    doc = rules.annotate(TEXT)
    LearnedRoles(PhraseModel({}), policy="document")(doc)  # a silent tagger leaves the rules' roles
    assert roles_of(doc, "victims") == rule_victims
    quiet_text = "The minister met the ambassador in Lima to talk about trade."
    quiet = rules.annotate(quiet_text)
    LearnedRoles(PhraseModel({"PerpInd": ["minister"]}), orphans="drop")(quiet)
    assert quiet._.events == []
    # a confident filler where the rules saw no violent event gets an event of its own...
    quiet = rules.annotate(quiet_text)
    LearnedRoles(PhraseModel({"PerpInd": ["minister"]}), orphans="event", orphan_score=0.7)(quiet)
    [made] = quiet._.events
    assert (made.type, made.extractor, made.sentence) == ("Attack", "roles-crf-v1", quiet_text)
    assert [r.text for r in made.perpetrators] == ["minister"]
    # ...a weak one does not
    quiet = rules.annotate(quiet_text)
    LearnedRoles(PhraseModel({"PerpInd": ["minister"]}), orphans="event", orphan_score=0.95)(quiet)
    assert quiet._.events == []
    with pytest.raises(ValueError, match="policy"):
        LearnedRoles(PhraseModel({}), policy="sometimes")


needs_model = pytest.mark.skipif(
    importlib.util.find_spec("pycrfsuite") is None or roles_model.model_unavailable() is not None,
    reason="the role tagger needs python-crfsuite (ml extra) and the shipped model",
)

WIRE = (
    "URBAN GUERRILLAS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT (FMLN) LAST NIGHT ATTACKED A POLICE POST "
    "IN SAN MIGUEL WITH A MORTAR, KILLING A PEASANT WHO WAS PASSING BY.\n\n   ACCORDING TO POLICE SOURCES, THE "
    "GUERRILLAS ALSO DYNAMITED A BRIDGE ON THE COASTAL HIGHWAY AND FLED."
)


@needs_model
def test_shipped_model_tags_wire_text(rules):
    from vigil.model.records import Document
    from vigil.nlp.learned.roles_component import load_model
    from vigil.nlp.learned.roles_data import role_document

    model = load_model()
    assert load_model() is model  # read once per process
    entities = model.predict(role_document(rules.annotate(WIRE)))
    found = {role: set().union(*(e.strings for e in ents)) for role, ents in entities.items()}
    assert "farabundo marti national liberation front" in found.get("PerpOrg", set()), found
    assert "guerrillas" in found.get("PerpInd", set()), found
    assert "police post" in found.get("Target", set()), found
    assert "mortar" in found.get("Weapon", set()), found

    nlp = build_pipeline(components_for("fast"))
    nlp.add_pipe("vigil_learned_roles", after="vigil_events")
    [event] = Extractor(nlp).extract(Document.from_text(WIRE, id="wire-1")).events
    assert {r.text for r in event.targets} >= {"POLICE POST"}
    assert {(r.text, r.kind) for r in event.perpetrators} >= {("FARABUNDO MARTI NATIONAL LIBERATION FRONT", "organisation")}
    assert [w.text for w in event.weapons] == ["MORTAR"]
