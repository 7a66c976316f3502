"""Within-article merging: a lede and its retellings become one mention, references back join the event they
name, distinct events (other days, reversed roles, other speakers) stay apart. Sentences written for these
tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import annotate, code, of_type, pacts, run, single  # noqa: E402
from newsline.code import code_article  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps


def test_lede_and_retelling_merge():
    text = ("Kenya and Somalia signed a peace agreement in Nairobi on Friday.\n"
            "The agreement between Kenya and Somalia was signed after long talks.")
    ms = [m for m in code(text) if m.event_type in ("SUPPORT", "AGREE")]
    assert len(ms) == 1
    assert len(ms[0].evidence) == 2


def test_distinct_events_stay_distinct():
    text = "Russia attacked Ukraine on Monday.\nIsrael attacked Syria on Tuesday."
    ms = code(text, times={"Monday": ("2024-03-11", "day"), "Tuesday": ("2024-03-12", "day")})
    assert len([m for m in ms if m.event_type == "ASSAULT"]) == 2


def test_a_retelling_dated_only_by_the_year_keeps_the_day():
    ms = run("The foreign ministers of India and Nepal met in Kathmandu on Wednesday. Before the session, the Indian "
             "minister held separate talks with his Nepali counterpart. It was his third trip to the Nepali capital "
             "this year.", published="2025-08-21")
    assert all(m.date_precision == "day" for m in of_type(ms, "CONSULT"))


def test_two_named_days_of_an_undated_article_are_two_events():
    ms = run("Militants attacked a police post in the north on Monday. Militants attacked a checkpoint in the "
             "north on Thursday.", published=None)
    assert len(of_type(ms, "ASSAULT")) == 2


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


def test_the_agreement_refers_back_to_the_signing():
    ms = code("Armenia and Azerbaijan signed a peace accord in Paris on Friday. Aliyev later confirmed "
              "the accord in a televised address.")
    assert len(ms) == 1
    assert len(ms[0].evidence) == 2


def test_reversed_roles_are_two_attacks():
    ms = code("Militants attacked the police. Later the police attacked the militants.")
    assert len(of_type(ms, "ASSAULT")) == 2


def test_two_peoples_accusations_stay_apart():
    ms = code("General Ali Khan said on Monday the attackers had handlers in Iran. Minister Omar Baig said on "
              "Tuesday the attackers had handlers in Iran.", times={"on Monday": ("2024-03-04", "day"),
                                                                   "on Tuesday": ("2024-03-05", "day")})
    assert len(of_type(ms, "ACCUSE")) == 2


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


def test_acts_arranged_by_an_agreement_are_its_content():
    ms = code("Israel and Hamas agreed on Wednesday to a ceasefire. Israeli troops are to withdraw from populated "
              "areas, and the ceasefire is to begin on Sunday.",
              times={"on Wednesday": ("2024-03-06", "day"), "on Sunday": ("2024-03-10", "day")})
    assert not [m for m in ms if m.status == "asserted" and m.event_type in ("RETREAT", "MOBILIZE")]
    assert len([m for m in ms if m.event_type in ("AGREE", "CONCEDE", "RETREAT")]) == 1


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


def test_retelling_of_one_ceasefire_is_one_mention():
    ms = pacts(code("Ethiopia and Eritrea agreed on Monday to a ceasefire with immediate effect after talks in Nairobi. "
                    "Under the accord, the two governments committed to stopping the fighting.",
                    times={"on Monday": ("2024-03-04", "day")}))
    assert len(ms) == 1 and ms[0].event_type == "CONCEDE" and len(ms[0].evidence) >= 2


def test_signing_the_document_already_reported_is_a_retelling():
    ms = pacts(code("Ethiopia and Eritrea signed a peace declaration in Nairobi on Monday. The document was signed "
                    "by the two foreign ministers.", times={"on Monday": ("2024-03-04", "day")}))
    assert len(ms) == 1 and len(ms[0].evidence) == 2


def test_two_sides_calls_on_the_same_parties_are_two_statements():
    ms = run("YEREVAN — Armenian and Azerbaijani troops exchanged fire along the border overnight. Russia's foreign "
             "ministry urged both countries to show restraint. The European Union called on the two sides to respect "
             "the ceasefire.")
    requests = [m for m in ms if m.event_type == "REQUEST"]
    assert sorted(a.country for m in requests for a in m.actor) == ["EUR", "RUS"] and len(requests) == 2


def test_a_claim_names_the_doer_of_an_attack_told_by_its_victims():
    ms = run("MOGADISHU — Two car bombs exploded near the education ministry in the Somali capital on Saturday, "
             "killing at least 100 people, the president said. Al Shabaab said it carried out the attack.")
    att = single(ms, "ASSAULT")
    assert [a.name for a in att.actor] == ["al-Shabaab"] and att.recipient


def test_agreeing_to_extend_a_truce_is_one_act():
    ms = run("SANAA — Yemen's warring parties agreed to extend a nationwide truce by two months, the UN envoy said on "
             "Thursday. The truce took effect in April.")
    agreed = [m for m in ms if m.evidence[0].sentence.startswith("SANAA")]
    assert len(agreed) == 1, [(m.event_type, m.status) for m in agreed]


def test_a_promise_and_the_agreement_concluding_it_are_one_event():
    ms = run("Chile and Peru agreed on Monday to reopen their embassies. The two countries signed the agreement in "
             "Lima.", published="2025-01-18")
    pacts = [m for m in ms if m.event_type in ("AGREE", "SUPPORT")]
    assert len(pacts) == 1
