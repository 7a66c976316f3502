"""The mention records: ids, fields, actors coded by the office held on the event's date. Sentences written
for these tests."""

from __future__ import annotations

import pytest

pytest.importorskip("newsline.annotate.nlp")

from coder_helpers import annotate, code, of_type, one, run, single  # noqa: E402
from newsline.code import code_article  # noqa: E402
from newsline.records import ActorRef  # noqa: E402

pytestmark = pytest.mark.usefixtures("rules_only")  # the rule components, without the learned steps


def test_ids_deterministic():
    text = "Russia attacked Ukraine. Kenya praised Somalia."
    assert [m.id for m in code(text)] == [m.id for m in code(text)]


def test_mention_record_fields():
    m = one("Russia attacked Ukraine.")
    assert m.quad_code == 4
    assert m.article_id == "a1"
    assert m.evidence[0].sentence == "Russia attacked Ukraine."


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


def test_a_state_organ_acting_on_a_place_of_its_own_country_acts_on_its_people():
    # a city of the same country, and the capital read as the government: both are the country's civilians
    for text in ("Soldiers shelled Aleppo on Friday.", "Police imposed a curfew on Colombo on Friday."):
        ms = [m for m in run(text) if m.event_type in ("ASSAULT", "COERCE")]
        assert len(ms) == 1 and [(r.sector) for r in ms[0].recipient] == ["CVL"], text
        assert ms[0].recipient[0].country == ms[0].actor[0].country
    # another state's capital is its government
    ms = [m for m in run("Israeli jets struck Damascus on Friday.") if m.event_type == "ASSAULT"]
    assert [(r.country, r.sector) for r in ms[0].recipient] == [("SYR", "GOV")]


def test_victims_of_an_attack_are_people_of_the_place_it_struck():
    # "people" takes the attacker's country from the context ("Russian"); the attack was in Ukraine
    m = single(run("Russian missiles killed five civilians in Kharkiv on Monday."), "ASSAULT")
    assert [(r.country, r.sector) for r in m.recipient] == [("UKR", "CVL")]
    assert m.recipient[0].name == "Ukraine civilians"
