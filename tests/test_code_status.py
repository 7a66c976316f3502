"""Status and attribution: reported, according to, denied, hypothetical, planned, background; negated events.
Sentences written for these tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import code, of_type, run  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps


def test_hypothetical_condition_is_not_an_event():
    assert all(m.event_type != "ASSAULT" for m in code("Chile would help Peru if Bolivia attacked it."))


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


def test_earlier_ceasefires_are_background():
    ms = code("Chile and Peru signed a truce in Lima on Friday. Several earlier truces declared by both "
              "governments broke down within hours.", times={"on Friday": ("2024-03-08", "day")})
    assert all(len(m.evidence) == 1 or "earlier" not in m.evidence[1].sentence for m in ms)
    assert len(of_type(ms, "CONCEDE")) <= 1


def test_be_to_is_a_plan():
    ms = code("The government said troops were to withdraw from the town.")
    assert ms and all(m.status == "planned" for m in ms)


def test_an_act_whose_object_is_no_one_did_not_happen():
    assert not of_type(run("Moscow offered no explanation for the poisoning of the defector."), "AGREE")
    assert not of_type(run("The gunmen released no hostages on Sunday despite the appeals."), "RETREAT")


def test_a_speech_verb_coordinated_with_another_shares_its_subject():
    # "said" has no subject of its own: the pronoun it governs is the US, not the police told before
    ms = run("Peruvian police arrested two suspects on Friday. The United States condemned the attack and said it "
             "would send aid to Peru.", published="2025-01-18")
    sent = [m for m in ms if m.evidence[0].trigger.startswith("send")]
    assert sent and all([a.country for a in m.actor] == ["USA"] for m in sent)


def test_a_speech_act_coordinated_into_the_clause_it_reports_is_the_speakers():
    # "urged" hangs from "was" (the parser's reading): the vote names no one, the speaker urges
    ms = run("Chile said the vote in Peru was not fair and urged the Peruvian government to hold a new election.",
             published="2025-01-18")
    req = of_type(ms, "REQUEST")
    assert req and all([a.country for a in m.actor] == ["CHL"] for m in req)
