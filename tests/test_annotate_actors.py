"""Actor resolution (annotate/actors.py): states, agents, groups, persons with dated offices, media."""

from __future__ import annotations

import pytest

from newsline.annotate import code_actor_on, get_annotator
from newsline.records import Article


@pytest.fixture(scope="module")
def ann():
    return get_annotator()


def actors(ann, text, published="2025-06-10"):
    aa = ann.annotate(Article(id="t", uri="t", text=text, published=published))
    for m in aa.actors:
        assert text[m.start:m.end] == m.text
    return aa.actors


def find(mentions, needle):
    hits = [m for m in mentions if needle in m.text]
    assert hits, [m.text for m in mentions]
    return hits[0]


def test_dated_roles_same_name_two_dates(ann):
    text = "Lt General Faiz Hameed arrived in Kabul for talks."
    early = find(actors(ann, text, "2021-09-05"), "Faiz Hameed")
    late = find(actors(ann, text, "2022-01-10"), "Faiz Hameed")
    assert early.actor.id == late.actor.id == "person:faiz-hameed"
    assert (early.actor.sector, early.actor.role) == ("SPY", "Director General ISI")
    assert (late.actor.sector, late.actor.role) == ("MIL", "Corps Commander Peshawar")
    assert early.actor.person == "Faiz Hameed" and early.actor.country == "PAK"
    # the coder recodes for an event's own date
    again = code_actor_on(late, "2021-10-21")
    assert (again.sector, again.role) == ("SPY", "Director General ISI")


def test_taliban_switch_from_rebels_to_government(ann):
    text = "The Taliban said they would keep talking."
    before = find(actors(ann, text, "2021-05-01"), "Taliban")
    after = find(actors(ann, text, "2022-05-01"), "Taliban")
    assert before.actor.id == after.actor.id == "afg-taliban"
    assert (before.actor.sector, after.actor.sector) == ("REB", "GOV")
    assert code_actor_on(after, "2020-01-01").sector == "REB"


def test_same_person_different_offices(ann):
    text = "Rustem Umerov led the delegation."
    a = find(actors(ann, text, "2025-05-20"), "Umerov").actor
    b = find(actors(ann, text, "2025-07-25"), "Umerov").actor
    assert a.id == b.id == "person:rustem-umerov"
    assert a.role == "Defence Minister" and b.role.startswith("Secretary of the National Security")


def test_identity_across_spellings(ann):
    ids = set()
    for name in ("Tehreek-e-Taliban Pakistan", "Tehrik-i-Taliban Pakistan", "the TTP", "the Pakistani Taliban"):
        ids.add(find(actors(ann, f"{name} claimed the attack."), name.replace("the ", "")).actor.id)
    assert ids == {"ttp"}
    ids = set()
    for name in ("Mullah Mohammad Yaqoob", "Maulvi Muhammad Yaqub Mujahid", "Mohammad Yaqoob Mujahid"):
        ids.add(find(actors(ann, f"Defence Minister {name} met the envoy."), name.split()[-1]).actor.id)
    assert ids == {"person:mohammad-yaqoob"}


def test_surname_after_full_name_is_the_same_person(ann):
    ms = actors(ann, "Interior Minister Mohsin Naqvi visited Quetta. Naqvi promised a strong response.")
    ids = [m.actor.id for m in ms if "Naqvi" in m.text]
    assert ids == ["person:mohsin-naqvi", "person:mohsin-naqvi"]


def test_sector_agents_take_country_from_modifier(ann):
    ms = actors(ann, "Pakistani officials and the Afghan interim government met. Pakistan's special envoy "
                     "spoke to Iranian troops and Russian police.", "2025-06-10")
    assert find(ms, "Pakistani officials").actor.id == "pak-gov"
    gov = find(ms, "Afghan interim government").actor
    assert (gov.id, gov.country, gov.sector) == ("afg-taliban", "AFG", "GOV")
    envoy = find(ms, "special envoy").actor
    assert (envoy.country, envoy.sector, envoy.kind) == ("PAK", "GOV", "agent")
    assert find(ms, "Iranian troops").actor.id == "irn-mil"
    assert find(ms, "Russian police").actor.id == "rus-cop"


def test_agent_country_from_context_or_none(ann):
    ms = actors(ann, "Soldiers opened fire near the border with Tajikistan.")
    assert find(ms, "Soldiers").actor.country == "TJK"
    ms = actors(ann, "Soldiers opened fire.")
    assert find(ms, "Soldiers").actor.country is None and find(ms, "Soldiers").actor.sector == "MIL"


def test_agent_term_beats_the_ner_reading_its_first_word_as_a_name(ann):
    # spaCy tags the sentence-initial "Riot" of "Riot police" as a PERSON
    ms = actors(ann, "Riot police arrested 40 opposition supporters in Bulawayo on Saturday.")
    cop = find(ms, "police")
    assert cop.text == "Riot police" and cop.actor.sector == "COP" and cop.actor.country == "ZWE"
    assert not any(m.actor.kind == "person" for m in ms)


def test_opposition_parties_are_the_opposition_of_the_context_country(ann):
    ms = actors(ann, "In Lusaka, opposition parties called a general strike. The plan faced opposition from lawmakers.")
    opp = find(ms, "opposition parties").actor
    assert (opp.country, opp.sector) == ("ZMB", "OPP")
    assert not any(m.text == "opposition" for m in ms)  # the noun of resisting names no one


def test_group_modifier_makes_the_group(ann):
    ms = actors(ann, "TTP militants attacked a checkpoint, and RSF fighters looted a market.", "2024-01-01")
    assert find(ms, "TTP militants").actor.id == "ttp"
    rsf = find(ms, "RSF fighters").actor
    assert (rsf.id, rsf.sector) == ("rsf", "REB")


def test_capitals_are_metonyms_but_not_locations(ann):
    ms = actors(ann, "Islamabad accused Kabul of harbouring militants during talks in Doha.", "2025-06-10")
    isb = find(ms, "Islamabad").actor
    assert (isb.id, isb.country, isb.sector) == ("pak-gov", "PAK", "GOV")
    assert find(ms, "Kabul").actor.id == "afg-taliban"  # governed by the Taliban since 2021-08-15
    assert not [m for m in ms if m.text == "Doha"]
    ms = actors(ann, "Kabul rejected the claim.", "2019-06-10")
    assert find(ms, "Kabul").actor.id == "afg-gov"


def test_states_and_igos(ann):
    ms = actors(ann, "The United Nations, the European Union and Qatar urged restraint.")
    assert [m.actor.id for m in ms] == ["un", "eu", "qat"]
    assert [m.actor.country for m in ms] == ["UNO", "EUR", "QAT"]


def test_unknown_person_keeps_text_and_title_role(ann):
    ms = actors(ann, "Lt Gen Rahim Dadkhan commanded the operation. Karim Zafarullah was also present.")
    a = find(ms, "Rahim Dadkhan").actor
    assert (a.id, a.kind, a.sector, a.person) == ("person:rahim-dadkhan", "person", "MIL", "Rahim Dadkhan")
    b = find(ms, "Karim Zafarullah").actor
    assert b.id == "person:karim-zafarullah" and b.kind == "person"


def test_title_with_office_resolves_the_holder(ann):
    ms = actors(ann, "Pakistan's army chief said the operation would continue.", "2025-06-10")
    a = find(ms, "army chief").actor
    assert a.id == "person:asim-munir" and a.sector == "MIL"


def test_media_are_typed_as_attribution(ann):
    ms = actors(ann, "Afghan journalist Tamim Nasrat tweeted, and Dawn reported the visit, citing VOA.")
    j = find(ms, "Tamim Nasrat").actor
    assert (j.kind, j.sector, j.country) == ("media", "JRN", "AFG")
    assert find(ms, "Dawn").actor.kind == "media"
    assert find(ms, "VOA").actor.id == "media:voa"
    assert not [m for m in actors(ann, "The strikes began at dawn.") if m.actor.kind == "media"]


def test_user_dictionary_extends_the_default(tmp_path):
    from newsline.annotate import Annotator

    f = tmp_path / "mine.yaml"
    f.write_text("actors:\n  - {id: grp-x, kind: group, name: Northern Front, aliases: [Northern Front, NFX],"
                 " country: AFG, sector: REB}\n", encoding="utf-8")
    ann2 = Annotator(nlp=get_annotator().nlp, actors_files=[f])
    aa = ann2.annotate(Article(id="t", uri="t", text="The NFX and the TTP claimed attacks.", published="2024-01-01"))
    assert [m.actor.id for m in aa.actors] == ["grp-x", "ttp"]


def test_undated_article_codes_a_person_by_the_title_in_the_text(ann):
    ms = actors(ann, "Peshawar Corps Commander Lt General Faiz Hameed visited Kabul. Faiz Hameed met officials.",
                published=None)
    hits = [m.actor for m in ms if "Faiz" in m.text]
    assert [(a.sector, a.role) for a in hits] == [("MIL", "Corps Commander Peshawar")] * 2
    assert all(m.roles for m in ms if "Faiz" in m.text)  # every dated role travels for the coder


def test_the_title_refers_back_to_the_person_named_with_it(ann):
    ms = actors(ann, "Ambassador Mansoor Ahmed Khan spoke to reporters. The militants will be eliminated, "
                     "the ambassador said.", "2021-11-08")
    assert [m.actor.id for m in ms if "mbassador" in m.text] == ["person:mansoor-ahmed-khan"] * 2


def test_office_title_resolves_to_the_person_the_article_names(ann):
    ms = actors(ann, "Deputy Prime Minister Ishaq Dar flew to Kabul. Before leaving, the deputy premier said "
                     "that dialogue would resume.", "2025-04-19")
    assert [m.actor.id for m in ms if "Dar" in m.text or "premier" in m.text] == ["person:ishaq-dar"] * 2


def test_former_office_holder_is_coded_as_elite(ann):
    m = find(actors(ann, "Kenya's former Prime Minister Odera Mwangi criticised the deal."), "Mwangi")
    assert (m.actor.country, m.actor.sector, m.actor.role) == ("KEN", "ELI", "former Prime Minister")


def test_group_member_takes_the_group_sector(ann):
    ms = actors(ann, "M23's permanent secretary, Baraka Mugisha, signed. Mugisha said the rebels would comply.",
                "2025-07-20")
    first, later = [m.actor for m in ms if "Mugisha" in m.text]
    assert (first.country, first.sector) == ("COD", "REB")
    assert first.id == later.id and (later.country, later.sector) == ("COD", "REB")


def test_a_name_two_states_share_follows_the_article(ann):
    ms = actors(ann, "Kinshasa and Rwanda signed a deal. Congo will now disarm the militia.", "2025-06-28")
    assert find(ms, "Congo").actor.country == "COD"
    ms = actors(ann, "Brazzaville hosted the summit. Congo said it would mediate.", "2025-06-28")
    assert find(ms, "Congo").actor.country == "COG"


def test_places_in_text_are_not_persons(ann):
    ms = actors(ann, "Rwanda-backed rebels seized Goma and Bukavu in eastern Congo.", "2025-06-28")
    assert not [m for m in ms if m.actor.kind == "person"]


def test_title_phrase_to_the_prime_minister(ann):
    m = find(actors(ann, "Kenya sent Senior Adviser to the President Tom Okello to Kampala.",
                    "2025-04-19"), "Tom Okello")
    assert m.actor.role == "Senior Adviser to the President" and m.actor.country == "KEN"


def test_plural_generic_delegations_take_no_country_from_elsewhere(ann):
    ms = actors(ann, "Egypt hosted the talks in Cairo. The delegations agreed to meet again, and the negotiators "
                     "left. Sudanese negotiators said the draft was fair.", "2024-05-02")
    assert find(ms, "delegations").actor.country is None
    assert find(ms, "negotiators").actor.country is None
    assert find(ms, "Sudanese negotiators").actor.country == "SDN"
    ms = actors(ann, "Kenya and Uganda signed a deal in Paris. The presidents will meet again; the ministers "
                     "signed the annex. Kenyan ministers praised it.", "2024-05-02")
    assert find(ms, "presidents").actor.country is None and find(ms, "ministers").actor.country is None
    assert find(ms, "Kenyan ministers").actor.country == "KEN"


def test_generic_org_noun_corefers_to_the_last_named_organisation(ann):
    ms = actors(ann, "The Kenya Rugby Union said two players were hurt when police fired tear gas. "
                     "The union said it would suspend the league.", "2024-05-02")
    named = find(ms, "Kenya Rugby Union").actor
    assert named.id == "org:kenya-rugby-union" and named.country == "KEN"
    later = [m for m in ms if m.text == "union"]
    assert later and later[0].actor.id == named.id
    assert not [m for m in ms if m.actor.kind == "state"]  # the state inside the name is no actor
    # nothing named before: "the council" stays unresolved, never a state organ of the context
    ms = actors(ann, "Pakistani troops moved north. The council said the move was illegal.", "2024-05-02")
    assert not [m for m in ms if m.text == "council"]


def test_person_identity_across_transliterations(ann):
    ids = set()
    for name in ("Zabeehullah Mojahed", "Zabiullah Mujahid", "Zabihullah Mujahid"):
        ids.add(find(actors(ann, f"Spokesman {name} told reporters the talks went well."), name.split()[0]).actor.id)
    assert ids == {"person:zabihullah-mujahid"}
    a = find(actors(ann, "Army chief General Aasim Muneer met the envoy.", "2025-06-10"), "Muneer").actor
    assert a.id == "person:asim-munir" and (a.country, a.sector) == ("PAK", "MIL")


def test_agent_nouns_take_the_country_of_their_context(ann):
    ms = actors(ann, "Gunmen opened fire on passengers of a bus in Kurram district.", "2024-05-02")
    assert find(ms, "passengers").actor.country == "PAK" and find(ms, "passengers").actor.sector == "CVL"
    # armed men without a named group: the country where they act, sector UAF (not a state force)
    g = find(ms, "Gunmen").actor
    assert (g.country, g.sector) == ("PAK", "UAF")
    # no country in the sentence or paragraph, none dominating: the place named last before them
    ms = actors(ann, "Kenya and Uganda held talks in Kampala on trade.\nPassengers were stranded for hours.",
                "2024-05-02")
    assert find(ms, "Passengers").actor.country == "UGA"


def test_capital_metonym_is_dated_like_a_person(ann):
    m = find(actors(ann, "Kabul rejected the demand.", "2023-03-01"), "Kabul")
    assert m.actor.id == "afg-taliban" and m.actor.sector == "GOV"
    before = code_actor_on(m, "2020-06-01")
    assert (before.id, before.country, before.sector) == ("afg-gov", "AFG", "GOV")
    m = find(actors(ann, "Kabul rejected the demand.", "2020-03-01"), "Kabul")
    assert m.actor.id == "afg-gov"
    assert code_actor_on(m, "2022-01-01").id == "afg-taliban"


def test_datelines_are_not_actors(ann):
    for text in ("NAIROBI/KAMPALA — Kenya and Uganda agreed to reopen the border.",
                 "KAMPALA, Uganda (Reuters) - Kenya and Uganda agreed to reopen the border.",
                 "KAMPALA, Feb 22 (Agency) — Kenya and Uganda agreed to reopen the border."):
        ms = actors(ann, text, "2024-05-02")
        assert sorted(m.actor.id for m in ms if m.actor.kind != "media") == ["ken", "uga"], text
        assert all(m.start > text.index("—" if "—" in text else " - ") for m in ms if m.actor.kind != "media")


def test_unknown_person_takes_country_and_sector_from_the_title_modifier(ann):
    # possessive, adjective and appositive modifiers of a junta title (GOV: a junta in power is the government)
    m = find(actors(ann, "Chad's junta leader Moussa Kebzabo met the delegation on Monday."), "Kebzabo")
    assert (m.actor.id, m.actor.country, m.actor.sector, m.actor.role) == (
        "person:moussa-kebzabo", "TCD", "GOV", "Junta Leader")
    m = find(actors(ann, "The Guinean interim president Alpha Keita said the talks would go on."), "Keita")
    assert (m.actor.country, m.actor.sector, m.actor.role) == ("GIN", "GOV", "Transitional President")
    m = find(actors(ann, "Idriss Tembo, Gabon's military ruler, spoke to reporters in Libreville."), "Idriss Tembo")
    assert (m.actor.country, m.actor.sector, m.actor.role) == ("GAB", "GOV", "Junta Leader")


def test_ousted_office_holder_is_a_former_one(ann):
    # a participle between the possessive and the title does not cut the modifier off
    m = find(actors(ann, "Guinea's ousted president Alpha Condara remains detained."), "Condara")
    assert (m.actor.country, m.actor.sector, m.actor.role) == ("GIN", "ELI", "former President")
    assert m.text.startswith("Guinea's")
    m = find(actors(ann, "Soldiers removed Guinea's elected president, Alpha Condara, in September."), "Condara")
    assert m.actor.country == "GIN"


def test_weapon_names_are_not_persons(ann):
    text = ("Kyiv said it fired Patriot missiles and Storm Shadow cruise missiles, while Moscow launched Iskander "
            "missiles, Shahed-136 drones and a Kinzhal at the port; a Patriot air defence system was hit.")
    ms = actors(ann, text, "2024-05-02")
    assert not [m.text for m in ms if m.actor.kind == "person"]
    # a person next to an ordinary noun stays a person
    ms = actors(ann, "Defence Minister Pavel Hrytsenko visited the missile factory.", "2024-05-02")
    assert find(ms, "Hrytsenko").actor.kind == "person"


def test_sahel_junta_leaders_are_coded_by_their_office():
    from newsline.annotate.actors import load_dictionary, role_on

    d = load_dictionary()
    for pid, iso3 in (("person:assimi-goita", "MLI"), ("person:ibrahim-traore", "BFA"),
                      ("person:abdourahamane-tiani", "NER")):
        r = role_on(d.entries[pid].roles, "2024-01-10")
        assert (r.country, r.sector, "head-of-state" in r.offices()) == (iso3, "GOV", True)
    assert role_on(d.entries["person:mohamed-bazoum"].roles, "2023-01-10").sector == "GOV"
    assert role_on(d.entries["person:mohamed-bazoum"].roles, "2024-01-10").sector == "ELI"


def test_possessive_agent_refers_to_the_group_or_state_named_before(ann):
    ms = actors(ann, "The RSF published videos of its fighters inside the base.", "2024-05-02")
    assert [m.actor.id for m in ms if m.text == "fighters"] == ["rsf"]
    ms = actors(ann, "Kenya said the M23 had regrouped. Their fighters attacked a post.", "2024-05-02")
    assert [m.actor.id for m in ms if m.text == "fighters"] == ["m23"]
    ms = actors(ann, "Uganda said its troops had withdrawn from the border.", "2024-05-02")
    assert [m.actor.country for m in ms if m.text == "troops"] == ["UGA"]
    # "their" after two coordinated states names both parties: no single possessor
    ms = actors(ann, "The foreign ministers of Kenya and Uganda signed a pact that obliges their governments to "
                     "stop fighting.", "2024-05-02")
    assert [m.actor.country for m in ms if m.text == "governments"] == [None]


def test_an_agent_word_used_as_a_verb_names_no_one(ann):
    ms = actors(ann, "Activists held sit-ins to press the government to act. Troops were sent to police the streets.")
    assert not any(m.text in ("press", "police") for m in ms)
    assert find(actors(ann, "The press reported the arrests."), "press").actor.sector == "JRN"


def test_a_dateline_names_no_country_for_the_sentence_it_heads(ann):
    # the story was filed from a neighbour's capital: the soldiers are the country the sentence names
    got = find(actors(ann, "NAIROBI — Soldiers seized power in Gabon early on Wednesday, detaining the president."),
               "Soldiers")
    assert got.actor.country == "GAB"
    # with nothing else named, the dateline still places them
    got = find(actors(ann, "KABUL — Police arrested five men suspected of planning attacks on Sunday."), "Police")
    assert got.actor.country == "AFG"


def test_a_states_own_security_council_is_no_un_body(ann):
    assert find(actors(ann, "Pakistan's National Security Council met on Sunday."), "Security Council").actor.country == "PAK"
    got = find(actors(ann, "Armenian Prime Minister Nikol Pashinyan held an emergency meeting of his security council."),
               "security council")
    assert (got.actor.country, got.actor.sector) == ("ARM", "GOV")
    assert find(actors(ann, "The UN Security Council will meet on Friday."), "Security Council").actor.kind == "igo"


def test_a_state_or_group_backing_a_party_is_not_that_party(ann):
    ms = actors(ann, "Iran-backed Houthi rebels attacked a ship in the Red Sea.")
    assert "Iran" not in [m.text for m in ms]
    ms = actors(ann, "The al Qaeda-linked group al Shabaab said it carried out the attack.")
    assert [m.actor.name for m in ms if m.actor.kind == "group"] == ["al-Shabaab"]
    assert find(actors(ann, "Russia-backed separatists shelled the town."), "separatists").actor.country != "RUS"
    # "-led" is no backing: the coalition is the leader's
    assert find(actors(ann, "The Saudi-led coalition struck the port."), "Saudi").actor.country == "SAU"


def test_an_agent_word_the_ner_took_for_a_name_is_the_agent(ann):
    got = find(actors(ann, "PORT-AU-PRINCE — Kidnappers in Haiti released five missionaries on Sunday."), "Kidnappers")
    assert (got.actor.kind, got.actor.sector) == ("agent", "UAF")


def test_a_persons_government_is_that_persons_state(ann):
    # the capital named before it in the sentence is no context for a government its possessor names
    got = find(actors(ann, "After the talks in Kabul, Prime Minister Imran Khan's government said the truce would hold.",
                      published="2021-11-10"), "government")
    assert (got.actor.country, got.actor.sector) == ("PAK", "GOV")


def test_a_state_addressing_the_government_addresses_another_states(ann):
    # the speaker named before it in the sentence is no context for "the government" it addresses
    ms = actors(ann, "Police in Bangladesh arrested 120 opposition activists in Dhaka on Monday. Bangladesh's "
                     "election commission confirmed the results. The United States urged the government to release "
                     "them.", published="2024-01-15")
    assert find(ms, "government").actor.country == "BGD"
