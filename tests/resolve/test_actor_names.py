"""Actor names: spelling keys, the variant index and its collision rule, and the rules that keep groups apart."""

from __future__ import annotations

import pytest

from vigil.gazetteers.actor_index import build_variant_index, build_variant_lookup, load_variant_index
from vigil.gazetteers.actor_names import derived_acronyms, fold_letters, looks_like_acronym, spelling_rules, variant_key
from vigil.gazetteers.actors import load_actor_gazetteer
from vigil.model.records import Actor
from vigil.resolve.actor_matching import compare_actors, compare_names, distinctions, one_letter_apart
from vigil.resolve.actor_resolver import ActorCatalogue, load_actor_catalogue

TTP = "tehrik-e-taliban-pakistan"

# --- spelling keys: each family of variants meets on one key ---------------------------------------------


@pytest.mark.parametrize(
    "family",
    [
        # Tehreek / Tehrik / Tahrik, with -e-, -i-, " e " and no particle
        ["Tehrik-e-Taliban Pakistan", "Tehreek-i-Taliban Pakistan", "Tahrik-e-Taleban Pakistan", "Tehrik e Taliban Pakistan",
         "TEHRIK-I-TALIBAN PAKISTAN", "Tehrik Taliban Pakistan"],
        # Lashkar / Lashkar-e, Tayyiba / Taiba / Toiba
        ["Lashkar-e-Taiba", "Lashkar-e-Tayyiba", "Lashkar e Toiba", "Lashkar-i-Taiba", "Lashkar Taiba"],
        # -ul- written apart, joined or dropped; Harkat / Harakat; Mujahideen / Mujahidin
        ["Harakat-ul-Mujahideen", "Harkat ul Mujahidin", "Harakat ul-Mujahideen", "Harkatul Mujahideen"],
        ["Hizb-ul-Mujahideen", "Hizbul Mujahideen", "Hizb ul Mujahidin"],
        # al- / al / el- / Al and Qaeda / Qaida / Qa'ida / Qaidah, quotes of every kind
        ["al-Qaida", "Al Qaeda", "al-Qa'ida", "Al-Qa\u2019idah", "el-Qaeda", "Alqaeda", "AL-QAIDA"],
        # Daesh / Da'ish / ISIS / ISIL: one word for the whole name
        ["Islamic State", "Daesh", "Da'ish", "Da\u2019esh", "ISIS", "ISIL", "the Islamic State group", "so-called Islamic State"],
        # Haqqani / Haqani
        ["Haqqani Network", "Haqani network", "the Haqqani Network"],
        # Jaish / Jaysh, Mohammed / Muhammad / Mohammad
        ["Jaish-e-Mohammed", "Jaish-e-Muhammad", "Jaysh-e-Mohammad", "Jaish i Mohammed"],
        ["Jaish al-Adl", "Jaysh al-Adl", "Jaish ul-Adl"],
        # diacritics
        ["Tehrik-e-Taliban", "Tehr\u012bk-e-\u1e6c\u0101lib\u0101n", "Tehr\u00eek-i-Taleban"],
        # acronyms written apart
        ["IS-K", "ISK", "IS K"],
        ["JUI-F", "JUI (F)", "JUIF"],
    ],
)
def test_a_family_of_variants_shares_one_key(family):
    keys = {variant_key(name) for name in family}
    assert len(keys) == 1, {name: variant_key(name) for name in family}
    assert keys != {""}


@pytest.mark.parametrize(
    "first, second",
    [
        ("Taliban", "Tehrik-e-Taliban Pakistan"),
        ("Afghan Taliban", "Pakistani Taliban"),
        ("Islamic State", "Islamic State Khorasan Province"),
        ("Jaish-e-Mohammed", "Jaish al-Adl"),
        ("Lashkar-e-Taiba", "Lashkar-e-Jhangvi"),
        ("al-Qaida", "al-Qaida in the Indian Subcontinent"),
        ("Harakat-ul-Mujahideen", "Harkat-ul-Jihad-al-Islami"),
        ("Jamaat-ul-Ahrar", "Hizb-ul-Ahrar"),
        ("Jamiat Ulema-e-Islam", "Jamiat Ulema-e-Islam (F)"),
        ("ISKP", "ISPP"),
    ],
)
def test_distinct_groups_sharing_a_word_keep_different_keys(first, second):
    assert variant_key(first) != variant_key(second)


def test_keys_fold_only_what_transliteration_varies():
    assert variant_key("Tahrik-e-Taleban Pakistan") == "tehrik taliban pakistan"
    assert variant_key("Daesh") == variant_key("ISIS") == "islamic state"
    assert variant_key("IS-K") == "isk" and variant_key("TTP") == "ttp"
    assert variant_key("Ansar al-Islam") == "ansar islam"  # an inner "al" goes, the words stay
    assert variant_key("US forces") == "us forces"  # "us" opening a name is a word, not a particle
    assert variant_key("Ahl as-Sunna") == variant_key("Ahl Sunna")  # "as-" joined to the next word is a particle
    assert variant_key("...") == ""


def test_letter_rules_leave_short_words_alone():
    assert fold_letters("haqqani") == "haqani" and fold_letters("tehreek") == "tehrik"
    assert fold_letters("ttp") == "ttp" and fold_letters("jeem") == "jeem"


def test_acronyms_derived_from_names():
    assert derived_acronyms("Tehrik-e-Taliban Pakistan") >= {"ttp"}
    assert "jua" in derived_acronyms("Jamaat-ul-Ahrar")
    assert "jem" in derived_acronyms("Jaish-e-Mohammed")
    assert "iskp" in derived_acronyms("Islamic State Khorasan Province")
    assert "aqis" in derived_acronyms("Al-Qaida in the Indian Subcontinent")
    assert "huji" in derived_acronyms("Harkat-ul-Jihad-al-Islami")
    assert "hts" in derived_acronyms("Hay'at Tahrir al-Sham")
    assert derived_acronyms("Lashkar-e-Taiba") == set()  # "let" is an English word, "lt" too short
    assert derived_acronyms("Islamic State") == set()  # two words are too few to coin initials
    assert looks_like_acronym("LeT") and looks_like_acronym("IS-K") and not looks_like_acronym("Let")


def test_the_shipped_rules_load_and_validate():
    rules = spelling_rules()
    assert rules.words["tahrik"] == "tehrik" and rules.phrases["daesh"] == ("islamic", "state")
    assert {"pakistan", "afghan"} <= distinctions().places and "tehrik" in distinctions().organisation_words


def test_curated_factions_and_provinces_have_existing_parents():
    gazetteer = load_actor_gazetteer()
    for actor_id, parent in [("hizb-ul-ahrar", TTP), ("islamic-state-pakistan-province", "islamic-state"), ("jaish-al-adl", None)]:
        actor = gazetteer.get(actor_id)
        assert actor is not None and actor.source == "curated" and actor.parent == parent, actor_id
        assert parent is None or gazetteer.get(parent) is not None


@pytest.mark.parametrize(
    "actor_id, un_id, spellings",
    [
        ("sirajuddin-haqqani", "un-tai-144", ["Sirajuddin Haqqani", "Sirajuddin Jallaloudine Haqqani", "Serajuddin Haqani"]),
        ("jalaluddin-haqqani", "un-tai-040", ["Jalaluddin Haqqani", "Jallalouddin Haqqani", "Jalaluddin Haqani"]),
        ("masood-azhar", "un-qdi-422", ["Masood Azhar", "Mohammed Masood Azhar Alvi"]),
    ],
)
def test_a_curated_person_on_the_un_list_is_one_actor(actor_id, un_id, spellings):
    gazetteer = load_actor_gazetteer()
    assert gazetteer.get(un_id).id == actor_id and un_id not in gazetteer.actors
    assert [load_variant_index().lookup(name) for name in spellings] == [actor_id] * len(spellings)


# --- the variant index ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, actor_id",
    [
        ("Tehreek-i-Taliban Pakistan", TTP),
        ("Tahrik-e-Taleban Pakistan", TTP),
        ("TTP", TTP),
        ("Daesh", "islamic-state"),
        ("Da'ish", "islamic-state"),
        ("ISIS-K", "islamic-state-khorasan-province"),
        ("IS-KP", "islamic-state-khorasan-province"),
        ("Lashkar-e-Tayyiba", "lashkar-e-taiba"),
        ("Lashkar-e-Taiba", "lashkar-e-taiba"),
        ("LeT", "lashkar-e-taiba"),
        ("Haqani Network", "haqqani-network"),
        ("Jaysh al-Adl", "jaish-al-adl"),
        ("JuA", "jamaat-ul-ahrar"),
        ("AQIS", "al-qaida-indian-subcontinent"),
        ("al-Qa'ida", "al-qaida"),
        ("Harkat-ul-Jihad-al-Islami", "un-qde-130"),
        ("ISPP", "islamic-state-pakistan-province"),
    ],
)
def test_the_shipped_index_resolves_variants_to_the_canonical_actor(name, actor_id):
    assert load_variant_index().lookup(name) == actor_id


def test_the_lookup_dict_covers_the_whole_gazetteer_with_derived_acronyms():
    lookup = build_variant_lookup(load_actor_gazetteer().actors.values())
    assert lookup["tehrik taliban pakistan"] == TTP
    assert lookup["ttp"] == TTP
    assert lookup["isk"] == "islamic-state-khorasan-province"  # derived from the alias "Islamic State Khorasan"
    assert len(lookup) > len(load_actor_gazetteer())


def _actor(actor_id: str, name: str, *aliases: str, kind: str = "armed_group") -> Actor:
    return Actor(id=actor_id, name=name, kind=kind, aliases=list(aliases))  # type: ignore[arg-type]


def test_a_key_two_actors_claim_is_ambiguous_and_resolves_to_neither():
    index = build_variant_index([_actor("a", "Harakat ul Ansar One", "HUA"), _actor("b", "Harakat Two", "HUA")])
    assert index.lookup("HUA") is None
    assert index.ambiguous["hua"] == ("a", "b")
    assert index.lookup("Harakat Two") == "b"


def test_names_outrank_derived_acronyms_and_derived_ones_may_collide():
    index = build_variant_index([
        _actor("party", "Awami National Party", "ANP"),
        _actor("police", "Afghan National Police"),  # would derive "anp"
        _actor("one", "Tehrik Jihad Movement"),
        _actor("two", "Tanzim Jaish Mujahidin"),  # both derive "tjm"
    ])
    assert index.lookup("ANP") == "party"
    assert index.lookup("TJM") is None and index.ambiguous["tjm"] == ("one", "two")


def test_initials_match_only_text_written_as_initials():
    index = load_variant_index()
    assert index.lookup("LeT") == "lashkar-e-taiba"
    assert index.lookup("Let") is None and index.lookup("let") is None
    assert "let" in index.acronyms and "tehrik taliban pakistan" not in index.acronyms
    assert compare_names("Let", "LeT").verdict == "related"
    assert load_actor_catalogue().resolve("Let").actor is None


def test_the_same_actor_claiming_a_key_twice_is_one_claim():
    index = build_variant_index([_actor("ttp", "Tehrik-e-Taliban Pakistan", "Tehreek-e-Taliban Pakistan")])
    assert index.lookup("Tahrik-i-Taleban Pakistan") == "ttp" and not index.ambiguous


# --- never merging distinct groups that share a word ------------------------------------------------------------

DISTINCT = [
    ("Taliban", "Tehrik-e-Taliban Pakistan", "taliban", TTP),
    ("Islamic State", "Islamic State Khorasan Province", "islamic-state", "islamic-state-khorasan-province"),
    ("Jaish-e-Mohammed", "Jaish al-Adl", "jaish-e-mohammed", "jaish-al-adl"),
    ("Lashkar-e-Taiba", "Lashkar-e-Jhangvi", "lashkar-e-taiba", "lashkar-e-jhangvi"),
    ("al-Qaida", "al-Qaida in the Indian Subcontinent", "al-qaida", "al-qaida-indian-subcontinent"),
    ("Harakat-ul-Mujahideen", "Harkat-ul-Jihad-al-Islami", "harakat-ul-mujahideen", "un-qde-130"),
]


@pytest.mark.parametrize("first, second, first_id, second_id", DISTINCT)
def test_groups_sharing_a_word_are_never_one_actor(first, second, first_id, second_id):
    comparison = compare_names(first, second)
    assert comparison.verdict != "same"
    assert any("a shared word alone never" in reason for reason in comparison.reasons), comparison.reasons
    catalogue = load_actor_catalogue()
    assert catalogue.resolve(first).actor.id == first_id
    assert catalogue.resolve(second).actor.id == second_id


def test_the_reasons_name_the_words_that_tell_groups_apart():
    reasons = " ".join(compare_names("Taliban", "Tehrik-e-Taliban Pakistan").reasons)
    assert "'Tehrik' (an organisation word) is only in" in reasons
    assert "'Pakistan' (a place or nationality) is only in" in reasons
    assert "different organisation words: 'Jamaat' and 'Hizb'" in " ".join(compare_names("Jamaat-ul-Ahrar", "Hizb-ul-Ahrar").reasons)
    assert compare_names("JeM", "JuA").reasons == ("different acronyms: 'JeM' and 'JuA'",)


def test_a_name_with_every_word_of_another_and_more_is_flagged_part_of_it():
    comparison = compare_names("Islamic State Khorasan Province", "Islamic State")
    assert comparison.verdict == "related" and comparison.part_of


def test_parent_chains_say_a_province_or_faction_is_part_of_its_group():
    catalogue = load_actor_catalogue()
    get = catalogue.actors.get
    province = compare_actors(get("islamic-state-khorasan-province"), get("islamic-state"), catalogue.lineage)
    assert province.verdict == "related" and "is part of Islamic State" in province.reasons[0]
    faction = compare_actors(get("al-qaida"), get("al-qaida-indian-subcontinent"), catalogue.lineage)
    assert "Al-Qaida in the Indian Subcontinent is part of Al-Qaida" in faction.reasons[0]
    siblings = compare_actors(get("islamic-state-khorasan-province"), get("islamic-state-pakistan-province"), catalogue.lineage)
    assert "two branches, not one actor" in siblings.reasons[0]
    assert compare_actors(get("taliban"), get(TTP), catalogue.lineage).verdict == "distinct"


def test_a_resolution_gives_the_parent_chain():
    resolution = load_actor_catalogue().resolve("Haqani Network")
    assert resolution.actor.id == "haqqani-network" and [p.id for p in resolution.lineage] == ["taliban"]
    assert load_actor_catalogue().resolve("JuA").lineage[0].id == TTP


# --- one-letter slips ---------------------------------------------------------------------------------------------


def test_one_letter_apart():
    assert one_letter_apart("muhamad", "muhamd") and one_letter_apart("jhangvi", "jhagnvi")
    assert not one_letter_apart("taiba", "tayba1x") and not one_letter_apart("adl", "adle")


def test_a_one_letter_slip_resolves_to_the_only_close_actor():
    resolution = load_actor_catalogue().resolve("Lashkar-e-Jhanvgi")
    assert resolution.actor is not None and resolution.actor.id == "lashkar-e-jhangvi"
    assert resolution.how == "near spelling"


def test_a_slip_close_to_two_actors_resolves_to_neither():
    catalogue = ActorCatalogue([_actor("a", "Jundallah Khalidi"), _actor("b", "Jundallah Khalida")])
    resolution = catalogue.resolve("Jundallah Khalidu")
    assert resolution.actor is None and {a.id for a in resolution.ambiguous} == {"a", "b"}


def test_a_slip_in_a_place_word_is_not_forgiven():
    catalogue = ActorCatalogue([_actor("a", "Islamic Movement of Uzbekistan")])
    assert catalogue.resolve("Islamic Movement of Uzbekistan").actor.id == "a"
    assert compare_names("Islamic Front Pakistan", "Islamic Front Pakistani").verdict == "related"


def test_an_unknown_name_resolves_to_nothing_and_says_which_actors_are_close():
    resolution = load_actor_catalogue().resolve("Tehreek-e-Labbaik Pakistan")
    assert resolution.actor is None and not resolution.ambiguous
    close = {candidate.actor.id: candidate for candidate in resolution.candidates}
    assert TTP in close and close[TTP].verdict == "related"
    assert any("'Taliban' is only in" in reason for reason in close[TTP].reasons)


def test_a_catalogue_extended_with_store_actors_leaves_the_shipped_one_alone():
    shipped = load_actor_catalogue()
    extended = shipped.extended([_actor("tlp", "Tehreek-e-Labbaik Pakistan", "TLP", kind="political_party")])
    assert extended.resolve("Tehrik-i-Labbaik Pakistan").actor.id == "tlp"
    assert shipped.resolve("Tehrik-i-Labbaik Pakistan").actor is None and "tlp" not in shipped.actors
