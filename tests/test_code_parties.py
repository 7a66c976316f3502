"""Parties inferred from the article rather than the clause: the article's two-party dyad (its other side,
unattributed fighting, "both sides", weapon nouns), delegation leaders, the party a rejection answers.
Sentences written for these tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import annotate, code, countries, names, of_type, run, single  # noqa: E402
from newsline.code import code_article  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps


def test_clashes_that_killed_soldiers_are_fighting_between_the_two_sides():
    ms = run("India and Pakistan agreed on Wednesday to pause the fighting. It was the second outbreak of "
             "fighting this month. Clashes along the border on the evening of October 4 killed 12 Indian soldiers, "
             "the army said.")
    hits = [m for m in of_type(ms, "ASSAULT") if m.date == "2025-10-04"]
    assert len(hits) == 1
    assert countries(hits[0]) == {"IND", "PAK"}
    assert hits[0].size.dead == 12 and hits[0].status == "reported"


def test_attack_told_through_its_means_takes_the_conflicts_parties():
    ms = run("The army and the rebels signed a ceasefire in Geneva on Friday. Air strikes and rocket fire hit "
             "districts of Aleppo on Saturday, residents said.", published="2023-05-21")
    hits = of_type(ms, "ASSAULT")
    assert len(hits) == 1 and hits[0].date == "2023-05-20" and hits[0].status == "reported"
    assert {r.sector for r in hits[0].actor} == {"MIL", "REB"}


def test_fighting_of_another_conflict_is_not_given_this_articles_parties():
    ms = run("India and Pakistan agreed on Wednesday to pause the fighting. Clashes on the evening of October 4 "
             "killed 12 Sudanese soldiers.")
    assert not [m for m in of_type(ms, "ASSAULT") if m.date == "2025-10-04"]


def test_strikes_carried_out_on_one_sides_positions_are_the_other_sides_attack():
    ms = run("India and Pakistan agreed on Monday to halt the shelling. Indian military sources said missile "
             "strikes were carried out on Pakistani posts in Muzaffarabad before the truce took effect.",
             published="2025-05-13")
    hits = of_type(ms, "ASSAULT")
    assert len(hits) == 1
    assert {a.country for a in hits[0].actor} == {"IND"} and {r.country for r in hits[0].recipient} == {"PAK"}
    assert hits[0].event_loc is not None and "Muzaffarabad" in (hits[0].event_loc.extracted_place or "")


def test_attacks_by_a_third_group_are_not_given_to_the_dyad():
    ms = run("India and Pakistan agreed on Monday to halt the shelling. Delhi accuses Pakistan of sheltering the "
             "Lashkar group, which has intensified its raids on police in Kashmir.", published="2025-05-13")
    assert of_type(ms, "ASSAULT") == []


def test_a_rebel_offensive_is_aimed_at_the_state_it_fights():
    ms = run("Mali's government and the rebels signed a declaration in Algiers on Saturday. The rebels launched a "
             "rapid offensive in January, seizing Kidal and then Gao, the two largest cities in the north.",
             published="2025-07-20")
    att = single(ms, "ASSAULT")
    assert [r.sector for r in att.actor] == ["REB"] and [r.sector for r in att.recipient] == ["GOV"]
    assert att.date == "2025-01-01"


def test_refusing_talks_with_the_attackers_rejects_the_group_behind_the_attack():
    ms = run("Militants attacked police stations across Sindh on Monday, killing 20 people. Sindh Chief Minister "
             "Murad Khan ruled out any talks with the attackers.", published="2024-08-27")
    rej = single(ms, "REJECT")
    assert [a.name for a in rej.actor] == ["Murad Khan"]
    assert [(r.country, r.sector) for r in rej.recipient] == [("PAK", "REB")]


@pytest.mark.parametrize("second", [
    "At the same time the two parties completed a new swap of detainees.",
    "At the same time both sides held a prisoner swap at the border.",
])
def test_a_swap_by_a_group_reference_is_the_two_parties_release(second):
    ms = run("Ethiopia and Eritrea agreed on Monday to resume direct talks. " + second, published="2025-03-05")
    rel = single(ms, "RETREAT")
    assert rel.mode == "release" and countries(rel) == {"ETH", "ERI"}
    # "held a prisoner swap" holds nobody prisoner
    assert not [m for m in ms if m.event_type == "COERCE"]


@pytest.mark.parametrize("second", [
    "Shelling and rocket fire struck the outskirts of Goma on Tuesday, aid workers said.",
    "Mortar fire hit a market in Goma on Tuesday, aid workers said.",
    "Drone strikes killed six people near Goma on Tuesday, aid workers said.",
    "Gunfire and missiles pounded Goma on Tuesday, aid workers said.",
])
def test_an_attack_told_through_any_weapon_noun_is_fighting_of_the_two_sides(second):
    ms = run("The army and the rebels agreed to a truce in Nairobi on Monday. " + second, published="2025-03-05")
    hit = single(ms, "ASSAULT")
    assert hit.date == "2025-03-04" and hit.status == "reported"
    assert {r.sector for r in hit.actor} == {"MIL", "REB"}  # no weapon taken for an actor


def test_weapon_nouns_without_a_conflict_name_no_sides():
    ms = run("Mortar fire hit a market in Goma on Tuesday, aid workers said.", published="2025-03-05")
    assert all(not m.actor for m in of_type(ms, "ASSAULT"))


def test_the_delegations_are_the_parties_of_the_talks():
    ms = code("Pakistan held talks with Afghanistan in Doha on Saturday. The delegations will meet again in "
              "Istanbul on March 20.", times={"on Saturday": ("2024-03-09", "day"), "on March 20": ("2024-03-20", "day")})
    later = [m for m in ms if m.date == "2024-03-20"]
    assert len(later) == 1 and later[0].status == "planned"
    assert sorted(names(later[0].actor + later[0].recipient)) == ["Afghanistan", "Pakistan"]
    assert later[0].event_loc is not None and later[0].event_loc.extracted_place == "Istanbul"


def test_unattributed_fighting_is_between_the_articles_parties():
    ms = code("Ethiopia and Eritrea held talks in Nairobi on Monday. Fighting continued in Aleppo on Tuesday, "
              "residents said.", times={"on Monday": ("2024-03-04", "day"), "on Tuesday": ("2024-03-05", "day")})
    fights = of_type(ms, "ASSAULT")
    assert len(fights) == 1
    f = fights[0]
    assert sorted(names(f.actor + f.recipient)) == ["Eritrea", "Ethiopia"]
    assert f.date == "2024-03-05" and f.status == "reported"
    assert f.event_loc is not None and f.event_loc.extracted_place == "Aleppo"


def test_implicit_target_of_an_ultimatum_is_the_other_side():
    ms = code("Ukraine and Russia held talks in Istanbul. Russia issued an ultimatum on Monday.")
    req = of_type(ms, "REQUEST")
    assert len(req) == 1 and names(req[0].actor) == ["Russia"] and names(req[0].recipient) == ["Ukraine"]


def test_rejection_answers_a_background_accusation():
    ms = code("Serbia has long accused Kosovo of discriminating against Serbs. Kosovo rejects the charge.")
    rej = of_type(ms, "REJECT")
    assert len(rej) == 1
    assert names(rej[0].actor) == ["Kosovo"] and names(rej[0].recipient) == ["Serbia"]


def test_goal_talks_take_no_parties_from_the_sentence():
    ms = code("Egypt urged Jordan to support the plan, which would create a good climate for peace talks.")
    assert not of_type(ms, "CONSULT")


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
    assert {"John Smith", "David Brown"} <= set(names(talks[0].actor + talks[0].recipient))
