"""Round-6 coder rules: background and secondary events (fighting told through its noun or its means, repelled
attacks, prisoner swaps, declarations produced by talks, evidence presented, extended truces, stages of an
exchange, planned rounds) and their dates. Sentences written for these tests; the full annotator (actors,
times, places) is used so that dates and parties are resolved as in a run."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from newsline.annotate import get_annotator  # noqa: E402
from newsline.code import code_article  # noqa: E402
from newsline.records import Article  # noqa: E402


def run(text: str, published: str | None = "2025-10-15"):
    art = Article(id="t6", uri="", title=None, published=published,
                  published_precision="day" if published else None, language="en", text=text)
    return code_article(get_annotator().annotate(art))


def of_type(ms, t):
    return [m for m in ms if m.event_type == t]


def single(ms, t):
    got = of_type(ms, t)
    assert len(got) == 1, got
    return got[0]


def sides(refs):
    return {r.country for r in refs}


def countries(m):
    return {r.country for r in m.actor + m.recipient if r.country}


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


def test_repelled_attacks_are_an_attack_by_the_other_side():
    ms = run("India and Pakistan agreed on Monday to halt the shelling. The Indian army said its troops had "
             "repelled Pakistani attacks at several posts near Poonch.", published="2025-05-13")
    attacks = [m for m in of_type(ms, "ASSAULT") if {a.country for a in m.actor} == {"PAK"}]
    assert len(attacks) == 1
    assert {r.country for r in attacks[0].recipient} == {"IND"}
    assert attacks[0].date == "2025-05-12"


def test_repelled_attack_without_attacker_named_comes_from_the_other_side_of_the_dyad():
    ms = run("India and Pakistan agreed on Monday to halt the shelling. The Indian army said it had repelled "
             "attacks near Poonch.", published="2025-05-13")
    attacks = [m for m in of_type(ms, "ASSAULT") if {a.country for a in m.actor} == {"PAK"}]
    assert len(attacks) == 1 and {r.country for r in attacks[0].recipient} == {"IND"}


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


def test_swap_carried_out_by_the_two_sides_and_a_dated_earlier_swap_are_two_releases():
    ms = run("Armenia and Azerbaijan agreed on Tuesday to hold another round of talks. The meeting took place while "
             "both sides carried out a new swap agreed earlier, with 40 detainees from each side exchanged at "
             "the border, officials said. Earlier rounds in March and April produced the biggest exchanges so "
             "far, including a 200-for-200 swap in April.", published="2025-07-16")
    rel = sorted(of_type(ms, "RETREAT"), key=lambda m: m.date)
    assert [(m.mode, m.date) for m in rel] == [("release", "2025-04-01"), ("release", "2025-07-15")]
    assert all(countries(m) == {"ARM", "AZE"} for m in rel)


def test_a_past_proposal_is_not_dated_by_the_time_of_what_it_proposes():
    ms = run("Armenia and Azerbaijan held talks in Geneva on Tuesday. The Armenian envoy said Yerevan had proposed "
             "a summit of the two leaders before the end of September.", published="2025-07-16")
    prop = [m for m in ms if m.event_type in ("AGREE", "REQUEST") and {a.country for a in m.actor} == {"ARM"}]
    assert prop and all(not (m.date or "").startswith("2025-09") for m in prop)


def test_talks_that_produced_a_declaration_give_an_agreement_of_the_talks_parties():
    ms = run("The army and the rebels signed a ten-day ceasefire on Saturday. Negotiations in Geneva earlier this month "
             "produced a joint declaration to shield civilians, which relief groups say has mostly been ignored.",
             published="2023-05-21")
    agr = single(ms, "AGREE")
    assert agr.date == "2023-05-01" and {r.sector for r in agr.actor} == {"MIL", "REB"}
    assert agr.event_loc is not None and agr.event_loc.extracted_place == "Geneva"


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


def test_an_extended_truce_is_a_second_act_not_dated_by_the_agreement():
    ms = run("India and Pakistan agreed to an immediate ceasefire in Dubai on Sunday after two days of talks. A "
             "three-day truce agreed on Wednesday was subsequently extended through the Dubai negotiations.",
             published="2025-10-19")
    con = of_type(ms, "CONCEDE")
    assert sorted(m.date or "-" for m in con) == ["-", "2025-10-15", "2025-10-19"]
    ext = next(m for m in con if m.date is None)
    assert ext.evidence[0].trigger == "extended" and countries(ext) == {"IND", "PAK"}
    # a truce that was not extended is one act
    ms = run("India and Pakistan agreed to an immediate ceasefire in Dubai on Sunday. A three-day truce agreed on "
             "Wednesday was never extended.", published="2025-10-19")
    assert sorted(m.date or "-" for m in of_type(ms, "CONCEDE")) == ["2025-10-15", "2025-10-19"]


def test_a_planned_round_takes_the_place_where_it_is_to_take_place():
    ms = run("India and Pakistan agreed to a ceasefire in Dubai on Sunday after two days of talks. The next round is "
             "set to take place in Geneva on October 25. The envoys would then reconvene in Muscat on "
             "November 2.", published="2025-10-19")
    planned = {m.date: m for m in ms if m.status in ("planned", "hypothetical")}
    assert planned["2025-10-25"].event_type in ("AGREE", "CONSULT")
    assert planned["2025-10-25"].event_loc.extracted_place == "Geneva"
    assert planned["2025-11-02"].event_loc.extracted_place == "Muscat"


def test_measured_gap_dates_the_earlier_event_from_the_clause_it_hangs_from():
    ms = run("India and Pakistan agreed to a ceasefire in Dubai on Sunday. It also comes two days after Indian jets "
             "struck a camp in Muzaffarabad.", published="2025-10-20")
    assert single(ms, "ASSAULT").date == "2025-10-17"
    # a date of its own wins over the gap
    ms = run("India and Pakistan agreed to a ceasefire in Dubai on Sunday. It also comes two days after Indian jets "
             "struck a camp in Muzaffarabad on Thursday.", published="2025-10-20")
    assert single(ms, "ASSAULT").date == "2025-10-16"


def test_a_retelling_dated_only_by_the_year_keeps_the_day():
    ms = run("The foreign ministers of India and Nepal met in Kathmandu on Wednesday. Before the session, the Indian "
             "minister held separate talks with his Nepali counterpart. It was his third trip to the Nepali capital "
             "this year.", published="2025-08-21")
    assert all(m.date_precision == "day" for m in of_type(ms, "CONSULT"))


def test_freed_captives_handed_to_an_international_organisation_go_to_their_own_side():
    ms = run("Hamas freed three Israeli hostages on Sunday, handing them over to the Red Cross in Gaza City.",
             published="2025-01-20")
    rel = single(ms, "RETREAT")
    assert rel.mode == "release" and sides(rel.actor) == {"PSE"} and sides(rel.recipient) == {"ISR"}
    assert [m.kind for m in rel.mediator] == ["igo"]


SWAP = ("Armenia and Azerbaijan completed a prisoner exchange on Sunday, each handing over 50 detainees in the third "
        "and last stage of a swap agreed in Geneva. In total, 300 Armenians and 300 Azerbaijanis were returned over "
        "three days, officials reported. The first stage on Friday saw 120 people from each side, and another 130 "
        "detainees from each side were released on Saturday.")


def test_each_stage_of_an_exchange_is_a_mention_and_the_whole_spans_them():
    rel = of_type(run(SWAP, published="2025-06-02"), "RETREAT")
    assert all(m.mode == "release" and countries(m) == {"ARM", "AZE"} for m in rel)
    assert sorted((m.date, m.enddate or "") for m in rel) == [
        ("2025-05-30", ""), ("2025-05-30", "2025-06-01"), ("2025-05-31", ""), ("2025-06-01", "")]


def test_stages_of_an_undated_article_keep_their_named_days():
    # no publication date: the days cannot be placed in time, but "on Friday" and "on Saturday" are still two
    # stages, and the whole spans them (precision range, no dates)
    rel = of_type(run(SWAP, published=None), "RETREAT")
    assert all(m.date is None for m in rel)
    assert sorted((m.date_precision, (m.date_text or "").lower()) for m in rel) == [
        ("day", "on friday"), ("day", "on saturday"), ("day", "on sunday"), ("range", "on sunday")]


def test_stages_of_an_undated_article_form_one_event():
    from newsline.cluster.events import cluster_events

    rel = of_type(run(SWAP, published=None), "RETREAT")
    art = Article(id="t6", uri="", title=None, published=None, published_precision=None, language="en", text=SWAP)
    events = cluster_events(rel, [art])
    assert len(events) == 1 and len(events[0].mentions) == 4


def test_two_named_days_of_an_undated_article_are_two_events():
    ms = run("Militants attacked a police post in the north on Monday. Militants attacked a checkpoint in the "
             "north on Thursday.", published=None)
    assert len(of_type(ms, "ASSAULT")) == 2


def test_a_rebel_offensive_is_aimed_at_the_state_it_fights():
    ms = run("Mali's government and the rebels signed a declaration in Algiers on Saturday. The rebels launched a "
             "rapid offensive in January, seizing Kidal and then Gao, the two largest cities in the north.",
             published="2025-07-20")
    att = single(ms, "ASSAULT")
    assert [r.sector for r in att.actor] == ["REB"] and [r.sector for r in att.recipient] == ["GOV"]
    assert att.date == "2025-01-01"


def test_participial_accusation_and_relative_clause_allegation_are_reports():
    ms = run("Peruvian President Jose Vega on Friday broke off negotiations with the Shining Path, accusing the "
             "rebel group of committing atrocities. The rebels said in a statement that they were fighting a dissident "
             "front, which they accused of attacking civilians.", published="2025-01-18")
    acc = of_type(ms, "ACCUSE")
    assert len(acc) == 2 and all(m.date == "2025-01-17" for m in acc)
    by_trigger = {m.evidence[0].trigger: m for m in acc}
    assert [a.name for a in by_trigger["accusing"].actor] == ["Jose Vega"]
    assert [a.sector for a in by_trigger["accusing"].recipient] == ["REB"]
    assert [a.sector for a in by_trigger["accused"].actor] == ["REB"] and by_trigger["accused"].recipient
    # a participle telling what a protest asked for is its content, not a second report
    ms = run("Thousands of students demonstrated in Lima on Friday, calling for the minister to resign.",
             published="2025-01-18")
    assert of_type(ms, "REQUEST") == []


def test_troops_being_sent_are_mobilised_by_their_own_side():
    ms = run("Peru suspended talks with the Shining Path on Friday. The Defence Ministry said extra soldiers were being "
             "sent to the south.", published="2025-01-18")
    mob = single(ms, "MOBILIZE")
    assert [(a.country, a.sector) for a in mob.actor] == [("PER", "MIL")]


def test_refusing_talks_with_the_attackers_rejects_the_group_behind_the_attack():
    ms = run("Militants attacked police stations across Sindh on Monday, killing 20 people. Sindh Chief Minister "
             "Murad Khan ruled out any talks with the attackers.", published="2024-08-27")
    rej = single(ms, "REJECT")
    assert [a.name for a in rej.actor] == ["Murad Khan"]
    assert [(r.country, r.sector) for r in rej.recipient] == [("PAK", "REB")]


def test_events_named_only_as_what_talks_ended_without_did_not_happen():
    ms = run("Armenia and Azerbaijan agreed on Wednesday to exchange 100 more prisoners each, but their latest round of "
             "talks in Geneva ended after less than an hour without agreement on a truce or a summit of their presidents.",
             published="2025-07-24")
    assert sorted(m.event_type for m in ms) == ["AGREE", "CONSULT"]
    assert single(ms, "CONSULT").event_loc.extracted_place == "Geneva"


def test_an_agreement_binding_the_two_forces_is_their_commitment():
    ms = run("The army and the rebels signed a ten-day ceasefire in Geneva on Saturday. The accord further commits "
             "both armies to let relief convoys through and to leave hospitals.",
             published="2023-05-21")
    agr = single(ms, "AGREE")
    assert {a.sector for a in agr.actor} == {"MIL", "REB"} and agr.date == "2023-05-20"


def test_a_document_produced_by_earlier_talks_stays_apart_from_todays_commitments():
    ms = run("The army and the rebels signed a ten-day ceasefire in Geneva on Saturday. The accord further commits "
             "both armies to let relief convoys through. Negotiations in Geneva earlier this month produced a "
             "joint declaration to shield civilians.", published="2023-05-21")
    assert sorted(m.date for m in of_type(ms, "AGREE")) == ["2023-05-01", "2023-05-20"]


def test_signing_told_through_a_pronoun_for_the_deal_retells_the_deal():
    ms = run("The army and the rebels signed a ten-day ceasefire in Geneva on Saturday. Earlier truces collapsed "
             "within days. Mediators said this deal was new because it was signed by both leaders.",
             published="2023-05-21")
    assert [m.event_type for m in ms if m.event_type in ("AGREE", "CONCEDE", "SUPPORT")] == ["CONCEDE"]


# --- variants of the wording: the rules hold whatever light verb, group reference or weapon noun tells the event


def _swap_with_stage(second: str) -> str:
    return ("Russia and Ukraine completed a prisoner swap on Sunday, each returning 40 soldiers in the final stage of "
            "an exchange brokered by the Emirates. " + second)


@pytest.mark.parametrize("second,day", [
    ("The first stage on Friday included 95 servicemen from each side.", "2025-05-30"),
    ("The first stage on Friday covered 95 servicemen from each side.", "2025-05-30"),
    ("The second phase on Saturday brought home 60 servicemen from each side.", "2025-05-31"),
])
def test_a_stage_with_its_day_is_a_stage_whatever_verb_tells_it(second, day):
    rel = of_type(run(_swap_with_stage(second), published="2025-06-02"), "RETREAT")
    stages = sorted(m.date for m in rel if m.enddate is None)
    assert stages == sorted([day, "2025-06-01"])
    whole = [m for m in rel if m.enddate]
    assert len(whole) == 1 and (whole[0].date, whole[0].enddate) == (day, "2025-06-01")
    assert all(countries(m) == {"RUS", "UKR"} for m in rel)


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
    "The next round is due to be held in Vienna on March 3.",
    "The next session is expected to take place in Vienna on March 3.",
    "The next round is planned to be held in Vienna on March 3.",
])
def test_a_planned_round_takes_its_place_whatever_the_planning_word(second):
    ms = run("Serbia and Kosovo held talks in Brussels on Thursday. " + second, published="2025-10-31")
    planned = [m for m in ms if m.status in ("planned", "hypothetical")]
    assert len(planned) == 1 and planned[0].date == "2026-03-03"
    assert planned[0].event_loc is not None and planned[0].event_loc.extracted_place == "Vienna"


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
