"""Which clauses report an event and of which type: lexicon triggers, absorption ("urged X to release" is one
REQUEST), declared ceasefires whatever the wording, implied accusations, circumstances and references that are
no report of their own, mentions that name no political event. Sentences written for these tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import annotate, code, names, of_type, one, pacts, run, sides, single  # noqa: E402
from newsline.code import code_article  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps


def test_headline_not_coded():
    text = "Russia attacks Ukraine.\nKenya praised Somalia."
    ms = code(text, title="Russia attacks Ukraine")
    assert [m.event_type for m in ms] == ["SUPPORT"]


def test_an_in_body_subheading_is_not_coded_but_the_paragraph_under_it_is():
    body = ("Kenya praised Somalia on Monday.\n{}\nThe foreign minister of Qatar visited Kabul on Tuesday "
            "for talks with Taliban officials.")
    for subhead in ("FM to visit the US", "Army shells border villages", "Kenya condemns Somalia"):
        assert [m.event_type for m in code(body.format(subhead))] == ["SUPPORT", "CONSULT"]
    # a one-sentence paragraph that closes with a full stop is a report of its own
    assert [m.event_type for m in code(body.format("Kenya condemned Somalia."))] == ["SUPPORT", "ACCUSE", "CONSULT"]


def test_a_reference_back_leaves_a_measured_earlier_report_standing():
    lede = "Pakistan and Afghanistan agreed to a ceasefire in Oslo on Sunday. "
    ms = code(lede + "The truce comes two days after Pakistan's army chief, General Omar Sadiq, used a rally in "
              "Peshawar to urge the Taliban to rein in armed groups.")
    assert len(of_type(ms, "REQUEST")) == 1
    # no measured gap: the clause is the circumstance of the reference, not a report of its own
    ms = code(lede + "The truce collapsed after Pakistan's army chief, General Omar Sadiq, urged the Taliban "
              "to rein in armed groups.")
    assert of_type(ms, "REQUEST") == []


def test_evidence_of_militants_crossing_from_a_state_accuses_that_state():
    ms = run("India and Pakistan held talks in Dubai on Saturday. Indian officials presented what they called "
             "proof that militants cross from Pakistan to carry out raids, sources said.",
             published="2025-10-19")
    acc = single(ms, "ACCUSE")
    assert acc.status == "reported" and (sides(acc.actor), sides(acc.recipient)) == ({"IND"}, {"PAK"})
    # evidence of something that is no hostile act from abroad accuses no one
    ms = run("India and Pakistan held talks in Dubai on Saturday. Indian officials presented evidence that trade "
             "with Pakistan had grown.", published="2025-10-19")
    assert of_type(ms, "ACCUSE") == []


def test_events_named_only_as_what_talks_ended_without_did_not_happen():
    ms = run("Armenia and Azerbaijan agreed on Wednesday to exchange 100 more prisoners each, but their latest round of "
             "talks in Geneva ended after less than an hour without agreement on a truce or a summit of their presidents.",
             published="2025-07-24")
    assert sorted(m.event_type for m in ms) == ["AGREE", "CONSULT"]
    assert single(ms, "CONSULT").event_loc.extracted_place == "Geneva"


@pytest.mark.parametrize("second,target", [
    ("Hours later, Russia staged one of its heaviest raids on Odesa.", "Odesa"),
    ("Ukraine mounted a raid on a Russian air base on Tuesday.", None),
    ("Russia staged an assault on Ukrainian positions near Pokrovsk on Tuesday.", None),
    ("Russia mounted a new offensive in the east on Tuesday.", None),
])
def test_an_attack_noun_under_any_light_verb_is_an_attack(second, target):
    ms = run("Russia and Ukraine exchanged draft proposals in Istanbul on Monday. " + second, published="2025-03-05")
    hit = single(ms, "ASSAULT")
    assert len(hit.actor) == 1 and hit.actor[0].country in ("RUS", "UKR")
    assert not of_type(ms, "COERCE")  # a military raid, not a police search
    if target:
        assert target in [r.text for r in hit.recipient]


def test_a_strike_staged_by_workers_stays_a_protest():
    ms = run("Dock workers staged a strike in Lagos on Tuesday over unpaid wages.", published="2025-03-05")
    assert [m.event_type for m in ms] == ["PROTEST"]


def test_talks_with_their_own_place_are_coded_beside_the_agreement():
    ms = code("Ethiopia and Eritrea agreed to a ceasefire after talks in Nairobi.")
    talks = of_type(ms, "CONSULT")
    assert len(talks) == 1 and talks[0].event_loc is not None and talks[0].event_loc.extracted_place == "Nairobi"
    assert sorted(names(talks[0].actor + talks[0].recipient)) == ["Eritrea", "Ethiopia"]
    assert of_type(ms, "CONCEDE")


def test_provide_for_is_not_aid():
    assert not of_type(code("The accord provides for the return of refugees."), "AID")
    assert of_type(code("Japan provided food to the refugees."), "AID")


def test_possible_future_truce_is_no_event():
    assert not of_type(code("Both governments said they would discuss a possible future truce."), "CONCEDE")


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


def test_such_attacks_and_descriptions_are_no_light_verb_reports():
    assert not code("He warned that fighters carrying out such raids would be punished.")
    assert not of_type(code("The rebels called the arrests unfair."), "COERCE")


def test_a_ceasefire_taking_effect_is_observed_not_declared():
    m = one("A ceasefire between Chile and Peru took effect on Sunday.", times={"on Sunday": ("2024-03-10", "day")})
    assert (m.event_type, m.mode) == ("RETREAT", "ceasefire")
    assert one("Chile and Peru declared a ceasefire on Sunday.").event_type == "CONCEDE"


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


def test_an_offer_or_other_content_stays_agree():
    assert [m.event_type for m in pacts(code("Ethiopia proposed a ceasefire to Eritrea."))] == ["AGREE"]
    assert [m.event_type for m in pacts(code("Ethiopia and Eritrea agreed to hold talks."))] == ["AGREE"]


def test_negated_hostile_act_is_ceasefire_content():
    ms = pacts(code("Ethiopia and Eritrea pledged not to launch any attacks on one another."))
    assert [m.event_type for m in ms] == ["CONCEDE"]


def test_background_truce_with_its_own_day_is_coded_between_the_articles_parties():
    ms = code("Ethiopia and Eritrea held talks in Nairobi on Monday. Villagers said the border had stayed calm "
              "since a short truce agreed on Wednesday.",
              times={"on Monday": ("2024-03-04", "day"), "on Wednesday": ("2024-03-06", "day")})
    truce = [m for m in ms if m.event_type == "CONCEDE"]
    assert len(truce) == 1 and truce[0].date == "2024-03-06"
    assert sorted(a.name for a in truce[0].actor + truce[0].recipient) == ["Eritrea", "Ethiopia"]


def test_a_concluded_agreement_is_support_and_a_promise_to_act_is_agree():
    # the ontology: SUPPORT includes signing or finalising an agreement, AGREE a promise or offer to act
    ms = run("India and Brazil reached a trade agreement on Monday.", published="2025-01-18")
    assert [m.event_type for m in ms] == ["SUPPORT"]
    ms = run("India agreed on Monday to cut tariffs on Brazilian farm goods.", published="2025-01-18")
    assert [m.event_type for m in ms] == ["AGREE"]


def test_a_hyphenated_event_word_and_a_state_of_emergency_are_triggers():
    # the tokenizer splits "cease-fire" in three tokens; "a state of emergency" is the complement of "declared"
    assert [m.event_type for m in run("Chile and Peru declared a cease-fire on Monday.", published="2025-01-18")] \
        == ["CONCEDE"]
    assert [m.event_type for m in run("Chile declared a state of emergency on Monday.", published="2025-01-18")] \
        == ["COERCE"]


def test_taking_ground_by_force_is_an_assault():
    assert [m.event_type for m in run("Peruvian troops recaptured the border town of Tacna on Saturday.",
                                      published="2025-01-18")] == ["ASSAULT"]
    # seizing goods stays a seizure
    assert [m.event_type for m in run("Chilean police seized weapons in a raid on Monday.", published="2025-01-18")] \
        == ["COERCE"]


def test_adopting_sanctions_and_revoking_an_agreement_cut_relations():
    ms = run("The European Union on Friday adopted a new package of sanctions against Peru.", published="2025-01-18")
    assert [(m.event_type, [r.country for r in m.recipient]) for m in ms] == [("SANCTION", ["PER"])]
    ms = run("Chile on Thursday revoked military cooperation agreements with Peru.", published="2025-01-18")
    assert [(m.event_type, [r.country for r in m.recipient]) for m in ms] == [("SANCTION", ["PER"])]


def test_legal_action_against_a_party_is_an_accusation():
    ms = run("Chile's central bank filed a lawsuit against a Peruvian bank on Monday.", published="2025-01-18")
    assert [(m.event_type, [r.country for r in m.recipient]) for m in ms] == [("ACCUSE", ["PER"])]


def test_goods_flown_to_those_in_need_are_aid():
    ms = run("Chile flew 13 tonnes of medicine into Peru on Monday.", published="2025-01-18")
    assert [m.event_type for m in ms] == ["AID"]


def test_a_blockade_is_an_assault():
    # CAMEO 191 ("impose blockade") is under "fight", the ontology's ASSAULT
    ms = run("Chile imposed a blockade on Peru's ports on Monday.", published="2025-01-18")
    assert [m.event_type for m in ms] == ["ASSAULT"]


def test_easing_a_measure_or_granting_a_request_is_a_concession():
    for text in ("Chile rolled back tariffs on Peruvian goods on Monday.",
                 "Chile granted Peru an extension on Monday."):
        assert [m.event_type for m in run(text, published="2025-01-18")] == ["CONCEDE"], text
