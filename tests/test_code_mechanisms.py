"""Coder mechanisms added for article-level precision: parties of implicit references, retellings, circumstance
events, dyad completion, content and negated governors, places. Sentences written for these tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from newsline.code import code_article  # noqa: E402
from test_code_coder import annotate, code, names, one  # noqa: E402


def of_type(ms, t):
    return [m for m in ms if m.event_type == t]


# --------------------------------------------------------------------------- implicit parties
def test_the_delegations_are_the_parties_of_the_talks():
    ms = code("Pakistan held talks with Afghanistan in Doha on Saturday. The delegations will meet again in "
              "Istanbul on March 20.", times={"on Saturday": ("2024-03-09", "day"), "on March 20": ("2024-03-20", "day")})
    later = [m for m in ms if m.date == "2024-03-20"]
    assert len(later) == 1 and later[0].status == "planned"
    assert sorted(names(later[0].actor + later[0].recipient)) == ["Afghanistan", "Pakistan"]
    assert later[0].event_loc is not None and later[0].event_loc.extracted_place == "Istanbul"


def test_bare_surname_is_the_person_named_before():
    ann = annotate("Ishaq Dar held talks with Amir Khan Muttaqi in Kabul. Dar then met Pakistani traders.")
    ann.actors = [a for a in ann.actors if a.text != "Dar"]  # the annotator left the surname unresolved
    ms = code_article(ann)
    assert any("Ishaq Dar" in names(m.actor) for m in ms)
    assert not any("Dar" in names(m.actor) for m in ms)


def test_unattributed_fighting_is_between_the_articles_parties():
    ms = code("Ethiopia and Eritrea held talks in Nairobi on Monday. Fighting continued in Aleppo on Tuesday, "
              "residents said.", times={"on Monday": ("2024-03-04", "day"), "on Tuesday": ("2024-03-05", "day")})
    fights = of_type(ms, "ASSAULT")
    assert len(fights) == 1
    f = fights[0]
    assert sorted(names(f.actor + f.recipient)) == ["Eritrea", "Ethiopia"]
    assert f.date == "2024-03-05" and f.status == "reported"
    assert f.event_loc is not None and f.event_loc.extracted_place == "Aleppo"


def test_each_other_splits_the_subjects():
    m = one("India and Pakistan accused each other of violating the truce.")
    assert m.event_type == "ACCUSE"
    assert names(m.actor) == ["India"] and names(m.recipient) == ["Pakistan"]


def test_implicit_target_of_an_ultimatum_is_the_other_side():
    ms = code("Ukraine and Russia held talks in Istanbul. Russia issued an ultimatum on Monday.")
    req = of_type(ms, "REQUEST")
    assert len(req) == 1 and names(req[0].actor) == ["Russia"] and names(req[0].recipient) == ["Ukraine"]


def test_demanded_act_patients_are_not_addressees():
    ms = code("The rebels demanded the release of prisoners.")
    req = of_type(ms, "REQUEST")
    assert req and all("prisoners" not in names(m.recipient) for m in req)


# --------------------------------------------------------------------------- retellings and reactions
def test_the_agreement_refers_back_to_the_signing():
    ms = code("Armenia and Azerbaijan signed a peace accord in Paris on Friday. Aliyev later confirmed "
              "the accord in a televised address.")
    assert len(ms) == 1
    assert len(ms[0].evidence) == 2


def test_rejection_answers_a_background_accusation():
    ms = code("Serbia has long accused Kosovo of discriminating against Serbs. Kosovo rejects the charge.")
    rej = of_type(ms, "REJECT")
    assert len(rej) == 1
    assert names(rej[0].actor) == ["Kosovo"] and names(rej[0].recipient) == ["Serbia"]


def test_reversed_roles_are_two_attacks():
    ms = code("Militants attacked the police. Later the police attacked the militants.")
    assert len(of_type(ms, "ASSAULT")) == 2


# --------------------------------------------------------------------------- circumstances and non-events
def test_talks_with_their_own_place_are_coded_beside_the_agreement():
    ms = code("Ethiopia and Eritrea agreed to a ceasefire after talks in Nairobi.")
    talks = of_type(ms, "CONSULT")
    assert len(talks) == 1 and talks[0].event_loc is not None and talks[0].event_loc.extracted_place == "Nairobi"
    assert sorted(names(talks[0].actor)) == ["Eritrea", "Ethiopia"]
    assert of_type(ms, "CONCEDE")


@pytest.mark.parametrize("text", [
    "The declaration refers to prisoner exchanges.",
    "The statement does not constitute a truce.",
    "Previous ceasefires collapsed within days.",
    "Nepal's interior ministry declined to comment.",
    "Four policemen died on Monday.",
])
def test_no_event(text):
    assert code(text) == []


def test_finest_place_named_wins():
    ann = annotate("Militants attacked a police post in Balochistan's Awaran district.")
    for pm in ann.places:
        pm.place.resolution = 2 if pm.text.startswith("Balochistan") else 3
    ms = code_article(ann)
    assert len(ms) == 1 and ms[0].event_loc is not None and ms[0].event_loc.extracted_place == "Awaran"


def test_provide_for_is_not_aid():
    assert not of_type(code("The accord provides for the return of refugees."), "AID")
    assert of_type(code("Japan provided food to the refugees."), "AID")


def test_possible_future_truce_is_no_event():
    assert not of_type(code("Both governments said they would discuss a possible future truce."), "CONCEDE")


def test_goal_talks_take_no_parties_from_the_sentence():
    ms = code("Egypt urged Jordan to support the plan, which would create a good climate for peace talks.")
    assert not of_type(ms, "CONSULT")


# --------------------------------------------------------------------------- round 3: split subjects, implied accusations
def test_subject_cut_off_by_the_sentence_splitter_is_rejoined():
    from dataclasses import replace

    from newsline.records import Sentence

    ann = annotate("Chile and Peru agreed to a ceasefire on Monday.", times={"on Monday": ("2024-03-04", "day")})
    toks = ann.tokens
    assert [t.text for t in toks[:3]] == ["Chile", "and", "Peru"]
    verb = next(t.i for t in toks if t.text == "agreed")
    # what a splitter that cut after the first conjunct leaves: a verbless "sentence", then "and Peru agreed ..."
    toks[0] = replace(toks[0], head=0, dep="ROOT")
    toks[1] = replace(toks[1], head=verb, dep="cc")
    toks[2] = replace(toks[2], head=verb, dep="nsubj")
    s = ann.sentences[0]
    ann.sentences = [Sentence(s.start, toks[0].idx + len(toks[0].text), 0, 1),
                     Sentence(toks[1].idx, s.end, 1, s.token_end)]
    ms = code_article(ann)
    assert len(ms) == 1
    assert names(ms[0].actor + ms[0].recipient) == ["Chile", "Peru"]


def test_hostile_origin_abroad_is_an_implied_accusation():
    ms = code("Ali Khan said the gunmen had been taking orders from handlers in Iran.")
    acc = of_type(ms, "ACCUSE")
    assert len(acc) == 1
    assert names(acc[0].actor) == ["Ali Khan"] and names(acc[0].recipient) == ["Iran"]


def test_attack_from_foreign_soil_is_an_accusation_not_an_attack():
    ms = code("General Ali Khan said militants were attacking the country from Iranian territory.")
    assert [m.event_type for m in ms] == ["ACCUSE"]
    assert names(ms[0].recipient) == ["Iranian"]


def test_no_accusation_without_a_foreign_origin_or_a_hostile_clause():
    assert not of_type(code("General Ali Khan said militants were attacking the country."), "ACCUSE")
    assert not of_type(code("General Ali Khan said traders were buying wheat from Iran."), "ACCUSE")


def test_he_is_the_person_named_just_before():
    ms = code("Troops freed the hostages, General Ali Khan said. Snipers first targeted the kidnappers. "
              "He said the kidnappers had used a base in Iran.")
    acc = of_type(ms, "ACCUSE")
    assert len(acc) == 1 and names(acc[0].actor) == ["Ali Khan"]


def test_two_peoples_accusations_stay_apart():
    ms = code("General Ali Khan said on Monday the attackers had handlers in Iran. Minister Omar Baig said on "
              "Tuesday the attackers had handlers in Iran.", times={"on Monday": ("2024-03-04", "day"),
                                                                   "on Tuesday": ("2024-03-05", "day")})
    assert len(of_type(ms, "ACCUSE")) == 2


def _people_of(ann, countries):
    for am in ann.actors:
        if am.text in countries:
            am.actor.country = countries[am.text]
    return ann


def test_delegation_leaders_join_the_talks_beside_their_states():
    ann = annotate("Chile and Peru held talks in Lima on Monday. Chile's delegation was led by John Smith, and Peru's "
                   "team was headed by David Brown. Mexican diplomat Peter Jones chaired the session.",
                   times={"on Monday": ("2024-03-04", "day")})
    ann = _people_of(ann, {"John Smith": "CHI", "David Brown": "PER", "Peter Jones": "MEX", "Mexican": "MEX"})
    ms = code_article(ann)
    talks = of_type(ms, "CONSULT")
    assert len(talks) == 1
    people = [r for r in talks[0].actor + talks[0].recipient if r.kind == "person"]
    assert sorted(r.name for r in people) == ["David Brown", "John Smith"]
    assert {"Chile", "Peru"} <= set(names(talks[0].actor + talks[0].recipient))
    assert names(talks[0].mediator) == ["Peter Jones"]


def test_a_leader_of_neither_side_is_not_added():
    ann = annotate("Chile and Peru held talks in Lima on Monday. Brazil's team was led by Paul Green.",
                   times={"on Monday": ("2024-03-04", "day")})
    ann = _people_of(ann, {"Paul Green": "BRA"})
    talks = of_type(code_article(ann), "CONSULT")
    assert len(talks) == 1 and "Paul Green" not in names(talks[0].actor + talks[0].recipient)


def test_talks_that_brought_together_two_people_are_their_talks():
    ann = annotate("Chile and Peru held talks in Lima on Monday. The negotiations brought together John Smith and "
                   "David Brown.", times={"on Monday": ("2024-03-04", "day")})
    ann = _people_of(ann, {"John Smith": "CHI", "David Brown": "PER"})
    talks = of_type(code_article(ann), "CONSULT")
    assert len(talks) == 1
    assert {"John Smith", "David Brown"} <= set(names(talks[0].actor))


# --------------------------------------------------------------------------- round 3: attacks
def _places(ann, where):
    """Resolve the given words as places (name -> (country, resolution)), whatever spaCy made of them."""
    from newsline.records import Place, PlaceMention

    ann.places = []
    for t in ann.tokens:
        if t.text in where:
            cc, res = where[t.text]
            ann.places.append(PlaceMention(t.idx, t.idx + len(t.text), t.text, Place(t.text, t.text, country_code=cc,
                                                                                     resolution=res), t.i, t.i + 1))
    ann.actors = [a for a in ann.actors if a.text not in where]
    return ann


def test_victims_take_the_country_of_the_attacked_place_and_descriptions_give_no_place():
    ann = annotate("Eight people, among them three students returning from a match in Paris, were killed when "
                   "German aircraft struck Lyon on Friday.", times={"on Friday": ("2024-03-08", "day")})
    ann = _places(ann, {"Paris": ("FRA", 4), "Lyon": ("FRA", 3)})
    for am in ann.actors:
        if am.text == "German":
            am.actor.country = "DEU"
    ms = of_type(code_article(ann), "ASSAULT")
    assert len(ms) == 1
    assert ms[0].event_loc is not None and ms[0].event_loc.extracted_place == "Lyon"
    assert "FRA" in {r.country for r in ms[0].recipient}


def test_unnamed_civilian_victims_belong_to_where_the_attack_happened():
    ann = annotate("Troops killed five villagers in Lyon on Friday.", times={"on Friday": ("2024-03-08", "day")})
    ann = _places(ann, {"Lyon": ("CHL", 4)})
    ms = of_type(code_article(ann), "ASSAULT")
    assert len(ms) == 1
    vic = [r for r in ms[0].recipient if r.country == "CHL"]
    assert vic and vic[0].sector == "CVL"


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


def test_unnamed_gunmen_retell_the_named_groups_attack():
    ann = annotate("The Free Army hijacked a train in Lyon on Tuesday. Militants then took passengers hostage.",
                   times={"on Tuesday": ("2024-03-05", "day")})
    for am in ann.actors:
        if am.text == "The Free Army" or am.text == "Free Army":
            am.actor.kind, am.actor.sector, am.actor.country = "group", "REB", "FRA"
        if am.text == "Militants":
            am.actor.sector, am.actor.country = "REB", "FRA"
    att = of_type(code_article(ann), "ASSAULT")
    assert len(att) == 1 and len(att[0].evidence) == 2


def test_two_sides_setting_a_deadline_ask_nobody():
    ms = code("Chile and Peru signed a declaration on Saturday. Chile and Peru fixed May 5 as the date for "
              "implementing the declaration.", times={"on Saturday": ("2024-03-09", "day")})
    assert not of_type(ms, "REQUEST")


# --------------------------------------------------------------------------- round 3: light verbs
def test_an_event_noun_under_a_light_verb_is_done_by_its_subject():
    m = one("The militants staged an attack on the army in Lyon.")
    assert m.event_type == "ASSAULT" and names(m.actor) == ["militants"]
    m = one("The rebels mounted a protest against the police.")
    assert m.event_type == "PROTEST" and names(m.actor) == ["rebels"]


def test_such_attacks_and_descriptions_are_no_light_verb_reports():
    assert not code("He warned that fighters carrying out such raids would be punished.")
    assert not of_type(code("The rebels called the arrests unfair."), "COERCE")


def test_earlier_ceasefires_are_background():
    ms = code("Chile and Peru signed a truce in Lima on Friday. Several earlier truces declared by both "
              "governments broke down within hours.", times={"on Friday": ("2024-03-08", "day")})
    assert all(len(m.evidence) == 1 or "earlier" not in m.evidence[1].sentence for m in ms)
    assert len(of_type(ms, "CONCEDE")) <= 1


def test_a_ceasefire_taking_effect_is_observed_not_declared():
    m = one("A ceasefire between Chile and Peru took effect on Sunday.", times={"on Sunday": ("2024-03-10", "day")})
    assert (m.event_type, m.mode) == ("RETREAT", "ceasefire")
    assert one("Chile and Peru declared a ceasefire on Sunday.").event_type == "CONCEDE"


# --------------------------------------------------------------------------- places of statements and reports
def test_a_statement_is_made_where_its_speaker_was():
    ms = code("Prime Minister Shehbaz Sharif, visiting Lahore on Monday, accused India of backing the separatists.")
    acc = of_type(ms, "ACCUSE")
    assert acc and acc[0].event_loc is not None and acc[0].event_loc.extracted_place == "Lahore"


def test_the_speakers_venue_is_not_the_place_of_what_is_reported():
    ms = code("Prime Minister Shehbaz Sharif, visiting Lahore, said Indian troops had shelled a village in Kashmir.")
    for m in of_type(ms, "ASSAULT"):
        assert m.event_loc is None or m.event_loc.extracted_place != "Lahore"


def test_an_event_in_a_where_clause_happens_at_the_place_it_describes():
    ms = code("At least 12 people have died since Monday in Ituri, where militias have been fighting "
              "the army for years.")
    fights = of_type(ms, "ASSAULT")
    assert fights and fights[0].event_loc is not None and fights[0].event_loc.extracted_place == "Ituri"


def test_local_sources_place_an_unlocated_attack():
    ms = code("Local officials in Syria's Homs province said Russian air strikes killed 8 civilians.")
    hits = of_type(ms, "ASSAULT")
    assert hits and hits[0].event_loc is not None and "Homs" in hits[0].event_loc.extracted_place


# --------------------------------------------------------------------------- the content of agreements
def test_acts_arranged_by_an_agreement_are_its_content():
    ms = code("Israel and Hamas agreed on Wednesday to a ceasefire. Israeli troops are to withdraw from populated "
              "areas, and the ceasefire is to begin on Sunday.",
              times={"on Wednesday": ("2024-03-06", "day"), "on Sunday": ("2024-03-10", "day")})
    assert not [m for m in ms if m.status == "asserted" and m.event_type in ("RETREAT", "MOBILIZE")]
    assert len([m for m in ms if m.event_type in ("AGREE", "CONCEDE", "RETREAT")]) == 1


def test_be_to_is_a_plan():
    ms = code("The government said troops were to withdraw from the town.")
    assert ms and all(m.status == "planned" for m in ms)


def test_a_truce_that_would_take_effect_is_part_of_the_agreement():
    ms = code("Israel and Hamas reached an agreement on a ceasefire on Wednesday. The ceasefire would take effect on "
              "Sunday, the prime minister said. 33 hostages are to be released, while Israeli forces pull back from "
              "populated areas.",
              times={"on Wednesday": ("2024-03-06", "day"), "on Sunday": ("2024-03-10", "day")})
    # an agreement whose content is a ceasefire is the declared ceasefire (CONCEDE); the acts it arranges for
    # later are its content, not events of their own
    assert not [m for m in ms if m.status == "asserted" and m.event_type == "RETREAT"]
    pact = [m for m in ms if m.event_type in ("AGREE", "CONCEDE")]
    assert len(pact) == 1 and pact[0].event_type == "CONCEDE" and len(pact[0].evidence) >= 2


# --------------------------------------------------------------------------- dated background references
def test_dated_session_of_reported_talks_is_its_own_event():
    ms = code("Chile and Peru held talks in Lima on Friday. Previous rounds on January 12 produced a water accord.",
              times={"on Friday": ("2024-03-08", "day"), "on January 12": ("2024-01-12", "day")})
    jan = [m for m in ms if m.event_type == "CONSULT" and m.date == "2024-01-12"]
    assert len(jan) == 1 and sorted(names(jan[0].actor + jan[0].recipient)) == ["Chile", "Peru"]
    assert any(m.event_type == "CONSULT" and m.date == "2024-03-08" for m in ms)


def test_dated_swap_named_as_content_is_coded_with_the_articles_parties():
    ms = code("Chile and Peru held talks in Lima on Friday. The meetings have produced modest results, including "
              "a prisoner swap in February.", times={"on Friday": ("2024-03-08", "day"),
                                                    "in February": ("2024-02-01", "month")})
    swaps = of_type(ms, "RETREAT")
    assert len(swaps) == 1 and swaps[0].date == "2024-02-01"
    assert sorted(names(swaps[0].actor + swaps[0].recipient)) == ["Chile", "Peru"]


def test_next_round_is_planned_and_undated_previous_rounds_are_not_coded():
    ms = code("Chile and Peru held talks in Lima on Friday. The next round is set to take place on March 20. "
              "Previous rounds have stalled for years.",
              times={"on Friday": ("2024-03-08", "day"), "on March 20": ("2024-03-20", "day")})
    talks = of_type(ms, "CONSULT") + of_type(ms, "AGREE")
    assert sorted((m.date, m.status) for m in talks) == [("2024-03-08", "asserted"), ("2024-03-20", "planned")]
