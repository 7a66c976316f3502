"""Secondary events told inside another report: repelled attacks, swaps, documents produced by talks, extended
truces, the stages of an exchange. Sentences written for these tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import countries, of_type, run, single  # noqa: E402
from newsline.records import Article  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps


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


def test_swap_carried_out_by_the_two_sides_and_a_dated_earlier_swap_are_two_releases():
    ms = run("Armenia and Azerbaijan agreed on Tuesday to hold another round of talks. The meeting took place while "
             "both sides carried out a new swap agreed earlier, with 40 detainees from each side exchanged at "
             "the border, officials said. Earlier rounds in March and April produced the biggest exchanges so "
             "far, including a 200-for-200 swap in April.", published="2025-07-16")
    rel = sorted(of_type(ms, "RETREAT"), key=lambda m: m.date)
    assert [(m.mode, m.date) for m in rel] == [("release", "2025-04-01"), ("release", "2025-07-15")]
    assert all(countries(m) == {"ARM", "AZE"} for m in rel)


def test_talks_that_produced_a_declaration_give_an_agreement_of_the_talks_parties():
    ms = run("The army and the rebels signed a ten-day ceasefire on Saturday. Negotiations in Geneva earlier this month "
             "produced a joint declaration to shield civilians, which relief groups say has mostly been ignored.",
             published="2023-05-21")
    agr = single(ms, "AGREE")
    assert agr.date == "2023-05-01" and {r.sector for r in agr.actor + agr.recipient} == {"MIL", "REB"}
    assert agr.event_loc is not None and agr.event_loc.extracted_place == "Geneva"


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
