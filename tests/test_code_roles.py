"""Roles from the parse: subject, object, passive agent, "with"/"between"/"mediated by", nominal events,
pronouns and surnames resolved, light verbs, instrument verbs, coordinated verbs. Sentences written for these
tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import annotate, code, names, of_type, one, run, sides, single  # noqa: E402
from newsline.code import code_article  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps


def test_coordination_gives_one_event_with_compound_actor():
    m = one("Colombia and Ecuador signed a trade agreement.")
    assert m.event_type in ("SUPPORT", "AGREE")
    assert names(m.actor) == ["Colombia", "Ecuador"]


def test_mediator_from_mediated_by():
    ms = code("Kenya and Somalia agreed to a ceasefire after talks mediated by Ethiopia.")
    types = {m.event_type for m in ms}
    assert "CONCEDE" in types  # a declared ceasefire
    cease = next(m for m in ms if m.event_type == "CONCEDE")
    assert sorted(names(cease.actor + cease.recipient)) == ["Kenya", "Somalia"]


def test_instrument_verb_passes_its_subject_and_place_to_the_purpose_clause():
    ms = code("The army chief used a ceremony at a barracks in Peshawar to urge the Taliban to rein in "
              "armed groups.")
    req = of_type(ms, "REQUEST")
    assert len(req) == 1 and req[0].actor and req[0].actor[0].sector == "MIL"
    assert names(req[0].recipient) == ["Taliban"]
    assert req[0].event_loc is not None and req[0].event_loc.extracted_place == "Peshawar"


def test_freed_captives_handed_to_an_international_organisation_go_to_their_own_side():
    ms = run("Hamas freed three Israeli hostages on Sunday, handing them over to the Red Cross in Gaza City.",
             published="2025-01-20")
    rel = single(ms, "RETREAT")
    assert rel.mode == "release" and sides(rel.actor) == {"PSE"} and sides(rel.recipient) == {"ISR"}
    assert [m.kind for m in rel.mediator] == ["igo"]


def test_troops_being_sent_are_mobilised_by_their_own_side():
    ms = run("Peru suspended talks with the Shining Path on Friday. The Defence Ministry said extra soldiers were being "
             "sent to the south.", published="2025-01-18")
    mob = single(ms, "MOBILIZE")
    assert [(a.country, a.sector) for a in mob.actor] == [("PER", "MIL")]


def test_an_agreement_binding_the_two_forces_is_their_commitment():
    ms = run("The army and the rebels signed a ten-day ceasefire in Geneva on Saturday. The accord further commits "
             "both armies to let relief convoys through and to leave hospitals.",
             published="2023-05-21")
    agr = single(ms, "AGREE")
    assert {a.sector for a in agr.actor + agr.recipient} == {"MIL", "REB"} and agr.date == "2023-05-20"


def test_bare_surname_is_the_person_named_before():
    ann = annotate("Ishaq Dar held talks with Amir Khan Muttaqi in Kabul. Dar then met Pakistani traders.")
    ann.actors = [a for a in ann.actors if a.text != "Dar"]  # the annotator left the surname unresolved
    ms = code_article(ann)
    assert any("Ishaq Dar" in names(m.actor) for m in ms)
    assert not any("Dar" in names(m.actor) for m in ms)


def test_demanded_act_patients_are_not_addressees():
    ms = code("The rebels demanded the release of prisoners.")
    req = of_type(ms, "REQUEST")
    assert req and all("prisoners" not in names(m.recipient) for m in req)


def test_he_is_the_person_named_just_before():
    ms = code("Troops freed the hostages, General Ali Khan said. Snipers first targeted the kidnappers. "
              "He said the kidnappers had used a base in Iran.")
    acc = of_type(ms, "ACCUSE")
    assert len(acc) == 1 and names(acc[0].actor) == ["Ali Khan"]


def test_verbs_coordinated_across_a_where_clause_keep_its_subject():
    ms = code("The deadliest attack took place in Lyon, where militants blocked the road, checked identity cards "
              "and shot dead 20 people.")
    hits = [m for m in of_type(ms, "ASSAULT") if "militants" in names(m.actor)]
    assert hits


def test_launched_one_of_its_attacks_is_the_subjects_attack():
    ms = code("Ukraine and Russia held talks in Istanbul. The exchange happened while Russia launched one of its "
              "largest raids this year.")
    att = of_type(ms, "ASSAULT")
    assert len(att) == 1 and names(att[0].actor) == ["Russia"]


def test_an_event_noun_under_a_light_verb_is_done_by_its_subject():
    m = one("The militants staged an attack on the army in Lyon.")
    assert m.event_type == "ASSAULT" and names(m.actor) == ["militants"]
    m = one("The rebels mounted a protest against the police.")
    assert m.event_type == "PROTEST" and names(m.actor) == ["rebels"]


def test_a_party_named_by_a_modifier_keeps_its_head_noun_as_its_words():
    # the party resolves from the adjective; the words that name it are the adjective with its noun
    ms = run("Kenyan police arrested two Somali fishermen near Lamu on Tuesday.", published="2025-02-12")
    m = single(ms, "COERCE")
    assert [r.text for r in m.recipient] == ["Somali fishermen"]
    assert [r.country for r in m.recipient] == ["SOM"]
    assert [a.text for a in m.actor] == ["Kenyan police"]


def test_apposition_describing_a_named_party_adds_no_second_actor():
    ms = of_type(run("Hezbollah, Iran's main ally in Lebanon, fired dozens of rockets at northern Israel on Monday."),
                 "ASSAULT")
    assert len(ms) == 1 and [a.name for a in ms[0].actor] == ["Hezbollah"]


def test_apposition_names_the_party_a_common_noun_head_leaves_open():
    ms = of_type(run("Somalia's Islamist group al Shabaab attacked a military base in Kenya on Sunday."), "ASSAULT")
    assert len(ms) == 1 and [a.kind for a in ms[0].actor] == ["group"]


def test_apposition_keeps_the_person_it_names():
    ms = of_type(run("Russia's foreign minister, Sergei Lavrov, met his Turkish counterpart in Ankara on Tuesday."),
                 "CONSULT")
    assert ms and any(a.kind == "person" for a in ms[0].actor)


def test_gerund_after_by_takes_the_clause_subject():
    ms = of_type(run("Latvia responded by expelling Belarusian diplomats."), "SANCTION")
    assert len(ms) == 1 and [a.name for a in ms[0].actor] == ["Latvia"]


def test_gerund_after_of_keeps_the_object_as_its_doer():
    ms = run("Ukraine accused Russia of shelling the plant on Friday.", published="2025-03-10")
    assert not any(a.name == "Ukraine" for m in of_type(ms, "ASSAULT") for a in m.actor)


def test_it_does_not_refer_back_to_a_person():
    ms = run("UN Secretary-General Antonio Guterres strongly condemned the attack on Monday. The United States also "
             "condemned it on Tuesday.", published="2021-03-30")
    us = [m for m in of_type(ms, "ACCUSE") if [a.name for a in m.actor] == ["United States"]]
    assert us and not any(r.kind == "person" for r in us[0].recipient)


def test_them_after_a_crowd_is_the_crowd():
    ms = run("After the result was announced, opposition supporters took to the streets of the city, blocking roads. "
             "Police fired tear gas to disperse them.", published="2022-08-16")
    police = [m for m in ms if any(a.sector == "COP" for a in m.actor)]
    assert police and police[0].recipient


def test_crowds_and_supporters_are_civilians_of_the_context_country():
    ms = of_type(run("Police beat supporters of the opposition in Lagos on Sunday.", published="2024-05-06"), "ASSAULT")
    assert ms and [(r.sector, r.country) for r in ms[0].recipient] == [("CVL", "NGA")]


def test_dateline_city_is_no_party_of_the_lede():
    # the parser reads "QUITO" as the subject (or hangs the subject under it as an apposition)
    ms = run("QUITO — Members of the ruling party demanded an inquiry into the contract on Monday.")
    assert ms and not any(a.name == "QUITO" or a.text == "QUITO" for m in ms for a in m.actor + m.recipient)
    ms = of_type(run("HARARE, Zimbabwe (Agency) — Riot police arrested 40 opposition supporters on Saturday."),
                 "COERCE")
    assert len(ms) == 1 and [a.sector for a in ms[0].actor] == ["COP"]
    assert not any("HARARE" in (a.text or "") for a in ms[0].actor)


def test_journalists_are_a_recipient_of_their_country():
    ms = of_type(run("ASMARA — Troops detained three journalists covering the rally on Friday."), "COERCE")
    assert len(ms) == 1 and [(r.country, r.sector) for r in ms[0].recipient] == [("ERI", "JRN")]


def test_media_attributing_a_statement_is_no_actor():
    ms = run("State media said the army had shelled rebel positions near the border on Monday.")
    assert not any(a.sector == "JRN" for m in ms for a in m.actor)


def test_opposition_parties_are_a_party_of_the_context_country():
    ms = of_type(run("LUSAKA — Leaders of the main opposition parties called on the president to resign."), "REQUEST")
    assert len(ms) == 1 and [(a.country, a.sector) for a in ms[0].actor] == [("ZMB", "OPP")]


def test_women_and_girls_are_civilians_of_the_context_country():
    ms = of_type(run("JUBA — Troops detained women and girls in Yei on Monday."), "COERCE")
    assert len(ms) == 1 and {(r.country, r.sector) for r in ms[0].recipient} == {("SSD", "CVL")}


def test_a_tensed_verb_coordinated_with_an_infinitive_shares_the_main_clause_subject():
    # the parser hangs "accused" on the infinitive "put", which has no subject
    # (without the repair the accusation was read as the content of the report: status "reported")
    ms = of_type(run("Iran's foreign ministry spokesman Nasser Kanaani said the visit was an attempt to put pressure "
                     "on the judges and accused Western governments of interfering."), "ACCUSE")
    assert len(ms) == 1 and [a.name for a in ms[0].actor] == ["Nasser Kanaani"]
    assert ms[0].status == "asserted"


def test_a_name_in_apposition_after_a_fronted_phrase_is_the_subject():
    ms = of_type(run("In a speech from the dock, Petrov, 51, accused President Vladimir Putin of ordering the raid."),
                 "ACCUSE")
    assert len(ms) == 1 and [a.text for a in ms[0].actor] == ["Petrov"]


def test_a_sentence_initial_he_refers_to_the_person_the_sentence_before_is_about():
    # the latest person named is the one in the reported clause; the antecedent is the main clause's subject
    ms = run("UN Secretary-General Antonio Guterres spoke in Geneva on Monday. Guterres said Bashar al-Assad had "
             "agreed to open the crossings. He welcomed the decision.")
    assert [a.name for a in single(ms, "SUPPORT").actor] == ["António Guterres"]


def test_a_passive_verb_coordinated_with_an_active_one_makes_the_shared_subject_its_patient():
    from newsline.code.doc import index
    from newsline.code.roles import subject_of

    d = index(annotate("The opposition leader returned to Minsk on Sunday and was arrested at the airport."))
    arrested = next(t.i for t in d.tokens if t.text == "arrested")
    returned = next(t.i for t in d.tokens if t.text == "returned")
    leader = next(t.i for t in d.tokens if t.text == "leader")
    assert subject_of(d, arrested) == ([leader], True)
    assert subject_of(d, returned) == ([leader], False)


def test_people_named_by_a_common_noun_are_recipients():
    ms = of_type(run("A court in Ankara sentenced a district mayor to three years in prison on Tuesday."), "SANCTION")
    assert len(ms) == 1 and [r.text for r in ms[0].recipient] == ["district mayor"]



def test_these_groups_refers_to_the_groups_named_before():
    ms = run("The TTP and the Islamic State carried out dozens of attacks last year. Pakistani officials demanded "
             "that all these groups be expelled from Afghan soil.")
    req = single(ms, "REQUEST")
    assert {r.kind for r in req.recipient} == {"group"} and len(req.recipient) == 2


def test_the_leaders_refers_to_the_parties_of_the_event_before():
    ms = run("Abdel Fattah al-Sisi held talks with Abiy Ahmed in Addis Ababa on Monday. The leaders also called on "
             "Sudan to join the talks.")
    actors = [a.name for a in single(ms, "REQUEST").actor]
    assert len(actors) == 2 and "Abiy Ahmed" in actors and "leaders" not in actors


def test_capitals_naming_an_actor_before_a_colon_are_no_dateline():
    from newsline.annotate import get_annotator
    from newsline.code.doc import index
    from newsline.records import Article

    def parse_of(text, word):
        ann = get_annotator().annotate(Article(id="t", uri="", text=text, published="2025-10-15"))
        t = next(t for t in index(ann).tokens if t.text == word)
        return t.dep, t.head == t.i

    assert parse_of("HAMAS: Group rejects the truce proposal\n\nThe group said on Monday it would not sign.",
                    "HAMAS") != ("dep", True)
    assert parse_of("LIMA — Members of the ruling party demanded an inquiry on Monday.", "LIMA") == ("dep", True)


def _target_of(text, t):
    return {r.country for m in run(text) if m.event_type == t for r in m.recipient}


def test_a_reaction_to_the_decision_is_aimed_at_whoever_took_it():
    assert _target_of("WASHINGTON — The United States imposed sanctions on three Venezuelan officials on Thursday. "
                      "Russia criticised the decision as illegal.", "ACCUSE") == {"USA"}
    assert _target_of("ANKARA — Turkish jets struck Kurdish militant positions in northern Iraq on Sunday. "
                      "The Arab League denounced the move.", "ACCUSE") == {"TUR"}


def test_calling_the_ruling_shameful_is_aimed_at_the_court_not_at_the_next_speaker():
    got = _target_of("CAIRO — A Cairo court sentenced the activist Ahmed Douma to 15 years in prison on Saturday. "
                     "French Foreign Minister Jean-Yves Le Drian called the ruling shameful, and the German government "
                     "said it was deeply troubled.", "ACCUSE")
    assert got == {"EGY"}


def test_also_condemned_it_takes_the_target_of_the_condemnation_before():
    got = _target_of("NAIROBI — Al-Shabaab militants attacked a hotel in Nairobi on Tuesday, killing 21 people. UN "
                     "Secretary-General Antonio Guterres condemned the attack. The African Union also condemned it, "
                     "and Ethiopia said it would send more troops.", "ACCUSE")
    assert got == {"SOM"}


def test_a_reaction_to_the_decision_is_never_aimed_at_the_reacting_side():
    ms = run("LONDON — Britain expelled 20 Russian diplomats on Friday. The British prime minister defended the "
             "decision in parliament, and Russia condemned the move.")
    assert all(r.country != "GBR" for m in ms if m.event_type == "SUPPORT" for r in m.recipient)
    assert _target_of("LONDON — Britain expelled 20 Russian diplomats on Friday. Russia condemned the move.",
                      "ACCUSE") == {"GBR"}


def test_a_demand_for_someones_release_is_addressed_to_whoever_holds_them():
    assert _target_of("TEHRAN — Iranian authorities arrested a French tourist, Louis Arnaud, in September, his "
                      "family said. The French foreign ministry demanded the immediate release of Arnaud.",
                      "REQUEST") == {"IRN"}
    ms = run("MOSCOW — A Moscow court jailed the opposition activist Ilya Yashin for eight years on Friday. US "
             "Secretary of State Antony Blinken called for Yashin's immediate release.")
    req = single(ms, "REQUEST")
    assert [r.sector for r in req.recipient] == ["JUD"] and req.actor[0].country == "USA"


def test_a_lede_whose_dateline_the_parser_made_its_root_keeps_its_object():
    ms = run("MOSCOW — The court jailed the opposition activist Ilya Yashin for eight and a half years on Friday. "
             "His lawyers said they would appeal.")
    coerce = [m for m in ms if m.event_type in ("COERCE", "SANCTION")]
    assert coerce and any(r.name == "Ilya Yashin" for r in coerce[0].recipient)


def _recipient_texts(text, t):
    return [r.text or r.name for m in run(text) if m.event_type == t for r in m.recipient]


def test_people_or_bodies_named_by_a_common_noun_are_recipients():
    assert any("electoral board" in x for x in _recipient_texts(
        "Opposition parties accused the electoral board of rigging the count in the capital.", "ACCUSE"))
    assert any("donors" in x for x in _recipient_texts(
        "The Somali president urged donors to release emergency funds for drought victims.", "REQUEST"))


def test_a_relational_noun_before_the_name_it_introduces_is_no_party_of_its_own():
    got = _recipient_texts("The army accused its rival, the paramilitary Rapid Support Forces, of shelling "
                           "hospitals in the capital.", "ACCUSE")
    assert got and not any(x.strip().lower() in ("rival", "its rival") for x in got)


def test_a_common_noun_for_a_body_makes_no_actor_of_its_own():
    # an event whose only doer is "a company" or "rescuers" is no political event
    assert run("Rescuers searched the rubble through the night. A company repaired the damaged bridge.") == []


def test_condemning_the_coup_is_aimed_at_those_who_staged_it():
    assert _target_of("NAIROBI — Soldiers seized power in Gabon early on Wednesday, detaining President Ali Bongo. "
                      "The African Union condemned the coup.", "ACCUSE") == {"GAB"}


def test_a_verb_the_parser_coordinated_into_a_when_clause_keeps_the_speaker_as_its_subject():
    ms = run("BAKU — Azerbaijan said one of its soldiers died when Armenian units opened fire on its posts in the "
             "Kalbajar district, and accused Yerevan of a deliberate provocation.")
    acc = single(ms, "ACCUSE")
    assert {a.country for a in acc.actor} == {"AZE"} and {r.country for r in acc.recipient} == {"ARM"}


def test_a_possessive_that_would_make_an_attacker_hit_its_own_side_is_the_speakers():
    ms = run("YEREVAN — Armenia said Azerbaijani troops had opened fire on its positions along the border on Tuesday.")
    att = single(ms, "ASSAULT")
    assert {a.country for a in att.actor} == {"AZE"} and {r.country for r in att.recipient} == {"ARM"}


def test_a_participle_the_parser_left_the_sentence_without_a_verb_for_is_its_predicate():
    ms = run("Russia's foreign minister, Sergei Lavrov, accused Kyiv of sabotage on Tuesday.")
    acc = single(ms, "ACCUSE")
    assert {a.country for a in acc.actor} == {"RUS"} and {r.country for r in acc.recipient} == {"UKR"}


def test_a_persons_apposition_names_no_other_party():
    ms = run("Police arrested Alex Saab, a close ally of President Nicolas Maduro, in Cape Verde on Saturday.")
    assert [r.name for m in ms if m.event_type == "COERCE" for r in m.recipient] == ["Alex Saab"]


def test_the_two_countries_ministers_and_commanders_from_both_sides_are_the_two_parties():
    ms = run("NEW DELHI — Indian and Chinese troops clashed on the disputed border on Monday night. The two countries' "
             "foreign ministers spoke by phone on Wednesday. The United States imposed visa restrictions on officials "
             "from both sides.")
    consult = single(ms, "CONSULT")
    assert {a.country for a in consult.actor + consult.recipient} >= {"IND", "CHN"}
    assert {r.country for m in ms if m.event_type in ("COERCE", "SANCTION") for r in m.recipient} == {"IND", "CHN"}


def test_releasing_or_freeing_any_people_is_a_release():
    ms = run("PORT-AU-PRINCE — Kidnappers in Haiti released five of the 17 missionaries they abducted last month, the "
             "aid group said on Sunday.")
    rel = single(ms, "RETREAT")
    assert [a.sector for a in rel.actor] == ["UAF"] and rel.recipient
    assert of_type(run("The rebels freed two Italian engineers on Friday after a week in captivity."), "RETREAT")


def test_an_unresolved_party_is_named_by_its_whole_phrase_without_its_count():
    # the party's words keep what says who they are ("of the ... gang"), not how many or the article
    ms = run("Chilean police arrested 26 alleged members of the Tren de Aragua gang on Monday.", published="2025-01-18")
    texts = [r.text for m in of_type(ms, "COERCE") for r in m.recipient]
    assert texts == ["alleged members of the Tren de Aragua gang"]


def test_two_sides_acting_together_are_source_and_target():
    # a mutual act: the first side named is the source, the other its counterpart (as PLOVER's coders read it)
    ms = run("India and Brazil agreed on Monday to cut tariffs on farm goods.", published="2025-01-18")
    agree = of_type(ms, "AGREE")
    assert [[a.country for a in m.actor] for m in agree] == [["IND"]]
    assert [[r.country for r in m.recipient] for m in agree] == [["BRA"]]
    # two sides judging a third stay its joint actors
    acc = of_type(run("India and Brazil condemned the coup in Peru on Monday.", published="2025-01-18"), "ACCUSE")
    assert acc and all({a.country for a in m.actor} == {"IND", "BRA"} for m in acc)


def test_a_host_meeting_its_guest_is_the_recipient():
    # the ontology's CONSULT: the visitor is the actor, the host the recipient
    talks = of_type(run("Chile's president hosted Peru's foreign minister for talks on Monday.", published="2025-01-18"),
                    "CONSULT")
    assert [[a.country for a in m.actor] for m in talks] == [["PER"]]
    assert [[r.country for r in m.recipient] for m in talks] == [["CHL"]]


def test_the_forces_a_mobilisation_moves_are_not_its_target():
    ms = run("Chile mobilized its army on Monday for a possible offensive against Peru.", published="2025-01-18")
    mob = of_type(ms, "MOBILIZE")
    assert mob and all([r.country for r in m.recipient] == ["PER"] for m in mob)
    ms = run("Chile mobilized the army on Monday for riot control.", published="2025-01-18")
    assert all(not m.recipient for m in of_type(ms, "MOBILIZE"))


def test_an_event_noun_capitalised_in_a_title_case_headline_is_no_party():
    ms = run("Chile and Peru Agree to Talks in Lima\nChile and Peru agreed on Monday to hold talks on their border.",
             published="2025-01-18")
    assert ms and all("Talks" not in names(m.actor + m.recipient) for m in ms)


def test_the_people_an_act_releases_are_its_recipients():
    ms = run("Chilean rebels released 10 Peruvian hostages on Friday.", published="2025-01-18")
    rel = of_type(ms, "RETREAT")
    assert rel and all([r.country for r in m.recipient] == ["PER"] for m in rel)


def test_a_curfew_binds_the_declaring_states_own_people():
    ms = run("Peru's government imposed a curfew on Monday. The United States urged calm.", published="2025-01-18")
    cur = of_type(ms, "COERCE")
    assert cur and all([(r.country, r.sector) for r in m.recipient] == [("PER", "CVL")] for m in cur)
