"""Round-5 coder mechanisms: fillers re-coded from their own mention, instrument verbs, references that carry a
subordinate report, and mentions that name no political event. Sentences written for these tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from newsline.code import code_article  # noqa: E402
from newsline.records import ActorRef  # noqa: E402
from test_code_coder import annotate, code, names  # noqa: E402


def of_type(ms, t):
    return [m for m in ms if m.event_type == t]


def test_each_filler_is_recoded_from_its_own_mention():
    text = ("The Taliban attacked an army base in Helmand on Monday. In March 2020, Kabul released 1,500 "
            "Taliban prisoners.")
    ann = annotate(text, published="2025-10-20", times={"In March 2020": ("2020-03-01", "month")})
    group = [{"role": "insurgents", "country": "AFG", "sector": "REB", "start": None, "end": "2021-08-14"},
             {"role": "government", "country": "AFG", "sector": "GOV", "start": "2021-08-15", "end": None}]
    capital = [{"id": "old-gov", "name": "Old government", "kind": "agent", "role": "government", "country": "AFG",
                "sector": "GOV", "start": None, "end": "2021-08-14"},
               {"id": "taliban", "name": "Taliban", "kind": "group", "role": "government", "country": "AFG",
                "sector": "GOV", "start": "2021-08-15", "end": None}]
    for am in ann.actors:
        if am.text in ("Taliban", "Kabul"):
            am.actor = ActorRef(id="taliban", name="Taliban", country="AFG", sector="GOV", text=am.text, kind="group")
            am.roles = capital if am.text == "Kabul" else group
    rel = of_type(code_article(ann), "RETREAT")
    assert len(rel) == 1 and rel[0].date == "2020-03-01"
    assert [a.id for a in rel[0].actor] == ["old-gov"]  # the government of that day, not the Taliban


def test_instrument_verb_passes_its_subject_and_place_to_the_purpose_clause():
    ms = code("The army chief used a ceremony at a barracks in Peshawar to urge the Taliban to rein in "
              "armed groups.")
    req = of_type(ms, "REQUEST")
    assert len(req) == 1 and req[0].actor and req[0].actor[0].sector == "MIL"
    assert names(req[0].recipient) == ["Taliban"]
    assert req[0].event_loc is not None and req[0].event_loc.extracted_place == "Peshawar"


def test_a_reference_back_leaves_a_measured_earlier_report_standing():
    lede = "Pakistan and Afghanistan agreed to a ceasefire in Oslo on Sunday. "
    ms = code(lede + "The truce comes two days after Pakistan's army chief, General Omar Sadiq, used a rally in "
              "Peshawar to urge the Taliban to rein in armed groups.")
    assert len(of_type(ms, "REQUEST")) == 1
    # no measured gap: the clause is the circumstance of the reference, not a report of its own
    ms = code(lede + "The truce collapsed after Pakistan's army chief, General Omar Sadiq, urged the Taliban "
              "to rein in armed groups.")
    assert of_type(ms, "REQUEST") == []


def test_promised_response_is_a_threat():
    ms = code("The interior minister promised a strong response to the attackers.")
    assert [m.event_type for m in ms] == ["THREATEN"]


@pytest.mark.parametrize("text", [
    "President Trump warned of harsh consequences for anyone who broke the deal.",
    "The government blamed technical reasons for the delay.",
    "The cricket board of Pakistan said it had pulled out of the three-match series in India.",
])
def test_no_political_event(text):
    assert code(text) == []


def test_a_warning_to_a_named_party_stays():
    ms = code("Hamas warned Israel of severe consequences.")
    assert [m.event_type for m in ms] == ["THREATEN"]


def test_troops_withdrawing_stay_a_retreat():
    ms = code("Pakistan withdrew its troops from the border.")
    assert [m.event_type for m in ms] == ["RETREAT"]
